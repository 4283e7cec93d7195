// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The decoder -> super-res upscale of UnCLIPPipeline: F.interpolate(image, size=[H, W],
// mode="bicubic", align_corners=False, antialias=True). With antialias=True PyTorch uses the
// PIL-style separable cubic (a = -0.5), also when upsampling; the result is not clamped.
#include <torch/types.h>

namespace unclip::models {

// x: [B, C, h, w] floating point -> [B, C, height, width] in x's dtype (computed in float32).
torch::Tensor upscale_bicubic_antialias(const torch::Tensor& x, int64_t height, int64_t width);

}  // namespace unclip::models
