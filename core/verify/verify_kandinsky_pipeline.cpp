// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_kandinsky_pipeline.h"

#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/kandinsky/kandinsky_stages.h"
#include "core/pipeline/unclip_pipeline.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

namespace unclip::pipeline {
namespace {

namespace k = kandinsky;

using Tolerance = verify::FinalTolerance;
const auto add_rows = verify::add_final_rows;

std::unique_ptr<UnclipPipeline> load(const std::string& golden, const verify::VerifyOptions& o) {
    PipelineOptions po;
    po.model_dir = golden + "/models/kandinsky-2-2-prior";
    po.decoder_dir = golden + "/models/kandinsky-2-2-decoder";
    po.inpaint_dir = golden + "/models/kandinsky-2-2-decoder-inpaint";
    po.device = o.device;
    po.dtype = o.dtype;
    return UnclipPipeline::load(po);
}

torch::Tensor picture(const verify::GoldenCase& c, const std::string& name) {
    return io::read_png(c.golden_dir + "/cases/" + name + ".png");
}

// The prompt argument: a string or a list of strings.
std::vector<std::string> prompts_of(const nlohmann::json& v) {
    if (v.is_string()) return {v.get<std::string>()};
    return v.get<std::vector<std::string>>();
}

// The decoder inputs as the decoder pipelines build them: with CFG the embeds repeated per picture.
k::DecoderArgs decoder_args(const verify::GoldenCase& c) {
    const auto& call = c.meta.at("call");
    const int n = call.value("num_images_per_prompt", 1);
    k::DecoderArgs a;
    a.guidance = call.value("guidance_scale", 4.0f);
    a.steps = call.at("num_inference_steps").get<int>();
    a.height = call.at("height").get<int64_t>();
    a.width = call.at("width").get<int64_t>();
    a.image_embeds = c.at("input.image_embeds");
    a.negative_image_embeds = c.at("input.negative_image_embeds");
    if (a.guidance > 1.0f) {
        a.image_embeds = a.image_embeds.repeat_interleave(n, 0);
        a.negative_image_embeds = a.negative_image_embeds.repeat_interleave(n, 0);
    }
    return a;
}

void run_case(std::vector<verify::ParityResult>& rows, UnclipPipeline& pl, const verify::GoldenCase& c,
              const verify::VerifyOptions& o) {
    auto& p = pl.impl();
    const auto& call = c.meta.at("call");
    const std::string kind = c.name;
    const Tolerance tol = verify::final_tolerance(c);
    Generator gen(call.at("seed").get<uint64_t>());
    RunControl control;
    auto image_rows = [&](const torch::Tensor& nchw, models::VQModel& movq_unused) {
        (void)movq_unused;
        add_rows(rows, kind + "/output.image", nchw.permute({0, 2, 3, 1}), c.at("output.image"), tol, o);
    };
    if (kind == "pipeline_prior" || kind == "pipeline_prior_nocfg") {
        std::string negative;
        const bool has_negative = call.contains("negative_prompt") && call["negative_prompt"].is_string();
        if (has_negative) negative = call["negative_prompt"].get<std::string>();
        k::PriorOutput out = k::run_prior(p, prompts_of(call.at("prompt")), has_negative ? &negative : nullptr,
                                          call.value("num_images_per_prompt", 1), call.at("num_inference_steps").get<int>(),
                                          call.value("guidance_scale", 4.0f), gen, control);
        add_rows(rows, kind + "/output.image_embeds", out.image_embeds, c.at("output.image_embeds"), tol, o);
        add_rows(rows, kind + "/output.negative_image_embeds", out.negative_image_embeds,
                 c.at("output.negative_image_embeds"), tol, o);
    } else if (kind == "pipeline_interpolate") {
        std::vector<k::MixItem> items;
        const auto weights = call.at("weights").get<std::vector<float>>();
        const auto names = call.at("images_and_prompts").get<std::vector<std::string>>();
        for (size_t i = 0; i < names.size(); ++i) {
            k::MixItem item;
            // Items that name a case picture are pictures, the others texts.
            if (std::filesystem::exists(c.golden_dir + "/cases/" + names[i] + ".png")) item.image = picture(c, names[i]);
            else item.text = names[i];
            item.weight = weights.at(i);
            items.push_back(item);
        }
        k::PriorOutput out = k::interpolate(p, items, call.value("num_images_per_prompt", 1),
                                            call.at("num_inference_steps").get<int>(), call.value("guidance_scale", 4.0f),
                                            gen, control);
        add_rows(rows, kind + "/output.image_embeds", out.image_embeds, c.at("output.image_embeds"), tol, o);
        add_rows(rows, kind + "/output.negative_image_embeds", out.negative_image_embeds,
                 c.at("output.negative_image_embeds"), tol, o);
    } else if (kind.rfind("pipeline_decoder", 0) == 0) {
        image_rows(k::decode(p, p.movq, k::text_to_image(p, decoder_args(c), gen, control)), p.movq);
    } else if (kind == "pipeline_img2img") {
        torch::Tensor latents = k::image_to_image(p, decoder_args(c), picture(c, call.at("image").get<std::string>()),
                                                  call.at("strength").get<float>(), gen, control);
        image_rows(k::decode(p, p.movq, latents), p.movq);
    } else if (kind == "pipeline_inpaint") {
        torch::Tensor latents = k::inpaint(p, decoder_args(c), picture(c, call.at("image").get<std::string>()),
                                           c.at("input.mask_image"), gen, control);
        image_rows(k::decode(p, p.inpaint_movq, latents), p.inpaint_movq);
    } else if (kind == "pipeline_combined") {
        const bool has_negative = call.contains("negative_prompt") && call["negative_prompt"].is_string();
        const std::string negative = has_negative ? call["negative_prompt"].get<std::string>() : "";
        const int n = call.value("num_images_per_prompt", 1);
        k::PriorOutput prior = k::run_prior(p, prompts_of(call.at("prompt")), has_negative ? &negative : nullptr, n,
                                            call.at("prior_num_inference_steps").get<int>(),
                                            call.value("prior_guidance_scale", 4.0f), gen, control);
        k::DecoderArgs a;
        a.image_embeds = prior.image_embeds;
        a.negative_image_embeds = prior.negative_image_embeds;
        a.height = call.at("height").get<int64_t>();
        a.width = call.at("width").get<int64_t>();
        a.steps = call.at("num_inference_steps").get<int>();
        a.guidance = call.value("guidance_scale", 4.0f);
        image_rows(k::decode(p, p.movq, k::text_to_image(p, a, gen, control)), p.movq);
    } else {
        verify::ParityResult r;
        r.check = kind;
        r.note = "unknown Kandinsky pipeline case";
        rows.push_back(r);
    }
}

}  // namespace

std::vector<std::string> kandinsky_pipeline_cases(const std::string& golden_dir) {
    std::vector<std::string> names;
    const std::filesystem::path dir = std::filesystem::path(golden_dir) / "cases";
    if (!std::filesystem::is_directory(dir)) return names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const std::string f = e.path().filename().string();
        if (f.rfind("pipeline_", 0) == 0 && e.path().extension() == ".json") names.push_back(e.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<verify::ParityResult> verify_kandinsky_pipeline_case(const verify::VerifyOptions& o, const std::string& name) {
    std::vector<verify::ParityResult> rows;
    try {
        torch::NoGradGuard no_grad;
        const verify::GoldenCase c = verify::load_case(o.golden_dir, name);
        auto pl = load(o.golden_dir, o);
        run_case(rows, *pl, c, o);
    } catch (const std::exception& e) {
        verify::ParityResult r;
        r.check = name;
        r.note = e.what();
        rows.push_back(r);
    }
    return rows;
}

std::vector<verify::ParityResult> verify_kandinsky_pipelines(const verify::VerifyOptions& o) {
    std::vector<verify::ParityResult> rows;
    for (const auto& name : kandinsky_pipeline_cases(o.golden_dir)) {
        auto r = verify_kandinsky_pipeline_case(o, name);
        rows.insert(rows.end(), r.begin(), r.end());
    }
    return rows;
}

}  // namespace unclip::pipeline
