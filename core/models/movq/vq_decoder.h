// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MoVQ's decoder (diffusers/models/autoencoders/vae.py Decoder): conv_in -> mid block -> one
// VQUpBlock per level (layers_per_block + 1 resnets, upsampling on all but the last) -> norm ->
// SiLU -> conv_out. With norm_type "spatial" every norm (resnets, attentions, conv_norm_out) is a
// SpatialNorm conditioned on zq, the decode input (before post_quant_conv).
#include "core/models/movq/vq_blocks.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace unclip::models {

struct VQDecoderOptions {
    int64_t in_channels = 3;  // latent_channels (also the zq channels of a spatial decoder)
    int64_t out_channels = 3;
    std::vector<VQUpBlockType> up_block_types;
    std::vector<int64_t> block_out_channels;  // encoder order; the decoder walks it reversed
    int64_t layers_per_block = 1;
    int64_t norm_num_groups = 32;
    VQActivation act = VQActivation::SiLU;
    bool spatial_norm = false;
    bool mid_block_add_attention = true;
};

struct VQDecoderImpl : torch::nn::Module {
    explicit VQDecoderImpl(const VQDecoderOptions& options);
    // z: [B, in, h, w] (post_quant_conv output); zq: [B, in, h, w] (spatial decoder only)
    // -> [B, out, h * f, w * f]
    torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& zq = {});

    torch::nn::Conv2d conv_in{nullptr};
    VQMidBlock mid_block{nullptr};
    torch::nn::ModuleList up_blocks{nullptr};
    VQNorm conv_norm_out;
    torch::nn::Conv2d conv_out{nullptr};

private:
    std::vector<VQUpBlock> ups_;
};
TORCH_MODULE(VQDecoder);

}  // namespace unclip::models
