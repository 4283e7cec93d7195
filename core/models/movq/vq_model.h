// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Kandinsky 2.2's MoVQ: diffusers VQModel (diffusers/models/vq_model.py), norm_type "spatial"
// (every decoder norm conditioned on the latents) or "group" (the plain VQ-VAE).
//   encode(x)  = quant_conv(encoder(x))                      (no quantization, no scaling)
//   decode(z)  = decoder(post_quant_conv(q), zq = q)         q = z, or its nearest codebook
//                                                            entries when force_not_quantize is false
// The pipelines call decode(latents, force_not_quantize=True); scaling_factor is not used by them.
#include "core/models/movq/vector_quantizer.h"
#include "core/models/movq/vq_decoder.h"
#include "core/models/movq/vq_encoder.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include <string>
#include <vector>

namespace unclip::models {

enum class VQNormType { Group, Spatial };

struct VQModelConfig {
    int64_t in_channels = 3;
    int64_t out_channels = 3;
    std::vector<VQDownBlockType> down_block_types = {VQDownBlockType::DownEncoder};
    std::vector<VQUpBlockType> up_block_types = {VQUpBlockType::UpDecoder};
    std::vector<int64_t> block_out_channels = {64};
    int64_t layers_per_block = 1;
    VQActivation act_fn = VQActivation::SiLU;
    int64_t latent_channels = 3;
    int64_t sample_size = 32;  // informational
    int64_t num_vq_embeddings = 256;
    int64_t norm_num_groups = 32;  // the encoder's GroupNorms (and the decoder's with norm_type "group")
    int64_t vq_embed_dim = 0;      // 0 (null): latent_channels
    double scaling_factor = 0.18215;  // informational: the Kandinsky pipelines do not scale
    VQNormType norm_type = VQNormType::Group;
    bool mid_block_add_attention = true;
    bool force_upcast = false;  // informational
    // lookup_from_codebook: only false (decode takes latents, not codebook indices).

    int64_t embed_dim() const { return vq_embed_dim > 0 ? vq_embed_dim : latent_channels; }
    // 2^(len(block_out_channels) - 1): pixels per latent along each side.
    int64_t scale_factor() const;

    // Reads a diffusers config.json (keys absent or null take diffusers' defaults). Options this
    // implementation does not support, and sizes that cannot build a model, are a ModelError
    // naming the key and `label`.
    static VQModelConfig from_json(const nlohmann::json& j, const std::string& label);
    // The same checks for a config built in code (ModelError naming `label`).
    void validate(const std::string& label) const;
};

struct VQModelImpl : torch::nn::Module {
    explicit VQModelImpl(const VQModelConfig& config);

    // image [B, in_channels, H, W] in [-1, 1] -> latents [B, embed_dim, floor(H / f), floor(W / f)]
    // (quant_conv output; no quantization). Inputs move to the model's device and dtype.
    torch::Tensor encode(const torch::Tensor& x);
    // latents [B, embed_dim, h, w] -> raw picture [B, out_channels, h * f, w * f] (about [-1, 1]).
    // force_not_quantize = true is what the pipelines do; false snaps every latent vector to its
    // nearest codebook entry first.
    torch::Tensor decode(const torch::Tensor& latents, bool force_not_quantize = true);
    // The codebook lookup of decode(..., false): quantize(latents) and the chosen entries.
    VQQuantized quantize_latents(const torch::Tensor& latents);

    const VQModelConfig& config() const { return config_; }
    int64_t num_parameters() const;

    VQEncoder encoder{nullptr};
    torch::nn::Conv2d quant_conv{nullptr};
    VectorQuantizer quantize{nullptr};
    torch::nn::Conv2d post_quant_conv{nullptr};
    VQDecoder decoder{nullptr};

private:
    torch::Tensor to_model(const torch::Tensor& t, int64_t channels, const char* what) const;

    VQModelConfig config_;
};
TORCH_MODULE(VQModel);

}  // namespace unclip::models
