// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DDIM inversion through the decoder: an image at decoder resolution -> the noise x_T that the
// deterministic DDIM sampler (eta = 0) turns back into it, and that sampler. Text diffs and
// structure-preserving variations decode from such noise, so the layout of the input survives.
#include "core/pipeline/stages.h"

namespace unclip::pipeline {

// x0: [B, 3, h, w] in [-1, 1] at the decoder's size. Returns x_T at the first timestep of `steps`.
torch::Tensor ddim_invert(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x0,
                          int steps, float guidance, const RunControl& control);
// x_T -> x0 (clamped to [-1, 1]) with the deterministic DDIM sampler.
torch::Tensor ddim_decode(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x_t,
                          int steps, float guidance, const RunControl& control);

// uint8 [H, W, 3] -> float [1, 3, size, size] in [-1, 1] (antialiased bicubic, as the CLIP processor).
torch::Tensor image_to_model(const torch::Tensor& image_hwc, int64_t size);

}  // namespace unclip::pipeline
