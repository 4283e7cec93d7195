// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The image-embedding conditioning of Kandinsky 2.2's decoder UNet (diffusers/models/embeddings.py):
// ImageProjection (`encoder_hid_proj`, encoder_hid_dim_type "image_proj") turns one image embedding
// into the cross-attention context, ImageTimeEmbedding (`add_embedding`, addition_embed_type "image")
// into a term added to the time embedding.
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace unclip::models {

// image_embeds: Linear(E, tokens * C); reshaped token-major to [B, tokens, C]; norm: LayerNorm(C).
struct ImageProjectionImpl : torch::nn::Module {
    ImageProjectionImpl(int64_t image_embed_dim, int64_t cross_attention_dim, int64_t num_image_text_embeds = 32);
    // x: [B, E] -> [B, tokens, C]
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear image_embeds{nullptr};
    torch::nn::LayerNorm norm{nullptr};

private:
    int64_t tokens_ = 0;
};
TORCH_MODULE(ImageProjection);

// image_proj: Linear(E, T); image_norm: LayerNorm(T).
struct ImageTimeEmbeddingImpl : torch::nn::Module {
    ImageTimeEmbeddingImpl(int64_t image_embed_dim, int64_t time_embed_dim);
    // x: [B, E] -> [B, T]
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear image_proj{nullptr};
    torch::nn::LayerNorm image_norm{nullptr};
};
TORCH_MODULE(ImageTimeEmbedding);

}  // namespace unclip::models
