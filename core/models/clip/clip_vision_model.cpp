// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/clip/clip_vision_model.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

CLIPVisionConfig CLIPVisionConfig::from_json(const nlohmann::json& j_in, const std::string& label) {
    const nlohmann::json& j =
        (j_in.contains("vision_config") && j_in["vision_config"].is_object()) ? j_in["vision_config"] : j_in;
    ConfigReader r(j, label);
    CLIPVisionConfig c;
    c.image_size = r.get<int64_t>("image_size", c.image_size);
    c.patch_size = r.get<int64_t>("patch_size", c.patch_size);
    c.num_channels = r.get<int64_t>("num_channels", c.num_channels);
    c.projection_dim = r.get<int64_t>("projection_dim", c.projection_dim);
    CLIPEncoderConfig d;  // CLIPVisionConfig defaults
    d.hidden_size = 768;
    d.intermediate_size = 3072;
    d.num_attention_heads = 12;
    d.num_hidden_layers = 12;
    c.encoder = CLIPEncoderConfig::read(r, d);
    if (c.patch_size <= 0) r.unsupported("patch_size", "must be positive");
    // Capped so that num_patches() = (image_size / patch_size)^2 cannot overflow (Karlo: 224).
    if (c.image_size <= 0 || c.image_size > (int64_t{1} << 24) || c.image_size % c.patch_size != 0)
        r.unsupported("image_size", "must be a positive multiple of patch_size " + std::to_string(c.patch_size));
    if (c.num_channels <= 0) r.unsupported("num_channels", "must be positive");
    if (c.projection_dim <= 0) r.unsupported("projection_dim", "must be positive");
    return c;
}

CLIPVisionEmbeddingsImpl::CLIPVisionEmbeddingsImpl(const CLIPVisionConfig& c) {
    const int64_t dim = c.encoder.hidden_size;
    class_embedding = register_parameter("class_embedding", torch::randn({dim}));
    patch_embedding = register_module(
        "patch_embedding",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(c.num_channels, dim, c.patch_size).stride(c.patch_size).bias(false)));
    position_embedding = register_module("position_embedding", torch::nn::Embedding(c.num_patches() + 1, dim));
}

torch::Tensor CLIPVisionEmbeddingsImpl::forward(const torch::Tensor& pixel_values) {
    const int64_t b = pixel_values.size(0);
    torch::Tensor patches = patch_embedding(pixel_values);       // [B, C, g, g]
    patches = patches.flatten(2).transpose(1, 2);                // [B, N, C]
    torch::Tensor cls = class_embedding.view({1, 1, -1}).expand({b, 1, class_embedding.size(0)});
    torch::Tensor h = torch::cat({cls, patches}, 1);             // [B, 1 + N, C]
    return h + position_embedding->weight.unsqueeze(0);
}

CLIPVisionTransformerImpl::CLIPVisionTransformerImpl(const CLIPVisionConfig& c) : config(c) {
    auto ln = [&] {
        return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.encoder.hidden_size}).eps(c.encoder.layer_norm_eps));
    };
    embeddings = register_module("embeddings", CLIPVisionEmbeddings(c));
    pre_layrnorm = register_module("pre_layrnorm", ln());
    encoder = register_module("encoder", CLIPEncoder(c.encoder));
    post_layernorm = register_module("post_layernorm", ln());
}

CLIPVisionOutput CLIPVisionTransformerImpl::forward(const torch::Tensor& pixel_values) {
    const auto& s = pixel_values.sizes();
    if (s.size() != 4 || s[1] != config.num_channels || s[2] != config.image_size || s[3] != config.image_size)
        throw RequestError("CLIP image encoder: pixel_values must be [batch, " + std::to_string(config.num_channels) +
                           ", " + std::to_string(config.image_size) + ", " + std::to_string(config.image_size) + "]");
    const torch::Tensor& w = embeddings->patch_embedding->weight;
    torch::Tensor h = embeddings(pixel_values.to(w.device(), w.scalar_type()));  // [B, 1 + N, C]
    h = encoder(pre_layrnorm(h));
    CLIPVisionOutput out;
    out.last_hidden_state = h;
    out.pooler_output = post_layernorm(h.select(1, 0));  // [B, C]
    return out;
}

CLIPVisionModelWithProjectionImpl::CLIPVisionModelWithProjectionImpl(const CLIPVisionConfig& c) : config(c) {
    vision_model = register_module("vision_model", CLIPVisionTransformer(c));
    visual_projection = register_module(
        "visual_projection",
        torch::nn::Linear(torch::nn::LinearOptions(c.encoder.hidden_size, c.projection_dim).bias(false)));
}

CLIPVisionOutput CLIPVisionModelWithProjectionImpl::forward(const torch::Tensor& pixel_values) {
    CLIPVisionOutput out = vision_model(pixel_values);
    out.image_embeds = visual_projection(out.pooler_output);  // [B, P]
    return out;
}

}  // namespace unclip::models
