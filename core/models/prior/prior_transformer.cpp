// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/prior/prior_transformer.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"

#include <torch/torch.h>

#include <sstream>

namespace unclip::models {
namespace {

// Sizes are capped so that the derived sizes (inner_dim = heads * head_dim, sequence_length)
// cannot overflow; Karlo's largest is 768.
constexpr int64_t kMaxDim = int64_t{1} << 24;

int64_t read_dim(const ConfigReader& r, const std::string& key, int64_t fallback, int64_t min_value) {
    const int64_t v = r.get<int64_t>(key, fallback);
    if (v < min_value || v > kMaxDim)
        r.unsupported(key, "must be between " + std::to_string(min_value) + " and " + std::to_string(kMaxDim));
    return v;
}

// Optional string setting: "" for null; anything but null or one of `allowed` is unsupported.
std::string read_choice(const ConfigReader& r, const std::string& key, const std::string& fallback,
                        const std::vector<std::string>& allowed) {
    r.expect_one_of(key, allowed);
    return r.get<std::string>(key, fallback);
}

std::string shape_str(torch::IntArrayRef s) {
    std::ostringstream o;
    o << s;
    return o.str();
}

}  // namespace

PriorTransformerConfig PriorTransformerConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    PriorTransformerConfig c;
    c.num_attention_heads = read_dim(r, "num_attention_heads", c.num_attention_heads, 1);
    c.attention_head_dim = read_dim(r, "attention_head_dim", c.attention_head_dim, 1);
    c.num_layers = read_dim(r, "num_layers", c.num_layers, 0);
    c.embedding_dim = read_dim(r, "embedding_dim", c.embedding_dim, 1);
    c.num_embeddings = read_dim(r, "num_embeddings", c.num_embeddings, 0);
    c.additional_embeddings = read_dim(r, "additional_embeddings", c.additional_embeddings, 0);
    c.dropout = r.get<double>("dropout", c.dropout);
    // null means the default "silu" here (diffusers would fail on it); "swish" is the same function.
    r.expect_one_of("time_embed_act_fn", {"silu", "swish"});
    c.time_embed_act_fn = "silu";
    // For these a JSON null is a real choice (no layer), not "use the default".
    c.norm_in_type = read_choice(r, "norm_in_type", "", {"layer"});
    c.embedding_proj_norm_type = read_choice(r, "embedding_proj_norm_type", "", {"layer"});
    if (j.contains("encoder_hid_proj_type") && j["encoder_hid_proj_type"].is_null())
        c.encoder_hid_proj_type = "";
    else
        c.encoder_hid_proj_type = read_choice(r, "encoder_hid_proj_type", "linear", {"linear"});
    if (j.contains("added_emb_type") && j["added_emb_type"].is_null())
        c.added_emb_type = "";
    else
        c.added_emb_type = read_choice(r, "added_emb_type", "prd", {"prd"});
    // 0 or null -> derived (diffusers uses `value or default`).
    c.time_embed_dim = read_dim(r, "time_embed_dim", 0, 0);
    c.embedding_proj_dim = read_dim(r, "embedding_proj_dim", 0, 0);
    c.clip_embed_dim = read_dim(r, "clip_embed_dim", 0, 0);
    return c;
}

PriorTransformerImpl::PriorTransformerImpl(const PriorTransformerConfig& c) : config_(c) {
    const int64_t inner = c.inner_dim();
    const int64_t clip_dim = c.resolved_clip_embed_dim();
    time_embedding = register_module("time_embedding", TimestepEmbedding(inner, c.resolved_time_embed_dim(), inner));
    proj_in = register_module("proj_in", torch::nn::Linear(c.embedding_dim, inner));
    if (c.embedding_proj_norm_type == "layer")
        embedding_proj_norm = register_module(
            "embedding_proj_norm",
            torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.resolved_embedding_proj_dim()}).eps(1e-5)));
    embedding_proj = register_module("embedding_proj", torch::nn::Linear(c.resolved_embedding_proj_dim(), inner));
    if (c.encoder_hid_proj_type == "linear")
        encoder_hidden_states_proj =
            register_module("encoder_hidden_states_proj", torch::nn::Linear(c.embedding_dim, inner));
    positional_embedding = register_parameter("positional_embedding", torch::zeros({1, c.sequence_length(), inner}));
    if (c.added_emb_type == "prd") prd_embedding = register_parameter("prd_embedding", torch::zeros({1, 1, inner}));
    transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_layers; ++i) {
        blocks.push_back(PriorTransformerBlock(inner, c.num_attention_heads, c.attention_head_dim));
        transformer_blocks->push_back(blocks.back());
    }
    if (c.norm_in_type == "layer")
        norm_in = register_module("norm_in", torch::nn::LayerNorm(torch::nn::LayerNormOptions({inner}).eps(1e-5)));
    norm_out = register_module("norm_out", torch::nn::LayerNorm(torch::nn::LayerNormOptions({inner}).eps(1e-5)));
    proj_to_clip_embeddings = register_module("proj_to_clip_embeddings", torch::nn::Linear(inner, clip_dim));
    clip_mean = register_parameter("clip_mean", torch::zeros({1, clip_dim}));
    clip_std = register_parameter("clip_std", torch::zeros({1, clip_dim}));
}

