// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/kandinsky/kandinsky_stages.h"

#include "core/common/error.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/pipeline/kandinsky/image_prep.h"
#include "core/pipeline/stages.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace unclip::pipeline::kandinsky {

OnDevice::OnDevice(Impl& p, torch::nn::Module& module) : p_(p), module_(module) {
    if (p_.options.sequential_offload) module_.to(p_.device());
}

OnDevice::~OnDevice() {
    if (p_.options.sequential_offload) module_.to(torch::kCPU);
}

int64_t latent_side(int64_t pixels, int64_t f) {
    const int64_t f2 = f * f;
    return (pixels + f2 - 1) / f2 * f;
}

int64_t output_side(int64_t pixels, int64_t f) { return latent_side(pixels, f) * f; }

int64_t default_side(int64_t sample_size, int64_t f) { return (sample_size > 0 ? sample_size : 64) * f; }

namespace {

template <typename M>
void require(const M& module, const char* what) {
    if (!module) throw ModelError(std::string("the loaded Kandinsky 2.2 folders have no ") + what);
}

torch::Tensor timestep(int64_t t, torch::Device device) {
    return torch::tensor(t, torch::TensorOptions().dtype(torch::kInt64).device(device));
}

// The decoder's CFG batch: [negative; positive] (negative first), or the positive rows alone.
torch::Tensor cfg_embeds(Impl& p, const DecoderArgs& a, bool cfg) {
    torch::Tensor pos = a.image_embeds.to(p.device(), p.dtype());
    if (!cfg) return pos;
    return torch::cat({a.negative_image_embeds.to(p.device(), p.dtype()), pos});
}

// One step's noise prediction: the UNet on [latents (+ extra inputs)] with CFG over the first
// `channels` output channels (the rest is the learned variance the DDPM config does not use).
torch::Tensor predict_noise(Impl& p, models::UNet2DConditionModel& unet, const torch::Tensor& latents,
                            const torch::Tensor& extra, const torch::Tensor& embeds, int64_t t, float guidance, bool cfg) {
    const int64_t channels = latents.size(1);
    torch::Tensor input = cfg ? torch::cat({latents, latents}) : latents;
    if (extra.defined()) input = torch::cat({input, extra}, 1);
    torch::Tensor out = unet->forward(input.to(p.dtype()), timestep(t, p.device()), {}, {}, {}, embeds).to(torch::kFloat32);
    torch::Tensor eps = out.slice(1, 0, channels);
    if (!cfg) return eps;
    auto halves = eps.chunk(2);
    return halves[0] + guidance * (halves[1] - halves[0]);
}

void check_args(const DecoderArgs& a) {
    if (!a.image_embeds.defined() || a.image_embeds.dim() != 2) throw RequestError("image embeddings must be [N, E]");
    if (a.guidance > 1.0f && (!a.negative_image_embeds.defined() || !a.negative_image_embeds.sizes().equals(a.image_embeds.sizes())))
        throw RequestError("guidance needs negative image embeddings of the same shape as the image embeddings");
    if (a.steps < 1 || a.steps > 1000) throw RequestError("decoder steps must be between 1 and 1000");
    if (a.height < 1 || a.width < 1 || a.height > 4096 || a.width > 4096)
        throw RequestError("the picture size must be 1..4096 pixels on each side (got " + std::to_string(a.width) + "x" +
                           std::to_string(a.height) + ")");
}

// Step previews are MoVQ pictures of the predicted clean latents. A full-size MoVQ decode costs
// about as much as a UNet step, so previews are drawn from latents shrunk to at most
// kPreviewLatentSide a side, and only while they take at most a fifth of the loop's time: the
// editor asks for one every step, and a preview must never make a run noticeably slower.
constexpr int64_t kPreviewLatentSide = 32;
class PreviewBudget {
public:
    PreviewBudget(Impl& p, models::VQModel& movq) : p_(p), movq_(movq), start_(Clock::now()) {}
    // The preview callback for this step, or none when the budget is spent.
    std::function<torch::Tensor()> at(const torch::Tensor& x0) {
        const double elapsed = seconds(Clock::now() - start_);
        if (spent_ > 0.2 * elapsed) return {};
        return [this, x0] {
            const auto t0 = Clock::now();
            torch::Tensor z = x0;
            const int64_t longest = std::max(z.size(2), z.size(3));
            if (longest > kPreviewLatentSide) {
                namespace F = torch::nn::functional;
                const double s = double(kPreviewLatentSide) / double(longest);
                const std::vector<int64_t> size{std::max<int64_t>(1, int64_t(z.size(2) * s)), std::max<int64_t>(1, int64_t(z.size(3) * s))};
                z = F::interpolate(z, F::InterpolateFuncOptions().size(size).mode(torch::kArea));
            }
            torch::Tensor picture = decode(p_, movq_, z.slice(0, 0, 1));
            spent_ += seconds(Clock::now() - t0);
            return picture;
        };
    }

private:
    using Clock = std::chrono::steady_clock;
    static double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
    Impl& p_;
    models::VQModel& movq_;
    Clock::time_point start_;
    double spent_ = 0;
};

}  // namespace

