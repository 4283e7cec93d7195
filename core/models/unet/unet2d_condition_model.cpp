// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/unet2d_condition_model.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"
#include "core/models/unet/attention_added_kv.h"
#include "core/models/unet/channels_last.h"
#include "core/models/unet/cpu_kernels.h"
#include "core/models/unet/unet_config_util.h"
#include "core/models/unet/unet_time.h"

#include <torch/torch.h>

namespace unclip::models {

using namespace unet_config;

namespace {
std::string shape_string(torch::IntArrayRef s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}
}  // namespace

UNet2DConditionConfig UNet2DConditionConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    UNet2DConditionConfig c;
    r.expect_one_of("_class_name", {"UNet2DConditionModel"});

    c.sample_size = unet_config::sample_size(r);
    c.in_channels = positive_int(r, "in_channels", 4);
    c.out_channels = positive_int(r, "out_channels", 4);
    c.center_input_sample = r.get<bool>("center_input_sample", false);
    c.flip_sin_to_cos = r.get<bool>("flip_sin_to_cos", true);
    c.freq_shift = r.get<double>("freq_shift", 0.0);

    // Blocks. diffusers' defaults (CrossAttnDownBlock2D, UNetMidBlock2DCrossAttn, ...) are not
    // Karlo blocks, so the block lists must be given.
    for (const auto& name : string_list(r, "down_block_types")) {
        DownBlockType t;
        if (!parse_down_block_type(name, t))
            r.unsupported("down_block_types", "block '" + name +
                                                  "' is not implemented; supported: ResnetDownsampleBlock2D, "
                                                  "SimpleCrossAttnDownBlock2D");
        c.down_block_types.push_back(t);
    }
    for (const auto& name : string_list(r, "up_block_types")) {
        UpBlockType t;
        if (!parse_up_block_type(name, t))
            r.unsupported("up_block_types", "block '" + name +
                                                "' is not implemented; supported: ResnetUpsampleBlock2D, "
                                                "SimpleCrossAttnUpBlock2D");
        c.up_block_types.push_back(t);
    }
    if (!j.contains("mid_block_type"))
        r.unsupported("mid_block_type", "the default UNetMidBlock2DCrossAttn is not implemented; supported: "
                                        "UNetMidBlock2DSimpleCrossAttn, UNetMidBlock2D, null");
    if (!j["mid_block_type"].is_null() && !j["mid_block_type"].is_string())
        r.unsupported("mid_block_type", "expected a block type name or null");
    const std::string mid = j["mid_block_type"].is_null() ? "" : j["mid_block_type"].get<std::string>();
    if (!parse_mid_block_type(mid, c.mid_block_type))
        r.unsupported("mid_block_type", "supported: UNetMidBlock2DSimpleCrossAttn, UNetMidBlock2D, null");

    const size_t n = c.down_block_types.size();
    c.block_out_channels = positive_int_list(r, "block_out_channels", c.block_out_channels);
    if (c.block_out_channels.size() != n)
        r.unsupported("block_out_channels", "expected one entry per down block (" + std::to_string(n) + ")");
    if (c.up_block_types.size() != n)
        r.unsupported("up_block_types", "expected as many up blocks as down blocks (" + std::to_string(n) + ")");

    c.layers_per_block = int_or_list(r, "layers_per_block", 2, n);
    for (int64_t v : c.layers_per_block)
        if (v <= 0) r.unsupported("layers_per_block", "expected positive integers");
    c.only_cross_attention = bool_or_list(r, "only_cross_attention", false, n);
    const bool only_cross_is_bool = !r.has("only_cross_attention") || r.json()["only_cross_attention"].is_boolean();
    c.mid_block_only_cross_attention =
        r.get<bool>("mid_block_only_cross_attention", only_cross_is_bool ? c.only_cross_attention[0] : false);
    c.cross_attention_dim = int_or_list(r, "cross_attention_dim", 1280, n);
    c.attention_head_dim = int_or_list(r, "attention_head_dim", 8, n, -1);
    for (size_t i = 0; i < n; ++i) {
        if (c.attention_head_dim[i] < 0) c.attention_head_dim[i] = c.block_out_channels[i];
        if (c.attention_head_dim[i] == 0) r.unsupported("attention_head_dim", "expected positive integers");
        if (c.cross_attention_dim[i] <= 0) r.unsupported("cross_attention_dim", "expected positive integers");
    }
    reject_if_set(r, "num_attention_heads",
                  "diffusers refuses it too: the head count of these blocks comes from attention_head_dim");

