// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CLIP text tower with projection: transformers CLIPTextModelWithProjection
// (models/clip/modeling_clip.py: CLIPTextEmbeddings, CLIPTextTransformer, text_projection).
#include "core/models/clip/clip_encoder.h"

#include <nlohmann/json.hpp>
#include <torch/nn/modules/embedding.h>

#include <string>

namespace unclip::models {

// transformers CLIPTextConfig (keys and defaults). A full CLIPConfig ("text_config" inside) is accepted too.
struct CLIPTextConfig {
    int64_t vocab_size = 49408;
    int64_t max_position_embeddings = 77;
    int64_t projection_dim = 512;
    int64_t pad_token_id = 1;
    int64_t bos_token_id = 49406;
    int64_t eos_token_id = 49407;
    CLIPEncoderConfig encoder;  // hidden_size 512, intermediate 2048, 8 heads, 12 layers, quick_gelu, eps 1e-5

    // eos_token_id == 2 is the legacy configuration: pool at argmax(input_ids).
    bool legacy_argmax_pooling() const { return eos_token_id == 2; }
    static CLIPTextConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct CLIPTextOutput {
    torch::Tensor text_embeds;        // [B, P]: text_projection(pooler_output), not normalised
    torch::Tensor last_hidden_state;  // [B, L, C]: final_layer_norm output
    torch::Tensor pooler_output;      // [B, C]: last_hidden_state at the pooled (eos) position
};

// text_model.embeddings: token_embedding, position_embedding.
struct CLIPTextEmbeddingsImpl : torch::nn::Module {
    explicit CLIPTextEmbeddingsImpl(const CLIPTextConfig& c);
    torch::Tensor forward(const torch::Tensor& input_ids);  // [B, L] int64 -> [B, L, C]
    torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(CLIPTextEmbeddings);

// text_model: embeddings, encoder, final_layer_norm.
struct CLIPTextTransformerImpl : torch::nn::Module {
    explicit CLIPTextTransformerImpl(const CLIPTextConfig& c);
    // input_ids: [B, L] int64 (L <= max_position_embeddings); attention_mask: [B, L] (1 = token,
    // 0 = padding) or undefined. Causal mask always. Returns last_hidden_state [B, L, C] and pooler_output [B, C].
    CLIPTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});
    CLIPTextConfig config;
    CLIPTextEmbeddings embeddings{nullptr};
    CLIPEncoder encoder{nullptr};
    torch::nn::LayerNorm final_layer_norm{nullptr};
};
TORCH_MODULE(CLIPTextTransformer);

// text_model + text_projection (Linear C -> P, no bias).
struct CLIPTextModelWithProjectionImpl : torch::nn::Module {
    explicit CLIPTextModelWithProjectionImpl(const CLIPTextConfig& c);
    // input_ids: [B, L] int64; attention_mask: [B, L] or undefined (the unCLIP pipelines pass none).
    CLIPTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});
    CLIPTextConfig config;
    CLIPTextTransformer text_model{nullptr};
    torch::nn::Linear text_projection{nullptr};
};
TORCH_MODULE(CLIPTextModelWithProjection);

// Older checkpoints carry this buffer; pass to LoadOptions::ignore_unexpected_suffixes.
inline constexpr const char* kCLIPTextIgnoredKey = "text_model.embeddings.position_ids";

}  // namespace unclip::models
