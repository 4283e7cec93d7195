// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/clip/clip_text_model.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

CLIPTextConfig CLIPTextConfig::from_json(const nlohmann::json& j_in, const std::string& label) {
    const nlohmann::json& j = (j_in.contains("text_config") && j_in["text_config"].is_object()) ? j_in["text_config"] : j_in;
    ConfigReader r(j, label);
    CLIPTextConfig c;
    c.vocab_size = r.get<int64_t>("vocab_size", c.vocab_size);
    c.max_position_embeddings = r.get<int64_t>("max_position_embeddings", c.max_position_embeddings);
    c.projection_dim = r.get<int64_t>("projection_dim", c.projection_dim);
    c.pad_token_id = r.get<int64_t>("pad_token_id", c.pad_token_id);
    c.bos_token_id = r.get<int64_t>("bos_token_id", c.bos_token_id);
    c.eos_token_id = r.get<int64_t>("eos_token_id", c.eos_token_id);
    CLIPEncoderConfig d;  // CLIPTextConfig defaults
    d.hidden_size = 512;
    d.intermediate_size = 2048;
    d.num_attention_heads = 8;
    d.num_hidden_layers = 12;
    c.encoder = CLIPEncoderConfig::read(r, d);
    if (c.vocab_size <= 0) r.unsupported("vocab_size", "must be positive");
    if (c.max_position_embeddings <= 0) r.unsupported("max_position_embeddings", "must be positive");
    if (c.projection_dim <= 0) r.unsupported("projection_dim", "must be positive");
    if (!c.legacy_argmax_pooling() && (c.eos_token_id < 0 || c.eos_token_id >= c.vocab_size))
        r.unsupported("eos_token_id", "must be 2 (legacy argmax pooling) or a token id below vocab_size");
    return c;
}

CLIPTextEmbeddingsImpl::CLIPTextEmbeddingsImpl(const CLIPTextConfig& c) {
    token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocab_size, c.encoder.hidden_size));
    position_embedding =
        register_module("position_embedding", torch::nn::Embedding(c.max_position_embeddings, c.encoder.hidden_size));
}

torch::Tensor CLIPTextEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
    const int64_t len = input_ids.size(1);
    torch::Tensor pos = torch::arange(len, input_ids.options().dtype(torch::kLong));  // [L]
    return token_embedding(input_ids) + position_embedding(pos).unsqueeze(0);       // [B, L, C]
}

CLIPTextTransformerImpl::CLIPTextTransformerImpl(const CLIPTextConfig& c) : config(c) {
    embeddings = register_module("embeddings", CLIPTextEmbeddings(c));
    encoder = register_module("encoder", CLIPEncoder(c.encoder));
    final_layer_norm = register_module(
        "final_layer_norm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.encoder.hidden_size}).eps(c.encoder.layer_norm_eps)));
}

CLIPTextOutput CLIPTextTransformerImpl::forward(const torch::Tensor& input_ids_in, const torch::Tensor& attention_mask) {
    if (input_ids_in.dim() != 2)
        throw RequestError("CLIP text encoder: input_ids must be [batch, length], got " +
                           std::to_string(input_ids_in.dim()) + " dimensions");
    const int64_t b = input_ids_in.size(0), len = input_ids_in.size(1);
    if (len < 1 || len > config.max_position_embeddings)
        throw RequestError("CLIP text encoder: sequence length " + std::to_string(len) + " is outside 1.." +
                           std::to_string(config.max_position_embeddings));
    const torch::Tensor ids = input_ids_in.to(embeddings->token_embedding->weight.device(), torch::kLong);
    torch::Tensor h = embeddings(ids);  // [B, L, C]

    // Additive bias [B or 1, 1, L, L]: causal, plus padded keys when a mask is given.
    auto bool_opts = torch::TensorOptions().dtype(torch::kBool).device(h.device());
    torch::Tensor allowed = torch::ones({len, len}, bool_opts).tril().view({1, 1, len, len});
    if (attention_mask.defined()) {
        if (attention_mask.sizes() != ids.sizes())
            throw RequestError("CLIP text encoder: attention_mask shape does not match input_ids");
        allowed = allowed.logical_and(attention_mask.to(h.device()).ne(0).view({b, 1, 1, len}));
    }
    torch::Tensor bias = torch::zeros(allowed.sizes(), h.options()).masked_fill(allowed.logical_not(),
                                                                                 clip_mask_value(h.scalar_type()));

    h = encoder(h, bias);
    CLIPTextOutput out;
    out.last_hidden_state = final_layer_norm(h);  // [B, L, C]

    // Pooled position: legacy argmax(ids); else the first eos_token_id (position 0 when a row has none).
    torch::Tensor idx = config.legacy_argmax_pooling() ? ids.argmax(-1)
                                                       : ids.eq(config.eos_token_id).to(torch::kInt).argmax(-1);
    torch::Tensor rows = torch::arange(b, idx.options());
    out.pooler_output = out.last_hidden_state.index({rows, idx});  // [B, C]
    return out;
}

CLIPTextModelWithProjectionImpl::CLIPTextModelWithProjectionImpl(const CLIPTextConfig& c) : config(c) {
    text_model = register_module("text_model", CLIPTextTransformer(c));
    text_projection = register_module(
        "text_projection",
        torch::nn::Linear(torch::nn::LinearOptions(c.encoder.hidden_size, c.projection_dim).bias(false)));
}

CLIPTextOutput CLIPTextModelWithProjectionImpl::forward(const torch::Tensor& input_ids,
                                                        const torch::Tensor& attention_mask) {
    CLIPTextOutput out = text_model(input_ids, attention_mask);
    out.text_embeds = text_projection(out.pooler_output);  // [B, P]
    return out;
}

}  // namespace unclip::models
