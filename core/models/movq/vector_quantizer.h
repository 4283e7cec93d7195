// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MoVQ's codebook (diffusers/models/autoencoders/vae.py VectorQuantizer, no remap): every latent
// vector is replaced by its nearest (Euclidean, torch.cdist) codebook entry. The Kandinsky
// pipelines never quantize (decode(force_not_quantize=True)); kept for the plain VQModel decode.
#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>

namespace unclip::models {

struct VQQuantized {
    torch::Tensor quant;    // [B, C, H, W]: z + (codebook[idx] - z), the reference's straight-through value
    torch::Tensor indices;  // [B, H, W] int64
};

struct VectorQuantizerImpl : torch::nn::Module {
    VectorQuantizerImpl(int64_t num_embeddings, int64_t embed_dim);
    // z: [B, embed_dim, H, W]
    VQQuantized forward(const torch::Tensor& z);

    torch::nn::Embedding embedding{nullptr};  // weight [num_embeddings, embed_dim]
};
TORCH_MODULE(VectorQuantizer);

}  // namespace unclip::models
