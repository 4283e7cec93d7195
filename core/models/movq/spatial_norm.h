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

// gn(x), with the statistics and the affine step in float32 when x is half precision on the CPU
// (the result is rounded to x's dtype once, as CUDA's kernels do). LibTorch 1.13's CPU GroupNorm for
// bfloat16 errs about 4x more than that rounding (0.9% vs 0.2% of the output's scale, measured), and
// the MoVQ decoder has two norms per resnet: the upcast takes its bfloat16 error from 0.068 / 0.111
// to 0.059 / 0.064 on the golden decode calls. float32 and CUDA: gn(x) unchanged.
torch::Tensor group_norm_float(torch::nn::GroupNormImpl& gn, const torch::Tensor& x);

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
