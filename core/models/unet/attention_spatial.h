// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Spatial self-attention of UNetMidBlock2D when add_attention is true: diffusers Attention(
// query_dim=C, heads=C/head_dim, residual_connection=True, _from_deprecated_attn_block=True) with
// AttnProcessor2_0 (diffusers/models/attention_processor.py).
//   x' = GroupNorm(x) as tokens (when norm_groups > 0); softmax(q k^T / sqrt(d)) v -> to_out.0;
//   (+ x) / rescale_output_factor.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace unclip::models {

struct SpatialSelfAttentionOptions {
    int64_t channels = 0;
    int64_t head_dim = 0;               // heads = channels / head_dim
    int64_t norm_groups = 32;           // <= 0: no group_norm
    double norm_eps = 1e-5;
    double rescale_output_factor = 1.0;
};

struct SpatialSelfAttentionImpl : torch::nn::Module {
    explicit SpatialSelfAttentionImpl(const SpatialSelfAttentionOptions& options);

    // x: [B, C, H, W] -> [B, C, H, W]
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::GroupNorm group_norm{nullptr};
    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
    torch::nn::ModuleList to_out{nullptr};  // "0": Linear(inner, C)

private:
    SpatialSelfAttentionOptions options_;
    int64_t heads_ = 1;
    torch::nn::Linear out_proj_{nullptr};
};
TORCH_MODULE(SpatialSelfAttention);

}  // namespace unclip::models
