// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/attention_spatial.h"

#include "core/common/error.h"
#include "core/models/common/attention.h"

#include <torch/torch.h>

namespace unclip::models {

SpatialSelfAttentionImpl::SpatialSelfAttentionImpl(const SpatialSelfAttentionOptions& o) : options_(o) {
    if (o.head_dim <= 0 || o.channels % o.head_dim != 0)
        throw ModelError("UNetMidBlock2D attention: " + std::to_string(o.channels) +
                         " channels are not a multiple of attention_head_dim " + std::to_string(o.head_dim));
    heads_ = o.channels / o.head_dim;
    const int64_t inner = heads_ * o.head_dim;
    if (o.norm_groups > 0)
        group_norm = register_module(
            "group_norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.norm_groups, o.channels).eps(o.norm_eps)));
    to_q = register_module("to_q", torch::nn::Linear(o.channels, inner));
    to_k = register_module("to_k", torch::nn::Linear(o.channels, inner));
    to_v = register_module("to_v", torch::nn::Linear(o.channels, inner));
    out_proj_ = torch::nn::Linear(inner, o.channels);
    to_out = register_module("to_out", torch::nn::ModuleList(out_proj_));
}

torch::Tensor SpatialSelfAttentionImpl::forward(const torch::Tensor& x) {
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    torch::Tensor tokens = x.reshape({b, c, h * w}).transpose(1, 2);  // [B, HW, C]
    if (group_norm) tokens = group_norm(tokens.transpose(1, 2)).transpose(1, 2);
    torch::Tensor q = split_heads(to_q(tokens), heads_);
    torch::Tensor k = split_heads(to_k(tokens), heads_);
    torch::Tensor v = split_heads(to_v(tokens), heads_);
    torch::Tensor out = out_proj_(merge_heads(attention(q, k, v)));  // [B, HW, C]
    out = out.transpose(1, 2).reshape({b, c, h, w}) + x;
    if (options_.rescale_output_factor != 1.0) out = out / options_.rescale_output_factor;
    return out;
}

}  // namespace unclip::models