torch::Tensor zero_image_embeds(Impl& p, int64_t n) {
    require(p.image_encoder, "image_encoder (kandinsky-2-2-prior folder)");
    OnDevice on(p, *p.image_encoder);
    const int64_t s = p.image_encoder->config.image_size;
    torch::Tensor zeros = torch::zeros({1, 3, s, s}, torch::TensorOptions().device(p.device()).dtype(p.dtype()));
    return p.image_encoder->forward(zeros).image_embeds.to(torch::kFloat32).repeat({n, 1});
}

torch::Tensor image_embeds(Impl& p, const std::vector<torch::Tensor>& images) {
    require(p.image_encoder, "image_encoder (kandinsky-2-2-prior folder)");
    if (!p.feature_extractor) throw ModelError("the Kandinsky 2.2 prior folder has no image_processor");
    OnDevice on(p, *p.image_encoder);
    torch::Tensor pixels = models::CLIPImageProcessor(*p.feature_extractor).preprocess(images);
    return p.image_encoder->forward(pixels.to(p.device(), p.dtype())).image_embeds.to(torch::kFloat32);
}

PriorOutput run_prior(Impl& p, const std::vector<std::string>& prompts, const std::string* negative_prompt,
                      int n, int steps, float guidance, Generator& gen, const RunControl& control) {
    require(p.prior, "prior (kandinsky-2-2-prior folder)");
    require(p.text_encoder, "text_encoder (kandinsky-2-2-prior folder)");
    if (!p.prior_scheduler) throw ModelError("the Kandinsky 2.2 prior folder has no scheduler");
    if (prompts.empty()) throw RequestError("no prompt given");
    if (n < 1) throw RequestError("images per prompt must be at least 1");
    const bool cfg = guidance > 1.0f;
    // A negative prompt runs as extra rows of the batch (its own sample becomes the negative embeds).
    std::vector<std::string> rows = prompts;
    if (negative_prompt) rows.insert(rows.end(), prompts.size(), *negative_prompt);
    TextConditioning text;
    {
        OnDevice on(p, *p.text_encoder);
        text = encode_text(p, rows, n, cfg, negative_prompt ? *negative_prompt : std::string());
    }
    torch::Tensor latents;
    {
        OnDevice on(p, *p.prior);
        const int64_t batch = static_cast<int64_t>(rows.size()) * n;
        latents = pipeline::run_prior(p, text, batch, steps, guidance, generator_noise(gen), control).to(torch::kFloat32);
    }
    PriorOutput out;
    if (negative_prompt) {
        auto halves = latents.chunk(2);
        out.image_embeds = halves[0];
        out.negative_image_embeds = halves[1];
    } else {
        out.image_embeds = latents;
        out.negative_image_embeds = zero_image_embeds(p, latents.size(0));
    }
    return out;
}

PriorOutput interpolate(Impl& p, const std::vector<MixItem>& items, int n, int steps, float guidance, Generator& gen,
                        const RunControl& control, const std::string& negative_prompt) {
    if (items.empty()) throw RequestError("interpolation needs at least one picture or text");
    torch::Tensor mix;
    for (const auto& item : items) {
        torch::Tensor e = item.image.defined()
                              ? image_embeds(p, {item.image}).repeat({n, 1})
                              : run_prior(p, {item.text}, nullptr, n, steps, guidance, gen, control).image_embeds;
        e = e * item.weight;
        mix = mix.defined() ? mix + e : e;
    }
    // The reference runs the prior on the negative prompt here: its sample is discarded, its draws are not.
    PriorOutput neg = run_prior(p, {negative_prompt}, nullptr, n, steps, guidance, gen, control);
    PriorOutput out;
    out.image_embeds = mix;
    out.negative_image_embeds = negative_prompt.empty() ? neg.negative_image_embeds : neg.image_embeds;
    return out;
}

