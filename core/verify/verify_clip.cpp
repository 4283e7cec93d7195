// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_clip.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/models/clip/clip_load.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/registry/model_registry.h"
#include "core/verify/verify_support.h"
#include "core/io/png_io.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace unclip::models {
namespace {

namespace fs = std::filesystem;

double tol(const nlohmann::json& meta, const char* key, double fallback) {
    if (meta.contains("tolerance") && meta["tolerance"].contains(key) && meta["tolerance"][key].is_number())
        return meta["tolerance"][key].get<double>();
    return fallback;
}

}  // namespace

std::vector<verify::ParityResult> verify_clip_text(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = verify::load_case(opts.golden_dir, "clip_text");
        auto [folder, component] = golden_component(c);
        CLIPTextModelWithProjection model = load_model_as<CLIPTextModelWithProjection>(folder, component, load_options(opts));
        const double atol = opts.atol(tol(c.meta, "atol", 1e-4)), rtol = opts.rtol(tol(c.meta, "rtol", 0.0));
        const size_t n_prompts = c.meta.contains("prompts") ? c.meta["prompts"].size() : 0;
        const torch::Tensor ids = c.at("input_ids");

        torch::NoGradGuard no_grad;
        auto compare_rows = [&](const CLIPTextOutput& out, const std::string& suffix) {
            const std::vector<std::pair<std::string, torch::Tensor>> outputs = {
                {"text_embeds", out.text_embeds},
                {"last_hidden_state", out.last_hidden_state},
                {"pooler_output", out.pooler_output}};
            for (int64_t b = 0; b < ids.size(0); ++b) {
                const std::string what = static_cast<size_t>(b) < n_prompts
                                             ? "prompt " + std::to_string(b)
                                             : "row " + std::to_string(b) + ", crafted ids";
                for (const auto& [key, actual] : outputs) {
                    const std::string golden_key = key + suffix;
                    if (!c.has(golden_key)) continue;
                    verify::add_result(rows, "clip_text/" + golden_key + "[" + what + "]",
                                       actual[b].to(torch::kCPU, torch::kFloat32), c.at(golden_key)[b], atol, rtol);
                }
            }
        };
        compare_rows(model(ids.to(opts.device)), "");
        if (c.has("attention_mask") && c.has("text_embeds_masked"))
            compare_rows(model(ids.to(opts.device), c.at("attention_mask").to(opts.device)), "_masked");
    } catch (const std::exception& e) {
        add_failed_row(rows, "clip_text", e.what());
    }
    return rows;
}

std::vector<verify::ParityResult> verify_clip_vision(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = verify::load_case(opts.golden_dir, "clip_vision");
        auto [folder, component] = golden_component(c);
        CLIPVisionModelWithProjection model = load_model_as<CLIPVisionModelWithProjection>(folder, component, load_options(opts));
        const double atol = opts.atol(tol(c.meta, "atol", 1e-4)), rtol = opts.rtol(tol(c.meta, "rtol", 0.0));
        const torch::Tensor pixels = c.at("pixel_values");

        torch::NoGradGuard no_grad;
        const CLIPVisionOutput out = model(pixels.to(opts.device, opts.dtype));
        const std::vector<std::pair<std::string, torch::Tensor>> outputs = {
            {"image_embeds", out.image_embeds},
            {"last_hidden_state", out.last_hidden_state},
            {"pooler_output", out.pooler_output}};
        for (int64_t b = 0; b < pixels.size(0); ++b)
            for (const auto& [key, actual] : outputs) {
                if (!c.has(key)) continue;
                verify::add_result(rows, "clip_vision/" + key + "[image " + std::to_string(b) + "]",
                                   actual[b].to(torch::kCPU, torch::kFloat32), c.at(key)[b], atol, rtol);
            }
    } catch (const std::exception& e) {
        add_failed_row(rows, "clip_vision", e.what());
    }
    return rows;
}

std::vector<verify::ParityResult> verify_image_processor(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = verify::load_case(opts.golden_dir, "image_processor");
        if (!c.meta.contains("feature_extractor_config"))
            throw Error("golden case 'image_processor' has no feature_extractor_config");
        const CLIPImageProcessor processor(CLIPImageProcessorConfig::from_json(
            c.meta["feature_extractor_config"], "image_processor case feature_extractor_config"));
        const double atol = tol(c.meta, "atol", 0.02), rtol = tol(c.meta, "rtol", 0.0);

        // The images in the order the case lists them (the batch tensor uses that order).
        std::ifstream f(fs::path(c.golden_dir) / "cases" / "image_processor.json");
        const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(f);
        std::vector<torch::Tensor> images;
        for (const auto& [name, info] : ordered.at("images").items()) {
            const torch::Tensor image = io::read_png((fs::path(c.golden_dir) / info.at("png").get<std::string>()).string());
            images.push_back(image);
            const std::string check = "image_processor/" + name;
            const torch::Tensor resized = processor.resize(CLIPImageProcessor::convert_rgb(image));
            if (c.has(name + ".resized_best_u8"))
                verify::add_result(rows, check + "/resized_u8", resized, c.at(name + ".resized_best_u8"), 0.0);
            if (c.has(name + ".cropped_best_u8"))
                verify::add_result(rows, check + "/cropped_u8", processor.center_crop(resized),
                                   c.at(name + ".cropped_best_u8"), 0.0);
            verify::add_result(rows, check + "/pixel_values", processor.preprocess({image}),
                               c.at(name + ".pixel_values"), atol, rtol);
        }
        if (c.has("batch.pixel_values"))
            verify::add_result(rows, "image_processor/batch/pixel_values", processor.preprocess(images),
                               c.at("batch.pixel_values"), atol, rtol);
    } catch (const std::exception& e) {
        add_failed_row(rows, "image_processor", e.what());
    }
    return rows;
}

}  // namespace unclip::models
