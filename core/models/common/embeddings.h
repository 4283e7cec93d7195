// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sinusoidal timestep embedding (diffusers get_timestep_embedding / Timesteps) and
// TimestepEmbedding (linear_1 -> SiLU -> linear_2), shared by the prior and the UNets.
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

namespace unclip::models {

// timesteps: [B] (any numeric dtype). Returns [B, dim] float32:
// f_i = exp(-ln(10000) * i / (half - freq_shift)); [sin(t f), cos(t f)], or [cos, sin] when flip_sin_to_cos.
torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos,
                                 double freq_shift);

struct TimestepEmbeddingImpl : torch::nn::Module {
    TimestepEmbeddingImpl(int64_t in_channels, int64_t time_embed_dim, int64_t out_dim = -1);
    torch::Tensor forward(const torch::Tensor& x);  // x: [B, in] -> [B, out]
    torch::nn::Linear linear_1{nullptr}, linear_2{nullptr};
};
TORCH_MODULE(TimestepEmbedding);

}  // namespace unclip::models
