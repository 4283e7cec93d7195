// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared CLIP transformer encoder (transformers CLIPEncoder / CLIPEncoderLayer / CLIPAttention /
// CLIPMLP): pre-LayerNorm blocks used by both the text and the vision tower.
#include "core/io/config_reader.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <string>

namespace unclip::models {

enum class CLIPActivation { QuickGelu, Gelu };

// The encoder part of CLIPTextConfig / CLIPVisionConfig.
struct CLIPEncoderConfig {
    int64_t hidden_size = 512;
    int64_t intermediate_size = 2048;
    int64_t num_attention_heads = 8;
    int64_t num_hidden_layers = 12;
    CLIPActivation hidden_act = CLIPActivation::QuickGelu;
    double layer_norm_eps = 1e-5;

    // Reads the keys above with the given defaults and validates them (ModelError naming the key).
    static CLIPEncoderConfig read(const ConfigReader& r, const CLIPEncoderConfig& defaults);
};

// "quick_gelu" or "gelu" (anything else: ModelError naming `hidden_act`).
CLIPActivation parse_clip_activation(const ConfigReader& r, CLIPActivation fallback);

// self_attn: q_proj, k_proj, v_proj, out_proj (all with bias).
struct CLIPAttentionImpl : torch::nn::Module {
    CLIPAttentionImpl(int64_t hidden_size, int64_t num_heads);
    // x: [B, L, C]; bias: additive, broadcastable to [B, H, L, L] or undefined. Returns [B, L, C].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias = {});
    int64_t num_heads;
    torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
};
TORCH_MODULE(CLIPAttention);

// mlp: fc1 -> activation -> fc2.
struct CLIPMLPImpl : torch::nn::Module {
    CLIPMLPImpl(int64_t hidden_size, int64_t intermediate_size, CLIPActivation act);
    torch::Tensor forward(const torch::Tensor& x);  // [B, L, C] -> [B, L, C]
    CLIPActivation act;
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(CLIPMLP);

// x + self_attn(layer_norm1(x)), then + mlp(layer_norm2(.)).
struct CLIPEncoderLayerImpl : torch::nn::Module {
    explicit CLIPEncoderLayerImpl(const CLIPEncoderConfig& c);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias = {});  // [B, L, C] -> [B, L, C]
    CLIPAttention self_attn{nullptr};
    torch::nn::LayerNorm layer_norm1{nullptr};
    CLIPMLP mlp{nullptr};
    torch::nn::LayerNorm layer_norm2{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

// layers.0 .. layers.N-1.
struct CLIPEncoderImpl : torch::nn::Module {
    explicit CLIPEncoderImpl(const CLIPEncoderConfig& c);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& bias = {});  // [B, L, C] -> [B, L, C]
    torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(CLIPEncoder);

// The most negative finite value of a floating dtype (masked attention logits).
double clip_mask_value(torch::ScalarType dtype);

}  // namespace unclip::models
