// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The timestep input of both UNets (diffusers UNet2DConditionModel.get_time_embed /
// UNet2DModel.forward): a scalar (0-dim or [1]) or one value per sample, broadcast to the batch.
#include <torch/types.h>

namespace unclip::models {

// timestep: 0-dim, [1] or [batch] (any numeric dtype) -> [batch] on `device`, dtype kept.
// A RequestError names the shapes when they do not fit.
torch::Tensor broadcast_timesteps(const torch::Tensor& timestep, int64_t batch, const torch::Device& device);

}  // namespace unclip::models
