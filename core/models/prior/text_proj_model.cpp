// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/prior/text_proj_model.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"

#include <torch/torch.h>

namespace unclip::models {

UnCLIPTextProjConfig UnCLIPTextProjConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    UnCLIPTextProjConfig c;
    auto positive = [&](const std::string& key, int64_t v) {
        if (v < 1) r.unsupported(key, "must be >= 1");
        return v;
    };
    c.clip_extra_context_tokens =
        positive("clip_extra_context_tokens", r.get<int64_t>("clip_extra_context_tokens", c.clip_extra_context_tokens));
    c.clip_embeddings_dim = positive("clip_embeddings_dim", r.get<int64_t>("clip_embeddings_dim", c.clip_embeddings_dim));
    c.time_embed_dim = positive("time_embed_dim", r.require<int64_t>("time_embed_dim"));
    c.cross_attention_dim = positive("cross_attention_dim", r.require<int64_t>("cross_attention_dim"));
    return c;
}

UnCLIPTextProjModelImpl::UnCLIPTextProjModelImpl(const UnCLIPTextProjConfig& c) : config_(c) {
    const int64_t E = c.clip_embeddings_dim, T = c.time_embed_dim, C = c.cross_attention_dim;
    learned_classifier_free_guidance_embeddings =
        register_parameter("learned_classifier_free_guidance_embeddings", torch::zeros({E}));
    embedding_proj = register_module("embedding_proj", torch::nn::Linear(E, T));
    clip_image_embeddings_project_to_time_embeddings =
        register_module("clip_image_embeddings_project_to_time_embeddings", torch::nn::Linear(E, T));
    clip_extra_context_tokens_proj =
        register_module("clip_extra_context_tokens_proj", torch::nn::Linear(E, c.clip_extra_context_tokens * C));
    encoder_hidden_states_proj = register_module("encoder_hidden_states_proj", torch::nn::Linear(E, C));
    text_encoder_hidden_states_norm = register_module(
        "text_encoder_hidden_states_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({C}).eps(1e-5)));
}

TextProjOutput UnCLIPTextProjModelImpl::forward(const torch::Tensor& image_embeddings_in,
                                                const torch::Tensor& prompt_embeds_in,
                                                const torch::Tensor& text_hidden_in, bool do_classifier_free_guidance) {
    const auto dtype = embedding_proj->weight.scalar_type();
    const auto device = embedding_proj->weight.device();
    torch::Tensor image_embeddings = image_embeddings_in.to(device, dtype);  // [B, E]
    torch::Tensor prompt_embeds = prompt_embeds_in.to(device, dtype);        // [N, E]
    torch::Tensor text_hidden = text_hidden_in.to(device, dtype);            // [N, L, E]
    if (image_embeddings.dim() != 2 || prompt_embeds.dim() != 2 || text_hidden.dim() != 3)
        throw RequestError("text_proj: expected image_embeddings [B, E], prompt_embeds [N, E] and "
                           "text_encoder_hidden_states [N, L, E]");
    if (do_classifier_free_guidance) {
        torch::Tensor uncond =
            learned_classifier_free_guidance_embeddings.unsqueeze(0).expand({image_embeddings.size(0), -1});
        image_embeddings = torch::cat({uncond, image_embeddings}, 0);  // [2B, E]
    }
    const int64_t n = prompt_embeds.size(0);
    if (image_embeddings.size(0) != n || text_hidden.size(0) != n)
        throw RequestError("text_proj: batch mismatch: " + std::to_string(image_embeddings.size(0)) +
                           " image embeddings (after CFG), " + std::to_string(n) + " prompt embeddings, " +
                           std::to_string(text_hidden.size(0)) + " text hidden states");

    TextProjOutput out;
    out.additive_clip_time_embeddings =
        clip_image_embeddings_project_to_time_embeddings(image_embeddings) + embedding_proj(prompt_embeds);  // [N, T]
    // [N, K*C] -> [N, C, K] -> [N, K, C]: token k, channel c = y[c*K + k].
    const int64_t K = config_.clip_extra_context_tokens;
    torch::Tensor extra = clip_extra_context_tokens_proj(image_embeddings).reshape({n, -1, K}).permute({0, 2, 1});
    torch::Tensor text = text_encoder_hidden_states_norm(encoder_hidden_states_proj(text_hidden));  // [N, L, C]
    out.text_encoder_hidden_states = torch::cat({extra, text}, 1);                                  // [N, K + L, C]
    return out;
}

}  // namespace unclip::models
