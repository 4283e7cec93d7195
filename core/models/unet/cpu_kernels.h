// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Cheaper LibTorch calls for the UNets' inference on the CPU, each giving the value the plain call
// gives (to float rounding):
//  - 1x1 convolutions through oneDNN: LibTorch 1.13 sends them to its slow im2col path at one thread
//    (its rule predates oneDNN's 1x1 kernels), three to four times slower on the super-res shapes;
//  - SiLU in place when no gradient is wanted: no new buffer for every activation;
//  - nearest x2 upsampling and the skip concatenation of channels-last tensors as one plain copy in
//    their memory order (LibTorch 1.13's kernels for these layouts are 3 to 6 times slower on the
//    super-res shapes); these two are pure copies, bit-identical to the plain calls.
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

namespace unclip::models {

// conv(x) for a convolution with a 1x1 kernel: oneDNN for channels-last float32 CPU inputs, else
// (other kernels, other inputs, or a gradient wanted) the plain call.
torch::Tensor conv1x1(torch::nn::Conv2d& conv, const torch::Tensor& x);

// silu(x), overwriting x when nothing needs x's gradient. x must be a temporary the caller owns.
torch::Tensor silu_temp(torch::Tensor x);

// interpolate(x, scale 2, nearest) for a 4-d [B, C, H, W] tensor, in x's layout.
torch::Tensor upsample_nearest_x2(const torch::Tensor& x);

// cat({a, b}, 1) for 4-d tensors; channels-last when both are.
torch::Tensor cat_channels(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace unclip::models
