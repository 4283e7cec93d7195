// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Strict loading by name: every parameter/buffer of the module must be in the state dict with the
// same shape and a compatible dtype (floating for floating: F16/BF16/F32/F64 are converted), and
// every tensor of the state dict must be used. Any mismatch is one ModelError
// that lists all missing, unexpected and mis-shaped tensors.
#include "core/io/state_dict.h"

#include <torch/nn/module.h>

#include <string>
#include <vector>

namespace unclip::models {

struct LoadOptions {
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
    // Checkpoint keys that older writers add and that carry nothing we need
    // (e.g. "text_model.embeddings.position_ids"); matched as suffixes.
    std::vector<std::string> ignore_unexpected_suffixes;
};

// `what` names the component and file in errors ("prior (/path/prior/diffusion_pytorch_model.safetensors)").
// Floating-point tensors are cast to options.dtype; all are moved to options.device. NaN/Inf in a
// weight is an error naming the tensor.
void load_weights_strict(torch::nn::Module& module, const io::StateDict& weights, const std::string& what,
                         const LoadOptions& options);

}  // namespace unclip::models
