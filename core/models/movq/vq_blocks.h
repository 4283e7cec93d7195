// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The blocks of MoVQ's encoder and decoder (diffusers/models/unet_2d_blocks.py):
//  - VQDownBlock = DownEncoderBlock2D / AttnDownEncoderBlock2D: resnets (each followed by an
//    attention in the Attn variant), then optionally Downsample2D(padding=0): F.pad(0, 1, 0, 1)
//    and a 3x3 stride-2 conv.
//  - VQMidBlock = UNetMidBlock2D: resnet, [attention, resnet].
//  - VQUpBlock = UpDecoderBlock2D / AttnUpDecoderBlock2D: resnets (+ attentions), then
//    optionally Upsample2D: nearest x2 and a 3x3 conv.
// In a spatial decoder every norm is a SpatialNorm conditioned on zq (the decode input).
#include "core/models/movq/vq_attention.h"
#include "core/models/movq/vq_resnet.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace unclip::models {

enum class VQDownBlockType { DownEncoder, AttnDownEncoder };
enum class VQUpBlockType { UpDecoder, AttnUpDecoder };

// Downsample2D(use_conv=True, padding=0): the key is "conv".
struct VQDownsampleImpl : torch::nn::Module {
    explicit VQDownsampleImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);  // [B, C, H, W] -> [B, C, floor(H/2), floor(W/2)]
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(VQDownsample);

// Upsample2D(use_conv=True): nearest x2, then "conv".
struct VQUpsampleImpl : torch::nn::Module {
    explicit VQUpsampleImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);  // [B, C, H, W] -> [B, C, 2H, 2W]
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(VQUpsample);

// What the blocks of one encoder/decoder share.
struct VQBlockOptions {
    int64_t groups = 32;      // GroupNorm groups (plain norms)
    double eps = 1e-6;
    int64_t zq_channels = 0;  // > 0: SpatialNorms (decoder of a spatial VQModel)
    VQActivation act = VQActivation::SiLU;
};

struct VQDownBlockImpl : torch::nn::Module {
    VQDownBlockImpl(VQDownBlockType type, int64_t in_channels, int64_t out_channels, int64_t num_layers,
                    bool add_downsample, const VQBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::ModuleList resnets{nullptr}, attentions{nullptr}, downsamplers{nullptr};

private:
    std::vector<VQResnetBlock2D> resnets_;
    std::vector<VQAttention> attentions_;  // empty for DownEncoderBlock2D
    VQDownsample downsample_{nullptr};
};
TORCH_MODULE(VQDownBlock);

struct VQMidBlockImpl : torch::nn::Module {
    VQMidBlockImpl(int64_t channels, bool add_attention, const VQBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& zq = {});

    torch::nn::ModuleList resnets{nullptr}, attentions{nullptr};

private:
    std::vector<VQResnetBlock2D> resnets_;
    std::vector<VQAttention> attentions_;  // empty without attention
};
TORCH_MODULE(VQMidBlock);

struct VQUpBlockImpl : torch::nn::Module {
    VQUpBlockImpl(VQUpBlockType type, int64_t in_channels, int64_t out_channels, int64_t num_layers, bool add_upsample,
                  const VQBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& zq = {});

    torch::nn::ModuleList resnets{nullptr}, attentions{nullptr}, upsamplers{nullptr};

private:
    std::vector<VQResnetBlock2D> resnets_;
    std::vector<VQAttention> attentions_;  // empty for UpDecoderBlock2D
    VQUpsample upsample_{nullptr};
};
TORCH_MODULE(VQUpBlock);

}  // namespace unclip::models
