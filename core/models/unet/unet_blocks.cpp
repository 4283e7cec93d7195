// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/unet_blocks.h"

#include "core/common/error.h"
#include "core/models/unet/cpu_kernels.h"

#include <torch/torch.h>

namespace unclip::models {
namespace {

ResnetBlock2DOptions resnet_options(const UNetBlockCommon& c, int64_t in, int64_t out,
                                    Resample resample = Resample::None) {
    ResnetBlock2DOptions o;
    o.in_channels = in;
    o.out_channels = out;
    o.temb_channels = c.temb_channels;
    o.groups = c.groups;
    o.eps = c.eps;
    o.time_embedding_norm = c.time_embedding_norm;
    o.output_scale_factor = c.output_scale_factor;
    o.skip_time_act = c.skip_time_act;
    o.resample = resample;
    return o;
}

AttentionAddedKVOptions attention_options(const UNetBlockCommon& c, int64_t channels) {
    if (c.cross_attention_dim <= 0) throw ModelError("SimpleCrossAttn blocks need a cross_attention_dim");
    AttentionAddedKVOptions o;
    o.query_dim = channels;
    o.added_kv_dim = c.cross_attention_dim;
    o.head_dim = c.attention_head_dim;
    o.norm_groups = c.groups;
    o.norm_eps = 1e-5;  // diffusers' Attention default; norm_eps is not passed to it
    o.only_cross_attention = c.only_cross_attention;
    return o;
}

}  // namespace

bool parse_down_block_type(const std::string& name, DownBlockType& out) {
    if (name == "ResnetDownsampleBlock2D") out = DownBlockType::ResnetDownsample;
    else if (name == "SimpleCrossAttnDownBlock2D") out = DownBlockType::SimpleCrossAttn;
    else return false;
    return true;
}

bool parse_up_block_type(const std::string& name, UpBlockType& out) {
    if (name == "ResnetUpsampleBlock2D") out = UpBlockType::ResnetUpsample;
    else if (name == "SimpleCrossAttnUpBlock2D") out = UpBlockType::SimpleCrossAttn;
    else return false;
    return true;
}

bool parse_mid_block_type(const std::string& name, MidBlockType& out) {
    if (name.empty()) out = MidBlockType::None;
    else if (name == "UNetMidBlock2DSimpleCrossAttn") out = MidBlockType::SimpleCrossAttn;
    else if (name == "UNetMidBlock2D") out = MidBlockType::Plain;
    else return false;
    return true;
}

// ---- down blocks ----

ResnetDownsampleBlock2D::ResnetDownsampleBlock2D(const DownBlockOptions& o) {
    resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        resnet_blocks_.emplace_back(resnet_options(o.common, i == 0 ? o.in_channels : o.out_channels, o.out_channels));
        resnets->push_back(resnet_blocks_.back());
    }
    if (o.add_downsample) {
        downsampler_ = ResnetBlock2D(resnet_options(o.common, o.out_channels, o.out_channels, Resample::Down));
        downsamplers = register_module("downsamplers", torch::nn::ModuleList(downsampler_));
    }
}

torch::Tensor ResnetDownsampleBlock2D::forward(const torch::Tensor& h_in, const torch::Tensor& temb,
                                               const torch::Tensor&, const torch::Tensor&,
                                               std::vector<torch::Tensor>& skips) {
    torch::Tensor h = h_in;
    for (auto& r : resnet_blocks_) {
        h = r(h, temb);
        skips.push_back(h);
    }
    if (downsampler_) {
        h = downsampler_(h, temb);
        skips.push_back(h);
    }
    return h;
}

SimpleCrossAttnDownBlock2D::SimpleCrossAttnDownBlock2D(const DownBlockOptions& o) {
    attentions = register_module("attentions", torch::nn::ModuleList());
    resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        resnet_blocks_.emplace_back(resnet_options(o.common, i == 0 ? o.in_channels : o.out_channels, o.out_channels));
        resnets->push_back(resnet_blocks_.back());
        attention_blocks_.emplace_back(attention_options(o.common, o.out_channels));
        attentions->push_back(attention_blocks_.back());
    }
    if (o.add_downsample) {
        downsampler_ = ResnetBlock2D(resnet_options(o.common, o.out_channels, o.out_channels, Resample::Down));
        downsamplers = register_module("downsamplers", torch::nn::ModuleList(downsampler_));
    }
}

