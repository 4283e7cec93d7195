// SPDX-License-Identifier: GPL-3.0-or-later
// The UNets' CPU kernel choices (see cpu_kernels.h).
#include "core/models/unet/cpu_kernels.h"

#include <ATen/Context.h>
#include <torch/torch.h>

namespace unclip::models {

namespace {

// No padding (explicit zeros, "valid", or "same", which is none for a 1x1 kernel), stride 1, no
// dilation, one group.
bool plain_1x1(const torch::nn::detail::ConvNdOptions<2>& o, const torch::Tensor& w) {
    if (w.dim() != 4 || w.size(2) != 1 || w.size(3) != 1 || o.groups() != 1) return false;
    for (int i = 0; i < 2; ++i)
        if ((*o.stride())[i] != 1 || (*o.dilation())[i] != 1) return false;
    if (const auto* pad = c10::get_if<torch::ExpandingArray<2>>(&o.padding()))
        return (**pad)[0] == 0 && (**pad)[1] == 0;
    return true;
}

bool channels_last_4d(const torch::Tensor& x) {
    return x.dim() == 4 && x.is_contiguous(torch::MemoryFormat::ChannelsLast) && !x.is_contiguous();
}

// [B, C, H, W] channels-last as the [B, H, W, C] tensor its memory holds (a view), and back.
torch::Tensor nhwc(const torch::Tensor& x) { return x.permute({0, 2, 3, 1}); }
torch::Tensor nchw(const torch::Tensor& x) { return x.permute({0, 3, 1, 2}); }

}  // namespace

torch::Tensor conv1x1(torch::nn::Conv2d& conv, const torch::Tensor& x) {
    const torch::Tensor& w = conv->weight;
    if (x.dim() == 4 && x.device().is_cpu() && x.is_contiguous(torch::MemoryFormat::ChannelsLast) &&
        x.scalar_type() == torch::kFloat32 && w.scalar_type() == torch::kFloat32 &&
        !(torch::GradMode::is_enabled() && (x.requires_grad() || w.requires_grad())) && at::hasMKLDNN() &&
        at::globalContext().userEnabledMkldnn() && plain_1x1(conv->options, w)) {
        c10::optional<at::Tensor> bias;
        if (conv->bias.defined()) bias = conv->bias;
        return at::mkldnn_convolution(x, w, bias, {0, 0}, {1, 1}, {1, 1}, 1);
    }
    return conv(x);
}

torch::Tensor silu_temp(torch::Tensor x) {
    if (x.requires_grad()) return torch::silu(x);
    return torch::silu_(x);
}

torch::Tensor upsample_nearest_x2(const torch::Tensor& x) {
    if (!channels_last_4d(x)) {
        namespace F = torch::nn::functional;
        return F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
    }
    // Each pixel repeated over a 2 x 2 block: a broadcast view copied once in memory order.
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    return nchw(nhwc(x).reshape({b, h, 1, w, 1, c}).expand({b, h, 2, w, 2, c}).reshape({b, 2 * h, 2 * w, c}));
}

torch::Tensor cat_channels(const torch::Tensor& a, const torch::Tensor& b) {
    if (channels_last_4d(a) && channels_last_4d(b)) return nchw(torch::cat({nhwc(a), nhwc(b)}, 3));
    return torch::cat({a, b}, 1);
}

}  // namespace unclip::models
