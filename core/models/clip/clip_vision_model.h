// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CLIP vision tower with projection: transformers CLIPVisionModelWithProjection
// (models/clip/modeling_clip.py: CLIPVisionEmbeddings, CLIPVisionTransformer, visual_projection).
#include "core/models/clip/clip_encoder.h"

#include <nlohmann/json.hpp>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>

#include <string>

namespace unclip::models {

// transformers CLIPVisionConfig (keys and defaults). A full CLIPConfig ("vision_config" inside) is accepted too.
struct CLIPVisionConfig {
    int64_t image_size = 224;
    int64_t patch_size = 32;
    int64_t num_channels = 3;
    int64_t projection_dim = 512;
    CLIPEncoderConfig encoder;  // hidden_size 768, intermediate 3072, 12 heads, 12 layers, quick_gelu, eps 1e-5

    int64_t num_patches() const { return (image_size / patch_size) * (image_size / patch_size); }
    static CLIPVisionConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct CLIPVisionOutput {
    torch::Tensor image_embeds;       // [B, P]: visual_projection(pooler_output), not normalised
    torch::Tensor last_hidden_state;  // [B, 1 + N, C]: encoder output (CLS first), before post_layernorm
    torch::Tensor pooler_output;      // [B, C]: post_layernorm(last_hidden_state[:, 0])
};

// vision_model.embeddings: class_embedding [C], patch_embedding (conv, no bias), position_embedding [1 + N, C].
struct CLIPVisionEmbeddingsImpl : torch::nn::Module {
    explicit CLIPVisionEmbeddingsImpl(const CLIPVisionConfig& c);
    torch::Tensor forward(const torch::Tensor& pixel_values);  // [B, 3, S, S] -> [B, 1 + N, C]
    torch::Tensor class_embedding;
    torch::nn::Conv2d patch_embedding{nullptr};
    torch::nn::Embedding position_embedding{nullptr};
};
TORCH_MODULE(CLIPVisionEmbeddings);

// vision_model: embeddings, pre_layrnorm (sic), encoder, post_layernorm.
struct CLIPVisionTransformerImpl : torch::nn::Module {
    explicit CLIPVisionTransformerImpl(const CLIPVisionConfig& c);
    CLIPVisionOutput forward(const torch::Tensor& pixel_values);  // [B, 3, S, S] (S = image_size)
    CLIPVisionConfig config;
    CLIPVisionEmbeddings embeddings{nullptr};
    torch::nn::LayerNorm pre_layrnorm{nullptr};
    CLIPEncoder encoder{nullptr};
    torch::nn::LayerNorm post_layernorm{nullptr};
};
TORCH_MODULE(CLIPVisionTransformer);

// vision_model + visual_projection (Linear C -> P, no bias).
struct CLIPVisionModelWithProjectionImpl : torch::nn::Module {
    explicit CLIPVisionModelWithProjectionImpl(const CLIPVisionConfig& c);
    // pixel_values: [B, num_channels, image_size, image_size] (any float dtype; cast to the model's).
    CLIPVisionOutput forward(const torch::Tensor& pixel_values);
    CLIPVisionConfig config;
    CLIPVisionTransformer vision_model{nullptr};
    torch::nn::Linear visual_projection{nullptr};
};
TORCH_MODULE(CLIPVisionModelWithProjection);

}  // namespace unclip::models