torch::Tensor SimpleCrossAttnDownBlock2D::forward(const torch::Tensor& h_in, const torch::Tensor& temb,
                                                  const torch::Tensor& context, const torch::Tensor& context_bias,
                                                  std::vector<torch::Tensor>& skips) {
    torch::Tensor h = h_in;
    for (size_t i = 0; i < resnet_blocks_.size(); ++i) {
        h = resnet_blocks_[i](h, temb);
        h = attention_blocks_[i](h, context, context_bias);
        skips.push_back(h);
    }
    if (downsampler_) {
        h = downsampler_(h, temb);
        skips.push_back(h);
    }
    return h;
}

// ---- up blocks ----

torch::Tensor UpBlock::take_skip(const torch::Tensor& h, std::vector<torch::Tensor>& skips) {
    if (skips.empty()) throw Error("UNet up block: no skip state left (the down and up blocks do not match)");
    torch::Tensor skip = skips.back();
    skips.pop_back();
    if (skip.size(2) != h.size(2) || skip.size(3) != h.size(3))
        throw RequestError("UNet up block: skip state of size " + std::to_string(skip.size(2)) + "x" +
                           std::to_string(skip.size(3)) + " does not match the upsampled " +
                           std::to_string(h.size(2)) + "x" + std::to_string(h.size(3)) +
                           " (the image size must be a multiple of 2^(number of down samplers))");
    return cat_channels(h, skip);
}

namespace {
// Resnet i of an up block: input = hidden (prev_output_channels for i == 0, else out) + skip
// (in_channels for the last resnet, else out).
int64_t up_resnet_in_channels(const UpBlockOptions& o, int64_t i) {
    const int64_t skip = (i == o.num_layers - 1) ? o.in_channels : o.out_channels;
    const int64_t hidden = (i == 0) ? o.prev_output_channels : o.out_channels;
    return hidden + skip;
}
}  // namespace

ResnetUpsampleBlock2D::ResnetUpsampleBlock2D(const UpBlockOptions& o) {
    resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        resnet_blocks_.emplace_back(resnet_options(o.common, up_resnet_in_channels(o, i), o.out_channels));
        resnets->push_back(resnet_blocks_.back());
    }
    if (o.add_upsample) {
        upsampler_ = ResnetBlock2D(resnet_options(o.common, o.out_channels, o.out_channels, Resample::Up));
        upsamplers = register_module("upsamplers", torch::nn::ModuleList(upsampler_));
    }
}

torch::Tensor ResnetUpsampleBlock2D::forward(const torch::Tensor& h_in, std::vector<torch::Tensor>& skips,
                                             const torch::Tensor& temb, const torch::Tensor&, const torch::Tensor&) {
    torch::Tensor h = h_in;
    for (auto& r : resnet_blocks_) h = r(take_skip(h, skips), temb);
    if (upsampler_) h = upsampler_(h, temb);
    return h;
}

SimpleCrossAttnUpBlock2D::SimpleCrossAttnUpBlock2D(const UpBlockOptions& o) {
    attentions = register_module("attentions", torch::nn::ModuleList());
    resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        resnet_blocks_.emplace_back(resnet_options(o.common, up_resnet_in_channels(o, i), o.out_channels));
        resnets->push_back(resnet_blocks_.back());
        attention_blocks_.emplace_back(attention_options(o.common, o.out_channels));
        attentions->push_back(attention_blocks_.back());
    }
    if (o.add_upsample) {
        upsampler_ = ResnetBlock2D(resnet_options(o.common, o.out_channels, o.out_channels, Resample::Up));
        upsamplers = register_module("upsamplers", torch::nn::ModuleList(upsampler_));
    }
}

torch::Tensor SimpleCrossAttnUpBlock2D::forward(const torch::Tensor& h_in, std::vector<torch::Tensor>& skips,
                                                const torch::Tensor& temb, const torch::Tensor& context,
                                                const torch::Tensor& context_bias) {
    torch::Tensor h = h_in;
    for (size_t i = 0; i < resnet_blocks_.size(); ++i) {
        h = resnet_blocks_[i](take_skip(h, skips), temb);
        h = attention_blocks_[i](h, context, context_bias);
    }
    if (upsampler_) h = upsampler_(h, temb);
    return h;
}

