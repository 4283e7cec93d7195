// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Conversion between OpenCV images and the tensors of the pipeline API (core/pipeline/requests.h):
// inputs uint8 [H, W, 3] RGB, masks float32 [H, W] in [0, 1], outputs float32 [N, 3, H, W] in [0, 1].
#include <opencv2/core.hpp>
#include <torch/types.h>

#include <vector>

namespace unclip::imaging {

// CV_8UC4 RGBA or CV_8UC3 RGB -> uint8 [H, W, 3] (alpha dropped), owning its memory.
torch::Tensor image_to_tensor(const cv::Mat& image);
// CV_8UC1 mask (0..255) -> float32 [H, W] in [0, 1].
torch::Tensor mask_to_tensor(const cv::Mat& mask);

// uint8 [H, W, 3], or float [3, H, W] / [1, 3, H, W] in [0, 1] -> CV_8UC4 RGBA, alpha 255.
// Float values are clamped and rounded like diffusers' numpy_to_pil ((x * 255).round()).
cv::Mat tensor_to_image(const torch::Tensor& tensor);
// float [N, 3, H, W] in [0, 1] -> N RGBA images.
std::vector<cv::Mat> batch_to_images(const torch::Tensor& images);
// float32 [H, W] in [0, 1] -> CV_8UC1.
cv::Mat tensor_to_mask(const torch::Tensor& mask);

}  // namespace unclip::imaging
