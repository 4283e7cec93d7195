// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/stages.h"

#include "core/common/error.h"
#include "core/common/heap_reuse.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/unet/upscale.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace unclip::pipeline {

NoiseSource generator_noise(Generator& gen) {
    return [&gen](torch::IntArrayRef shape) { return gen.randn(shape); };
}

NoiseSource shared_noise(Generator& gen) {
    return [&gen](torch::IntArrayRef shape) {
        std::vector<int64_t> one = shape.vec();
        one.at(0) = 1;
        return gen.randn(one).expand(shape).contiguous();
    };
}

void check_cancel(const RunControl& control) {
    if (control.cancel && control.cancel->cancelled()) throw Cancelled();
}

void report(const RunControl& control, Stage stage, int step, int total,
            const std::function<torch::Tensor()>& preview) {
    if (!control.on_progress) return;
    Progress pr;
    pr.stage = stage;
    pr.step = step;
    pr.total = total;
    if (control.want_previews && preview && (!control.preview_due || control.preview_due(pr))) pr.preview = preview();
    control.on_progress(pr);
}

void check_image(const torch::Tensor& image, const char* what) {
    if (!image.defined() || image.dim() != 3 || image.size(2) != 3 || image.scalar_type() != torch::kUInt8)
        throw RequestError(std::string(what) + " must be an RGB image (uint8 [H, W, 3])");
    if (image.size(0) < 1 || image.size(1) < 1) throw RequestError(std::string(what) + " is empty");
}

void check_sampling(const Sampling& s, bool uses_prior, bool uses_super_res) {
    auto check = [](int steps, const char* what) {
        if (steps < 1 || steps > 1000)
            throw RequestError(std::string(what) + " steps must be between 1 and 1000 (got " + std::to_string(steps) + ")");
    };
    if (uses_prior) check(s.prior_steps, "prior");
    check(s.decoder_steps, "decoder");
    if (uses_super_res) check(s.super_res_steps, "super-resolution");
    if (!(s.prior_guidance >= 0 && s.prior_guidance < 1000) || !(s.decoder_guidance >= 0 && s.decoder_guidance < 1000))
        throw RequestError("guidance scales must be between 0 and 1000");
    if (s.width < 0 || s.height < 0 || s.width > 4096 || s.height > 4096)
        throw RequestError("the picture size must be 0 (the model's) or 1..4096 pixels on each side");
}

torch::Tensor to_output_image(const torch::Tensor& x) {
    return (x.to(torch::kCPU, torch::kFloat32) * 0.5f + 0.5f).clamp(0.0f, 1.0f);
}

namespace {

const text::ClipTokenizer& tokenizer(UnclipPipeline::Impl& p) {
    if (!p.tokenizer) throw ModelError("the model folder has no tokenizer");
    return *p.tokenizer;
}

// Token ids and masks [n, L] for the texts, as the reference tokenizer call gives them.
std::pair<torch::Tensor, torch::Tensor> tokenize(UnclipPipeline::Impl& p, const std::vector<std::string>& texts) {
    const auto& tok = tokenizer(p);
    const int L = tok.max_length();
    torch::Tensor ids = torch::empty({static_cast<int64_t>(texts.size()), L}, torch::kInt64);
    torch::Tensor mask = torch::empty({static_cast<int64_t>(texts.size()), L}, torch::kBool);
    for (size_t i = 0; i < texts.size(); ++i) {
        auto enc = tok.encode(texts[i], L);
        for (int j = 0; j < L; ++j) {
            ids[i][j] = enc.input_ids[j];
            mask[i][j] = enc.attention_mask[j] != 0;
        }
    }
    return {ids, mask};
}

torch::Tensor timestep_tensor(int64_t t, torch::Device device) {
    return torch::tensor(t, torch::TensorOptions().dtype(torch::kInt64).device(device));
}

template <typename M>
void require(const M& module, const char* component) {
    if (!module) throw ModelError(std::string("the loaded model folders have no ") + component);
}

}  // namespace

TextConditioning encode_text(UnclipPipeline::Impl& p, const std::vector<std::string>& prompts, int repeats,
                             bool cfg, const std::string& negative) {
    require(p.text_encoder, "text_encoder");
    auto [ids, mask] = tokenize(p, prompts);
    auto cond = p.text_encoder->forward(ids.to(p.device()));
    TextConditioning out;
    out.cfg = cfg;
    out.prompt_embeds = cond.text_embeds.repeat_interleave(repeats, 0);
    out.hidden_states = cond.last_hidden_state.repeat_interleave(repeats, 0);
    out.mask = mask.to(p.device()).repeat_interleave(repeats, 0);
    if (cfg) {
        auto [uids, umask] = tokenize(p, std::vector<std::string>(prompts.size(), negative));
        auto uncond = p.text_encoder->forward(uids.to(p.device()));
        out.prompt_embeds = torch::cat({uncond.text_embeds.repeat_interleave(repeats, 0), out.prompt_embeds});
        out.hidden_states = torch::cat({uncond.last_hidden_state.repeat_interleave(repeats, 0), out.hidden_states});
        out.mask = torch::cat({umask.to(p.device()).repeat_interleave(repeats, 0), out.mask});
    }
    return out;
}