// ---- mid blocks ----

UNetMidBlock2DSimpleCrossAttn::UNetMidBlock2DSimpleCrossAttn(const MidBlockOptions& o) {
    attentions = register_module("attentions", torch::nn::ModuleList());
    resnets = register_module("resnets", torch::nn::ModuleList());
    resnet_blocks_.emplace_back(resnet_options(o.common, o.channels, o.channels));
    resnets->push_back(resnet_blocks_.back());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        attention_blocks_.emplace_back(attention_options(o.common, o.channels));
        attentions->push_back(attention_blocks_.back());
        resnet_blocks_.emplace_back(resnet_options(o.common, o.channels, o.channels));
        resnets->push_back(resnet_blocks_.back());
    }
}

torch::Tensor UNetMidBlock2DSimpleCrossAttn::forward(const torch::Tensor& h_in, const torch::Tensor& temb,
                                                     const torch::Tensor& context, const torch::Tensor& context_bias) {
    torch::Tensor h = resnet_blocks_[0](h_in, temb);
    for (size_t i = 0; i < attention_blocks_.size(); ++i) {
        h = attention_blocks_[i](h, context, context_bias);
        h = resnet_blocks_[i + 1](h, temb);
    }
    return h;
}

UNetMidBlock2D::UNetMidBlock2D(const MidBlockOptions& o) {
    if (o.add_attention && o.num_layers > 0) attentions = register_module("attentions", torch::nn::ModuleList());
    resnets = register_module("resnets", torch::nn::ModuleList());
    resnet_blocks_.emplace_back(resnet_options(o.common, o.channels, o.channels));
    resnets->push_back(resnet_blocks_.back());
    for (int64_t i = 0; i < o.num_layers; ++i) {
        if (o.add_attention) {
            SpatialSelfAttentionOptions a;
            a.channels = o.channels;
            a.head_dim = o.common.attention_head_dim;
            a.norm_groups = o.attn_groups;
            a.norm_eps = o.common.eps;
            a.rescale_output_factor = o.common.output_scale_factor;
            attention_blocks_.emplace_back(a);
            attentions->push_back(attention_blocks_.back());
        }
        resnet_blocks_.emplace_back(resnet_options(o.common, o.channels, o.channels));
        resnets->push_back(resnet_blocks_.back());
    }
}

torch::Tensor UNetMidBlock2D::forward(const torch::Tensor& h_in, const torch::Tensor& temb, const torch::Tensor&,
                                      const torch::Tensor&) {
    torch::Tensor h = resnet_blocks_[0](h_in, temb);
    for (size_t i = 1; i < resnet_blocks_.size(); ++i) {
        if (!attention_blocks_.empty()) h = attention_blocks_[i - 1](h);
        h = resnet_blocks_[i](h, temb);
    }
    return h;
}

// ---- factories ----

std::shared_ptr<DownBlock> make_down_block(DownBlockType type, const DownBlockOptions& options) {
    switch (type) {
        case DownBlockType::ResnetDownsample: return std::make_shared<ResnetDownsampleBlock2D>(options);
        case DownBlockType::SimpleCrossAttn: return std::make_shared<SimpleCrossAttnDownBlock2D>(options);
    }
    throw ModelError("unknown down block type");
}

std::shared_ptr<UpBlock> make_up_block(UpBlockType type, const UpBlockOptions& options) {
    switch (type) {
        case UpBlockType::ResnetUpsample: return std::make_shared<ResnetUpsampleBlock2D>(options);
        case UpBlockType::SimpleCrossAttn: return std::make_shared<SimpleCrossAttnUpBlock2D>(options);
    }
    throw ModelError("unknown up block type");
}

std::shared_ptr<MidBlock> make_mid_block(MidBlockType type, const MidBlockOptions& options) {
    switch (type) {
        case MidBlockType::None: return nullptr;
        case MidBlockType::SimpleCrossAttn: return std::make_shared<UNetMidBlock2DSimpleCrossAttn>(options);
        case MidBlockType::Plain: return std::make_shared<UNetMidBlock2D>(options);
    }
    throw ModelError("unknown mid block type");
}

}  // namespace unclip::models
