// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The ResnetBlock2D of MoVQ's encoder and decoder (diffusers/models/resnet.py ResnetBlock2D with
// temb_channels None, time_embedding_norm "default"/"group" or "spatial"):
//   h = conv1(act(norm1(x))); h = conv2(act(norm2(h))); out = shortcut(x) + h
// norm1/norm2 are GroupNorms, or SpatialNorms conditioned on the decode input (no time embedding:
// the spatial form has no time_emb_proj).
#include "core/models/movq/spatial_norm.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include <string>

namespace unclip::models {

// diffusers get_activation: the resnets' nonlinearity (`act_fn`).
enum class VQActivation { SiLU, Mish, GELU, ReLU };
// "silu"/"swish", "mish", "gelu", "relu"; anything else is a ModelError naming `key` and `label`.
VQActivation parse_vq_activation(const std::string& value, const std::string& key, const std::string& label);
torch::Tensor apply_activation(VQActivation act, const torch::Tensor& x);

struct VQResnetBlock2DOptions {
    int64_t in_channels = 0;
    int64_t out_channels = 0;  // <= 0: in_channels
    int64_t groups = 32;       // GroupNorm groups (plain form)
    double eps = 1e-6;
    int64_t zq_channels = 0;   // > 0: SpatialNorms conditioned on zq with that many channels
    VQActivation act = VQActivation::SiLU;
};

struct VQResnetBlock2DImpl : torch::nn::Module {
    explicit VQResnetBlock2DImpl(const VQResnetBlock2DOptions& options);

    // x: [B, in, H, W]; zq: the decode input (spatial form only) -> [B, out, H, W]
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& zq = {});

    VQNorm norm1, norm2;
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::Conv2d conv_shortcut{nullptr};  // 1x1, only when in != out

private:
    VQResnetBlock2DOptions options_;
};
TORCH_MODULE(VQResnetBlock2D);

}  // namespace unclip::models
