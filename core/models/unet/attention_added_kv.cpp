// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/attention_added_kv.h"

#include "core/common/error.h"
#include "core/models/common/attention.h"

#include <torch/torch.h>

#include <cmath>

namespace unclip::models {

AttentionAddedKVImpl::AttentionAddedKVImpl(const AttentionAddedKVOptions& o) : options_(o) {
    if (o.head_dim <= 0 || o.query_dim % o.head_dim != 0)
        throw ModelError("SimpleCrossAttn attention: " + std::to_string(o.query_dim) +
                         " channels are not a multiple of attention_head_dim " + std::to_string(o.head_dim));
    heads_ = o.query_dim / o.head_dim;
    const int64_t inner = heads_ * o.head_dim;
    group_norm = register_module(
        "group_norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.norm_groups, o.query_dim).eps(o.norm_eps)));
    to_q = register_module("to_q", torch::nn::Linear(o.query_dim, inner));
    if (!o.only_cross_attention) {
        to_k = register_module("to_k", torch::nn::Linear(o.query_dim, inner));
        to_v = register_module("to_v", torch::nn::Linear(o.query_dim, inner));
    }
    add_k_proj = register_module("add_k_proj", torch::nn::Linear(o.added_kv_dim, inner));
    add_v_proj = register_module("add_v_proj", torch::nn::Linear(o.added_kv_dim, inner));
    out_proj_ = torch::nn::Linear(inner, o.query_dim);
    to_out = register_module("to_out", torch::nn::ModuleList(out_proj_));
}

namespace {

// attention() as the reference's AttnAddedKVProcessor computes it where no fused kernel is used:
// baddbmm(bias, q, k^T, beta 1, alpha scale) over [B * heads, L, d], one pass for the scores, their
// scale and the mask where q k^T * scale + bias takes three.
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, const torch::Tensor& bias) {
    if (fused_attention_available() && attention_backend() == AttentionBackend::Auto) return attention(q, k, v, bias);
    const int64_t b = q.size(0), heads = q.size(1), lq = q.size(2), d = q.size(3), lk = k.size(2);
    const torch::Tensor q3 = q.reshape({b * heads, lq, d});
    const torch::Tensor k3 = k.reshape({b * heads, lk, d});
    const torch::Tensor v3 = v.reshape({b * heads, lk, d});
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    torch::Tensor scores;
    if (bias.defined()) {
        const torch::Tensor bias3 =
            bias.to(q.scalar_type()).expand({b, heads, bias.size(2), lk}).reshape({b * heads, bias.size(2), lk});
        scores = torch::baddbmm(bias3, q3, k3.transpose(1, 2), 1.0, scale);
    } else {
        scores = torch::bmm(q3, k3.transpose(1, 2)).mul_(scale);
    }
    // Softmax in float32 for half precision inputs, as attention() does.
    const torch::Tensor probs = torch::softmax(scores.to(torch::kFloat32), -1).to(q.scalar_type());
    return torch::bmm(probs, v3).view({b, heads, lq, d});
}

}  // namespace

torch::Tensor AttentionAddedKVImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                            const torch::Tensor& context_bias) {
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    // Tokens [B, HW, C] (views, no copy, when x is channels-last).
    torch::Tensor tokens = x.reshape({b, c, h * w}).transpose(1, 2);
    torch::Tensor ctx = context.defined() ? context : tokens;
    // The norm on the 4-d map: the same groups as on [B, C, HW], in the map's own layout.
    torch::Tensor normed = group_norm(x).reshape({b, c, h * w}).transpose(1, 2);

    torch::Tensor q = split_heads(to_q(normed), heads_);               // [B, heads, HW, d]
    torch::Tensor k = split_heads(add_k_proj(ctx), heads_);            // [B, heads, L, d]
    torch::Tensor v = split_heads(add_v_proj(ctx), heads_);
    if (!options_.only_cross_attention) {
        k = torch::cat({k, split_heads(to_k(normed), heads_)}, 2);     // [B, heads, L + HW, d]
        v = torch::cat({v, split_heads(to_v(normed), heads_)}, 2);
    }

    torch::Tensor bias;  // [B, 1, 1, keys]
    if (context_bias.defined()) {
        bias = context_bias.to(x.scalar_type());
        if (bias.dim() != 2 || bias.size(1) != ctx.size(1))
            throw RequestError("SimpleCrossAttn attention: the mask covers " + std::to_string(bias.size(-1)) +
                               " tokens but the context has " + std::to_string(ctx.size(1)));
        if (!options_.only_cross_attention)
            bias = torch::cat({bias, torch::zeros({bias.size(0), h * w}, bias.options())}, 1);
        bias = bias.unsqueeze(1).unsqueeze(1);
    }

    torch::Tensor out = merge_heads(attend(q, k, v, bias));  // [B, HW, inner]
    out = out_proj_(out);                                       // [B, HW, C]
    out = out.transpose(1, 2).reshape({b, c, h, w});
    return out + x;
}

torch::Tensor attention_mask_to_bias(const torch::Tensor& mask, torch::ScalarType dtype) {
    return (1 - mask.to(dtype)) * -10000.0;
}

}  // namespace unclip::models
