// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Cheaper LibTorch calls for the UNets' inference on the CPU, each giving the value the plain call
// gives (to float rounding):
//  - 1x1 convolutions through oneDNN: LibTorch 1.13 sends them to its slow im2col path at one thread
//    (its rule predates oneDNN's 1x1 kernels), three to four times slower on the super-res shapes;
//  - SiLU in place when no gradient is wanted: no new buffer for every activation.
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

namespace unclip::models {

// conv(x) for a convolution with a 1x1 kernel: oneDNN for channels-last float32 CPU inputs, else
// (other kernels, other inputs, or a gradient wanted) the plain call.
torch::Tensor conv1x1(torch::nn::Conv2d& conv, const torch::Tensor& x);

// silu(x), overwriting x when nothing needs x's gradient. x must be a temporary the caller owns.
torch::Tensor silu_temp(torch::Tensor x);

}  // namespace unclip::models
