// SPDX-License-Identifier: GPL-3.0-or-later
// ImageProjection / ImageTimeEmbedding: Kandinsky 2.2's image-embedding conditioning of the UNet.
#include "core/models/unet/image_projection.h"

#include <torch/torch.h>

namespace unclip::models {

ImageProjectionImpl::ImageProjectionImpl(int64_t image_embed_dim, int64_t cross_attention_dim,
                                         int64_t num_image_text_embeds)
    : tokens_(num_image_text_embeds) {
    image_embeds = register_module("image_embeds", torch::nn::Linear(image_embed_dim, tokens_ * cross_attention_dim));
    // nn.LayerNorm's defaults (eps 1e-5, affine).
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({cross_attention_dim})));
}

torch::Tensor ImageProjectionImpl::forward(const torch::Tensor& x) {
    return norm(image_embeds(x).reshape({x.size(0), tokens_, -1}));
}

ImageTimeEmbeddingImpl::ImageTimeEmbeddingImpl(int64_t image_embed_dim, int64_t time_embed_dim) {
    image_proj = register_module("image_proj", torch::nn::Linear(image_embed_dim, time_embed_dim));
    image_norm = register_module("image_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({time_embed_dim})));
}

torch::Tensor ImageTimeEmbeddingImpl::forward(const torch::Tensor& x) { return image_norm(image_proj(x)); }

}  // namespace unclip::models
