// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The PIL preprocessing of the Kandinsky 2.2 decoder pipelines (diffusers 0.25.1, Pillow 9.4):
// img2img / inpaint image preparation and the inpaint mask. Mask convention of the pipelines:
// the input mask is 1 (white) = REPAINT; internally they work with KEEP = 1 - mask.
#include <torch/types.h>

namespace unclip::pipeline::kandinsky {

// prepare_image: PIL img.resize((width, height), BICUBIC, reducing_gap=1) THEN convert("RGB"),
// then x / 127.5 - 1 (float32). image uint8 [H, W, C], C = 1 (L), 3 (RGB) or 4 (RGBA: resized
// premultiplied, as Pillow does, and without the reduce step) -> float32 [1, 3, height, width].
// RequestError for another dtype / shape / channel count or a non-positive size.
torch::Tensor prepare_image(const torch::Tensor& image_uint8_hwc, int64_t width, int64_t height);
// The uint8 resize + convert("RGB") step alone: [height, width, 3].
torch::Tensor resize_reducing_gap(const torch::Tensor& image_uint8_hwc, int64_t width, int64_t height);

// Mask float32 [H, W] (1 = repaint): binarized at 0.5 (>= 0.5 -> 1), KEEP = 1 - mask -> [H, W].
torch::Tensor keep_mask(const torch::Tensor& mask_hw);
// KEEP [H, W] nearest-resized (F.interpolate mode "nearest") to the latent size -> [1, 1, h, w].
torch::Tensor keep_mask_latent_nearest(const torch::Tensor& keep_full_hw, int64_t latent_h, int64_t latent_w);
// prepare_mask: every position whose KEEP value is not 1 also zeroes its neighbours (i-1, j),
// (i, j-1), (i-1, j-1), (i+1, j), (i, j+1), (i+1, j+1) (not the other two diagonals), so the repaint
// region grows by one latent pixel. [B, 1, h, w] -> [B, 1, h, w] (float32).
torch::Tensor erode_keep_mask(const torch::Tensor& keep_latent);

// A PIL mask: uint8 [H, W] (mode L) resized with LANCZOS to (width, height) (no reducing_gap), / 255
// -> float32 [height, width].
torch::Tensor resize_mask_lanczos(const torch::Tensor& mask_uint8_hw, int64_t width, int64_t height);

}  // namespace unclip::pipeline::kandinsky
