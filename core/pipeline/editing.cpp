// SPDX-License-Identifier: GPL-3.0-or-later
// The editing capabilities of UnclipPipeline: text diffs and inpainting / outpainting.
#include "core/common/error.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/pipeline/frame.h"
#include "core/pipeline/kandinsky/kandinsky_modes.h"
#include "core/pipeline/inversion.h"
#include "core/pipeline/slerp.h"
#include "core/pipeline/stages.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/schedulers/unclip_scheduler.h"

#include <torch/torch.h>

#include <cmath>

namespace unclip::pipeline {
namespace {

// The inpainting composite's weights: a binary [H, W] mask softened inward over `radius` pixels
// (a truncated Gaussian blur whose outer half is pulled inside), so the generated region fades into
// the original at the mask's edge while every pixel outside the mask keeps the input exactly.
torch::Tensor feather_mask(const torch::Tensor& mask, float radius) {
    if (radius <= 0.0f) return mask;
    const float sigma = radius / 3.0f;
    const int64_t r = static_cast<int64_t>(std::ceil(radius));
    torch::Tensor x = torch::arange(-r, r + 1, torch::kFloat32);
    torch::Tensor k = torch::exp(-(x * x) / (2 * sigma * sigma));
    k = k / k.sum();
    torch::Tensor m = mask.unsqueeze(0).unsqueeze(0);
    namespace F = torch::nn::functional;
    m = F::pad(m, F::PadFuncOptions({r, r, r, r}).mode(torch::kReplicate));
    m = F::conv2d(m, k.view({1, 1, 1, -1}));
    m = F::conv2d(m, k.view({1, 1, -1, 1}));
    torch::Tensor blurred = m.squeeze(0).squeeze(0);
    torch::Tensor inward = ((blurred - 0.5f) * 2.0f).clamp(0.0f, 1.0f);
    // Exact ones deep inside (float rounding would leave 1 - 1e-7), exact zeros outside the mask.
    inward = torch::where(inward > 1 - 1e-6f, torch::ones_like(inward), inward);
    return torch::minimum(inward, mask);
}

// [H, W] float mask -> [1, 1, size, size] binary (any coverage counts as "regenerate").
torch::Tensor mask_to_model(const torch::Tensor& mask, int64_t size) {
    namespace F = torch::nn::functional;
    torch::Tensor m = F::adaptive_max_pool2d(mask.unsqueeze(0).unsqueeze(0), F::AdaptiveMaxPool2dFuncOptions({size, size}));
    return (m > 0.0f).to(torch::kFloat32);
}

// float [N, 3, s, s] in [0, 1] -> [N, 3, H, W] (bicubic; antialiased when shrinking).
torch::Tensor resize_output(const torch::Tensor& x, int64_t h, int64_t w) {
    if (x.size(2) == h && x.size(3) == w) return x;
    namespace F = torch::nn::functional;
    const bool shrink = h < x.size(2) || w < x.size(3);
    auto opts = F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBicubic).align_corners(false);
#if TORCH_VERSION_MAJOR >= 2 || (TORCH_VERSION_MAJOR == 1 && TORCH_VERSION_MINOR >= 11)
    opts.antialias(shrink);
#endif
    return F::interpolate(x, opts).clamp(0.0f, 1.0f);
}

// Karlo's inpainting of a frame's crop: decoder and super-res with the known region replaced at
// every step. Returns the model-sized pictures in [0, 1].
torch::Tensor karlo_inpaint_crop(UnclipPipeline::Impl& p, const InpaintRequest& r, const torch::Tensor& image,
                                 const torch::Tensor& mask, const RunControl& control, torch::Tensor& embeddings,
                                 torch::Tensor& small) {
    const bool use_prompt = !r.prompt.empty();
    const auto& s = r.sampling;
    const int64_t n = r.num_images;
    Generator gen(s.seed);
    NoiseSource noise = generator_noise(gen);

    // Conditioning: the prompt through the prior, else the input's own image embedding.
    TextConditioning text;
    if (use_prompt) {
        const bool cfg = s.prior_guidance > 1.0f || s.decoder_guidance > 1.0f;
        text = encode_text(p, {r.prompt}, static_cast<int>(n), cfg);
        embeddings = run_prior(p, text, n, s.prior_steps, s.prior_guidance, noise, control);
    } else {
        text = encode_text(p, {""}, static_cast<int>(n), s.decoder_guidance > 1.0f);
        embeddings = encode_images(p, {image}).repeat_interleave(n, 0);
    }
    DecoderConditioning cond = condition_decoder(p, embeddings, text);

    // Known region, replaced at every step by the original noised to that step (and kept exactly at the end).
    auto known_hook = [&](const torch::Tensor& x0, const torch::Tensor& keep, const schedulers::UnCLIPSchedulerConfig& cfg,
                          int steps) {
        auto sched = std::make_shared<schedulers::UnCLIPScheduler>(cfg);
        sched->set_timesteps(steps);
        return StepHook([&, x0, keep, sched](const torch::Tensor& sample, size_t, int64_t prev_t) {
            torch::Tensor known = x0.expand_as(sample);
            if (prev_t >= 0)
                known = sched->add_noise(known, noise(sample.sizes()).to(sample.device(), sample.scalar_type()), prev_t);
            return sample * (1 - keep) + known * keep;
        });
    };
    const int64_t dsize = p.decoder->config().sample_size;
    torch::Tensor x0_small = image_to_model(image, dsize).to(p.device(), torch::kFloat32);
    torch::Tensor keep_small = (1 - mask_to_model(mask, dsize)).to(p.device(), torch::kFloat32);
    small = run_decoder(p, cond, n, s.decoder_steps, s.decoder_guidance, noise, control, {},
                                      known_hook(x0_small, keep_small, *p.decoder_scheduler, s.decoder_steps),
                                      r.resample_jumps);
    const int64_t size = p.super_res_first->config().sample_size;
    torch::Tensor x0_big = image_to_model(image, size).to(p.device(), torch::kFloat32);
    torch::Tensor keep_big = (1 - mask_to_model(mask, size)).to(p.device(), torch::kFloat32);
    torch::Tensor big = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, noise, control, {},
                                      known_hook(x0_big, keep_big, *p.super_res_scheduler, s.super_res_steps),
                                      r.resample_jumps);

