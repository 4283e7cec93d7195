// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ single-head spatial self-attention (GroupNorm or SpatialNorm in front).
#include "core/models/movq/vq_attention.h"

#include "core/common/error.h"
#include "core/models/common/attention.h"

#include <torch/torch.h>

namespace unclip::models {

VQAttentionImpl::VQAttentionImpl(const VQAttentionOptions& o) {
    const int64_t head_dim = o.head_dim > 0 ? o.head_dim : o.channels;
    if (o.channels % head_dim != 0)
        throw ModelError("MoVQ attention: " + std::to_string(o.channels) + " channels are not a multiple of the head size " +
                         std::to_string(head_dim));
    heads_ = o.channels / head_dim;
    norm = register_vq_norm(*this, o.zq_channels > 0 ? "spatial_norm" : "group_norm", o.channels, o.groups, o.eps,
                            o.zq_channels);
    to_q = register_module("to_q", torch::nn::Linear(o.channels, o.channels));
    to_k = register_module("to_k", torch::nn::Linear(o.channels, o.channels));
    to_v = register_module("to_v", torch::nn::Linear(o.channels, o.channels));
    out_proj_ = torch::nn::Linear(o.channels, o.channels);
    to_out = register_module("to_out", torch::nn::ModuleList(out_proj_));
}

torch::Tensor VQAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& zq) {
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    // The reference normalises the [B, C, H, W] map (SpatialNorm) or the [B, C, HW] tokens
    // (GroupNorm): the same numbers either way.
    torch::Tensor tokens = norm(x, zq).reshape({b, c, h * w}).transpose(1, 2);  // [B, HW, C]
    torch::Tensor q = split_heads(to_q(tokens), heads_);
    torch::Tensor k = split_heads(to_k(tokens), heads_);
    torch::Tensor v = split_heads(to_v(tokens), heads_);
    torch::Tensor out = out_proj_(merge_heads(attention(q, k, v)));  // [B, HW, C]
    return out.transpose(1, 2).reshape({b, c, h, w}) + x;
}

}  // namespace unclip::models
