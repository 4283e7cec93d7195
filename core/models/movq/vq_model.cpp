// SPDX-License-Identifier: GPL-3.0-or-later
// VQModel config parsing (diffusers' defaults) and the encode / decode entry points.
#include "core/models/movq/vq_model.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"

#include <torch/torch.h>

namespace unclip::models {

namespace {

// get_down_block / get_up_block strip a "UNetRes" prefix before matching.
std::string block_name(std::string name) {
    if (name.rfind("UNetRes", 0) == 0) name = name.substr(7);
    return name;
}

std::vector<std::string> string_list(const ConfigReader& r, const std::string& key,
                                     const std::vector<std::string>& fallback) {
    if (!r.has(key)) return fallback;
    const auto& v = r.json()[key];
    if (!v.is_array() || v.empty()) r.unsupported(key, "expected a non-empty list of block type names");
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) r.unsupported(key, "expected a non-empty list of block type names");
        out.push_back(e.get<std::string>());
    }
    return out;
}

[[noreturn]] void bad(const std::string& label, const std::string& key, const std::string& why) {
    throw ModelError(label + ": config key '" + key + "' " + why);
}

}  // namespace

int64_t VQModelConfig::scale_factor() const {
    return int64_t{1} << (block_out_channels.empty() ? 0 : block_out_channels.size() - 1);
}

VQModelConfig VQModelConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    VQModelConfig c;
    r.expect_one_of("_class_name", {"VQModel"});
    c.in_channels = r.get<int64_t>("in_channels", 3);
    c.out_channels = r.get<int64_t>("out_channels", 3);

    c.down_block_types.clear();
    for (const auto& raw : string_list(r, "down_block_types", {"DownEncoderBlock2D"})) {
        const std::string name = block_name(raw);
        if (name == "DownEncoderBlock2D")
            c.down_block_types.push_back(VQDownBlockType::DownEncoder);
        else if (name == "AttnDownEncoderBlock2D")
            c.down_block_types.push_back(VQDownBlockType::AttnDownEncoder);
        else
            r.unsupported("down_block_types",
                          "block '" + raw + "' is not supported; supported: DownEncoderBlock2D, AttnDownEncoderBlock2D");
    }
    c.up_block_types.clear();
    for (const auto& raw : string_list(r, "up_block_types", {"UpDecoderBlock2D"})) {
        const std::string name = block_name(raw);
        if (name == "UpDecoderBlock2D")
            c.up_block_types.push_back(VQUpBlockType::UpDecoder);
        else if (name == "AttnUpDecoderBlock2D")
            c.up_block_types.push_back(VQUpBlockType::AttnUpDecoder);
        else
            r.unsupported("up_block_types",
                          "block '" + raw + "' is not supported; supported: UpDecoderBlock2D, AttnUpDecoderBlock2D");
    }
    c.block_out_channels = r.get<std::vector<int64_t>>("block_out_channels", {64});
    c.layers_per_block = r.get<int64_t>("layers_per_block", 1);
    c.act_fn = parse_vq_activation(r.get<std::string>("act_fn", "silu"), "act_fn", label);
    c.latent_channels = r.get<int64_t>("latent_channels", 3);
    // An int, or [height, width] in some diffusers configs (informational either way).
    if (r.has("sample_size") && j["sample_size"].is_array()) {
        const auto hw = r.get<std::vector<int64_t>>("sample_size", {});
        if (hw.empty()) r.unsupported("sample_size", "expected an integer or [height, width]");
        c.sample_size = hw[0];
    } else
        c.sample_size = r.get<int64_t>("sample_size", 32);
    c.num_vq_embeddings = r.get<int64_t>("num_vq_embeddings", 256);
    c.norm_num_groups = r.get<int64_t>("norm_num_groups", 32);
    c.vq_embed_dim = r.get<int64_t>("vq_embed_dim", 0);
    if (r.has("vq_embed_dim") && c.vq_embed_dim <= 0) r.unsupported("vq_embed_dim", "expected a positive integer or null");
    c.scaling_factor = r.get<double>("scaling_factor", 0.18215);
    r.expect_one_of("norm_type", {"group", "spatial"});
    c.norm_type = r.get<std::string>("norm_type", "group") == "spatial" ? VQNormType::Spatial : VQNormType::Group;
    c.mid_block_add_attention = r.get<bool>("mid_block_add_attention", true);
    if (r.get<bool>("lookup_from_codebook", false))
        r.unsupported("lookup_from_codebook", "decode takes latents here, not codebook indices");
    c.force_upcast = r.get<bool>("force_upcast", false);
    c.validate(label);
    return c;
}

