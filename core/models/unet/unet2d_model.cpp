// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/unet2d_model.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"
#include "core/models/unet/channels_last.h"
#include "core/models/unet/cpu_kernels.h"
#include "core/models/unet/unet_config_util.h"
#include "core/models/unet/unet_time.h"

#include <torch/torch.h>

namespace unclip::models {

using namespace unet_config;

UNet2DConfig UNet2DConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    UNet2DConfig c;
    r.expect_one_of("_class_name", {"UNet2DModel"});

    c.sample_size = unet_config::sample_size(r);
    c.in_channels = positive_int(r, "in_channels", 3);
    c.out_channels = positive_int(r, "out_channels", 3);
    c.center_input_sample = r.get<bool>("center_input_sample", false);
    c.flip_sin_to_cos = r.get<bool>("flip_sin_to_cos", true);
    c.freq_shift = r.get<double>("freq_shift", 0.0);

    // diffusers' default blocks (DownBlock2D, AttnDownBlock2D, ...) are not Karlo blocks.
    for (const auto& name : string_list(r, "down_block_types")) {
        DownBlockType t;
        if (!parse_down_block_type(name, t) || t != DownBlockType::ResnetDownsample)
            r.unsupported("down_block_types",
                          "block '" + name + "' is not implemented for UNet2DModel; supported: ResnetDownsampleBlock2D");
        c.down_block_types.push_back(t);
    }
    for (const auto& name : string_list(r, "up_block_types")) {
        UpBlockType t;
        if (!parse_up_block_type(name, t) || t != UpBlockType::ResnetUpsample)
            r.unsupported("up_block_types",
                          "block '" + name + "' is not implemented for UNet2DModel; supported: ResnetUpsampleBlock2D");
        c.up_block_types.push_back(t);
    }
    // Absent: diffusers' default UNetMidBlock2D; null: no mid block.
    if (j.contains("mid_block_type") && j["mid_block_type"].is_null()) {
        c.mid_block_type = MidBlockType::None;
    } else {
        r.expect_one_of("mid_block_type", {"UNetMidBlock2D"});
        c.mid_block_type = MidBlockType::Plain;
    }

    const size_t n = c.down_block_types.size();
    c.block_out_channels = positive_int_list(r, "block_out_channels", c.block_out_channels);
    if (c.block_out_channels.size() != n)
        r.unsupported("block_out_channels", "expected one entry per down block (" + std::to_string(n) + ")");
    if (c.up_block_types.size() != n)
        r.unsupported("up_block_types", "expected as many up blocks as down blocks (" + std::to_string(n) + ")");
    c.layers_per_block = positive_int(r, "layers_per_block", 2);
    c.mid_block_scale_factor = r.get<double>("mid_block_scale_factor", 1.0);
    expect_silu(r, "act_fn");
    if (j.contains("norm_num_groups") && j["norm_num_groups"].is_null())
        r.unsupported("norm_num_groups", "UNets without group norms are not implemented");
    c.norm_num_groups = positive_int(r, "norm_num_groups", 32);
    for (int64_t ch : c.block_out_channels)
        if (ch % c.norm_num_groups != 0) r.unsupported("norm_num_groups", "block_out_channels must be multiples of it");
    c.norm_eps = r.get<double>("norm_eps", 1e-5);
    c.resnet_time_scale_shift =
        parse_time_embedding_norm(r.get<std::string>("resnet_time_scale_shift", "default"), "resnet_time_scale_shift", label);

    c.add_attention = r.get<bool>("add_attention", true);
    // Absent: diffusers' default 8; null: the last block's channels (one head).
    if (!j.contains("attention_head_dim")) c.attention_head_dim = 8;
    else if (j["attention_head_dim"].is_null()) c.attention_head_dim = c.block_out_channels.back();
    else c.attention_head_dim = positive_int(r, "attention_head_dim", 8);
    c.attn_norm_num_groups = r.get<int64_t>("attn_norm_num_groups", 0);
    if (c.attn_norm_num_groups < 0) r.unsupported("attn_norm_num_groups", "expected a positive integer or null");

    r.expect_one_of("time_embedding_type", {"positional"});
    c.time_embedding_dim = r.get<int64_t>("time_embedding_dim", 0);
    if (c.time_embedding_dim < 0) r.unsupported("time_embedding_dim", "expected a positive integer or null");
    reject_if_set(r, "class_embed_type", "class conditioning of UNet2DModel is not implemented");
    reject_if_set(r, "num_class_embeds", "class conditioning of UNet2DModel is not implemented");
    // Read for type only: dropout (inference); downsample_padding, downsample_type, upsample_type
    // and num_train_timesteps only affect blocks / embeddings this model does not build.
    r.get<double>("dropout", 0.0);
    r.get<int64_t>("downsample_padding", 1);
    return c;
}

