// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_prior.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/verify/verify_support.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/registry/model_registry.h"

#include <torch/torch.h>

#include <filesystem>
#include <set>

namespace unclip::models {
namespace {

using Tolerance = verify::CaseTolerance;
Tolerance prior_tolerance(const verify::GoldenCase& c, const verify::VerifyOptions& opts) {
    return verify::case_tolerance(c, opts, 1e-4, 1e-4);
}

// Prefixes P of the keys "P<suffix>", sorted.
std::vector<std::string> prefixes(const verify::GoldenCase& c, const std::string& suffix) {
    std::set<std::string> out;
    for (const auto& [key, t] : c.tensors)
        if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
            out.insert(key.substr(0, key.size() - suffix.size()));
    return {out.begin(), out.end()};
}

torch::Tensor optional_tensor(const verify::GoldenCase& c, const std::string& key) {
    return c.has(key) ? c.at(key) : torch::Tensor();
}

}  // namespace

std::vector<verify::ParityResult> verify_prior_calls(PriorTransformer& model, const verify::GoldenCase& c,
                                                     const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = prior_tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    for (const auto& p : prefixes(c, ".predicted_image_embedding")) {
        const std::string check = c.name + "/" + p;
        try {
            torch::Tensor out = model->forward(c.at(p + ".hidden_states"), c.at(p + ".timestep"),
                                               c.at(p + ".proj_embedding"),
                                               optional_tensor(c, p + ".encoder_hidden_states"),
                                               optional_tensor(c, p + ".attention_mask"));
            verify::add_result(rows, check, out.to(torch::kCPU, torch::kFloat32),
                               c.at(p + ".predicted_image_embedding"), tol.atol, tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what());
        }
    }
    for (const auto& p : prefixes(c, ".output")) {
        if (!c.has(p + ".input")) continue;
        try {
            torch::Tensor out = model->post_process_latents(c.at(p + ".input"));
            verify::add_result(rows, c.name + "/" + p, out.to(torch::kCPU, torch::kFloat32), c.at(p + ".output"),
                               tol.atol, tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, c.name + "/" + p, e.what());
        }
    }
    // The recorded clip_mean / clip_std parameters (a cheap check that the right weights were loaded).
    if (c.has("clip_mean"))
        verify::add_result(rows, c.name + "/clip_mean", model->clip_mean.to(torch::kCPU, torch::kFloat32),
                           c.at("clip_mean"), tol.atol, tol.rtol);
    if (c.has("clip_std"))
        verify::add_result(rows, c.name + "/clip_std", model->clip_std.to(torch::kCPU, torch::kFloat32),
                           c.at("clip_std"), tol.atol, tol.rtol);
    return rows;
}

std::vector<verify::ParityResult> verify_text_proj_calls(UnCLIPTextProjModel& model, const verify::GoldenCase& c,
                                                         const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = prior_tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    for (const auto& p : prefixes(c, ".out.text_encoder_hidden_states")) {
        const std::string check = c.name + "/" + p;
        try {
            const torch::Tensor& img = c.at(p + ".image_embeddings");
            const torch::Tensor& prompt = c.at(p + ".prompt_embeds");
            // CFG doubles the batch: [uncond; cond] prompts for B image embeddings.
            const bool cfg = prompt.size(0) == 2 * img.size(0);
            TextProjOutput out = model->forward(img, prompt, c.at(p + ".text_encoder_hidden_states"), cfg);
            verify::add_result(rows, check + "/text_encoder_hidden_states",
                               out.text_encoder_hidden_states.to(torch::kCPU, torch::kFloat32),
                               c.at(p + ".out.text_encoder_hidden_states"), tol.atol, tol.rtol);
            verify::add_result(rows, check + "/additive_clip_time_embeddings",
                               out.additive_clip_time_embeddings.to(torch::kCPU, torch::kFloat32),
                               c.at(p + ".out.additive_clip_time_embeddings"), tol.atol, tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what());
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_prior(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        verify::GoldenCase c = verify::load_case(opts.golden_dir, "prior");
        auto [folder, component] = golden_component(c);
        PriorTransformer model = load_model_as<PriorTransformer>(folder, component, load_options(opts));
        return verify_prior_calls(model, c, opts);
    } catch (const std::exception& e) {
        add_failed_row(rows, "prior", e.what());
    }
    return rows;
}

std::vector<verify::ParityResult> verify_text_proj(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        verify::GoldenCase c = verify::load_case(opts.golden_dir, "text_proj");
        auto [folder, component] = golden_component(c);
        UnCLIPTextProjModel model = load_model_as<UnCLIPTextProjModel>(folder, component, load_options(opts));
        return verify_text_proj_calls(model, c, opts);
    } catch (const std::exception& e) {
        add_failed_row(rows, "text_proj", e.what());
    }
    return rows;
}

}  // namespace unclip::models
