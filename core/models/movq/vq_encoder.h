// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MoVQ's encoder (diffusers/models/autoencoders/vae.py Encoder, double_z False):
// conv_in -> one VQDownBlock per level (downsampling on all but the last) -> mid block ->
// GroupNorm(norm_num_groups, eps 1e-6) -> SiLU -> conv_out (latent_channels).
#include "core/models/movq/vq_blocks.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include <vector>

namespace unclip::models {

struct VQEncoderOptions {
    int64_t in_channels = 3;
    int64_t out_channels = 3;  // latent_channels
    std::vector<VQDownBlockType> down_block_types;
    std::vector<int64_t> block_out_channels;
    int64_t layers_per_block = 1;
    int64_t norm_num_groups = 32;
    VQActivation act = VQActivation::SiLU;
    bool mid_block_add_attention = true;
};

struct VQEncoderImpl : torch::nn::Module {
    explicit VQEncoderImpl(const VQEncoderOptions& options);
    // x: [B, in, H, W] -> [B, out, floor(H / f), floor(W / f)]
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv_in{nullptr};
    torch::nn::ModuleList down_blocks{nullptr};
    VQMidBlock mid_block{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};

private:
    std::vector<VQDownBlock> downs_;
};
TORCH_MODULE(VQEncoder);

}  // namespace unclip::models
