// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/common/embeddings.h"

#include <torch/torch.h>

#include <cmath>

namespace unclip::models {

torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos,
                                 double freq_shift) {
    const int64_t half = dim / 2;
    auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device());
    torch::Tensor exponent = torch::arange(0, half, opts) * static_cast<float>(-std::log(10000.0));
    exponent = exponent / static_cast<float>(half - freq_shift);
    torch::Tensor freqs = torch::exp(exponent);
    torch::Tensor args = timesteps.reshape({-1, 1}).to(torch::kFloat32) * freqs.unsqueeze(0);
    torch::Tensor emb = flip_sin_to_cos ? torch::cat({torch::cos(args), torch::sin(args)}, -1)
                                        : torch::cat({torch::sin(args), torch::cos(args)}, -1);
    if (dim % 2 == 1) emb = torch::nn::functional::pad(emb, torch::nn::functional::PadFuncOptions({0, 1}));
    return emb;
}

TimestepEmbeddingImpl::TimestepEmbeddingImpl(int64_t in_channels, int64_t time_embed_dim, int64_t out_dim) {
    linear_1 = register_module("linear_1", torch::nn::Linear(in_channels, time_embed_dim));
    linear_2 = register_module("linear_2", torch::nn::Linear(time_embed_dim, out_dim > 0 ? out_dim : time_embed_dim));
}

torch::Tensor TimestepEmbeddingImpl::forward(const torch::Tensor& x) {
    return linear_2(torch::silu(linear_1(x)));
}

}  // namespace unclip::models