UNet2DModelImpl::UNet2DModelImpl(const UNet2DConfig& cfg) : config_(cfg) {
    const auto& c = config_;
    const size_t n = c.block_out_channels.size();
    const int64_t c0 = c.block_out_channels[0];
    const int64_t temb = c.time_embed_dim();

    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.in_channels, c0, 3).padding(1)));
    time_embedding = register_module("time_embedding", TimestepEmbedding(c0, temb));

    UNetBlockCommon common;
    common.temb_channels = temb;
    common.groups = c.norm_num_groups;
    common.eps = c.norm_eps;
    common.time_embedding_norm = c.resnet_time_scale_shift;

    down_blocks = register_module("down_blocks", torch::nn::ModuleList());
    int64_t out_ch = c0;
    for (size_t i = 0; i < n; ++i) {
        DownBlockOptions o;
        o.in_channels = out_ch;
        out_ch = c.block_out_channels[i];
        o.out_channels = out_ch;
        o.num_layers = c.layers_per_block;
        o.add_downsample = i + 1 < n;
        o.common = common;
        downs_.push_back(make_down_block(c.down_block_types[i], o));
        down_blocks->push_back(downs_.back());
    }

    MidBlockOptions m;
    m.channels = c.block_out_channels.back();
    m.num_layers = 1;
    m.common = common;
    m.common.output_scale_factor = c.mid_block_scale_factor;
    m.common.attention_head_dim = c.attention_head_dim;
    m.add_attention = c.add_attention;
    m.attn_groups = c.attn_norm_num_groups > 0 ? c.attn_norm_num_groups
                    : c.resnet_time_scale_shift == TimeEmbeddingNorm::Default ? c.norm_num_groups
                                                                              : 0;
    mid_block = make_mid_block(c.mid_block_type, m);
    if (mid_block) register_module("mid_block", mid_block);

    up_blocks = register_module("up_blocks", torch::nn::ModuleList());
    std::vector<int64_t> rev(c.block_out_channels.rbegin(), c.block_out_channels.rend());
    out_ch = rev[0];
    for (size_t i = 0; i < n; ++i) {
        UpBlockOptions o;
        o.prev_output_channels = out_ch;
        out_ch = rev[i];
        o.out_channels = out_ch;
        o.in_channels = rev[std::min(i + 1, n - 1)];
        o.num_layers = c.layers_per_block + 1;
        o.add_upsample = i + 1 < n;
        o.common = common;
        ups_.push_back(make_up_block(c.up_block_types[i], o));
        up_blocks->push_back(ups_.back());
    }

    conv_norm_out = register_module(
        "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(c.norm_num_groups, c0).eps(c.norm_eps)));
    conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c0, c.out_channels, 3).padding(1)));
}

int64_t UNet2DModelImpl::num_parameters() const {
    int64_t total = 0;
    for (const auto& p : parameters()) total += p.numel();
    return total;
}

void UNet2DModelImpl::use_channels_last(bool on) {
    set_conv_weight_format(*this, on ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous);
    channels_last_ = on;
}

torch::Tensor UNet2DModelImpl::forward(const torch::Tensor& sample_in, const torch::Tensor& timestep) {
    const auto& c = config_;
    const auto dtype = conv_in->weight.scalar_type();
    const auto device = conv_in->weight.device();
    if (sample_in.dim() != 4 || sample_in.size(1) != c.in_channels)
        throw RequestError("super-res UNet: sample must be [B, " + std::to_string(c.in_channels) + ", H, W]");
    const int64_t factor = int64_t{1} << (c.block_out_channels.size() - 1);
    if (sample_in.size(2) % factor != 0 || sample_in.size(3) % factor != 0)
        throw RequestError("super-res UNet: height and width must be multiples of " + std::to_string(factor));
    const int64_t batch = sample_in.size(0);
    torch::Tensor sample = sample_in.to(device, dtype);
    if (channels_last_) sample = sample.contiguous(torch::MemoryFormat::ChannelsLast);
    if (c.center_input_sample) sample = 2 * sample - 1.0;

    torch::Tensor t = broadcast_timesteps(timestep, batch, device);
    torch::Tensor t_emb = timestep_embedding(t, c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift).to(dtype);
    torch::Tensor emb = time_embedding(t_emb);  // [B, T]

    torch::Tensor h = conv_in(sample);
    std::vector<torch::Tensor> skips{h};
    torch::Tensor none;
    for (auto& d : downs_) h = d->forward(h, emb, none, none, skips);
    if (mid_block) h = mid_block->forward(h, emb, none, none);
    for (auto& u : ups_) h = u->forward(h, skips, emb, none, none);

    h = silu_temp(conv_norm_out(h));
    return conv_out(h).contiguous();  // NCHW for the callers whatever the layout inside
}

}  // namespace unclip::models
