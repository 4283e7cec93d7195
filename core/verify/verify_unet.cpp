// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_unet.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/verify/verify_support.h"
#include "core/models/registry/model_registry.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/models/unet/upscale.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

namespace unclip::models {
namespace {

using Tolerance = verify::CaseTolerance;
Tolerance unet_tolerance(const verify::GoldenCase& c, const verify::VerifyOptions& opts) {
    return verify::case_tolerance(c, opts, 1e-4, 1e-4);
}

// Call prefixes in the case: "<prefix>.callN.out" -> {prefix -> [N...]} ("" for "callN.out").
std::map<std::string, std::set<int>> recorded_calls(const verify::GoldenCase& c) {
    static const std::regex re(R"(^(?:(.+)\.)?call(\d+)\.out$)");
    std::map<std::string, std::set<int>> out;
    for (const auto& [key, t] : c.tensors) {
        std::smatch m;
        if (std::regex_match(key, m, re)) out[m[1].str()].insert(std::stoi(m[2].str()));
    }
    return out;
}

// "<prefix>.callN" ("callN" without a prefix).
std::string call_name(const std::string& prefix, int i) {
    return (prefix.empty() ? "" : prefix + ".") + "call" + std::to_string(i);
}
std::string call_key(const std::string& prefix, int i, const std::string& what) {
    return call_name(prefix, i) + "." + what;
}

verify::GoldenCase load(const verify::VerifyOptions& opts, const std::string& name) {
    return verify::load_case(opts.golden_dir, name);
}

}  // namespace

std::string CaseModels::component_for(const std::string& prefix) const {
    if (prefix.empty() && components.size() == 1) return components[0];
    for (const auto& c : components) {
        if (c == prefix) return c;
        if (c.size() > prefix.size() + 1 && c.compare(c.size() - prefix.size() - 1, std::string::npos, "_" + prefix) == 0)
            return c;
    }
    throw Error("golden case: no model component matches the calls '" + prefix + "'");
}

CaseModels case_models(const verify::GoldenCase& c) {
    if (!c.meta.contains("model_dir") || !c.meta["model_dir"].is_string())
        throw Error("golden case '" + c.name + "' has no model_dir");
    namespace fs = std::filesystem;
    const fs::path rel(c.meta["model_dir"].get<std::string>());
    CaseModels m;
    m.folder = (fs::path(c.golden_dir) / rel.parent_path()).string();
    std::string names = rel.filename().string();
    const std::string sep = " and ";
    for (size_t pos; (pos = names.find(sep)) != std::string::npos; names = names.substr(pos + sep.size()))
        m.components.push_back(names.substr(0, pos));
    m.components.push_back(names);
    return m;
}

std::vector<verify::ParityResult> check_decoder_unet_calls(UNet2DConditionModel& model, const verify::GoldenCase& c,
                                                           const verify::VerifyOptions& opts, const std::string& prefix) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = unet_tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    const auto calls = recorded_calls(c);
    auto it = calls.find(prefix);
    if (it == calls.end()) {
        add_failed_row(rows, c.name + "/" + prefix, "the case records no calls", tol.atol);
        return rows;
    }
    for (int i : it->second) {
        const std::string check = c.name + "/" + call_name(prefix, i);
        try {
            auto in = [&](const std::string& what) { return c.at(call_key(prefix, i, what)); };
            auto opt = [&](const std::string& what) {
                const std::string k = call_key(prefix, i, what);
                return c.has(k) ? c.at(k) : torch::Tensor();
            };
            torch::Tensor out = model->forward(in("sample").to(opts.device, opts.dtype), in("timestep").to(opts.device),
                                               in("encoder_hidden_states").to(opts.device, opts.dtype),
                                               opt("class_labels").defined() ? opt("class_labels").to(opts.device, opts.dtype)
                                                                             : torch::Tensor(),
                                               opt("attention_mask").defined() ? opt("attention_mask").to(opts.device)
                                                                               : torch::Tensor());
            verify::add_result(rows, check, out.to(torch::kCPU, torch::kFloat32), in("out"), tol.atol, tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what(), tol.atol);
        }
    }
    return rows;
}

std::vector<verify::ParityResult> check_super_res_unet_calls(UNet2DModel& model, const verify::GoldenCase& c,
                                                             const verify::VerifyOptions& opts,
                                                             const std::string& prefix) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = unet_tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    const auto calls = recorded_calls(c);
    auto it = calls.find(prefix);
    if (it == calls.end()) {
        add_failed_row(rows, c.name + "/" + prefix, "the case records no calls", tol.atol);
        return rows;
    }
    for (int i : it->second) {
        const std::string check = c.name + "/" + call_name(prefix, i);
        try {
            torch::Tensor out = model->forward(c.at(call_key(prefix, i, "sample")).to(opts.device, opts.dtype),
                                               c.at(call_key(prefix, i, "timestep")).to(opts.device));
            verify::add_result(rows, check, out.to(torch::kCPU, torch::kFloat32), c.at(call_key(prefix, i, "out")),
                               tol.atol, tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what(), tol.atol);
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_decoder_unet(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = load(opts, "decoder_unet");
        const CaseModels models = case_models(c);
        const io::ModelFolder folder(models.folder);
        for (const auto& [prefix, calls] : recorded_calls(c)) {
            UNet2DConditionModel model = load_model_as<UNet2DConditionModel>(folder, models.component_for(prefix), load_options(opts));
            auto r = check_decoder_unet_calls(model, c, opts, prefix);
            rows.insert(rows.end(), r.begin(), r.end());
        }
        if (rows.empty()) add_failed_row(rows, "decoder_unet", "the case records no calls", opts.atol(1e-4));
    } catch (const std::exception& e) {
        add_failed_row(rows, "decoder_unet", e.what(), opts.atol(1e-4));
    }
    return rows;
}

std::vector<verify::ParityResult> verify_super_res_unet(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = load(opts, "super_res_unet");
        const CaseModels models = case_models(c);
        const io::ModelFolder folder(models.folder);
        for (const auto& [prefix, calls] : recorded_calls(c)) {
            try {
                UNet2DModel model = load_model_as<UNet2DModel>(folder, models.component_for(prefix), load_options(opts));
                auto r = check_super_res_unet_calls(model, c, opts, prefix);
                rows.insert(rows.end(), r.begin(), r.end());
            } catch (const std::exception& e) {
                add_failed_row(rows, "super_res_unet/" + prefix, e.what(), opts.atol(1e-4));
            }
        }
        if (rows.empty()) add_failed_row(rows, "super_res_unet", "the case records no calls", opts.atol(1e-4));
    } catch (const std::exception& e) {
        add_failed_row(rows, "super_res_unet", e.what(), opts.atol(1e-4));
    }
    return rows;
}

std::vector<verify::ParityResult> verify_upscale(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = load(opts, "upscale");
        const Tolerance tol = unet_tolerance(c, opts);
        const torch::Tensor& expected = c.at("image_upscaled");
        torch::Tensor small = c.at("image_small").to(opts.device, opts.dtype);
        torch::Tensor got = upscale_bicubic_antialias(small, expected.size(2), expected.size(3));
        verify::add_result(rows, "upscale/image_upscaled", got.to(torch::kCPU, torch::kFloat32), expected, tol.atol,
                           tol.rtol);
    } catch (const std::exception& e) {
        add_failed_row(rows, "upscale", e.what(), opts.atol(1e-5));
    }
    return rows;
}

}  // namespace unclip::models
