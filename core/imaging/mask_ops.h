// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Masks (CV_8UC1, 0 = keep, 255 = regenerate) and compositing of generated pixels into an image.
#include <opencv2/core.hpp>

namespace unclip::imaging {

// Softens a mask's edge inward by `radius` pixels: the result is never larger than the input, so
// pixels outside the painted mask stay outside (0). radius <= 0 returns a copy.
cv::Mat feather_mask(const cv::Mat& mask, float radius);

// Blends `generated` into `original` by `mask`: out = original where mask == 0 (bit-identical,
// alpha included), generated where mask == 255, a rounded linear blend between. original is
// CV_8UC4 RGBA; generated is CV_8UC4 or CV_8UC3 of the same size; mask CV_8UC1 of the same size.
// Throws ImageError on mismatched sizes/types.
cv::Mat composite(const cv::Mat& original, const cv::Mat& generated, const cv::Mat& mask);

// Smallest rectangle holding every non-zero mask pixel (empty when the mask is empty).
cv::Rect mask_bounds(const cv::Mat& mask);

// Resizes with area averaging when shrinking and bicubic when enlarging.
cv::Mat resize_image(const cv::Mat& image, cv::Size size);

}  // namespace unclip::imaging
