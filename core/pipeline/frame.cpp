// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/frame.h"

#include "core/common/error.h"

#include <torch/torch.h>

#include <algorithm>

namespace unclip::pipeline {
namespace {

// Indices of the frame's rows (or columns) in a canvas of `extent`, clamped so that positions
// outside repeat the nearest edge.
torch::Tensor clamped_range(int64_t start, int64_t length, int64_t extent) {
    return torch::arange(start, start + length, torch::kLong).clamp(0, extent - 1);
}

std::string canvas_str(int64_t h, int64_t w) { return std::to_string(w) + "x" + std::to_string(h); }

}  // namespace

Frame mask_bounds(const torch::Tensor& mask) {
    torch::Tensor on = mask > 0;
    torch::Tensor rows = on.any(1).nonzero();
    if (rows.numel() == 0) return {};
    torch::Tensor cols = on.any(0).nonzero();
    const int64_t y0 = rows.min().item<int64_t>(), y1 = rows.max().item<int64_t>();
    const int64_t x0 = cols.min().item<int64_t>(), x1 = cols.max().item<int64_t>();
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

Frame auto_frame(const torch::Tensor& mask, int64_t model_size, int64_t context) {
    const Frame b = mask_bounds(mask);
    if (b.empty()) throw RequestError("the mask is empty: paint the region to regenerate");
    return auto_frame_for_bounds(b, mask.size(0), mask.size(1), model_size, context);
}

Frame auto_frame_for_bounds(const Frame& b, int64_t h, int64_t w, int64_t model_size, int64_t context) {
    if (b.empty() || h < 1 || w < 1) return {};
    context = std::max<int64_t>(context, 0);
    const int64_t side = std::max(std::max(b.width, b.height) + 2 * context, model_size);
    Frame f;
    f.width = std::min(side, w);
    f.height = std::min(side, h);
    // Centred on the mask, then shifted inside the canvas; it still holds the whole mask because it
    // is at least as large as the mask's bounds.
    f.x = std::clamp(b.x + b.width / 2 - f.width / 2, int64_t{0}, w - f.width);
    f.y = std::clamp(b.y + b.height / 2 - f.height / 2, int64_t{0}, h - f.height);
    return f;
}

void check_frame(const Frame& f, int64_t canvas_h, int64_t canvas_w) {
    const std::string name = "the frame " + frame_to_string(f);
    if (f.width < 1 || f.height < 1) throw RequestError(name + " is empty: width and height must be at least 1");
    if (f.width > kMaxFrameSide || f.height > kMaxFrameSide)
        throw RequestError(name + " is larger than " + std::to_string(kMaxFrameSide) + " pixels on a side");
    const bool overlaps = f.x < canvas_w && f.x + f.width > 0 && f.y < canvas_h && f.y + f.height > 0;
    if (!overlaps)
        throw RequestError(name + " does not overlap the " + canvas_str(canvas_h, canvas_w) +
                           " picture: move it so that part of it covers the picture");
    const Frame u = canvas_union(f, canvas_h, canvas_w);
    if (u.width > kMaxFrameSide || u.height > kMaxFrameSide)
        throw RequestError(name + " would grow the picture beyond " + std::to_string(kMaxFrameSide) + " pixels on a side");
}

Frame canvas_union(const Frame& f, int64_t canvas_h, int64_t canvas_w) {
    const int64_t x0 = std::min<int64_t>(0, f.x), y0 = std::min<int64_t>(0, f.y);
    const int64_t x1 = std::max(canvas_w, f.x + f.width), y1 = std::max(canvas_h, f.y + f.height);
    return {x0, y0, x1 - x0, y1 - y0};
}

torch::Tensor crop_image(const torch::Tensor& image, const Frame& f) {
    const int64_t h = image.size(0), w = image.size(1);
    if (f.x >= 0 && f.y >= 0 && f.x + f.width <= w && f.y + f.height <= h)
        return image.slice(0, f.y, f.y + f.height).slice(1, f.x, f.x + f.width).contiguous();
    return image.index_select(0, clamped_range(f.y, f.height, h)).index_select(1, clamped_range(f.x, f.width, w)).contiguous();
}

torch::Tensor crop_mask(const torch::Tensor& mask, const Frame& f) {
    const int64_t h = mask.size(0), w = mask.size(1);
    torch::Tensor out = crop_image(mask, f);
    if (f.x >= 0 && f.y >= 0 && f.x + f.width <= w && f.y + f.height <= h) return out;
    torch::Tensor ys = torch::arange(f.y, f.y + f.height, torch::kLong);
    torch::Tensor xs = torch::arange(f.x, f.x + f.width, torch::kLong);
    torch::Tensor outside = ((ys < 0) | (ys >= h)).unsqueeze(1) | ((xs < 0) | (xs >= w)).unsqueeze(0);
    return torch::where(outside, torch::ones_like(out), out).contiguous();
}

double frame_scale(const Frame& f, int64_t model_size) {
    return static_cast<double>(std::max(f.width, f.height)) / static_cast<double>(model_size);
}

PlacedFrame place_in_canvas(const torch::Tensor& canvas, const torch::Tensor& frame_image, const Frame& f) {
    torch::Tensor pixels = frame_image;
    if (pixels.scalar_type() != torch::kUInt8)
        pixels = (pixels.to(torch::kFloat32) * 255.0f).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0});
    if (pixels.dim() != 3 || pixels.size(0) != f.height || pixels.size(1) != f.width || pixels.size(2) != canvas.size(2))
        throw RequestError("the result is " + std::to_string(pixels.size(1)) + "x" + std::to_string(pixels.size(0)) +
                           " but its frame is " + frame_to_string(f));
    const Frame u = canvas_union(f, canvas.size(0), canvas.size(1));
    PlacedFrame out;
    out.image = u == Frame{0, 0, canvas.size(1), canvas.size(0)} ? canvas.clone() : crop_image(canvas, u);
    out.origin_x = -u.x;
    out.origin_y = -u.y;
    out.image.slice(0, f.y - u.y, f.y - u.y + f.height).slice(1, f.x - u.x, f.x - u.x + f.width).copy_(pixels);
    return out;
}

std::string frame_to_string(const Frame& f) {
    return std::to_string(f.x) + "," + std::to_string(f.y) + "," + std::to_string(f.width) + "," + std::to_string(f.height);
}

}  // namespace unclip::pipeline
