// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Image files: PNG, JPEG, WebP and BMP in and out. Decoded images are 8-bit RGBA (CV_8UC4, byte
// order R, G, B, A) or 8-bit gray (CV_8UC1); 16-bit and float data are scaled to 8 bits, gray and
// gray+alpha are expanded, EXIF orientation is applied. The header is checked against LoadLimits
// before anything is decoded (decompression bombs are refused without allocating their pixels).
#include "core/imaging/probe.h"

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace unclip::imaging {

struct LoadLimits {
    int64_t max_pixels = int64_t(128) * 1024 * 1024;  // width * height
    int max_side = 32768;
    uint64_t max_file_bytes = uint64_t(1) << 30;
};

enum class PixelLayout { Rgba8, Gray8 };

// Throws ImageError (unknown format, corrupt data, over the limits).
cv::Mat decode_image(const uint8_t* data, size_t size, const LoadLimits& limits = {},
                     PixelLayout layout = PixelLayout::Rgba8, ImageInfo* info = nullptr);
cv::Mat load_image(const std::string& path, const LoadLimits& limits = {}, PixelLayout layout = PixelLayout::Rgba8,
                   ImageInfo* info = nullptr);

// "png", "jpeg", "webp" or "bmp" from a file name's extension (case-insensitive); "" when unknown.
std::string format_for_path(const std::string& path);

// Encodes CV_8UC4 RGBA, CV_8UC3 RGB or CV_8UC1 gray. JPEG and BMP drop alpha. quality: JPEG/WebP
// 1..100 (WebP 100 = lossless). Throws ImageError.
std::vector<uint8_t> encode_image(const cv::Mat& image, const std::string& format, int quality = 95);
// Writes to a temporary file beside `path` and renames it over `path` (the old file survives a
// failed write). Format from the extension. Throws ImageError naming the file.
void save_image(const std::string& path, const cv::Mat& image, int quality = 95);

// Reads a whole file, refusing more than max_bytes. Throws ImageError naming the file.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes);

}  // namespace unclip::imaging