    c.mid_block_scale_factor = r.get<double>("mid_block_scale_factor", 1.0);
    expect_silu(r, "act_fn");
    if (j.contains("norm_num_groups") && j["norm_num_groups"].is_null())
        r.unsupported("norm_num_groups", "UNets without group norms are not implemented");
    c.norm_num_groups = positive_int(r, "norm_num_groups", 32);
    c.norm_eps = r.get<double>("norm_eps", 1e-5);
    c.resnet_time_scale_shift =
        parse_time_embedding_norm(r.get<std::string>("resnet_time_scale_shift", "default"), "resnet_time_scale_shift", label);
    c.resnet_skip_time_act = r.get<bool>("resnet_skip_time_act", false);
    c.resnet_out_scale_factor = r.get<double>("resnet_out_scale_factor", 1.0);
    for (size_t i = 0; i < n; ++i)
        if (c.block_out_channels[i] % c.norm_num_groups != 0)
            r.unsupported("norm_num_groups", "block_out_channels must be multiples of it");

    // Time and class embeddings.
    r.expect_one_of("time_embedding_type", {"positional"});
    c.time_embedding_dim = r.get<int64_t>("time_embedding_dim", 0);
    if (c.time_embedding_dim < 0) r.unsupported("time_embedding_dim", "expected a positive integer or null");
    reject_if_set(r, "time_embedding_act_fn", "an activation on the time embedding is not implemented");
    reject_if_set(r, "timestep_post_act", "a post-activation in the time embedding is not implemented");
    reject_if_set(r, "time_cond_proj_dim", "timestep conditioning projections are not implemented");
    r.expect_one_of("class_embed_type", {"identity"});
    c.class_embed_identity = r.has("class_embed_type");
    reject_if_set(r, "num_class_embeds", "class embedding tables are not implemented");
    reject_if_true(r, "class_embeddings_concat", "concatenated class embeddings are not implemented");
    // Kandinsky 2.2's image conditioning. diffusers reads a set encoder_hid_dim without a type as
    // "text_proj", and needs encoder_hid_dim for every type.
    r.expect_one_of("encoder_hid_dim_type", {"image_proj"});
    r.expect_one_of("addition_embed_type", {"image"});
    c.encoder_hid_image_proj = r.has("encoder_hid_dim_type");
    c.addition_embed_image = r.has("addition_embed_type");
    if (r.has("encoder_hid_dim")) {
        if (!c.encoder_hid_image_proj)
            r.unsupported("encoder_hid_dim", "without encoder_hid_dim_type diffusers projects it as \"text_proj\", "
                                             "which is not implemented; supported: encoder_hid_dim_type \"image_proj\"");
        c.encoder_hid_dim = positive_int(r, "encoder_hid_dim", 0);
    } else if (c.encoder_hid_image_proj) {
        r.unsupported("encoder_hid_dim_type", "needs encoder_hid_dim (the image embedding width)");
    } else if (c.addition_embed_image) {
        r.unsupported("addition_embed_type", "needs encoder_hid_dim (the image embedding width)");
    }
    if (c.encoder_hid_image_proj)
        for (int64_t d : c.cross_attention_dim)
            if (d != c.cross_attention_dim[0])
                r.unsupported("cross_attention_dim", "encoder_hid_dim_type \"image_proj\" needs one width for every block");
    reject_if_set(r, "cross_attention_norm", "normed cross-attention contexts are not implemented");
    r.expect_one_of("attention_type", {"default"});

    c.conv_in_kernel = positive_int(r, "conv_in_kernel", 3);
    c.conv_out_kernel = positive_int(r, "conv_out_kernel", 3);
    if (c.conv_in_kernel % 2 == 0) r.unsupported("conv_in_kernel", "expected an odd kernel size");
    if (c.conv_out_kernel % 2 == 0) r.unsupported("conv_out_kernel", "expected an odd kernel size");
    // Read for type only: dropout (inference), downsample_padding (no conv downsamplers in these
    // blocks); dual_cross_attention, use_linear_projection, upcast_attention and
    // transformer_layers_per_block only affect blocks this model does not build.
    r.get<double>("dropout", 0.0);
    r.get<int64_t>("downsample_padding", 1);
    return c;
}

