// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Pillow's 8-bit resampling, bit-exact with Pillow 9.4 (src/libImaging/Resample.c, Reduce.c and the
// RGBA <-> RGBa conversions of Convert.c; Image.resize / Image.reduce in PIL/Image.py): what
// transformers 4.x's CLIPImageProcessor and the Kandinsky 2.2 pipelines' PIL preprocessing compute.
// Differs from resize_bicubic_antialias_uint8 (torch's uint8 kernel) in the weight precision:
// Pillow always quantises the normalised weights to 22-bit fixed point, torch to the largest
// precision that keeps them in int16, so a few pixels differ by one.
// Images are uint8 [H, W, C] on the CPU, channels filtered independently.
#include <torch/types.h>

#include <array>

namespace unclip::models::pil {

enum class Filter { Bilinear, Bicubic, Lanczos };  // PIL codes 2, 3, 1

// ImagingResample: separable resample of the source region `box` = (left, top, right, bottom) in
// source pixels (Pillow parses it as float32, so fractional boxes keep their float32 value) to
// out_w x out_h; horizontal pass first, each pass rounded to uint8; a pass whose size and box are
// unchanged is skipped.
torch::Tensor resample(const torch::Tensor& image_hwc, int64_t out_w, int64_t out_h, Filter filter,
                       const std::array<float, 4>& box);
// The whole image as the box.
torch::Tensor resample(const torch::Tensor& image_hwc, int64_t out_w, int64_t out_h, Filter filter);

// ImagingReduce over the whole image: the mean of each factor_x x factor_y block (rounded), the
// last row / column of blocks averaged over the pixels they have; output ceil(W / fx) x ceil(H / fy).
torch::Tensor reduce(const torch::Tensor& image_hwc, int64_t factor_x, int64_t factor_y);

// RGBA -> RGBa (colour premultiplied by alpha, rounded) and back (colour * 255 / alpha, truncated;
// alpha 0 and 255 left as they are). [H, W, 4].
torch::Tensor premultiply_alpha(const torch::Tensor& rgba);
torch::Tensor unpremultiply_alpha(const torch::Tensor& rgba_premultiplied);

// Image.resize((out_w, out_h), filter, reducing_gap=reducing_gap) for a mode "L" (C = 1), "RGB"
// (C = 3) or "RGBA" (C = 4) image: the same size is a copy; RGBA is resized premultiplied and, as
// Pillow 9.4 does, without the reducing_gap step; otherwise reducing_gap > 0 first reduces by
// int(W / out_w / reducing_gap) x int(H / out_h / reducing_gap) when either factor is > 1 and then
// resamples the reduced image's matching (fractional) box. reducing_gap <= 0 means None.
// RequestError for another dtype, rank, channel count or an empty size.
torch::Tensor resize(const torch::Tensor& image_hwc, int64_t out_w, int64_t out_h, Filter filter,
                     double reducing_gap = 0.0);

}  // namespace unclip::models::pil
