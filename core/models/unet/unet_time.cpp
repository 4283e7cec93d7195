// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/unet_time.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

torch::Tensor broadcast_timesteps(const torch::Tensor& timestep, int64_t batch, const torch::Device& device) {
    if (!timestep.defined()) throw RequestError("UNet: no timestep given");
    torch::Tensor t = timestep.to(device).reshape({-1});
    if (t.size(0) == 1) return t.expand({batch}).contiguous();
    if (t.size(0) != batch)
        throw RequestError("UNet: " + std::to_string(t.size(0)) + " timesteps for a batch of " + std::to_string(batch) +
                           " (give one timestep or one per sample)");
    return t;
}

}  // namespace unclip::models