torch::Tensor encode_images(UnclipPipeline::Impl& p, const std::vector<torch::Tensor>& images) {
    require(p.image_encoder, "image_encoder (variations need Karlo's image-variations folder)");
    if (!p.feature_extractor) throw ModelError("the loaded model folders have no feature_extractor");
    torch::Tensor pixels = models::CLIPImageProcessor(*p.feature_extractor).preprocess(images);
    return p.image_encoder->forward(pixels.to(p.device(), p.dtype())).image_embeds;
}

torch::Tensor run_prior(UnclipPipeline::Impl& p, const TextConditioning& text, int64_t batch, int steps,
                        float guidance, const NoiseSource& noise, const RunControl& control, torch::Tensor latents) {
    HeapReuse heap;
    require(p.prior, "prior (text-to-image needs the karlo-v1-alpha folder)");
    schedulers::UnCLIPScheduler scheduler(*p.prior_scheduler);
    scheduler.set_timesteps(steps);
    const int64_t dim = p.prior->config().resolved_clip_embed_dim();
    if (!latents.defined()) latents = noise({batch, dim});
    latents = latents.to(p.device(), torch::kFloat32);
    const auto& ts = scheduler.timesteps();
    for (size_t i = 0; i < ts.size(); ++i) {
        check_cancel(control);
        const int64_t t = ts[i];
        torch::Tensor input = text.cfg ? torch::cat({latents, latents}) : latents;
        torch::Tensor pred = p.prior->forward(input, timestep_tensor(t, p.device()), text.prompt_embeds,
                                              text.hidden_states, text.mask).to(torch::kFloat32);
        if (text.cfg) {
            auto halves = pred.chunk(2);
            pred = halves[0] + guidance * (halves[1] - halves[0]);
        }
        torch::Tensor n = scheduler.needs_noise(t) ? noise(latents.sizes()) : torch::Tensor();
        latents = scheduler.step_with_noise(pred, t, latents, scheduler.prev_timestep(i), n).prev_sample;
        report(control, Stage::Prior, static_cast<int>(i + 1), static_cast<int>(ts.size()));
    }
    return latents * p.prior->clip_std.to(torch::kFloat32) + p.prior->clip_mean.to(torch::kFloat32);  // post_process_latents, in float32
}

DecoderConditioning condition_decoder(UnclipPipeline::Impl& p, const torch::Tensor& image_embeddings,
                                      const TextConditioning& text) {
    require(p.text_proj, "text_proj");
    auto out = p.text_proj->forward(image_embeddings, text.prompt_embeds, text.hidden_states, text.cfg);
    DecoderConditioning c;
    c.context = out.text_encoder_hidden_states;
    c.class_labels = out.additive_clip_time_embeddings;
    const int64_t k = p.text_proj->config().clip_extra_context_tokens;
    c.mask = torch::cat({torch::ones({text.mask.size(0), k}, text.mask.options()), text.mask}, 1);
    c.cfg = text.cfg;
    return c;
}

torch::Tensor decoder_eps(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x, int64_t t,
                          float guidance) {
    const int64_t channels = p.decoder->config().in_channels;
    torch::Tensor input = cond.cfg ? torch::cat({x, x}) : x;
    torch::Tensor out = p.decoder->forward(input, timestep_tensor(t, p.device()), cond.context, cond.class_labels,
                                           cond.mask).to(torch::kFloat32);
    if (!cond.cfg) return out.slice(1, 0, channels);
    auto halves = out.chunk(2);
    torch::Tensor uncond = halves[0].slice(1, 0, channels);
    return uncond + guidance * (halves[1].slice(1, 0, channels) - uncond);
}

torch::Tensor renoise(const schedulers::UnCLIPScheduler& scheduler, const torch::Tensor& x_prev, int64_t prev_t,
                      int64_t t, const NoiseSource& noise) {
    const float a_t = scheduler.alphas_cumprod()[t].item<float>();
    const float a_prev = prev_t >= 0 ? scheduler.alphas_cumprod()[prev_t].item<float>() : 1.0f;
    const float ratio = a_t / a_prev;
    torch::Tensor n = noise(x_prev.sizes()).to(x_prev.device(), x_prev.scalar_type());
    return std::sqrt(ratio) * x_prev + std::sqrt(std::max(0.0f, 1.0f - ratio)) * n;
}

