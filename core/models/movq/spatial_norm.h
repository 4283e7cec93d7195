// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MoVQ's normalisations (diffusers/models/attention_processor.py SpatialNorm): the decoder of a
// norm_type "spatial" VQModel normalises every feature map f with
//   GroupNorm(32 groups, eps 1e-6)(f) * conv_y(zq) + conv_b(zq),
// zq = the decode input nearest-resized to f's size. VQNorm holds either that or a plain GroupNorm
// (the encoder, and the decoder of a norm_type "group" VQModel) under the state-dict name it is
// registered with.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include <string>

namespace unclip::models {

// The GroupNorm inside SpatialNorm has 32 groups whatever the config says.
constexpr int64_t kSpatialNormGroups = 32;

struct SpatialNormImpl : torch::nn::Module {
    SpatialNormImpl(int64_t f_channels, int64_t zq_channels);

    // f: [B, f_channels, H, W], zq: [B, zq_channels, h, w] (any h, w; nearest-resized to H, W).
    torch::Tensor forward(const torch::Tensor& f, const torch::Tensor& zq);

    torch::nn::GroupNorm norm_layer{nullptr};
    torch::nn::Conv2d conv_y{nullptr}, conv_b{nullptr};
};
TORCH_MODULE(SpatialNorm);

// GroupNorm(groups, eps) when zq_channels <= 0, else SpatialNorm(channels, zq_channels).
struct VQNorm {
    torch::nn::GroupNorm group{nullptr};
    SpatialNorm spatial{nullptr};

    // zq is only read (and then required) by the spatial form.
    torch::Tensor operator()(const torch::Tensor& x, const torch::Tensor& zq) const;
    bool is_spatial() const { return !spatial.is_empty(); }
};
VQNorm register_vq_norm(torch::nn::Module& owner, const std::string& name, int64_t channels, int64_t groups,
                        double eps, int64_t zq_channels);

}  // namespace unclip::models
