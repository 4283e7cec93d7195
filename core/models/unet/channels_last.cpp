// SPDX-License-Identifier: GPL-3.0-or-later
// Channels-last weights for the UNets (see channels_last.h).
#include "core/models/unet/channels_last.h"

#include <torch/torch.h>

namespace unclip::models {

void set_conv_weight_format(torch::nn::Module& module, torch::MemoryFormat format) {
    // Parameters stay ordinary tensors even when called inside an inference-mode scope.
    c10::InferenceMode normal(false);
    torch::NoGradGuard no_grad;
    for (auto& p : module.parameters())
        if (p.dim() == 4) p.set_data(p.contiguous(format));
}

bool channels_last_pays(const torch::Device& device, torch::ScalarType dtype) {
    return device.is_cpu() && dtype == torch::kFloat32;
}

}  // namespace unclip::models
