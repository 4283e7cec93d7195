// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The attention of Karlo's SimpleCrossAttn blocks: diffusers Attention(added_kv_proj_dim=...)
// with AttnAddedKVProcessor2_0 (diffusers/models/attention_processor.py).
//   x' = GroupNorm(x) as tokens; q = to_q(x');
//   k = cat([add_k_proj(context), to_k(x')]), v likewise (context tokens FIRST; without to_k/to_v
//   when only_cross_attention); softmax(q k^T / sqrt(head_dim) + bias) v -> to_out.0; + x.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace unclip::models {

struct AttentionAddedKVOptions {
    int64_t query_dim = 0;       // channels of the feature map
    int64_t added_kv_dim = 0;    // width of the context tokens (cross_attention_dim)
    int64_t head_dim = 0;        // heads = query_dim / head_dim (diffusers `attention_head_dim`)
    int64_t norm_groups = 32;    // GroupNorm groups (the resnet groups); eps is always 1e-5
    double norm_eps = 1e-5;
    bool only_cross_attention = false;
};

struct AttentionAddedKVImpl : torch::nn::Module {
    explicit AttentionAddedKVImpl(const AttentionAddedKVOptions& options);

    // x: [B, C, H, W]; context: [B, L, added_kv_dim] (undefined: the un-normed tokens of x, as the
    // reference does); context_bias: additive [B, L] over the context tokens (undefined = none;
    // the H*W self tokens always get 0) -> [B, C, H, W].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context,
                          const torch::Tensor& context_bias = {});

    int64_t heads() const { return heads_; }

    torch::nn::GroupNorm group_norm{nullptr};
    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
    torch::nn::Linear add_k_proj{nullptr}, add_v_proj{nullptr};
    torch::nn::ModuleList to_out{nullptr};  // "0": Linear(inner, query_dim)

private:
    AttentionAddedKVOptions options_;
    int64_t heads_ = 1;
    torch::nn::Linear out_proj_{nullptr};
};
TORCH_MODULE(AttentionAddedKV);

// The decoder's cross-attention mask [B, L] (bool or 0/1 integers, true = attend) as the
// additive bias the reference uses: (1 - m) * -10000, in `dtype`. Returns [B, L].
torch::Tensor attention_mask_to_bias(const torch::Tensor& mask, torch::ScalarType dtype);

}  // namespace unclip::models
