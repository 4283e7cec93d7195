// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// diffusers UnCLIPTextProjModel (pipelines/deprecated/unclip/text_proj.py): turns the image embedding,
// CLIP text_embeds and text hidden states into the decoder's context tokens and additive time embedding.
#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <string>

namespace unclip::models {

struct UnCLIPTextProjConfig {
    int64_t clip_extra_context_tokens = 4;  // K
    int64_t clip_embeddings_dim = 768;      // E
    int64_t time_embed_dim = 0;             // T (required)
    int64_t cross_attention_dim = 0;        // C (required)
    // Missing required keys or non-positive values throw ModelError naming the key and `label`.
    static UnCLIPTextProjConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct TextProjOutput {
    torch::Tensor text_encoder_hidden_states;     // [N, K + L, C]: K extra tokens, then LayerNorm(proj(text))
    torch::Tensor additive_clip_time_embeddings;  // [N, T]
};

struct UnCLIPTextProjModelImpl : torch::nn::Module {
    explicit UnCLIPTextProjModelImpl(const UnCLIPTextProjConfig& config);

    // image_embeddings: [B, E]; prompt_embeds: [N, E]; text_encoder_hidden_states: [N, L, E].
    // With CFG the image embeddings become [learned CFG embedding x B; image_embeddings] (N = 2B), else N = B.
    // Inputs are cast to the module's dtype and device. Throws RequestError when the batches differ.
    TextProjOutput forward(const torch::Tensor& image_embeddings, const torch::Tensor& prompt_embeds,
                           const torch::Tensor& text_encoder_hidden_states, bool do_classifier_free_guidance);

    const UnCLIPTextProjConfig& config() const { return config_; }

    torch::Tensor learned_classifier_free_guidance_embeddings;  // [E]
    torch::nn::Linear embedding_proj{nullptr};                                    // E -> T
    torch::nn::Linear clip_image_embeddings_project_to_time_embeddings{nullptr};  // E -> T
    torch::nn::Linear clip_extra_context_tokens_proj{nullptr};                    // E -> K*C
    torch::nn::Linear encoder_hidden_states_proj{nullptr};                        // E -> C
    torch::nn::LayerNorm text_encoder_hidden_states_norm{nullptr};                // C

private:
    UnCLIPTextProjConfig config_;
};
TORCH_MODULE(UnCLIPTextProjModel);

}  // namespace unclip::models