void VQModelConfig::validate(const std::string& label) const {
    auto positive = [&](const char* key, int64_t v) {
        if (v <= 0) bad(label, key, "= " + std::to_string(v) + " must be a positive integer");
    };
    positive("in_channels", in_channels);
    positive("out_channels", out_channels);
    positive("latent_channels", latent_channels);
    positive("layers_per_block", layers_per_block);
    positive("num_vq_embeddings", num_vq_embeddings);
    positive("norm_num_groups", norm_num_groups);
    positive("vq_embed_dim", embed_dim());
    if (block_out_channels.empty()) bad(label, "block_out_channels", "must list at least one width");
    if (block_out_channels.size() > 16) bad(label, "block_out_channels", "has more levels than any VQModel (16)");
    for (int64_t w : block_out_channels) {
        if (w <= 0) bad(label, "block_out_channels", "must hold positive integers (got " + std::to_string(w) + ")");
        if (w % norm_num_groups != 0)
            bad(label, "norm_num_groups",
                "= " + std::to_string(norm_num_groups) + " must divide every block_out_channels entry (got " +
                    std::to_string(w) + ")");
        if (norm_type == VQNormType::Spatial && w % kSpatialNormGroups != 0)
            bad(label, "block_out_channels",
                "entry " + std::to_string(w) +
                    " is not a multiple of 32: with norm_type \"spatial\" the decoder's SpatialNorms use 32 groups");
    }
    const size_t n = block_out_channels.size();
    if (down_block_types.size() != n)
        bad(label, "down_block_types",
            "has " + std::to_string(down_block_types.size()) + " entries; expected one per block_out_channels entry (" +
                std::to_string(n) + ")");
    if (up_block_types.size() != n)
        bad(label, "up_block_types",
            "has " + std::to_string(up_block_types.size()) + " entries; expected one per block_out_channels entry (" +
                std::to_string(n) + ")");
    // The spatial decoder conditions on the decode input (vq_embed_dim channels) with convs built
    // for latent_channels inputs: the reference only works when they agree.
    if (norm_type == VQNormType::Spatial && embed_dim() != latent_channels)
        bad(label, "vq_embed_dim",
            "= " + std::to_string(embed_dim()) + " must equal latent_channels (" + std::to_string(latent_channels) +
                ") with norm_type \"spatial\"");
}

VQModelImpl::VQModelImpl(const VQModelConfig& config) : config_(config) {
    config_.validate("VQModel");
    if (config_.vq_embed_dim <= 0) config_.vq_embed_dim = config_.latent_channels;
    const auto& c = config_;

    VQEncoderOptions eo;
    eo.in_channels = c.in_channels;
    eo.out_channels = c.latent_channels;
    eo.down_block_types = c.down_block_types;
    eo.block_out_channels = c.block_out_channels;
    eo.layers_per_block = c.layers_per_block;
    eo.norm_num_groups = c.norm_num_groups;
    eo.act = c.act_fn;
    eo.mid_block_add_attention = c.mid_block_add_attention;
    encoder = register_module("encoder", VQEncoder(eo));

    quant_conv = register_module("quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.latent_channels, c.embed_dim(), 1)));
    quantize = register_module("quantize", VectorQuantizer(c.num_vq_embeddings, c.embed_dim()));
    post_quant_conv =
        register_module("post_quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.embed_dim(), c.latent_channels, 1)));

    VQDecoderOptions d;
    d.in_channels = c.latent_channels;
    d.out_channels = c.out_channels;
    d.up_block_types = c.up_block_types;
    d.block_out_channels = c.block_out_channels;
    d.layers_per_block = c.layers_per_block;
    d.norm_num_groups = c.norm_num_groups;
    d.act = c.act_fn;
    d.spatial_norm = c.norm_type == VQNormType::Spatial;
    d.mid_block_add_attention = c.mid_block_add_attention;
    decoder = register_module("decoder", VQDecoder(d));
}

int64_t VQModelImpl::num_parameters() const {
    int64_t total = 0;
    for (const auto& p : parameters()) total += p.numel();
    return total;
}

torch::Tensor VQModelImpl::to_model(const torch::Tensor& t, int64_t channels, const char* what) const {
    if (!t.defined() || t.dim() != 4 || t.size(1) != channels)
        throw RequestError(std::string("MoVQ: ") + what + " must be [B, " + std::to_string(channels) + ", H, W]" +
                           (t.defined() ? "" : " (got none)"));
    if (t.size(0) == 0 || t.size(2) == 0 || t.size(3) == 0)
        throw RequestError(std::string("MoVQ: ") + what + " is empty");
    return t.to(quant_conv->weight.device(), quant_conv->weight.scalar_type());
}

torch::Tensor VQModelImpl::encode(const torch::Tensor& x) {
    return quant_conv(encoder->forward(to_model(x, config_.in_channels, "the image to encode")));
}

VQQuantized VQModelImpl::quantize_latents(const torch::Tensor& latents) {
    return quantize->forward(to_model(latents, config_.embed_dim(), "the latents to quantize"));
}

torch::Tensor VQModelImpl::decode(const torch::Tensor& latents, bool force_not_quantize) {
    torch::Tensor quant = to_model(latents, config_.embed_dim(), "the latents to decode");
    if (!force_not_quantize) quant = quantize->forward(quant).quant;
    torch::Tensor z = post_quant_conv(quant);
    return decoder->forward(z, config_.norm_type == VQNormType::Spatial ? quant : torch::Tensor());
}

}  // namespace unclip::models
