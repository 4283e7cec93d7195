// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Channels-last (NHWC) for the UNets on the CPU. LibTorch's oneDNN convolutions and its group norm,
// nearest upsampling, average pooling and channel concatenation all run faster on channels-last
// tensors there (the embedded model's super-res UNet: about 20 % less time per call at one thread),
// and the attention blocks' token views need no copy. Same values; sums may round differently
// (a few 1e-6 on the parity cases).
#include <torch/nn/module.h>
#include <torch/types.h>

namespace unclip::models {

// Stores every 4-d parameter (the convolution weights) of `module` in `format`. Values unchanged.
void set_conv_weight_format(torch::nn::Module& module, torch::MemoryFormat format);

// Whether the pipelines should run their UNets channels-last on `device` in `dtype`: the CPU in
// float32 (what was measured; CUDA keeps the layout cuDNN is given).
bool channels_last_pays(const torch::Device& device, torch::ScalarType dtype);

}  // namespace unclip::models
