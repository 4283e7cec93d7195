// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ parity rows against the Kandinsky golden case `movq`.
#include "core/verify/verify_kandinsky_movq.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/models/registry/model_registry.h"
#include "core/verify/verify_support.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

namespace unclip::models {
namespace {

verify::CaseTolerance tolerance(const verify::GoldenCase& c, const verify::VerifyOptions& opts) {
    return verify::case_tolerance(c, opts, 1e-4, 1e-4);
}

// The absolute tolerance for one output: the case's, and in half precision the half-precision bound
// relative to the output's scale (VerifyOptions::atol). The decoder's bfloat16 error is plain
// rounding (8 significant bits at every layer, about 2^-9 of the values each carries) that adds up
// over its ~20 layers, so it scales with the model's activations, not with a fixed number: this
// random model's outputs reach 3 to 4 and its last feature maps 14, where one bfloat16 step is
// 0.06.
double atol_for(const verify::GoldenCase& c, const verify::VerifyOptions& opts, const torch::Tensor& expected) {
    verify::VerifyOptions f32 = opts;
    f32.dtype = torch::kFloat32;
    return opts.atol(tolerance(c, f32).atol, expected);
}

// The call names ("decode00", "encode01") recorded with `input` ("decodeNN.latents").
std::set<std::string> recorded(const verify::GoldenCase& c, const std::string& kind, const std::string& input) {
    const std::regex re("^(" + kind + R"(\d+)\.)" + input + "$");
    std::set<std::string> out;
    for (const auto& [key, t] : c.tensors) {
        std::smatch m;
        if (std::regex_match(key, m, re)) out.insert(m[1].str());
    }
    return out;
}

torch::Tensor cpu32(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat32); }

}  // namespace

std::vector<std::pair<std::string, std::string>> movq_case_folders(const verify::GoldenCase& c) {
    if (!c.meta.contains("model_dir") || !c.meta["model_dir"].is_string())
        throw Error("golden case '" + c.name + "' names no model_dir");
    namespace fs = std::filesystem;
    const std::string text = c.meta["model_dir"].get<std::string>();
    static const std::regex path_re(R"(models/[^\s()]+)");
    std::vector<std::pair<std::string, std::string>> out;
    for (std::sregex_iterator it(text.begin(), text.end(), path_re), end; it != end; ++it) {
        fs::path dir = (fs::path(c.golden_dir) / it->str()).lexically_normal();
        if (!dir.has_filename()) dir = dir.parent_path();  // a trailing slash
        out.emplace_back(dir.parent_path().string(), dir.filename().string());
    }
    if (out.empty()) throw Error("golden case '" + c.name + "': model_dir '" + text + "' names no models/ folder");
    return out;
}

std::vector<verify::ParityResult> check_movq_calls(VQModel& model, const verify::GoldenCase& c,
                                                   const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const verify::CaseTolerance tol = tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    const std::string base = c.name + "/";

    for (const std::string& call : recorded(c, "decode", "latents")) {
        try {
            torch::Tensor out = model->decode(c.at(call + ".latents").to(opts.device, opts.dtype), true);
            const torch::Tensor& want = c.at(call + ".sample");
            verify::add_result(rows, base + call, cpu32(out), want, atol_for(c, opts, want), tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, base + call, e.what(), tol.atol);
        }
    }
    for (const std::string& call : recorded(c, "encode", "image")) {
        try {
            torch::Tensor out = model->encode(c.at(call + ".image").to(opts.device, opts.dtype));
            const torch::Tensor& want = c.at(call + ".latents");
            verify::add_result(rows, base + call, cpu32(out), want, atol_for(c, opts, want), tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, base + call, e.what(), tol.atol);
        }
    }

    // The quantized decode (not what the pipelines do): the chosen codebook entries must be the
    // reference's exactly; in half precision a near-tie may pick another entry, which is reported
    // but not judged.
    const std::string q = "decode_quantized";
    if (c.has(q + ".latents")) {
        const std::string idx_check = base + q + ".codebook_indices";
        try {
            const torch::Tensor latents = c.at(q + ".latents").to(opts.device, opts.dtype);
            const VQQuantized got = model->quantize_latents(latents);
            const torch::Tensor& want_idx = c.at(q + ".codebook_indices");
            verify::add_result(rows, idx_check, got.indices.to(torch::kCPU), want_idx, 0.0, 0.0);
            const bool same_entries = rows.back().pass;
            const size_t first = rows.size() - 1;
            verify::add_result(rows, base + q + ".quant", cpu32(got.quant), c.at(q + ".quant"),
                               atol_for(c, opts, c.at(q + ".quant")), tol.rtol);
            verify::add_result(rows, base + q + ".sample", cpu32(model->decode(latents, false)), c.at(q + ".sample"),
                               atol_for(c, opts, c.at(q + ".sample")), tol.rtol);
            if (!same_entries && opts.dtype != torch::kFloat32 && opts.dtype != torch::kFloat64) {
                for (size_t i = first; i < rows.size(); ++i) {
                    rows[i].skipped = true;
                    rows[i].note = "not judged: in reduced precision a near-tie picked another codebook entry";
                }
            }
        } catch (const std::exception& e) {
            add_failed_row(rows, idx_check, e.what(), tol.atol);
        }
    }
    if (rows.empty()) add_failed_row(rows, c.name, "the case records no decode or encode calls", tol.atol);
    return rows;
}

std::vector<verify::ParityResult> verify_movq(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    const double atol = opts.atol(1e-4);
    verify::GoldenCase c;
    std::vector<std::pair<std::string, std::string>> folders;
    try {
        c = verify::load_case(opts.golden_dir, "movq");
        folders = movq_case_folders(c);
    } catch (const std::exception& e) {
        add_failed_row(rows, "movq", e.what(), atol);
        return rows;
    }
    try {
        const io::ModelFolder folder(folders[0].first);
        VQModel model = load_model_as<VQModel>(folder, folders[0].second, load_options(opts));
        rows = check_movq_calls(model, c, opts);
    } catch (const std::exception& e) {
        add_failed_row(rows, "movq", e.what(), atol);
        return rows;
    }
    // "identical in ...": every other folder's MoVQ has the same tensors (bit for bit).
    namespace fs = std::filesystem;
    const auto name_of = [](const std::pair<std::string, std::string>& f) {
        return fs::path(f.first).filename().string() + "/" + f.second;
    };
    for (size_t i = 1; i < folders.size(); ++i) {
        const std::string check = "movq/weights " + name_of(folders[i]) + " == " + name_of(folders[0]);
        try {
            const io::StateDict a = io::ModelFolder(folders[0].first).weights(folders[0].second);
            const io::StateDict b = io::ModelFolder(folders[i].first).weights(folders[i].second);
            verify::ParityResult r;
            r.check = check;
            double worst = 0;
            std::string diff;
            for (const auto& [key, t] : a) {
                auto it = b.find(key);
                if (it == b.end() || it->second.sizes() != t.sizes()) {
                    diff = "tensor '" + key + "' is missing or shaped differently";
                    worst = INFINITY;
                    break;
                }
                worst = std::max(worst, verify::compare(it->second, t, 0.0).max_abs);
            }
            if (diff.empty() && b.size() != a.size()) {
                diff = std::to_string(b.size()) + " tensors vs " + std::to_string(a.size());
                worst = INFINITY;
            }
            r.max_abs_error = worst;
            r.pass = worst == 0;
            r.note = diff.empty() ? std::to_string(a.size()) + " tensors compared" : diff;
            rows.push_back(r);
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what(), 0.0);
        }
    }
    return rows;
}

}  // namespace unclip::models
