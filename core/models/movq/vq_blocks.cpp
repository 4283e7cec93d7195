// SPDX-License-Identifier: GPL-3.0-or-later
// MoVQ encoder / decoder blocks and their resamplers.
#include "core/models/movq/vq_blocks.h"

#include <torch/torch.h>

namespace unclip::models {

namespace F = torch::nn::functional;

namespace {

VQResnetBlock2DOptions resnet_options(int64_t in, int64_t out, const VQBlockOptions& o) {
    VQResnetBlock2DOptions r;
    r.in_channels = in;
    r.out_channels = out;
    r.groups = o.groups;
    r.eps = o.eps;
    r.zq_channels = o.zq_channels;
    r.act = o.act;
    return r;
}

// attention_head_dim = the block's width: one head.
VQAttentionOptions attention_options(int64_t channels, const VQBlockOptions& o) {
    VQAttentionOptions a;
    a.channels = channels;
    a.head_dim = channels;
    a.groups = o.groups;
    a.eps = o.eps;
    a.zq_channels = o.zq_channels;
    return a;
}

}  // namespace

VQDownsampleImpl::VQDownsampleImpl(int64_t channels) {
    conv = register_module("conv",
                           torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2).padding(0)));
}

torch::Tensor VQDownsampleImpl::forward(const torch::Tensor& x) {
    // Asymmetric zero padding (right and bottom only), as the reference's padding=0 variant.
    return conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kConstant).value(0)));
}

VQUpsampleImpl::VQUpsampleImpl(int64_t channels) {
    conv = register_module("conv",
                           torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(1).padding(1)));
}

torch::Tensor VQUpsampleImpl::forward(const torch::Tensor& x) {
    // The reference upsamples bfloat16 in float32 (nearest has no bfloat16 kernel there); exact either way.
    const bool bf16 = x.scalar_type() == torch::kBFloat16;
    torch::Tensor h = bf16 ? x.to(torch::kFloat32) : x;
    h = F::interpolate(h.contiguous(), F::InterpolateFuncOptions()
                                           .scale_factor(std::vector<double>{2.0, 2.0})
                                           .mode(torch::kNearest));
    if (bf16) h = h.to(torch::kBFloat16);
    return conv(h);
}

VQDownBlockImpl::VQDownBlockImpl(VQDownBlockType type, int64_t in_channels, int64_t out_channels, int64_t num_layers,
                                 bool add_downsample, const VQBlockOptions& o) {
    resnets = register_module("resnets", torch::nn::ModuleList());
    if (type == VQDownBlockType::AttnDownEncoder) attentions = register_module("attentions", torch::nn::ModuleList());
    for (int64_t i = 0; i < num_layers; ++i) {
        resnets_.emplace_back(resnet_options(i == 0 ? in_channels : out_channels, out_channels, o));
        resnets->push_back(resnets_.back());
        if (attentions) {
            attentions_.emplace_back(attention_options(out_channels, o));
            attentions->push_back(attentions_.back());
        }
    }
    if (add_downsample) {
        downsample_ = VQDownsample(out_channels);
        downsamplers = register_module("downsamplers", torch::nn::ModuleList(downsample_));
    }
}

torch::Tensor VQDownBlockImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = x;
    for (size_t i = 0; i < resnets_.size(); ++i) {
        h = resnets_[i]->forward(h);
        if (!attentions_.empty()) h = attentions_[i]->forward(h);
    }
    if (downsample_) h = downsample_->forward(h);
    return h;
}

VQMidBlockImpl::VQMidBlockImpl(int64_t channels, bool add_attention, const VQBlockOptions& o) {
    resnets = register_module("resnets", torch::nn::ModuleList());
    for (int i = 0; i < 2; ++i) {
        resnets_.emplace_back(resnet_options(channels, channels, o));
        resnets->push_back(resnets_.back());
    }
    if (add_attention) {
        attentions_.emplace_back(attention_options(channels, o));
        attentions = register_module("attentions", torch::nn::ModuleList(attentions_.back()));
    }
}

torch::Tensor VQMidBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& zq) {
    torch::Tensor h = resnets_[0]->forward(x, zq);
    if (!attentions_.empty()) h = attentions_[0]->forward(h, zq);
    return resnets_[1]->forward(h, zq);
}

VQUpBlockImpl::VQUpBlockImpl(VQUpBlockType type, int64_t in_channels, int64_t out_channels, int64_t num_layers,
                             bool add_upsample, const VQBlockOptions& o) {
    resnets = register_module("resnets", torch::nn::ModuleList());
    if (type == VQUpBlockType::AttnUpDecoder) attentions = register_module("attentions", torch::nn::ModuleList());
    for (int64_t i = 0; i < num_layers; ++i) {
        resnets_.emplace_back(resnet_options(i == 0 ? in_channels : out_channels, out_channels, o));
        resnets->push_back(resnets_.back());
        if (attentions) {
            attentions_.emplace_back(attention_options(out_channels, o));
            attentions->push_back(attentions_.back());
        }
    }
    if (add_upsample) {
        upsample_ = VQUpsample(out_channels);
        upsamplers = register_module("upsamplers", torch::nn::ModuleList(upsample_));
    }
}

torch::Tensor VQUpBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& zq) {
    torch::Tensor h = x;
    for (size_t i = 0; i < resnets_.size(); ++i) {
        h = resnets_[i]->forward(h, zq);
        if (!attentions_.empty()) h = attentions_[i]->forward(h, zq);
    }
    if (upsample_) h = upsample_->forward(h);
    return h;
}

}  // namespace unclip::models
