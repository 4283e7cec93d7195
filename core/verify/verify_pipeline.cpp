// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_pipeline.h"

#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/stages.h"
#include "core/pipeline/unclip_pipeline.h"

#include <torch/torch.h>

#include <filesystem>

namespace unclip::pipeline {
namespace {

struct KarloTolerance {
    double steps = 1e-4;  // prior / decoder stage outputs
    verify::FinalTolerance final;  // output image
};

KarloTolerance tolerance_of(const verify::GoldenCase& c) {
    KarloTolerance t;
    t.steps = c.meta.value("tolerance", nlohmann::json::object()).value("prior_and_decoder_steps_atol", t.steps);
    t.final = verify::final_tolerance(c);
    return t;
}

// "models/unclip-variations (same components)" -> <golden>/models/unclip-variations
std::string model_dir_of(const verify::GoldenCase& c) {
    std::string m = c.meta.at("model_dir").get<std::string>();
    if (auto sp = m.find(' '); sp != std::string::npos) m.resize(sp);
    return c.golden_dir + "/" + m;
}

std::vector<std::vector<int64_t>> draw_shapes(const verify::GoldenCase& c) {
    std::vector<std::vector<int64_t>> out;
    for (const auto& d : c.meta.at("rng_draw_order")) out.push_back(d.at("shape").get<std::vector<int64_t>>());
    return out;
}

// A generator seeded like the case's, advanced past every draw before the first one matching `pred`.
template <typename Pred>
void advance_to(Generator& gen, const std::vector<std::vector<int64_t>>& shapes, Pred pred) {
    for (const auto& s : shapes) {
        if (pred(s)) return;
        gen.skip(s);
    }
}

void add_image_rows(std::vector<verify::ParityResult>& rows, const std::string& label, const torch::Tensor& nchw,
                    const torch::Tensor& expected_nhwc, const KarloTolerance& tol, const verify::VerifyOptions& o) {
    verify::add_final_rows(rows, label, nchw.permute({0, 2, 3, 1}), expected_nhwc, tol.final, o);
}

torch::Tensor golden_image(const verify::GoldenCase& c, const std::string& name) {
    return io::read_png(c.golden_dir + "/cases/" + name + ".png");
}

std::unique_ptr<UnclipPipeline> load(const verify::GoldenCase& c, const verify::VerifyOptions& o) {
    PipelineOptions po;
    po.model_dir = model_dir_of(c);
    po.device = o.device;
    po.dtype = o.dtype;
    return UnclipPipeline::load(po);
}

Sampling sampling_of(const nlohmann::json& call) {
    Sampling s;
    s.seed = call.value("seed", 0ull);
    s.prior_steps = call.value("prior_num_inference_steps", s.prior_steps);
    s.decoder_steps = call.value("decoder_num_inference_steps", s.decoder_steps);
    s.super_res_steps = call.value("super_res_num_inference_steps", s.super_res_steps);
    s.prior_guidance = call.value("prior_guidance_scale", s.prior_guidance);
    s.decoder_guidance = call.value("decoder_guidance_scale", s.decoder_guidance);
    return s;
}

bool is_decoder_draw(const std::vector<int64_t>& s, int64_t decoder_size) {
    return s.size() == 4 && s[3] == decoder_size;
}
bool is_super_res_draw(const std::vector<int64_t>& s, int64_t size) { return s.size() == 4 && s[3] == size; }

// Teacher-forced decoder and super-res stages from the recorded stage inputs.
void stage_rows(std::vector<verify::ParityResult>& rows, const std::string& name, UnclipPipeline& pl,
                const verify::GoldenCase& c, const TextConditioning& text, const torch::Tensor& embeddings,
                const Sampling& s, const verify::VerifyOptions& o, const KarloTolerance& tol,
                const torch::Tensor& decoder_latents = {}, const torch::Tensor& super_res_latents = {}) {
    auto& p = pl.impl();
    const auto shapes = draw_shapes(c);
    const int64_t dsize = p.decoder->config().sample_size, ssize = p.super_res_first->config().sample_size;
    const int64_t batch = embeddings.size(0);
    {
        Generator gen(s.seed);
        if (!decoder_latents.defined()) advance_to(gen, shapes, [&](const auto& sh) { return is_decoder_draw(sh, dsize); });
        DecoderConditioning cond = condition_decoder(p, embeddings.to(p.device(), p.dtype()), text);
        torch::Tensor small = run_decoder(p, cond, batch, s.decoder_steps, s.decoder_guidance, generator_noise(gen), {},
                                          decoder_latents);
        verify::add_result(rows, name + "/decoder.image_small (teacher-forced)", small, c.at("decoder.image_small"),
                           o.atol(tol.steps), o.rtol(0));
    }
    {
        Generator gen(s.seed);
        if (decoder_latents.defined()) {
            // Latents were given: the generator only made the decoder's step noise before super-res.
            for (const auto& sh : shapes)
                if (is_decoder_draw(sh, dsize)) gen.skip(sh);
        } else {
            advance_to(gen, shapes, [&](const auto& sh) { return is_super_res_draw(sh, ssize) && ssize != dsize; });
        }
        torch::Tensor up = upscale_for_super_res(p, c.at("decoder.image_small").to(p.device(), p.dtype()));
        verify::add_result(rows, name + "/super_res.image_upscaled", up, c.at("super_res.image_upscaled"),
                           o.atol(1e-4), o.rtol(1e-4));
        torch::Tensor image = run_super_res(p, up, s.super_res_steps, generator_noise(gen), {}, super_res_latents);
        add_image_rows(rows, name + "/output.image (teacher-forced super-res)", to_output_image(image),
                       c.at("output.image"), tol, o);
    }
}

std::vector<verify::ParityResult> text2img_case(const verify::GoldenCase& c, const verify::VerifyOptions& o) {
    std::vector<verify::ParityResult> rows;
    const KarloTolerance tol = tolerance_of(c);
    auto pl = load(c, o);
    const auto& call = c.meta.at("call");
    TextToImageRequest r;
    r.prompts = call.at("prompt").get<std::vector<std::string>>();
    r.images_per_prompt = call.value("num_images_per_prompt", 1);
    r.sampling = sampling_of(call);
    Result res = pl->text_to_image(r);
    verify::add_result(rows, c.name + "/prior.post_process.out", res.image_embeddings, c.at("prior.post_process.out"),
                       o.atol(tol.steps), o.rtol(0));
    verify::add_result(rows, c.name + "/decoder.image_small", res.decoder_output, c.at("decoder.image_small"),
                       o.atol(tol.steps), o.rtol(0));
    add_image_rows(rows, c.name + "/output.image", res.images, c.at("output.image"), tol, o);

    torch::NoGradGuard no_grad;
    c10::InferenceMode guard;
    const bool cfg = r.sampling.prior_guidance > 1 || r.sampling.decoder_guidance > 1;
    TextConditioning text = encode_text(pl->impl(), r.prompts, r.images_per_prompt, cfg);
    stage_rows(rows, c.name, *pl, c, text, c.at("prior.post_process.out"), r.sampling, o, tol);
    return rows;
}

std::vector<verify::ParityResult> variation_case(const verify::GoldenCase& c, const verify::VerifyOptions& o) {
    std::vector<verify::ParityResult> rows;
    const KarloTolerance tol = tolerance_of(c);
    auto pl = load(c, o);
    const auto& call = c.meta.at("call");
    const Sampling s = sampling_of(call);
    const int n = call.value("num_images_per_prompt", 1);
    torch::Tensor image = golden_image(c, call.at("image").get<std::string>());
    const bool given_latents = c.has("input.decoder_latents");
    if (!given_latents) {
        VariationRequest r;
        r.image = image;
        r.num_images = n;
        r.sampling = s;
        Result res = pl->variations(r);
        verify::add_result(rows, c.name + "/image_encoder.image_embeds", res.image_embeddings.slice(0, 0, 1),
                           c.at("image_encoder.call00.image_embeds"), o.atol(1e-4), o.rtol(1e-4));
        verify::add_result(rows, c.name + "/decoder.image_small", res.decoder_output, c.at("decoder.image_small"),
                           o.atol(tol.steps), o.rtol(0));
        add_image_rows(rows, c.name + "/output.image", res.images, c.at("output.image"), tol, o);
    }
    torch::NoGradGuard no_grad;
    c10::InferenceMode guard;
    auto& p = pl->impl();
    torch::Tensor embeds = encode_images(p, {image}).repeat_interleave(n, 0);
    verify::add_result(rows, c.name + "/image_encoder.image_embeds (batch)", embeds.slice(0, 0, 1),
                       c.at("image_encoder.call00.image_embeds"), o.atol(1e-4), o.rtol(1e-4));
    TextConditioning text = encode_text(p, {""}, n, s.decoder_guidance > 1);
    stage_rows(rows, c.name, *pl, c, text, c.at("image_encoder.call00.image_embeds").repeat_interleave(n, 0), s, o, tol,
               given_latents ? c.at("input.decoder_latents") : torch::Tensor(),
               given_latents ? c.at("input.super_res_latents") : torch::Tensor());
    return rows;
}

std::vector<verify::ParityResult> interpolation_case(const verify::GoldenCase& c, const verify::VerifyOptions& o) {
    std::vector<verify::ParityResult> rows;
    const KarloTolerance tol = tolerance_of(c);
    auto pl = load(c, o);
    const auto& call = c.meta.at("call");
    const auto names = call.at("images").get<std::vector<std::string>>();
    const int64_t steps = call.at("steps").get<int64_t>();
    InterpolationRequest r;
    r.a.image = golden_image(c, names.at(0));
    r.b.image = golden_image(c, names.at(1));
    torch::Tensor lin = torch::linspace(0, 1, steps, torch::kFloat32);
    r.positions.assign(lin.data_ptr<float>(), lin.data_ptr<float>() + steps);
    r.smooth = false;  // the reference (community pipeline) noise
    r.sampling = sampling_of(call);
    Result res = pl->interpolate(r);
    verify::add_result(rows, c.name + "/slerp image_embeddings", res.image_embeddings,
                       c.at("text_proj.call00.in.image_embeddings"), o.atol(1e-4), o.rtol(1e-4));
    verify::add_result(rows, c.name + "/decoder.image_small", res.decoder_output, c.at("decoder.image_small"),
                       o.atol(tol.steps), o.rtol(0));
    add_image_rows(rows, c.name + "/output.image", res.images, c.at("output.image"), tol, o);
    return rows;
}

}  // namespace

std::vector<verify::ParityResult> verify_pipeline_case(const verify::VerifyOptions& opts, const std::string& name) {
    verify::GoldenCase c = verify::load_case(opts.golden_dir, name);
    std::vector<verify::ParityResult> rows;
    if (name.rfind("pipeline_text2img", 0) == 0) rows = text2img_case(c, opts);
    else if (name.rfind("pipeline_variation", 0) == 0) rows = variation_case(c, opts);
    else if (name.rfind("pipeline_image_interpolation", 0) == 0) rows = interpolation_case(c, opts);
    else throw Error("unknown pipeline case '" + name + "'");
    if (opts.dtype != torch::kFloat32) {
        // In half precision the decoder's and super-res's first step (t = 999) multiplies the
        // models' rounding by ~2e4 before the clip, so pixels cannot match a float32 reference
        // (nor does the reference's own float16 run). Report them; judge only the rest.
        for (auto& r : rows) {
            if (r.check.find("decoder.image_small") != std::string::npos || r.check.find("output.image") != std::string::npos) {
                r.skipped = true;
                r.note = "not judged in half precision (t = 999 amplifies rounding ~2e4x)";
            }
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_pipelines(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(opts.golden_dir + "/cases")) {
        const std::string f = e.path().filename().string();
        if (f.rfind("pipeline_", 0) == 0 && e.path().extension() == ".safetensors") names.push_back(e.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        try {
            auto r = verify_pipeline_case(opts, n);
            rows.insert(rows.end(), r.begin(), r.end());
        } catch (const std::exception& e) {
            verify::ParityResult f;
            f.check = n;
            f.note = e.what();
            rows.push_back(f);
        }
    }
    return rows;
}

}  // namespace unclip::pipeline