torch::Tensor PriorTransformerImpl::attention_bias(const torch::Tensor& attention_mask) const {
    const int64_t L = config_.sequence_length();
    auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(attention_mask.device());
    torch::Tensor text = (1.0f - attention_mask.to(torch::kFloat32)) * -10000.0f;  // [B, T]
    if (text.size(1) + config_.additional_embeddings != L)
        throw RequestError("prior: attention_mask has " + std::to_string(text.size(1)) + " tokens, expected " +
                           std::to_string(config_.num_embeddings));
    text = torch::cat({text, torch::zeros({text.size(0), config_.additional_embeddings}, f32)}, 1);  // [B, L]
    torch::Tensor causal = torch::full({L, L}, -10000.0f, f32).triu(1);                               // [L, L]
    return (text.unsqueeze(1) + causal.unsqueeze(0)).unsqueeze(1);                                     // [B, 1, L, L]
}

torch::Tensor PriorTransformerImpl::forward(const torch::Tensor& hidden_states_in, const torch::Tensor& timestep,
                                            const torch::Tensor& proj_embedding_in,
                                            const torch::Tensor& encoder_hidden_states_in,
                                            const torch::Tensor& attention_mask) {
    const auto dtype = proj_in->weight.scalar_type();
    const auto device = proj_in->weight.device();
    auto cast = [&](const torch::Tensor& t) { return t.to(device, dtype); };
    if (hidden_states_in.dim() != 2 || proj_embedding_in.dim() != 2)
        throw RequestError("prior: hidden_states and proj_embedding must be [B, E], got " +
                           shape_str(hidden_states_in.sizes()) + " and " + shape_str(proj_embedding_in.sizes()));
    const int64_t batch = hidden_states_in.size(0);

    // Timesteps [B] -> sinusoidal [B, inner] (float32) -> time embedding [B, inner].
    torch::Tensor t = timestep.reshape({-1}).to(device);
    if (t.numel() == 1)
        t = t.expand({batch});
    else if (t.numel() != batch)
        throw RequestError("prior: timestep has " + std::to_string(t.numel()) + " values for a batch of " +
                           std::to_string(batch));
    torch::Tensor time_emb = time_embedding(timestep_embedding(t, config_.inner_dim(), true, 0.0).to(dtype));

    torch::Tensor proj_embedding = cast(proj_embedding_in);
    if (embedding_proj_norm) proj_embedding = embedding_proj_norm(proj_embedding);
    torch::Tensor proj_embeddings = embedding_proj(proj_embedding).unsqueeze(1);  // [B, 1, inner]

    std::vector<torch::Tensor> tokens;
    int64_t text_len = 0;
    if (encoder_hidden_states_in.defined()) {
        torch::Tensor ehs = cast(encoder_hidden_states_in);  // [B, T, E]
        if (encoder_hidden_states_proj) ehs = encoder_hidden_states_proj(ehs);
        if (ehs.dim() != 3 || ehs.size(0) != batch || ehs.size(2) != config_.inner_dim())
            throw RequestError("prior: encoder_hidden_states " + shape_str(encoder_hidden_states_in.sizes()) +
                               " do not fit a batch of " + std::to_string(batch) + " (width " +
                               std::to_string(encoder_hidden_states_proj ? config_.embedding_dim : config_.inner_dim()) +
                               " expected)");
        text_len = ehs.size(1);
        tokens.push_back(ehs);  // [B, T, inner]
    } else if (encoder_hidden_states_proj) {
        throw RequestError("prior: encoder_hidden_states are required (encoder_hid_proj_type is \"linear\")");
    }
    tokens.push_back(proj_embeddings);
    tokens.push_back(time_emb.unsqueeze(1));                       // [B, 1, inner]
    tokens.push_back(proj_in(cast(hidden_states_in)).unsqueeze(1));  // [B, 1, inner]
    if (prd_embedding.defined()) tokens.push_back(prd_embedding.expand({batch, -1, -1}));
    torch::Tensor h = torch::cat(tokens, 1);  // [B, L, inner]

    // A shorter positional embedding covers only the tokens between the conditioning and prd (diffusers pads).
    const int64_t before = text_len + 2;
    torch::Tensor pos = positional_embedding;
    if (pos.size(1) < h.size(1))
        pos = torch::constant_pad_nd(pos, {0, 0, before, prd_embedding.defined() ? 1 : 0}, 0.0);
    if (pos.size(1) != h.size(1))
        throw RequestError("prior: the token sequence has " + std::to_string(h.size(1)) +
                           " tokens but the positional embedding " + std::to_string(positional_embedding.size(1)));
    h = h + pos;

    torch::Tensor bias;
    if (attention_mask.defined()) bias = attention_bias(attention_mask.to(device));
    if (norm_in) h = norm_in(h);
    for (auto& block : blocks) h = block(h, bias);
    h = norm_out(h);

    torch::Tensor out = prd_embedding.defined() ? h.select(1, -1) : h.slice(1, before);
    if (out.dim() == 3 && out.size(1) == 1) out = out.squeeze(1);
    return proj_to_clip_embeddings(out);  // [B, clip_embed_dim]
}

torch::Tensor PriorTransformerImpl::post_process_latents(const torch::Tensor& x) const {
    return x.to(clip_std.device(), clip_std.scalar_type()) * clip_std + clip_mean;
}

}  // namespace unclip::models
