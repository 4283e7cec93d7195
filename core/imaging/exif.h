// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// EXIF orientation: found in JPEG (APP1 "Exif"), PNG (eXIf chunk) and WebP (EXIF chunk), and
// applied to decoded pixels (OpenCV ignores it when it keeps alpha/16-bit data).
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace unclip::imaging {

// Orientation 1..8 from a TIFF-structured EXIF block ("II*\0" / "MM\0*"); 1 when absent or invalid.
int exif_orientation_from_tiff(const uint8_t* tiff, size_t size);
// Orientation of an encoded file of the given format ("jpeg", "png", "webp"); 1 when none.
int exif_orientation(const uint8_t* data, size_t size, const std::string& format);
// Rotates/flips pixels so that they display upright (orientation 1 returns the input).
cv::Mat apply_orientation(const cv::Mat& image, int orientation);

}  // namespace unclip::imaging
