// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ decoder: latents -> picture.
#include "core/models/movq/vq_decoder.h"

#include <torch/torch.h>

namespace unclip::models {

VQDecoderImpl::VQDecoderImpl(const VQDecoderOptions& o) {
    const auto& ch = o.block_out_channels;
    VQBlockOptions bo;
    bo.groups = o.norm_num_groups;
    bo.eps = 1e-6;
    bo.act = o.act;
    bo.zq_channels = o.spatial_norm ? o.in_channels : 0;
    conv_in = register_module("conv_in",
                              torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in_channels, ch.back(), 3).padding(1)));
    mid_block = register_module("mid_block", VQMidBlock(ch.back(), o.mid_block_add_attention, bo));
    up_blocks = register_module("up_blocks", torch::nn::ModuleList());
    const std::vector<int64_t> reversed(ch.rbegin(), ch.rend());
    int64_t out = reversed[0];
    for (size_t i = 0; i < o.up_block_types.size(); ++i) {
        const int64_t in = out;
        out = reversed[i];
        ups_.emplace_back(o.up_block_types[i], in, out, o.layers_per_block + 1, i + 1 < ch.size(), bo);
        up_blocks->push_back(ups_.back());
    }
    conv_norm_out = register_vq_norm(*this, "conv_norm_out", ch[0], o.norm_num_groups, 1e-6, bo.zq_channels);
    conv_out = register_module("conv_out",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(ch[0], o.out_channels, 3).padding(1)));
}

torch::Tensor VQDecoderImpl::forward(const torch::Tensor& z, const torch::Tensor& zq) {
    torch::Tensor h = conv_in(z);
    h = mid_block->forward(h, zq);
    for (auto& u : ups_) h = u->forward(h, zq);
    return conv_out(torch::silu(conv_norm_out(h, zq)));
}

}  // namespace unclip::models