UNet2DConditionModelImpl::UNet2DConditionModelImpl(const UNet2DConditionConfig& cfg) : config_(cfg) {
    const auto& c = config_;
    const size_t n = c.block_out_channels.size();
    const int64_t c0 = c.block_out_channels[0];
    const int64_t temb = c.time_embed_dim();

    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.in_channels, c0, c.conv_in_kernel)
                                                               .padding((c.conv_in_kernel - 1) / 2)));
    time_embedding = register_module("time_embedding", TimestepEmbedding(c0, temb));
    if (c.encoder_hid_image_proj)
        encoder_hid_proj = register_module(
            "encoder_hid_proj",
            ImageProjection(c.encoder_hid_dim, c.cross_attention_dim[0], UNet2DConditionConfig::num_image_text_embeds));
    if (c.addition_embed_image)
        add_embedding = register_module("add_embedding", ImageTimeEmbedding(c.encoder_hid_dim, temb));

    UNetBlockCommon common;
    common.temb_channels = temb;
    common.groups = c.norm_num_groups;
    common.eps = c.norm_eps;
    common.time_embedding_norm = c.resnet_time_scale_shift;
    common.output_scale_factor = c.resnet_out_scale_factor;
    common.skip_time_act = c.resnet_skip_time_act;

    down_blocks = register_module("down_blocks", torch::nn::ModuleList());
    int64_t out_ch = c0;
    for (size_t i = 0; i < n; ++i) {
        DownBlockOptions o;
        o.in_channels = out_ch;
        out_ch = c.block_out_channels[i];
        o.out_channels = out_ch;
        o.num_layers = c.layers_per_block[i];
        o.add_downsample = i + 1 < n;
        o.common = common;
        o.common.cross_attention_dim = c.cross_attention_dim[i];
        o.common.attention_head_dim = c.attention_head_dim[i];
        o.common.only_cross_attention = c.only_cross_attention[i];
        downs_.push_back(make_down_block(c.down_block_types[i], o));
        down_blocks->push_back(downs_.back());
    }

    MidBlockOptions m;
    m.channels = c.block_out_channels.back();
    m.common = common;
    m.common.output_scale_factor = c.mid_block_scale_factor;
    m.common.cross_attention_dim = c.cross_attention_dim.back();
    m.common.attention_head_dim = c.attention_head_dim.back();
    m.common.only_cross_attention = c.mid_block_only_cross_attention;
    m.num_layers = c.mid_block_type == MidBlockType::Plain ? 0 : 1;  // get_mid_block: UNetMidBlock2D(num_layers=0)
    m.add_attention = false;
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
        o.num_layers = c.layers_per_block[n - 1 - i] + 1;
        o.add_upsample = i + 1 < n;
        o.common = common;
        o.common.cross_attention_dim = c.cross_attention_dim[n - 1 - i];
        o.common.attention_head_dim = c.attention_head_dim[i];  // NOT reversed, as in diffusers
        o.common.only_cross_attention = c.only_cross_attention[n - 1 - i];
        ups_.push_back(make_up_block(c.up_block_types[i], o));
        up_blocks->push_back(ups_.back());
    }

    conv_norm_out = register_module(
        "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(c.norm_num_groups, c0).eps(c.norm_eps)));
    conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c0, c.out_channels, c.conv_out_kernel)
                                                                 .padding((c.conv_out_kernel - 1) / 2)));
}

int64_t UNet2DConditionModelImpl::num_parameters() const {
    int64_t total = 0;
    for (const auto& p : parameters()) total += p.numel();
    return total;
}

torch::Tensor UNet2DConditionModelImpl::time_embed(const torch::Tensor& timestep, int64_t batch) {
    const auto& c = config_;
    const auto dtype = conv_in->weight.scalar_type();
    torch::Tensor t = broadcast_timesteps(timestep, batch, conv_in->weight.device());
    torch::Tensor t_emb = timestep_embedding(t, c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift).to(dtype);
    return time_embedding(t_emb);  // [B, T]
}

void UNet2DConditionModelImpl::use_channels_last(bool on) {
    set_conv_weight_format(*this, on ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous);
    channels_last_ = on;
}