namespace {

struct Loop {
    models::UNet2DConditionModel unet;
    models::VQModel movq;
    const schedulers::DDPMSchedulerConfig* scheduler;
    const char* what;
};

Loop decoder_loop(Impl& p) {
    require(p.unet, "decoder UNet (kandinsky-2-2-decoder folder)");
    require(p.movq, "MoVQ (kandinsky-2-2-decoder folder)");
    if (!p.unet_scheduler) throw ModelError("the Kandinsky 2.2 decoder folder has no scheduler");
    return {p.unet, p.movq, &*p.unet_scheduler, "decoder"};
}

// The DDPM loop shared by the decoders: `timesteps` of `scheduler` from `latents`; `extra` is
// concatenated to the UNet input (inpainting), `after_step` may replace the new latents.
torch::Tensor ddpm_loop(Impl& p, Loop& loop, schedulers::DDPMScheduler& scheduler, const std::vector<int64_t>& timesteps,
                        torch::Tensor latents, const torch::Tensor& extra, const torch::Tensor& embeds, float guidance,
                        bool cfg, const NoiseSource& noise, const RunControl& control,
                        const std::function<torch::Tensor(const torch::Tensor&, size_t)>& after_step = {}) {
    OnDevice on(p, *loop.unet);
    PreviewBudget previews(p, loop.movq);
    for (size_t i = 0; i < timesteps.size(); ++i) {
        check_cancel(control);
        const int64_t t = timesteps[i];
        torch::Tensor eps = predict_noise(p, loop.unet, latents, extra, embeds, t, guidance, cfg);
        // The reference's step draws randn(sample.shape) whenever t > 0 (every step of its schedule).
        torch::Tensor n = t > 0 ? noise(latents.sizes()) : torch::Tensor();
        auto step = scheduler.step_with_noise(eps, t, latents, n);
        latents = step.prev_sample;
        if (after_step) latents = after_step(latents, i);
        report(control, Stage::Decoder, static_cast<int>(i + 1), static_cast<int>(timesteps.size()),
               control.want_previews ? previews.at(step.pred_original_sample) : std::function<torch::Tensor()>());
    }
    return latents;
}

}  // namespace

torch::Tensor text_to_image(Impl& p, const DecoderArgs& a, Generator& gen, const RunControl& control, torch::Tensor latents,
                            const NoiseSource& step_noise) {
    check_args(a);
    Loop loop = decoder_loop(p);
    const bool cfg = a.guidance > 1.0f;
    const int64_t f = loop.movq->config().scale_factor();
    const int64_t channels = loop.movq->config().latent_channels;
    schedulers::DDPMScheduler scheduler(*loop.scheduler);
    scheduler.set_timesteps(a.steps);
    const int64_t n = a.image_embeds.size(0);
    if (!latents.defined()) latents = gen.randn({n, channels, latent_side(a.height, f), latent_side(a.width, f)});
    latents = latents.to(p.device(), torch::kFloat32);
    return ddpm_loop(p, loop, scheduler, scheduler.timesteps(), latents, {}, cfg_embeds(p, a, cfg), a.guidance, cfg,
                     step_noise ? step_noise : generator_noise(gen), control);
}

