// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/prior/transformer_block.h"

#include "core/models/common/attention.h"

#include <torch/torch.h>

namespace unclip::models {

PriorSelfAttentionImpl::PriorSelfAttentionImpl(int64_t dim, int64_t heads_, int64_t head_dim) : heads(heads_) {
    const int64_t inner = heads * head_dim;
    to_q = register_module("to_q", torch::nn::Linear(dim, inner));
    to_k = register_module("to_k", torch::nn::Linear(dim, inner));
    to_v = register_module("to_v", torch::nn::Linear(dim, inner));
    out = torch::nn::Linear(inner, dim);
    to_out = register_module("to_out", torch::nn::ModuleList(out));
}

torch::Tensor PriorSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
    torch::Tensor q = split_heads(to_q(x), heads);  // [B, H, L, D]
    torch::Tensor k = split_heads(to_k(x), heads);
    torch::Tensor v = split_heads(to_v(x), heads);
    return out(merge_heads(attention(q, k, v, bias)));  // [B, L, dim]
}

GeluProjImpl::GeluProjImpl(int64_t in, int64_t out) {
    proj = register_module("proj", torch::nn::Linear(in, out));
}

torch::Tensor GeluProjImpl::forward(const torch::Tensor& x) { return torch::gelu(proj(x)); }  // exact (erf)

FeedForwardImpl::FeedForwardImpl(int64_t dim, int64_t mult) {
    act = GeluProj(dim, dim * mult);
    proj_out = torch::nn::Linear(dim * mult, dim);
    net = register_module("net", torch::nn::ModuleList(act, torch::nn::Identity(), proj_out));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor& x) { return proj_out(act(x)); }

PriorTransformerBlockImpl::PriorTransformerBlockImpl(int64_t dim, int64_t heads, int64_t head_dim) {
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-5)));
    attn1 = register_module("attn1", PriorSelfAttention(dim, heads, head_dim));
    norm3 = register_module("norm3", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-5)));
    ff = register_module("ff", FeedForward(dim));
}

torch::Tensor PriorTransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
    torch::Tensor h = x + attn1(norm1(x), bias);
    return h + ff(norm3(h));
}

}  // namespace unclip::models
