// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ encoder: image -> pre-quantization latents.
#include "core/models/movq/vq_encoder.h"

#include <torch/torch.h>

namespace unclip::models {

VQEncoderImpl::VQEncoderImpl(const VQEncoderOptions& o) {
    const auto& ch = o.block_out_channels;
    VQBlockOptions bo;
    bo.groups = o.norm_num_groups;
    bo.eps = 1e-6;
    bo.act = o.act;
    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in_channels, ch[0], 3).padding(1)));
    down_blocks = register_module("down_blocks", torch::nn::ModuleList());
    int64_t out = ch[0];
    for (size_t i = 0; i < o.down_block_types.size(); ++i) {
        const int64_t in = out;
        out = ch[i];
        downs_.emplace_back(o.down_block_types[i], in, out, o.layers_per_block, i + 1 < ch.size(), bo);
        down_blocks->push_back(downs_.back());
    }
    mid_block = register_module("mid_block", VQMidBlock(ch.back(), o.mid_block_add_attention, bo));
    conv_norm_out = register_module(
        "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.norm_num_groups, ch.back()).eps(1e-6)));
    conv_out = register_module("conv_out",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(ch.back(), o.out_channels, 3).padding(1)));
}

torch::Tensor VQEncoderImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = conv_in(x);
    for (auto& d : downs_) h = d->forward(h);
    h = mid_block->forward(h);
    return conv_out(torch::silu(group_norm_float(*conv_norm_out, h)));
}

}  // namespace unclip::models
