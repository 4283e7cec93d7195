// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The stages of diffusers' Kandinsky 2.2 pipelines (KandinskyV22PriorPipeline and its
// interpolate(), KandinskyV22Pipeline, KandinskyV22Img2ImgPipeline, KandinskyV22InpaintPipeline),
// with the random numbers drawn from one CPU generator in the reference's order, so the same seed
// gives the reference's pictures. `unclip verify` and the request-level functions both run these.
#include "core/pipeline/pipeline_impl.h"
#include "core/pipeline/stages.h"
#include "core/random/generator.h"

#include <string>
#include <vector>

namespace unclip::pipeline::kandinsky {

using Impl = UnclipPipeline::Impl;

// With sequential offload, moves a module to the run device for one stage and back to the CPU
// after it (otherwise does nothing).
class OnDevice {
public:
    OnDevice(Impl& p, torch::nn::Module& module);
    ~OnDevice();
    OnDevice(const OnDevice&) = delete;
    OnDevice& operator=(const OnDevice&) = delete;

private:
    Impl& p_;
    torch::nn::Module& module_;
};

// The latent side for a requested picture side: ceil(pixels / f^2) * f (downscale_height_and_width),
// so outputs are rounded UP to a multiple of f^2 pixels.
int64_t latent_side(int64_t pixels, int64_t scale_factor);
// The picture side a request gets: latent_side * f.
int64_t output_side(int64_t pixels, int64_t scale_factor);
// The model's own picture side: the UNet's sample_size (64 when not given) times the MoVQ factor.
int64_t default_side(int64_t unet_sample_size, int64_t scale_factor);

// Prior outputs: [N, E] each, N = prompts x images per prompt.
struct PriorOutput {
    torch::Tensor image_embeds;
    torch::Tensor negative_image_embeds;
};

// KandinskyV22PriorPipeline.__call__: without a negative prompt (nullptr) the unconditional text is
// "" and the negative embeds are the zero-image embeds; with one, the negative prompt is run through
// the prior as extra batch rows and its sample is the negative embeds. guidance <= 1: no CFG.
PriorOutput run_prior(Impl& p, const std::vector<std::string>& prompts, const std::string* negative_prompt,
                      int images_per_prompt, int steps, float guidance, Generator& gen, const RunControl& control);

// image_encoder(zeros(1, 3, S, S)).image_embeds repeated n times (get_zero_embed).
torch::Tensor zero_image_embeds(Impl& p, int64_t n);
// image_processor + image_encoder on uint8 [H, W, C] pictures: [n, E].
torch::Tensor image_embeds(Impl& p, const std::vector<torch::Tensor>& images);

// One item of KandinskyV22PriorPipeline.interpolate: a picture or a text, with its weight.
struct MixItem {
    torch::Tensor image;  // uint8 [H, W, C], or undefined for a text
    std::string text;
    float weight = 0;
};
// sum(weight_i * embeds_i) (texts through the full prior with "" as negative), then the prior run
// on `negative_prompt` whose draws are consumed and whose zero-image embeds are the negative embeds.
PriorOutput interpolate(Impl& p, const std::vector<MixItem>& items, int images_per_prompt, int steps,
                        float guidance, Generator& gen, const RunControl& control,
                        const std::string& negative_prompt = "");

// Decoder stages: image_embeds / negative [N, E] (N = batch x images per prompt already, as the
// combined pipeline passes them); return the final latents [N, 4, h, w] (float32, run device).
struct DecoderArgs {
    torch::Tensor image_embeds, negative_image_embeds;
    int64_t height = 0, width = 0;  // requested picture size (rounded up for text-to-image / inpaint)
    int steps = 100;
    float guidance = 4.0f;
};
// KandinskyV22Pipeline: latents drawn [N, 4, h, w] (or `latents`), DDPM loop whose step noise
// comes from `step_noise` (default: draws of the full shape from gen, as the reference).
torch::Tensor text_to_image(Impl& p, const DecoderArgs& a, Generator& gen, const RunControl& control,
                            torch::Tensor latents = {}, const NoiseSource& step_noise = {});
// Deterministic DDIM over the decoder's schedule, for text diffs: the picture's MoVQ latents
// inverted to the last timestep under `a`'s embeddings, and decoded back from such latents.
torch::Tensor encode_picture(Impl& p, const torch::Tensor& image, int64_t width, int64_t height);
torch::Tensor ddim_invert(Impl& p, const DecoderArgs& a, const torch::Tensor& x0, const RunControl& control);
torch::Tensor ddim_decode(Impl& p, const DecoderArgs& a, const torch::Tensor& x_t, const RunControl& control);
// KandinskyV22Img2ImgPipeline: the pictures (uint8 [H, W, C], one per embedding row) resized to
// width x height and encoded by MoVQ, noised to the strength's first timestep, then the DDPM loop over
// the remaining steps. RequestError when strength x steps gives no step.
torch::Tensor image_to_image(Impl& p, const DecoderArgs& a, const torch::Tensor& image, float strength, Generator& gen,
                             const RunControl& control);
// KandinskyV22InpaintPipeline with the inpainting decoder: `image` uint8 [H, W, C] resized to
// width x height, `mask` float32 [height, width] with 1 = repaint (binarised at 0.5).
torch::Tensor inpaint(Impl& p, const DecoderArgs& a, const torch::Tensor& image, const torch::Tensor& mask,
                      Generator& gen, const RunControl& control);
// movq.decode(latents, force_not_quantize=True) * 0.5 + 0.5, clamped: float32 [N, 3, H, W] in [0, 1] on the CPU.
torch::Tensor decode(Impl& p, models::VQModel& movq, const torch::Tensor& latents);

}  // namespace unclip::pipeline::kandinsky