torch::Tensor image_to_image(Impl& p, const DecoderArgs& a, const torch::Tensor& image, float strength, Generator& gen,
                             const RunControl& control) {
    check_args(a);
    check_image(image, "the input picture");
    if (!(strength > 0.0f && strength <= 1.0f)) throw RequestError("img2img strength must lie in (0, 1]");
    Loop loop = decoder_loop(p);
    const bool cfg = a.guidance > 1.0f;
    schedulers::DDPMScheduler scheduler(*loop.scheduler);
    scheduler.set_timesteps(a.steps);
    const int64_t total = static_cast<int64_t>(scheduler.timesteps().size());
    const int64_t kept = std::min<int64_t>(static_cast<int64_t>(a.steps * strength), total);
    if (kept < 1)
        throw RequestError("strength " + std::to_string(strength) + " of " + std::to_string(a.steps) +
                           " steps leaves no step to run: raise the strength or the steps");
    std::vector<int64_t> timesteps(scheduler.timesteps().end() - kept, scheduler.timesteps().end());
    torch::Tensor x0;
    {
        OnDevice on(p, *loop.movq);
        x0 = loop.movq->encode(prepare_image(image, a.width, a.height).to(p.device(), p.dtype())).to(torch::kFloat32);
    }
    x0 = x0.repeat_interleave(a.image_embeds.size(0) / x0.size(0), 0);
    torch::Tensor noise = gen.randn(x0.sizes()).to(x0.device());
    torch::Tensor latents = scheduler.add_noise(x0, noise, timesteps.front());
    return ddpm_loop(p, loop, scheduler, timesteps, latents, {}, cfg_embeds(p, a, cfg), a.guidance, cfg,
                     generator_noise(gen), control);
}

torch::Tensor inpaint(Impl& p, const DecoderArgs& a, const torch::Tensor& image, const torch::Tensor& mask, Generator& gen,
                      const RunControl& control) {
    check_args(a);
    check_image(image, "the picture to inpaint");
    require(p.inpaint_unet, "inpainting UNet (kandinsky-2-2-decoder-inpaint folder)");
    require(p.inpaint_movq, "MoVQ (kandinsky-2-2-decoder-inpaint folder)");
    if (!p.inpaint_scheduler) throw ModelError("the Kandinsky 2.2 inpainting folder has no scheduler");
    if (!mask.defined() || mask.dim() != 2 || mask.size(0) != a.height || mask.size(1) != a.width)
        throw RequestError("the inpainting mask must be [height, width] = [" + std::to_string(a.height) + ", " +
                           std::to_string(a.width) + "]");
    Loop loop{p.inpaint_unet, p.inpaint_movq, &*p.inpaint_scheduler, "inpaint"};
    const bool cfg = a.guidance > 1.0f;
    const int64_t n = a.image_embeds.size(0);
    torch::Tensor image_latents;
    {
        OnDevice on(p, *loop.movq);
        image_latents =
            loop.movq->encode(prepare_image(image, a.width, a.height).to(p.device(), p.dtype())).to(torch::kFloat32);
    }
    const int64_t h = image_latents.size(2), w = image_latents.size(3);
    torch::Tensor keep = erode_keep_mask(keep_mask_latent_nearest(keep_mask(mask.to(torch::kCPU, torch::kFloat32)), h, w))
                             .to(p.device(), torch::kFloat32);
    torch::Tensor masked = image_latents * keep;
    torch::Tensor keep_n = keep.repeat_interleave(n, 0), masked_n = masked.repeat_interleave(n, 0);
    torch::Tensor extra = cfg ? torch::cat({torch::cat({masked_n, masked_n}), torch::cat({keep_n, keep_n})}, 1)
                              : torch::cat({masked_n, keep_n}, 1);
    extra = extra.to(p.dtype());
    const int64_t f = loop.movq->config().scale_factor();
    schedulers::DDPMScheduler scheduler(*loop.scheduler);
    scheduler.set_timesteps(a.steps);
    const auto& ts = scheduler.timesteps();
    torch::Tensor latents =
        gen.randn({n, image_latents.size(1), latent_side(a.height, f), latent_side(a.width, f)}).to(p.device());
    if (latents.size(2) != h || latents.size(3) != w)
        throw RequestError("inpainting needs a size that is a multiple of " + std::to_string(f * f) + " pixels (got " +
                           std::to_string(a.width) + "x" + std::to_string(a.height) + ")");
    const torch::Tensor first_noise = latents.clone();
    const torch::Tensor known = image_latents.slice(0, 0, 1);
    const torch::Tensor keep1 = keep.slice(0, 0, 1);
    // The known region follows the picture's own latents noised to the next step (the first row's
    // noise and picture, as the reference), and is exact at the end.
    auto blend = [&](const torch::Tensor& x, size_t i) {
        torch::Tensor proper = i + 1 < ts.size() ? scheduler.add_noise(known, first_noise.slice(0, 0, 1), ts[i + 1]) : known;
        return keep1 * proper + (1 - keep1) * x;
    };
    latents = ddpm_loop(p, loop, scheduler, ts, latents, extra, cfg_embeds(p, a, cfg), a.guidance, cfg,
                        generator_noise(gen), control, blend);
    return keep1 * known + (1 - keep1) * latents;
}

