// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/golden_case.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/io/safetensors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace unclip::verify {

const torch::Tensor& GoldenCase::at(const std::string& key) const {
    auto it = tensors.find(key);
    if (it == tensors.end()) throw Error("golden case '" + name + "' has no tensor '" + key + "'");
    return it->second;
}

GoldenCase load_case(const std::string& golden_dir, const std::string& name) {
    GoldenCase c;
    c.name = name;
    c.golden_dir = golden_dir;
    c.tensors = io::load_safetensors(golden_dir + "/cases/" + name + ".safetensors");
    c.meta = io::read_json_file(golden_dir + "/cases/" + name + ".json");
    return c;
}

Compare compare(const torch::Tensor& actual, const torch::Tensor& expected, double atol, double rtol) {
    Compare c;
    if (actual.sizes() != expected.sizes()) {
        c.max_abs = INFINITY;
        return c;
    }
    torch::Tensor a = actual.detach().to(torch::kCPU, torch::kFloat64);
    torch::Tensor e = expected.detach().to(torch::kCPU, torch::kFloat64);
    if (a.numel() == 0) {
        c.ok = true;
        return c;
    }
    torch::Tensor diff = (a - e).abs();
    c.max_abs = diff.max().item<double>();
    c.ok = std::isfinite(c.max_abs) && (diff <= atol + rtol * e.abs()).all().item<bool>();
    return c;
}

double VerifyOptions::atol(double atol32) const {
    if (dtype == torch::kFloat16) return std::max(atol32, 2e-2);
    if (dtype == torch::kBFloat16) return std::max(atol32, 5e-2);
    return atol32;
}

double VerifyOptions::atol(double atol32, const torch::Tensor& expected) const {
    const double half = atol(0.0);
    if (half == 0.0 || !expected.defined() || expected.numel() == 0) return atol(atol32);
    const double scale = std::max(1.0, expected.detach().abs().max().to(torch::kCPU).item<double>());
    return std::max(atol32, half * scale);
}

double VerifyOptions::rtol(double rtol32) const {
    if (dtype == torch::kFloat16) return std::max(rtol32, 2e-2);
    if (dtype == torch::kBFloat16) return std::max(rtol32, 5e-2);
    return rtol32;
}

CaseTolerance case_tolerance(const GoldenCase& c, const VerifyOptions& opts, double default_atol, double default_rtol) {
    CaseTolerance t{default_atol, default_rtol};
    if (c.meta.contains("tolerance") && c.meta["tolerance"].is_object()) {
        t.atol = c.meta["tolerance"].value("atol", t.atol);
        t.rtol = c.meta["tolerance"].value("rtol", t.rtol);
    }
    return {opts.atol(t.atol), opts.rtol(t.rtol)};
}

void add_result(std::vector<ParityResult>& out, const std::string& check, const torch::Tensor& actual,
                const torch::Tensor& expected, double atol, double rtol) {
    ParityResult r;
    r.check = check;
    r.tolerance = atol;
    if (actual.sizes() != expected.sizes()) {
        std::ostringstream o;
        o << "shape " << actual.sizes() << " != expected " << expected.sizes();
        r.note = o.str();
        r.max_abs_error = INFINITY;
    } else {
        Compare c = compare(actual, expected, atol, rtol);
        r.max_abs_error = c.max_abs;
        r.pass = c.ok;
    }
    out.push_back(r);
}

FinalTolerance final_tolerance(const GoldenCase& c) {
    FinalTolerance t;
    const auto& j = c.meta.value("tolerance", nlohmann::json::object());
    t.atol = j.value("final_image_atol", t.atol);
    t.mean = j.value("final_image_mean_abs", t.mean);
    return t;
}

void add_final_rows(std::vector<ParityResult>& out, const std::string& label, const torch::Tensor& actual,
                    const torch::Tensor& expected, const FinalTolerance& tol, const VerifyOptions& opts) {
    add_result(out, label, actual, expected, opts.atol(tol.atol));
    ParityResult mean;
    mean.check = label + " mean abs";
    mean.tolerance = opts.atol(tol.mean);
    if (actual.sizes() == expected.sizes()) {
        mean.max_abs_error =
            (actual.to(torch::kCPU, torch::kFloat64) - expected.to(torch::kCPU, torch::kFloat64)).abs().mean().item<double>();
        mean.pass = mean.max_abs_error <= mean.tolerance;
    } else {
        mean.note = "shape mismatch";
    }
    out.push_back(mean);
}

}  // namespace unclip::verify
