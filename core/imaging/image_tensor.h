// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Image files of every format the editor reads (PNG, JPEG, WebP, BMP; EXIF orientation applied,
// the same limits) as tensors, for code that must not see OpenCV types: the unclip CLI.
#include <torch/types.h>

#include <string>

namespace unclip::imaging {

// uint8 [H, W, 4] RGBA (alpha 255 where the format has none). Throws ImageError naming the file.
torch::Tensor load_image_rgba(const std::string& path);

}  // namespace unclip::imaging