torch::Tensor encode_picture(Impl& p, const torch::Tensor& image, int64_t width, int64_t height) {
    check_image(image, "the input picture");
    Loop loop = decoder_loop(p);
    OnDevice on(p, *loop.movq);
    return loop.movq->encode(prepare_image(image, width, height).to(p.device(), p.dtype())).to(torch::kFloat32);
}

namespace {

// DDIM's deterministic move of x from noise level a (alphas_cumprod at t_from; 1 = clean) to t_to.
torch::Tensor ddim_move(const torch::Tensor& x, const torch::Tensor& eps, float a_from, float a_to) {
    torch::Tensor x0 = (x - std::sqrt(1.0f - a_from) * eps) / std::sqrt(a_from);
    return std::sqrt(a_to) * x0 + std::sqrt(1.0f - a_to) * eps;
}

float alpha_cumprod(const schedulers::DDPMScheduler& s, int64_t t) {
    return t < 0 ? 1.0f : s.alphas_cumprod()[t].item<float>();
}

}  // namespace

torch::Tensor ddim_invert(Impl& p, const DecoderArgs& a, const torch::Tensor& x0, const RunControl& control) {
    check_args(a);
    Loop loop = decoder_loop(p);
    const bool cfg = a.guidance > 1.0f;
    schedulers::DDPMScheduler scheduler(*loop.scheduler);
    scheduler.set_timesteps(a.steps);
    std::vector<int64_t> ts(scheduler.timesteps().rbegin(), scheduler.timesteps().rend());  // ascending
    const torch::Tensor embeds = cfg_embeds(p, a, cfg);
    OnDevice on(p, *loop.unet);
    torch::Tensor x = x0.to(p.device(), torch::kFloat32);
    int64_t t = -1;  // the clean latents
    for (size_t i = 0; i < ts.size(); ++i) {
        check_cancel(control);
        torch::Tensor eps = predict_noise(p, loop.unet, x, {}, embeds, std::max(t, ts.front()), a.guidance, cfg);
        x = ddim_move(x, eps, alpha_cumprod(scheduler, t), alpha_cumprod(scheduler, ts[i]));
        t = ts[i];
        report(control, Stage::Invert, static_cast<int>(i + 1), static_cast<int>(ts.size()));
    }
    return x;
}

torch::Tensor ddim_decode(Impl& p, const DecoderArgs& a, const torch::Tensor& x_t, const RunControl& control) {
    check_args(a);
    Loop loop = decoder_loop(p);
    const bool cfg = a.guidance > 1.0f;
    schedulers::DDPMScheduler scheduler(*loop.scheduler);
    scheduler.set_timesteps(a.steps);
    const auto& ts = scheduler.timesteps();
    const torch::Tensor embeds = cfg_embeds(p, a, cfg);
    OnDevice on(p, *loop.unet);
    torch::Tensor x = x_t.to(p.device(), torch::kFloat32);
    for (size_t i = 0; i < ts.size(); ++i) {
        check_cancel(control);
        const int64_t prev = i + 1 < ts.size() ? ts[i + 1] : -1;
        torch::Tensor eps = predict_noise(p, loop.unet, x, {}, embeds, ts[i], a.guidance, cfg);
        x = ddim_move(x, eps, alpha_cumprod(scheduler, ts[i]), alpha_cumprod(scheduler, prev));
        report(control, Stage::Decoder, static_cast<int>(i + 1), static_cast<int>(ts.size()));
    }
    return x;
}

torch::Tensor decode(Impl& p, models::VQModel& movq, const torch::Tensor& latents) {
    OnDevice on(p, *movq);
    torch::Tensor x = movq->decode(latents.to(p.device(), p.dtype()), true);
    return (x.to(torch::kCPU, torch::kFloat32) * 0.5f + 0.5f).clamp(0.0f, 1.0f);
}

}  // namespace unclip::pipeline::kandinsky