torch::Tensor UNet2DConditionModelImpl::forward(const torch::Tensor& sample_in, const torch::Tensor& timestep,
                                                const torch::Tensor& encoder_hidden_states,
                                                const torch::Tensor& class_labels,
                                                const torch::Tensor& attention_mask,
                                                const torch::Tensor& image_embeds_in) {
    const auto& c = config_;
    const auto dtype = conv_in->weight.scalar_type();
    const auto device = conv_in->weight.device();
    if (sample_in.dim() != 4 || sample_in.size(1) != c.in_channels)
        throw RequestError("decoder UNet: sample must be [B, " + std::to_string(c.in_channels) + ", H, W]");
    const int64_t factor = int64_t{1} << (c.block_out_channels.size() - 1);
    if (sample_in.size(2) % factor != 0 || sample_in.size(3) % factor != 0)
        throw RequestError("decoder UNet: height and width must be multiples of " + std::to_string(factor));
    const int64_t batch = sample_in.size(0);
    torch::Tensor sample = sample_in.to(device, dtype);
    if (channels_last_) sample = sample.contiguous(torch::MemoryFormat::ChannelsLast);

    torch::Tensor image_embeds;
    if (c.takes_image_embeds()) {
        if (!image_embeds_in.defined())
            throw RequestError("decoder UNet: image_embeds [B, " + std::to_string(c.encoder_hid_dim) +
                               "] are required (this UNet is conditioned on an image embedding)");
        if (image_embeds_in.dim() != 2 || image_embeds_in.size(0) != batch ||
            image_embeds_in.size(1) != c.encoder_hid_dim)
            throw RequestError("decoder UNet: image_embeds must be [" + std::to_string(batch) + ", " +
                               std::to_string(c.encoder_hid_dim) + "] (the sample's batch, encoder_hid_dim), got " +
                               shape_string(image_embeds_in.sizes()));
        image_embeds = image_embeds_in.to(device, dtype);
    } else if (image_embeds_in.defined()) {
        throw RequestError("decoder UNet: image_embeds given, but this UNet takes none (no encoder_hid_dim_type "
                           "\"image_proj\" or addition_embed_type \"image\")");
    }

    torch::Tensor context, bias;
    if (c.encoder_hid_image_proj) {
        if (encoder_hidden_states.defined())
            throw RequestError("decoder UNet: encoder_hidden_states must not be given: this UNet's context is "
                               "projected from image_embeds (encoder_hid_dim_type \"image_proj\")");
        context = encoder_hid_proj(image_embeds);  // [B, 32, cross_attention_dim]
    } else if (encoder_hidden_states.defined()) {
        if (encoder_hidden_states.dim() != 3 || encoder_hidden_states.size(0) != batch)
            throw RequestError("decoder UNet: encoder_hidden_states must be [B, L, D] with the sample's batch");
        context = encoder_hidden_states.to(device, dtype);
    }
    if (attention_mask.defined()) {
        if (!context.defined()) throw RequestError("decoder UNet: an attention mask needs encoder_hidden_states");
        if (attention_mask.dim() != 2 || attention_mask.size(0) != batch || attention_mask.size(1) != context.size(1))
            throw RequestError("decoder UNet: attention_mask must be [B, L] matching encoder_hidden_states");
        bias = attention_mask_to_bias(attention_mask.to(device), dtype);  // [B, L]
    }

    if (c.center_input_sample) sample = 2 * sample - 1.0;

    // Time (+ class, + image) embedding.
    torch::Tensor emb = time_embed(timestep, batch);  // [B, T]
    if (c.class_embed_identity) {
        if (!class_labels.defined())
            throw RequestError("decoder UNet: class_labels are required (class_embed_type identity)");
        if (class_labels.size(-1) != emb.size(-1))
            throw RequestError("decoder UNet: class_labels must be [B, " + std::to_string(emb.size(-1)) + "]");
        emb = emb + class_labels.to(device, dtype);
    }
    if (c.addition_embed_image) emb = emb + add_embedding(image_embeds);

    torch::Tensor h = conv_in(sample);
    std::vector<torch::Tensor> skips{h};
    for (auto& d : downs_) h = d->forward(h, emb, context, bias, skips);
    if (mid_block) h = mid_block->forward(h, emb, context, bias);
    for (auto& u : ups_) h = u->forward(h, skips, emb, context, bias);

    h = silu_temp(conv_norm_out(h));
    return conv_out(h).contiguous();  // NCHW for the callers whatever the layout inside
}

}  // namespace unclip::models
