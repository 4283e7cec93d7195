// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The prior's transformer block: diffusers BasicTransformerBlock as PriorTransformer builds it
// (layer_norm, self-attention only, attention_bias=True, FeedForward with exact "gelu", eps 1e-5).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace unclip::models {

// diffusers Attention (self-attention, q/k/v/out with bias): to_q, to_k, to_v, to_out.0.
struct PriorSelfAttentionImpl : torch::nn::Module {
    PriorSelfAttentionImpl(int64_t dim, int64_t heads, int64_t head_dim);
    // x: [B, L, dim]; bias: additive, broadcastable to [B, heads, L, L] (or undefined). -> [B, L, dim]
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias);
    int64_t heads;
    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, out{nullptr};
    torch::nn::ModuleList to_out{nullptr};  // "0" = out
};
TORCH_MODULE(PriorSelfAttention);

// diffusers GELU (a Linear "proj" followed by exact erf GELU).
struct GeluProjImpl : torch::nn::Module {
    GeluProjImpl(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x);  // [..., in] -> [..., out]
    torch::nn::Linear proj{nullptr};
};
TORCH_MODULE(GeluProj);

// diffusers FeedForward: net.0 = GeluProj(dim, 4 dim), net.1 = dropout (no weights), net.2 = Linear(4 dim, dim).
struct FeedForwardImpl : torch::nn::Module {
    FeedForwardImpl(int64_t dim, int64_t mult = 4);
    torch::Tensor forward(const torch::Tensor& x);  // [..., dim] -> [..., dim]
    GeluProj act{nullptr};
    torch::nn::Linear proj_out{nullptr};
    torch::nn::ModuleList net{nullptr};
};
TORCH_MODULE(FeedForward);

// x = x + attn1(norm1(x), bias); x = x + ff(norm3(x)).
struct PriorTransformerBlockImpl : torch::nn::Module {
    PriorTransformerBlockImpl(int64_t dim, int64_t heads, int64_t head_dim);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias);  // [B, L, dim] -> [B, L, dim]
    torch::nn::LayerNorm norm1{nullptr}, norm3{nullptr};
    PriorSelfAttention attn1{nullptr};
    FeedForward ff{nullptr};
};
TORCH_MODULE(PriorTransformerBlock);

}  // namespace unclip::models
