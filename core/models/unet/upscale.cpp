// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/upscale.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

torch::Tensor upscale_bicubic_antialias(const torch::Tensor& x, int64_t height, int64_t width) {
    if (x.dim() != 4 || !x.is_floating_point())
        throw RequestError("upscale: expected a floating-point [B, C, h, w] image");
    if (height <= 0 || width <= 0) throw RequestError("upscale: the target size must be positive");
    namespace F = torch::nn::functional;
    // LibTorch 1.13 and 2.x both have the antialiased bicubic kernel (_upsample_bicubic2d_aa) for
    // float32; half precision inputs go through float32.
    torch::Tensor y = F::interpolate(x.to(torch::kFloat32), F::InterpolateFuncOptions()
                                                                .size(std::vector<int64_t>{height, width})
                                                                .mode(torch::kBicubic)
                                                                .align_corners(false)
                                                                .antialias(true));
    return y.to(x.scalar_type());
}

}  // namespace unclip::models
