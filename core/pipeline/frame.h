// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation frame: the part of a canvas the model draws at its own resolution. Inpainting a
// small region of a large picture crops image and mask to a frame around the region, generates at
// the model's size and puts the result back into that frame only, so the region is drawn at full
// resolution and the work does not grow with the canvas. A frame reaching outside the picture
// outpaints: the part outside counts as masked, and placing the result grows the canvas.
// Canvas tensors: uint8 [H, W, 3] images, float32 [H, W] masks (1 = regenerate).
#include "core/pipeline/requests.h"

#include <torch/types.h>

namespace unclip::pipeline {

// The largest frame side and canvas side a request may use (as for image files).
constexpr int64_t kMaxFrameSide = 16384;

// Bounding box of the pixels where mask > 0; an empty Frame when there are none.
Frame mask_bounds(const torch::Tensor& mask);

// The automatic frame for a mask on a canvas of the mask's size: the mask's bounds grown by
// `context` on every side, squared, at least `model_size` on each side where the canvas allows,
// centred on the mask and shifted to lie inside the canvas (clamped to it when the canvas is
// smaller). Throws RequestError when the mask is empty.
Frame auto_frame(const torch::Tensor& mask, int64_t model_size, int64_t context);
// The same from the mask's bounds (what the editor computes while the mask is painted).
Frame auto_frame_for_bounds(const Frame& mask_bounds, int64_t canvas_h, int64_t canvas_w, int64_t model_size,
                            int64_t context);

// Refuses a frame the pipeline cannot use on an H x W canvas (empty, too large, or not touching
// the picture), naming the frame and the canvas.
void check_frame(const Frame& frame, int64_t canvas_h, int64_t canvas_w);

// The smallest rectangle holding both the canvas (0, 0, W, H) and the frame.
Frame canvas_union(const Frame& frame, int64_t canvas_h, int64_t canvas_w);

// The frame's pixels of a uint8 [H, W, 3] image: [frame.height, frame.width, 3]; where the frame
// reaches outside the picture the nearest edge pixels are repeated (a neutral start to paint over).
torch::Tensor crop_image(const torch::Tensor& image, const Frame& frame);

// The frame's part of a float [H, W] mask; 1 (regenerate) where the frame is outside the picture.
torch::Tensor crop_mask(const torch::Tensor& mask, const Frame& frame);

// Larger side of the frame over the model's side: how much the model's picture is enlarged to
// fill the frame (<= 1: drawn at full resolution or finer).
double frame_scale(const Frame& frame, int64_t model_size);

// A canvas with one frame result put in: `frame_image` is float [3, h, w] in [0, 1] (one of an
// inpaint Result's images) or uint8 [h, w, 3], covering `frame`. The canvas grows to
// canvas_union(frame) when the frame reaches outside it (new pixels outside the frame repeat the
// nearest edge); pixels outside the frame are the canvas's exactly. `origin_x/y` is where the old
// canvas's (0, 0) lies in the returned one.
struct PlacedFrame {
    torch::Tensor image;  // uint8 [H', W', 3]
    int64_t origin_x = 0, origin_y = 0;
};
PlacedFrame place_in_canvas(const torch::Tensor& canvas, const torch::Tensor& frame_image, const Frame& frame);

// "x,y,w,h" (the CLI's and the recipes' text form).
std::string frame_to_string(const Frame& frame);

}  // namespace unclip::pipeline
