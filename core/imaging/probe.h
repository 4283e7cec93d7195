// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads the size and layout of a PNG, JPEG, WebP or BMP from its header only, without decoding,
// so a decompression bomb is refused before any pixel memory is allocated. Never trusts the file:
// every offset is checked against the buffer size.
#include <cstddef>
#include <cstdint>
#include <string>

namespace unclip::imaging {

struct ImageInfo {
    std::string format;  // "png", "jpeg", "webp", "bmp"
    int width = 0;
    int height = 0;
    int orientation = 1;  // EXIF orientation 1..8 (1 = as stored)
};

// Throws ImageError when the header is not one of the four formats or is truncated/corrupt.
ImageInfo probe_image(const uint8_t* data, size_t size);

}  // namespace unclip::imaging
