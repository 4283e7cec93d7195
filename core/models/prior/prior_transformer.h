// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// diffusers PriorTransformer (models/transformers/prior_transformer.py): the unCLIP prior that
// denoises a CLIP image embedding conditioned on the CLIP text embedding and hidden states.
#include "core/models/common/embeddings.h"
#include "core/models/prior/transformer_block.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <string>

namespace unclip::models {

// Every PriorTransformer constructor argument with diffusers' default (= Karlo's prior config).
// Optional string settings hold "" for null; optional dims hold 0 for null.
struct PriorTransformerConfig {
    int64_t num_attention_heads = 32;
    int64_t attention_head_dim = 64;
    int64_t num_layers = 20;
    int64_t embedding_dim = 768;
    int64_t num_embeddings = 77;
    int64_t additional_embeddings = 4;
    double dropout = 0.0;                      // inference: unused
    std::string time_embed_act_fn = "silu";    // supported: "silu" (alias "swish")
    std::string norm_in_type;                  // "" or "layer"
    std::string embedding_proj_norm_type;      // "" or "layer"
    std::string encoder_hid_proj_type = "linear";  // "linear" or ""
    std::string added_emb_type = "prd";        // "prd" or ""
    int64_t time_embed_dim = 0;                // 0 -> inner_dim
    int64_t embedding_proj_dim = 0;            // 0 -> embedding_dim
    int64_t clip_embed_dim = 0;                // 0 -> embedding_dim

    int64_t inner_dim() const { return num_attention_heads * attention_head_dim; }
    int64_t resolved_time_embed_dim() const { return time_embed_dim > 0 ? time_embed_dim : inner_dim(); }
    int64_t resolved_embedding_proj_dim() const { return embedding_proj_dim > 0 ? embedding_proj_dim : embedding_dim; }
    int64_t resolved_clip_embed_dim() const { return clip_embed_dim > 0 ? clip_embed_dim : embedding_dim; }
    // Sequence length the causal mask and positional embedding are built for.
    int64_t sequence_length() const { return num_embeddings + additional_embeddings; }

    // Unsupported or invalid values throw ModelError naming the key and `label`.
    static PriorTransformerConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct PriorTransformerImpl : torch::nn::Module {
    explicit PriorTransformerImpl(const PriorTransformerConfig& config);

    // hidden_states: [B, E] noisy image embedding x_t; timestep: int scalar, [1] or [B];
    // proj_embedding: [B, P] CLIP text_embeds; encoder_hidden_states: [B, T, E] CLIP last_hidden_state
    // (T = num_embeddings; optional only when encoder_hid_proj_type is null); attention_mask: [B, T]
    // bool/int text mask (optional: without it no bias at all, not even the causal one, as diffusers).
    // -> predicted_image_embedding [B, clip_embed_dim] (with added_emb_type null: the tokens after
    // the conditioning, [B, clip_embed_dim] when that is one token).
    // Inputs are cast to the module's dtype and device.
    torch::Tensor forward(const torch::Tensor& hidden_states, const torch::Tensor& timestep,
                          const torch::Tensor& proj_embedding, const torch::Tensor& encoder_hidden_states = {},
                          const torch::Tensor& attention_mask = {});

    // x * clip_std + clip_mean; x: [B, clip_embed_dim] -> same.
    torch::Tensor post_process_latents(const torch::Tensor& x) const;

    // The additive attention bias for a [B, T] text mask: (1 - mask) * -10000 on the text keys, 0 on the
    // additional ones, plus triu(-10000, 1). -> [B, 1, L, L] float32 (L = config.sequence_length()).
    torch::Tensor attention_bias(const torch::Tensor& attention_mask) const;

    const PriorTransformerConfig& config() const { return config_; }

    TimestepEmbedding time_embedding{nullptr};
    torch::nn::Linear proj_in{nullptr}, embedding_proj{nullptr}, encoder_hidden_states_proj{nullptr};
    torch::nn::LayerNorm embedding_proj_norm{nullptr}, norm_in{nullptr}, norm_out{nullptr};
    torch::Tensor positional_embedding;  // [1, L, inner]
    torch::Tensor prd_embedding;         // [1, 1, inner] (added_emb_type "prd")
    torch::nn::ModuleList transformer_blocks{nullptr};
    std::vector<PriorTransformerBlock> blocks;
    torch::nn::Linear proj_to_clip_embeddings{nullptr};
    torch::Tensor clip_mean, clip_std;  // [1, clip_embed_dim]

private:
    PriorTransformerConfig config_;
};
TORCH_MODULE(PriorTransformer);

}  // namespace unclip::models
