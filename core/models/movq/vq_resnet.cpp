// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ ResnetBlock2D (GroupNorm or SpatialNorm form) and the activations its config may name.
#include "core/models/movq/vq_resnet.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

VQActivation parse_vq_activation(const std::string& value, const std::string& key, const std::string& label) {
    if (value == "silu" || value == "swish") return VQActivation::SiLU;
    if (value == "mish") return VQActivation::Mish;
    if (value == "gelu") return VQActivation::GELU;
    if (value == "relu") return VQActivation::ReLU;
    throw ModelError(label + ": config key '" + key + "' = \"" + value +
                     "\" is not supported (supported: silu, swish, mish, gelu, relu)");
}

torch::Tensor apply_activation(VQActivation act, const torch::Tensor& x) {
    switch (act) {
        case VQActivation::SiLU: return torch::silu(x);
        case VQActivation::Mish: return torch::mish(x);
        case VQActivation::GELU: return torch::gelu(x);
        case VQActivation::ReLU: return torch::relu(x);
    }
    return x;
}

VQResnetBlock2DImpl::VQResnetBlock2DImpl(const VQResnetBlock2DOptions& o) : options_(o) {
    if (options_.out_channels <= 0) options_.out_channels = options_.in_channels;
    const int64_t in = options_.in_channels, out = options_.out_channels;
    norm1 = register_vq_norm(*this, "norm1", in, o.groups, o.eps, o.zq_channels);
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(1).padding(1)));
    norm2 = register_vq_norm(*this, "norm2", out, o.groups, o.eps, o.zq_channels);
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).stride(1).padding(1)));
    if (in != out)
        conv_shortcut = register_module("conv_shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1)));
}

torch::Tensor VQResnetBlock2DImpl::forward(const torch::Tensor& x, const torch::Tensor& zq) {
    torch::Tensor h = conv1(apply_activation(options_.act, norm1(x, zq)));
    h = conv2(apply_activation(options_.act, norm2(h, zq)));
    torch::Tensor shortcut = conv_shortcut ? conv_shortcut(x) : x;
    return shortcut + h;
}

}  // namespace unclip::models