torch::Tensor run_decoder(UnclipPipeline::Impl& p, const DecoderConditioning& cond, int64_t batch, int steps,
                          float guidance, const NoiseSource& noise, const RunControl& control, torch::Tensor latents,
                          const StepHook& hook, int resample) {
    HeapReuse heap;
    require(p.decoder, "decoder");
    schedulers::UnCLIPScheduler scheduler(*p.decoder_scheduler);
    scheduler.set_timesteps(steps);
    const auto& cfg = p.decoder->config();
    const int64_t channels = cfg.in_channels, size = cfg.sample_size;
    if (size <= 0) throw ModelError("the decoder's config.json has no sample_size");
    if (!latents.defined()) latents = noise({batch, channels, size, size});
    latents = latents.to(p.device(), torch::kFloat32);
    const auto& ts = scheduler.timesteps();
    for (size_t i = 0; i < ts.size(); ++i) {
        const int64_t t = ts[i];
        const int64_t prev_t = scheduler.prev_timestep(i).value_or(t - 1);
        torch::Tensor x_t = latents;
        schedulers::UnCLIPStepOutput step;
        for (int r = 0; r <= (hook ? resample : 0); ++r) {
            check_cancel(control);
            if (r > 0) x_t = renoise(scheduler, latents, prev_t, t, noise);
            torch::Tensor input = cond.cfg ? torch::cat({x_t, x_t}) : x_t;
            torch::Tensor out = p.decoder->forward(input, timestep_tensor(t, p.device()), cond.context,
                                                   cond.class_labels, cond.mask).to(torch::kFloat32);
            if (cond.cfg) {
                auto halves = out.chunk(2);
                torch::Tensor uncond = halves[0].slice(1, 0, channels);
                torch::Tensor text = halves[1].slice(1, 0, channels);
                torch::Tensor variance = halves[1].slice(1, channels);
                out = torch::cat({uncond + guidance * (text - uncond), variance}, 1);
            }
            torch::Tensor n = scheduler.needs_noise(t) ? noise(x_t.sizes()) : torch::Tensor();
            step = scheduler.step_with_noise(out, t, x_t, scheduler.prev_timestep(i), n);
            latents = step.prev_sample;
            if (hook) latents = hook(latents, i, prev_t);
        }
        report(control, Stage::Decoder, static_cast<int>(i + 1), static_cast<int>(ts.size()),
               [&] { return to_output_image(step.pred_original_sample); });
    }
    return latents.clamp(-1.0f, 1.0f);
}

torch::Tensor upscale_for_super_res(UnclipPipeline::Impl& p, const torch::Tensor& image_small) {
    require(p.super_res_first, "super_res_first");
    const int64_t size = p.super_res_first->config().sample_size;
    return models::upscale_bicubic_antialias(image_small, size, size);
}

torch::Tensor run_super_res(UnclipPipeline::Impl& p, const torch::Tensor& image_upscaled, int steps,
                            const NoiseSource& noise, const RunControl& control, torch::Tensor latents,
                            const StepHook& hook, int resample) {
    HeapReuse heap;
    require(p.super_res_first, "super_res_first");
    schedulers::UnCLIPScheduler scheduler(*p.super_res_scheduler);
    scheduler.set_timesteps(steps);
    const auto& cfg = p.super_res_first->config();
    const int64_t channels = cfg.in_channels / 2;
    if (!latents.defined())
        latents = noise({image_upscaled.size(0), channels, image_upscaled.size(2), image_upscaled.size(3)});
    latents = latents.to(p.device(), torch::kFloat32);
    torch::Tensor upscaled = image_upscaled.to(p.device(), torch::kFloat32);
    const auto& ts = scheduler.timesteps();
    for (size_t i = 0; i < ts.size(); ++i) {
        const int64_t t = ts[i];
        const int64_t prev_t = scheduler.prev_timestep(i).value_or(t - 1);
        const bool last = i + 1 == ts.size();
        models::UNet2DModel& unet = (last && p.super_res_last) ? p.super_res_last : p.super_res_first;
        torch::Tensor x_t = latents;
        schedulers::UnCLIPStepOutput step;
        for (int r = 0; r <= (hook ? resample : 0); ++r) {
            check_cancel(control);
            if (r > 0) x_t = renoise(scheduler, latents, prev_t, t, noise);
            torch::Tensor out = unet->forward(torch::cat({x_t, upscaled}, 1), timestep_tensor(t, p.device())).to(torch::kFloat32);
            torch::Tensor n = scheduler.needs_noise(t) ? noise(x_t.sizes()) : torch::Tensor();
            step = scheduler.step_with_noise(out, t, x_t, scheduler.prev_timestep(i), n);
            latents = step.prev_sample;
            if (hook) latents = hook(latents, i, prev_t);
        }
        report(control, Stage::SuperRes, static_cast<int>(i + 1), static_cast<int>(ts.size()),
               [&] { return to_output_image(step.pred_original_sample); });
    }
    return latents;
}

}  // namespace unclip::pipeline