    return to_output_image(big);
}

// The frame's result: the generated pictures (already at the frame's size) composited so pixels
// outside the (feathered) mask are the input's exactly, with the recipe.
Result composite_result(UnclipPipeline::Impl& p, const InpaintRequest& r, const Frame& frame, const torch::Tensor& image,
                                        const torch::Tensor& mask, const torch::Tensor& generated,
                                        const torch::Tensor& embeddings, const torch::Tensor& small, int64_t model_size) {
    const auto& s = r.sampling;
    // Back to the frame's size, composited so pixels outside the (feathered) mask are the input's exactly.
    torch::Tensor original = image.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32) / 255.0f;
    torch::Tensor m = feather_mask((mask > 0.0f).to(torch::kFloat32), r.feather).unsqueeze(0).unsqueeze(0);
    torch::Tensor out = torch::where(m > 0.0f, original * (1 - m) + generated * m, original.expand_as(generated));
    Result result;
    result.images = out.contiguous();
    if (small.defined()) result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    result.image_embeddings = embeddings.to(torch::kCPU, torch::kFloat32);
    result.frame = frame;
    result.frame_scale = frame_scale(frame, model_size);
    result.recipe = {{"mode", mode_name(Mode::Inpaint)},
                     {"prompt", r.prompt},
                     {"feather", r.feather},
                     {"resample_jumps", r.resample_jumps},
                     {"num_images", r.num_images},
                     {"frame", {frame.x, frame.y, frame.width, frame.height}},
                     {"frame_auto", !r.frame.has_value()},
                     {"context", r.context},
                     {"sampling", to_json(s)},
                     {"model", p.model_id.name},
                     {"model_hash", p.model_id.hash},
                     {"family", family_name(p.family)}};
    return result;
}

}  // namespace

