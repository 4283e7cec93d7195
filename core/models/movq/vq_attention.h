// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The self-attention of MoVQ's Attn*EncoderBlock2D / AttnUpDecoderBlock2D / UNetMidBlock2D:
// diffusers Attention(_from_deprecated_attn_block=True, residual_connection=True) with
// AttnProcessor. One head per block here (attention_head_dim = the block's width):
//   x' = norm(x) (GroupNorm `group_norm`, or SpatialNorm `spatial_norm` in a spatial decoder);
//   out = to_out.0(softmax(q k^T / sqrt(d)) v) over the H*W tokens, + x.
#include "core/models/movq/spatial_norm.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

namespace unclip::models {

struct VQAttentionOptions {
    int64_t channels = 0;
    int64_t head_dim = 0;      // heads = channels / head_dim (<= 0: channels, one head)
    int64_t groups = 32;       // GroupNorm groups (plain form)
    double eps = 1e-6;
    int64_t zq_channels = 0;   // > 0: spatial_norm instead of group_norm
};

struct VQAttentionImpl : torch::nn::Module {
    explicit VQAttentionImpl(const VQAttentionOptions& options);

    // x: [B, C, H, W]; zq: the decode input (spatial form only) -> [B, C, H, W]
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& zq = {});

    VQNorm norm;  // registered as "group_norm" or "spatial_norm"
    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
    torch::nn::ModuleList to_out{nullptr};  // "0": Linear(C, C)

private:
    int64_t heads_ = 1;
    torch::nn::Linear out_proj_{nullptr};
};
TORCH_MODULE(VQAttention);

}  // namespace unclip::models
