// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The stages of the unCLIP pipelines, as diffusers' UnCLIPPipeline runs them, with the random
// numbers drawn in the reference's order: text conditioning, prior, decoder, super-resolution.
// Each stage reports progress and checks cancellation before every model call.
#include "core/pipeline/pipeline_impl.h"
#include "core/random/generator.h"

#include <functional>

namespace unclip::pipeline {

// Where a stage's random numbers come from: by default generator draws of the full shape.
// Smooth interpolation shares one draw across the batch instead.
using NoiseSource = std::function<torch::Tensor(torch::IntArrayRef shape)>;
NoiseSource generator_noise(Generator& gen);
NoiseSource shared_noise(Generator& gen);  // draws [1, ...] and repeats it over the batch

// CLIP text conditioning, ordered [unconditional; conditional] when cfg is on.
struct TextConditioning {
    torch::Tensor prompt_embeds;  // [N, E]   (N = B, or 2B with cfg)
    torch::Tensor hidden_states;  // [N, L, E]
    torch::Tensor mask;           // [N, L] bool
    bool cfg = false;
};

// prompts: one per batch entry before repeat; each is repeated `repeats` times (p0, p0, p1, p1, ...).
// The unconditional branch is the empty prompt (the reference) or `negative` when non-empty.
TextConditioning encode_text(UnclipPipeline::Impl& p, const std::vector<std::string>& prompts, int repeats,
                             bool cfg, const std::string& negative = "");

// CLIP image embeddings of uint8 [H, W, 3] images (feature extractor + image encoder): [n, E].
torch::Tensor encode_images(UnclipPipeline::Impl& p, const std::vector<torch::Tensor>& images);

void check_cancel(const RunControl& control);
void report(const RunControl& control, Stage stage, int step, int total,
            const std::function<torch::Tensor()>& preview = {});

// Every stage keeps its latents and the scheduler math in float32 (models run in their own dtype):
// the first step divides by sqrt(alphas_cumprod[999]) = 4.9e-5, which half precision cannot afford.
// Prior: returns image embeddings [B, E] (post-processed). latents: initial [B, E] or undefined (drawn).
torch::Tensor run_prior(UnclipPipeline::Impl& p, const TextConditioning& text, int64_t batch, int steps,
                        float guidance, const NoiseSource& noise, const RunControl& control,
                        torch::Tensor latents = {});

// Hook called after every decoder / super-res scheduler step (inpainting replaces the known region).
// Arguments: the new sample, the step index, the timestep it now sits at (prev_t; -1 = clean).
using StepHook = std::function<torch::Tensor(const torch::Tensor& sample, size_t i, int64_t prev_t)>;

struct DecoderConditioning {
    torch::Tensor context;      // [N, K + L, C]
    torch::Tensor class_labels; // [N, T]
    torch::Tensor mask;         // [N, K + L] bool
    bool cfg = false;
};
DecoderConditioning condition_decoder(UnclipPipeline::Impl& p, const torch::Tensor& image_embeddings,
                                      const TextConditioning& text);

// Decoder: returns image_small [B, 3, h, w] clamped to [-1, 1]. With a hook, `resample` > 0 repeats
// every step that many times after re-noising the result back to the step's timestep (RePaint).
torch::Tensor run_decoder(UnclipPipeline::Impl& p, const DecoderConditioning& cond, int64_t batch, int steps,
                          float guidance, const NoiseSource& noise, const RunControl& control,
                          torch::Tensor latents = {}, const StepHook& hook = {}, int resample = 0);

// The decoder's CFG-combined noise prediction (first `in_channels` channels) at timestep t.
torch::Tensor decoder_eps(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x, int64_t t,
                          float guidance);

// image_small upscaled to the super-res size (bicubic, antialias, as the reference; not clamped).
torch::Tensor upscale_for_super_res(UnclipPipeline::Impl& p, const torch::Tensor& image_small);

// Super-resolution: returns [B, 3, H, W] in [-1, 1] (unclamped latents of the last step).
torch::Tensor run_super_res(UnclipPipeline::Impl& p, const torch::Tensor& image_upscaled, int steps,
                            const NoiseSource& noise, const RunControl& control, torch::Tensor latents = {},
                            const StepHook& hook = {}, int resample = 0);

// x_prev (at prev_t) -> x_t: the forward process between two timesteps, for RePaint resampling.
torch::Tensor renoise(const schedulers::UnCLIPScheduler& scheduler, const torch::Tensor& x_prev, int64_t prev_t,
                      int64_t t, const NoiseSource& noise);

// [-1, 1] -> [0, 1] float32 CPU, clamped, [B, 3, H, W].
torch::Tensor to_output_image(const torch::Tensor& x);

// Refuses anything but a non-empty uint8 [H, W, 3] picture (RequestError naming `what`).
void check_image(const torch::Tensor& image, const char* what);

// Refuses steps outside 1..1000 (the prior's only when it runs; super-res only for a family that
// has it), guidance outside [0, 1000) and sizes outside 0..4096 (RequestError naming the setting).
void check_sampling(const Sampling& s, bool uses_prior, bool uses_super_res);

}  // namespace unclip::pipeline