Result UnclipPipeline::text_diff(const TextDiffRequest& r, const RunControl& control) {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::text_diff(*impl_, r, control);
    if (const std::string missing = missing_for(r); !missing.empty())
        throw ModelError("text diff needs components the loaded model folders lack: " + missing);
    check_image(r.image, "the input image");
    if (r.target.empty()) throw RequestError("text diff needs a target description");
    if (!(r.theta >= 0.0f && r.theta <= 1.0f)) throw RequestError("text diff angle must lie in [0, 1]");
    if (r.sampling.decoder_steps < 1 || r.sampling.super_res_steps < 1) throw RequestError("steps must be at least 1");
    c10::InferenceMode guard;
    Impl& p = *impl_;
    const auto& s = r.sampling;
    const bool cfg = s.decoder_guidance > 1.0f;
    torch::Tensor e_img = encode_images(p, {r.image});
    TextConditioning texts = encode_text(p, {r.description, r.target}, 1, false);
    torch::Tensor t = texts.prompt_embeds.to(torch::kFloat32);
    t = t / t.norm(2, -1, true);
    torch::Tensor diff = t[1] - t[0];
    if (diff.norm().item<float>() < 1e-6f) throw RequestError("the description and the target give the same text embedding");
    diff = diff / diff.norm();
    // DALL-E 2's text diff: slerp from the image embedding toward the normalised text difference.
    torch::Tensor e_new = r.theta == 0.0f
                              ? e_img
                              : slerp(e_img.to(torch::kCPU), (diff * e_img.to(torch::kFloat32).norm()).to(torch::kCPU),
                                      torch::tensor({r.theta}))
                                    .to(p.device(), p.dtype());
    TextConditioning empty = encode_text(p, {""}, 1, cfg);
    DecoderConditioning cond_in = condition_decoder(p, e_img, empty);
    DecoderConditioning cond_out = condition_decoder(p, e_new, empty);
    torch::Tensor x0 = image_to_model(r.image, p.decoder->config().sample_size);
    torch::Tensor x_t = ddim_invert(p, cond_in, x0, s.decoder_steps, s.decoder_guidance, control);
    torch::Tensor small = ddim_decode(p, cond_out, x_t, s.decoder_steps, s.decoder_guidance, control);
    Generator gen(s.seed);
    torch::Tensor image = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, generator_noise(gen), control);
    Result result;
    result.images = to_output_image(image);
    result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    result.image_embeddings = e_new.to(torch::kCPU, torch::kFloat32);
    result.recipe = {{"mode", mode_name(Mode::TextDiff)},
                     {"description", r.description},
                     {"target", r.target},
                     {"theta", r.theta},
                     {"sampling", to_json(s)},
                     {"model", p.model_id.name},
                     {"model_hash", p.model_id.hash},
                     {"family", family_name(p.family)}};
    return result;
}

Result UnclipPipeline::inpaint(const InpaintRequest& r, const RunControl& control) {
    if (const std::string missing = missing_for(r); !missing.empty())
        throw ModelError((r.prompt.empty() ? "inpainting without a prompt (from the picture's own embedding)"
                                           : "inpainting from a prompt") +
                         std::string(" needs components the loaded model folders lack: ") + missing);
    check_image(r.image, "the image to inpaint");
    if (!r.mask.defined() || r.mask.dim() != 2)
        throw RequestError("the inpainting mask must be a single-channel [H, W] image");
    if (r.mask.size(0) != r.image.size(0) || r.mask.size(1) != r.image.size(1))
        throw RequestError("the mask is " + std::to_string(r.mask.size(1)) + "x" + std::to_string(r.mask.size(0)) +
                           " but the image is " + std::to_string(r.image.size(1)) + "x" + std::to_string(r.image.size(0)) +
                           ": resize the mask to the image first");
    if (r.num_images < 1 || r.num_images > 16) throw RequestError("number of inpainting results must be 1..16");
    if (r.resample_jumps < 0 || r.resample_jumps > 20) throw RequestError("resampling jumps must be 0..20");
    if (!(r.feather >= 0.0f && r.feather <= 512.0f)) throw RequestError("feather radius must be 0..512 pixels");
    if (r.context < 0 || r.context > kMaxFrameSide) throw RequestError("frame context must be 0.." + std::to_string(kMaxFrameSide) + " pixels");
    // The generation frame: everything below sees only the frame's crop, so the region is drawn at
    // the model's resolution and neither work nor memory depends on the canvas size (the one
    // canvas-sized temporary is the mask's bounds test).
    const torch::Tensor canvas_mask = r.mask.device().is_cpu() ? r.mask : r.mask.to(torch::kCPU);
    const bool painted = (canvas_mask > 0).any().item<bool>();
    // An explicit frame reaching outside the picture outpaints even with an empty mask.
    if (!r.frame && !painted) throw RequestError("the mask is empty: paint the region to regenerate");
    const int64_t model_size = image_size();
    const Frame frame = r.frame ? *r.frame : auto_frame(canvas_mask, model_size, r.context);
    check_frame(frame, r.image.size(0), r.image.size(1));
    const torch::Tensor image = crop_image(r.image, frame);
    const torch::Tensor mask = crop_mask(canvas_mask, frame).to(torch::kFloat32).clamp(0.0f, 1.0f);
    if (mask.max().item<float>() <= 0.0f)
        throw RequestError(!painted ? std::string("the mask is empty: paint the region to regenerate")
                                    : "the frame " + frame_to_string(frame) + " holds none of the mask: move it over the painted region");
    c10::InferenceMode guard;
    Impl& p = *impl_;
    torch::Tensor generated, embeddings, small;
    if (p.family == ModelFamily::Kandinsky22) {
        auto k = kandinsky::inpaint_crop(p, r, image, mask, control);
        generated = resize_output(k.images, frame.height, frame.width);
        embeddings = k.image_embeds;
    } else {
        generated = resize_output(karlo_inpaint_crop(p, r, image, mask, control, embeddings, small), frame.height,
                                  frame.width);
    }
    return composite_result(p, r, frame, image, mask, generated, embeddings, small, model_size);
}

}  // namespace unclip::pipeline
