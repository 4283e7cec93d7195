// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The optional visible signature on exported images: a row of five small coloured squares in the
// lower-right corner, the way DALL·E 2 marks its images (yellow, turquoise, green, red, blue).
#include <opencv2/core.hpp>

namespace unclip::imaging {

// The rectangle the mark covers in an image of `size` (square side ~1/40 of the longer side,
// at least 2 px, with a margin of one square).
cv::Rect signature_rect(const cv::Size& size);
// Draws the mark into a CV_8UC4 RGBA or CV_8UC3 RGB image in place (opaque).
void stamp_signature(cv::Mat& image);

}  // namespace unclip::imaging
