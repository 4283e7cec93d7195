// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/image_tensor.h"

#include "core/imaging/image_io.h"

#include <torch/torch.h>

#include <cstring>

namespace unclip::imaging {

torch::Tensor load_image_rgba(const std::string& path) {
    const cv::Mat rgba = load_image(path, LoadLimits{}, PixelLayout::Rgba8);
    torch::Tensor t = torch::empty({rgba.rows, rgba.cols, 4}, torch::kUInt8);
    const size_t row = size_t(rgba.cols) * 4;
    for (int y = 0; y < rgba.rows; ++y) std::memcpy(t.data_ptr<uint8_t>() + size_t(y) * row, rgba.ptr<uint8_t>(y), row);
    return t;
}

}  // namespace unclip::imaging
