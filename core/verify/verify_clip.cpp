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

#include <cctype>
#include <filesystem>
#include <fstream>
#include <initializer_list>

namespace unclip::models {
namespace {

namespace fs = std::filesystem;

double tol(const nlohmann::json& meta, const char* key, double fallback) {
    if (meta.contains("tolerance") && meta["tolerance"].contains(key) && meta["tolerance"][key].is_number())
        return meta["tolerance"][key].get<double>();
    return fallback;
}

// The image processor arithmetic of the golden set's reference: transformers 4.x ran the PIL path,
// transformers 5 the torchvision one (manifest.json "env"."transformers", e.g. "4.33.3 (...)").
CLIPImageBackend reference_image_backend(const std::string& golden_dir) {
    std::ifstream f(fs::path(golden_dir) / "manifest.json");
    if (!f) return CLIPImageBackend::Torchvision;
    const nlohmann::json m = nlohmann::json::parse(f, nullptr, /*allow_exceptions=*/false);
    if (!m.is_object() || !m.contains("env") || !m["env"].contains("transformers") || !m["env"]["transformers"].is_string())
        return CLIPImageBackend::Torchvision;
    const std::string v = m["env"]["transformers"].get<std::string>();
    return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0])) && std::stoi(v) < 5 ? CLIPImageBackend::Pil
                                                                                          : CLIPImageBackend::Torchvision;
}

// The first of `keys` the case has ("" when none).
std::string first_key(const verify::GoldenCase& c, std::initializer_list<std::string> keys) {
    for (const auto& k : keys)
        if (c.has(k)) return k;
    return "";
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
        // The processor configuration as the reference loaded it (the key depends on the golden set).
        std::string config_key;
        for (const char* k : {"image_processor_config", "feature_extractor_config"})
            if (config_key.empty() && c.meta.contains(k)) config_key = k;
        if (config_key.empty())
            throw Error("golden case 'image_processor' has no image_processor_config / feature_extractor_config");
        CLIPImageProcessorConfig config =
            CLIPImageProcessorConfig::from_json(c.meta[config_key], "image_processor case " + config_key);
        config.backend = reference_image_backend(c.golden_dir);
        const CLIPImageProcessor processor(config);
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
            if (auto k = first_key(c, {name + ".resized_u8", name + ".resized_best_u8"}); !k.empty())
                verify::add_result(rows, check + "/resized_u8", resized, c.at(k), 0.0);
            if (auto k = first_key(c, {name + ".cropped_u8", name + ".cropped_best_u8"}); !k.empty())
                verify::add_result(rows, check + "/cropped_u8", processor.center_crop(resized), c.at(k), 0.0);
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
