// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Karlo's and Kandinsky 2.2's decoders: diffusers UNet2DConditionModel
// (diffusers/models/unets/unet_2d_condition.py) with the blocks they use (ResnetDownsampleBlock2D,
// SimpleCrossAttn{Down,Up}Block2D, UNetMidBlock2DSimpleCrossAttn / UNetMidBlock2D,
// ResnetUpsampleBlock2D), positional time embedding, class_embed_type null / "identity"
// (emb = time_embedding(t) + class_labels), and Kandinsky 2.2's image conditioning:
// encoder_hid_dim_type "image_proj" (context = encoder_hid_proj(image_embeds)) and
// addition_embed_type "image" (emb = time_embedding(t) + add_embedding(image_embeds)).
#include "core/models/common/embeddings.h"
#include "core/models/unet/image_projection.h"
#include "core/models/unet/unet_blocks.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include <memory>
#include <string>
#include <vector>

namespace unclip::models {

struct UNet2DConditionConfig {
    int64_t sample_size = 0;  // 0: not given (informational only)
    int64_t in_channels = 4;
    int64_t out_channels = 4;
    bool center_input_sample = false;
    bool flip_sin_to_cos = true;
    double freq_shift = 0;
    std::vector<DownBlockType> down_block_types;
    MidBlockType mid_block_type = MidBlockType::None;
    std::vector<UpBlockType> up_block_types;
    std::vector<int64_t> block_out_channels = {320, 640, 1280, 1280};
    std::vector<int64_t> layers_per_block;      // per down block (default 2)
    std::vector<bool> only_cross_attention;     // per down block (default false)
    bool mid_block_only_cross_attention = false;  // default: only_cross_attention when that is a bool
    std::vector<int64_t> cross_attention_dim;   // per down block (default 1280)
    std::vector<int64_t> attention_head_dim;    // per down block, head SIZE (default 8; null -> block channels)
    double mid_block_scale_factor = 1.0;
    int64_t norm_num_groups = 32;
    double norm_eps = 1e-5;
    TimeEmbeddingNorm resnet_time_scale_shift = TimeEmbeddingNorm::Default;
    bool resnet_skip_time_act = false;
    double resnet_out_scale_factor = 1.0;
    int64_t time_embedding_dim = 0;  // 0: 4 * block_out_channels[0]
    bool class_embed_identity = false;  // class_embed_type "identity"
    // Kandinsky 2.2: encoder_hid_dim (the image embedding width E), used by encoder_hid_dim_type
    // "image_proj" and addition_embed_type "image" (the only values implemented).
    int64_t encoder_hid_dim = 0;  // 0: not given
    bool encoder_hid_image_proj = false;  // encoder_hid_dim_type "image_proj"
    bool addition_embed_image = false;    // addition_embed_type "image"
    static constexpr int64_t num_image_text_embeds = 32;  // ImageProjection's token count (fixed in diffusers)
    int64_t conv_in_kernel = 3;
    int64_t conv_out_kernel = 3;

    int64_t time_embed_dim() const { return time_embedding_dim > 0 ? time_embedding_dim : 4 * block_out_channels[0]; }
    // Whether forward() needs image_embeds [B, encoder_hid_dim].
    bool takes_image_embeds() const { return encoder_hid_image_proj || addition_embed_image; }

    // Reads a diffusers config.json (keys absent or null take diffusers' defaults). Options this
    // implementation does not support are a ModelError naming the key and `label`.
    static UNet2DConditionConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct UNet2DConditionModelImpl : torch::nn::Module {
    explicit UNet2DConditionModelImpl(const UNet2DConditionConfig& config);

    // sample: [B, in, H, W] (H, W multiples of 2^(blocks - 1)); timestep: 0-dim, [1] or [B];
    // encoder_hidden_states: [B, L, cross_attention_dim] (must be undefined with "image_proj", whose
    // context is encoder_hid_proj(image_embeds)); class_labels: [B, time_embed_dim] (required with
    // class_embed_type "identity"); attention_mask: [B, L] bool / 0-1 ints over the context tokens
    // (undefined = attend to all); image_embeds: [B, encoder_hid_dim] (required with "image_proj" /
    // addition_embed_type "image", refused otherwise) -> [B, out, H, W].
    // Inputs are moved to the model's device and floating inputs to its dtype.
    torch::Tensor forward(const torch::Tensor& sample, const torch::Tensor& timestep,
                          const torch::Tensor& encoder_hidden_states, const torch::Tensor& class_labels = {},
                          const torch::Tensor& attention_mask = {}, const torch::Tensor& image_embeds = {});

    // The time embedding alone, time_embedding(time_proj(t)): [batch, time_embed_dim] in the model's
    // dtype (before the class / image terms are added).
    torch::Tensor time_embed(const torch::Tensor& timestep, int64_t batch);

    const UNet2DConditionConfig& config() const { return config_; }
    int64_t num_parameters() const;

    // Runs channels-last (see channels_last.h): converts the convolution weights now, and forward()
    // then works on channels-last activations and returns a contiguous (NCHW) result as before.
    void use_channels_last(bool on);
    bool channels_last() const { return channels_last_; }

    torch::nn::Conv2d conv_in{nullptr};
    TimestepEmbedding time_embedding{nullptr};
    ImageProjection encoder_hid_proj{nullptr};  // encoder_hid_dim_type "image_proj" only
    ImageTimeEmbedding add_embedding{nullptr};  // addition_embed_type "image" only
    torch::nn::ModuleList down_blocks{nullptr};
    std::shared_ptr<MidBlock> mid_block;  // null for mid_block_type null
    torch::nn::ModuleList up_blocks{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};

private:
    bool channels_last_ = false;
    UNet2DConditionConfig config_;
    std::vector<std::shared_ptr<DownBlock>> downs_;
    std::vector<std::shared_ptr<UpBlock>> ups_;
};
TORCH_MODULE(UNet2DConditionModel);

}  // namespace unclip::models
