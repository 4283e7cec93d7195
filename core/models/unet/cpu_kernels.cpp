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

}  // namespace unclip::models
