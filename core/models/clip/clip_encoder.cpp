// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/clip/clip_encoder.h"

#include "core/common/error.h"
#include "core/models/common/attention.h"

#include <torch/torch.h>

#include <limits>

namespace unclip::models {

CLIPActivation parse_clip_activation(const ConfigReader& r, CLIPActivation fallback) {
    if (!r.has("hidden_act")) return fallback;
    r.expect_one_of("hidden_act", {"quick_gelu", "gelu"});
    return r.get<std::string>("hidden_act", "") == "gelu" ? CLIPActivation::Gelu : CLIPActivation::QuickGelu;
}

CLIPEncoderConfig CLIPEncoderConfig::read(const ConfigReader& r, const CLIPEncoderConfig& d) {
    CLIPEncoderConfig c;
    c.hidden_size = r.get<int64_t>("hidden_size", d.hidden_size);
    c.intermediate_size = r.get<int64_t>("intermediate_size", d.intermediate_size);
    c.num_attention_heads = r.get<int64_t>("num_attention_heads", d.num_attention_heads);
    c.num_hidden_layers = r.get<int64_t>("num_hidden_layers", d.num_hidden_layers);
    c.hidden_act = parse_clip_activation(r, d.hidden_act);
    c.layer_norm_eps = r.get<double>("layer_norm_eps", d.layer_norm_eps);
    if (c.hidden_size <= 0) r.unsupported("hidden_size", "must be positive");
    if (c.intermediate_size <= 0) r.unsupported("intermediate_size", "must be positive");
    if (c.num_hidden_layers < 0) r.unsupported("num_hidden_layers", "must not be negative");
    if (c.num_attention_heads <= 0 || c.hidden_size % c.num_attention_heads != 0)
        r.unsupported("num_attention_heads", "must be positive and divide hidden_size " + std::to_string(c.hidden_size));
    if (!(c.layer_norm_eps > 0)) r.unsupported("layer_norm_eps", "must be positive");
    return c;
}

CLIPAttentionImpl::CLIPAttentionImpl(int64_t hidden_size, int64_t heads) : num_heads(heads) {
    q_proj = register_module("q_proj", torch::nn::Linear(hidden_size, hidden_size));
    k_proj = register_module("k_proj", torch::nn::Linear(hidden_size, hidden_size));
    v_proj = register_module("v_proj", torch::nn::Linear(hidden_size, hidden_size));
    out_proj = register_module("out_proj", torch::nn::Linear(hidden_size, hidden_size));
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
    torch::Tensor q = split_heads(q_proj(x), num_heads);  // [B, H, L, D]
    torch::Tensor k = split_heads(k_proj(x), num_heads);
    torch::Tensor v = split_heads(v_proj(x), num_heads);
    return out_proj(merge_heads(attention(q, k, v, bias)));  // [B, L, C]
}

CLIPMLPImpl::CLIPMLPImpl(int64_t hidden_size, int64_t intermediate_size, CLIPActivation a) : act(a) {
    fc1 = register_module("fc1", torch::nn::Linear(hidden_size, intermediate_size));
    fc2 = register_module("fc2", torch::nn::Linear(intermediate_size, hidden_size));
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = fc1(x);  // [B, L, I]
    h = act == CLIPActivation::QuickGelu ? h * torch::sigmoid(h * 1.702) : torch::gelu(h);
    return fc2(h);
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const CLIPEncoderConfig& c) {
    auto ln = [&] {
        return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
    };
    self_attn = register_module("self_attn", CLIPAttention(c.hidden_size, c.num_attention_heads));
    layer_norm1 = register_module("layer_norm1", ln());
    mlp = register_module("mlp", CLIPMLP(c.hidden_size, c.intermediate_size, c.hidden_act));
    layer_norm2 = register_module("layer_norm2", ln());
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
    torch::Tensor h = x + self_attn(layer_norm1(x), bias);
    return h + mlp(layer_norm2(h));
}

CLIPEncoderImpl::CLIPEncoderImpl(const CLIPEncoderConfig& c) {
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) layers->push_back(CLIPEncoderLayer(c));
}

torch::Tensor CLIPEncoderImpl::forward(torch::Tensor x, const torch::Tensor& bias) {
    for (const auto& layer : *layers) x = layer->as<CLIPEncoderLayerImpl>()->forward(x, bias);
    return x;
}

double clip_mask_value(torch::ScalarType dtype) {
    switch (dtype) {
        case torch::kFloat16: return -65504.0;
        case torch::kBFloat16: return -3.3895313892515355e38;
        case torch::kFloat64: return std::numeric_limits<double>::lowest();
        default: return static_cast<double>(std::numeric_limits<float>::lowest());
    }
}

}  // namespace unclip::models
