// SPDX-License-Identifier: GPL-3.0-or-later
// Nearest-codebook-entry quantization of MoVQ latents.
#include "core/models/movq/vector_quantizer.h"

#include <torch/torch.h>

namespace unclip::models {

VectorQuantizerImpl::VectorQuantizerImpl(int64_t num_embeddings, int64_t embed_dim) {
    embedding = register_module("embedding", torch::nn::Embedding(num_embeddings, embed_dim));
}

VQQuantized VectorQuantizerImpl::forward(const torch::Tensor& z_in) {
    const int64_t b = z_in.size(0), c = z_in.size(1), h = z_in.size(2), w = z_in.size(3);
    torch::Tensor z = z_in.permute({0, 2, 3, 1}).contiguous();  // [B, H, W, C]
    // torch.cdist as the reference: its argmin (ties included) is what the indices are.
    torch::Tensor idx = torch::cdist(z.view({-1, c}), embedding->weight).argmin(1);
    torch::Tensor zq = embedding(idx).view(z.sizes());
    zq = z + (zq - z);
    return {zq.permute({0, 3, 1, 2}).contiguous(), idx.view({b, h, w})};
}

}  // namespace unclip::models
