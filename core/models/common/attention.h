// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Scaled dot-product attention shared by every model. With LibTorch 2.x it calls
// at::scaled_dot_product_attention (flash / memory-efficient kernels on CUDA); otherwise, or
// when the exact math path is forced, softmax(q k^T * scale + bias) v.
#include <torch/types.h>

namespace unclip::models {

enum class AttentionBackend { Auto, Math };
void set_attention_backend(AttentionBackend b);
AttentionBackend attention_backend();
// True when this build can use at::scaled_dot_product_attention.
bool fused_attention_available();

// q: [B, H, Lq, D], k and v: [B, H, Lk, D]; bias: additive, broadcastable to [B, H, Lq, Lk]
// (undefined tensor = none). Scale is 1/sqrt(D). Returns [B, H, Lq, D].
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& bias = {});

// [B, L, H*D] -> [B, H, L, D] and back.
torch::Tensor split_heads(const torch::Tensor& x, int64_t heads);
torch::Tensor merge_heads(const torch::Tensor& x);

}  // namespace unclip::models
