// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Karlo's super-resolution UNets (super_res_first / super_res_last): diffusers UNet2DModel
// (diffusers/models/unets/unet_2d.py) with ResnetDownsampleBlock2D / ResnetUpsampleBlock2D blocks,
// a UNetMidBlock2D (2 resnets, plus spatial self-attention when add_attention is true) and a
// positional time embedding; no class conditioning.
#include "core/models/common/embeddings.h"
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

struct UNet2DConfig {
    int64_t sample_size = 0;  // 0: not given (informational only)
    int64_t in_channels = 3;
    int64_t out_channels = 3;
    bool center_input_sample = false;
    bool flip_sin_to_cos = true;
    double freq_shift = 0;
    std::vector<DownBlockType> down_block_types;
    MidBlockType mid_block_type = MidBlockType::Plain;  // UNetMidBlock2D or None
    std::vector<UpBlockType> up_block_types;
    std::vector<int64_t> block_out_channels = {224, 448, 672, 896};
    int64_t layers_per_block = 2;
    double mid_block_scale_factor = 1.0;
    int64_t norm_num_groups = 32;
    double norm_eps = 1e-5;
    TimeEmbeddingNorm resnet_time_scale_shift = TimeEmbeddingNorm::Default;
    bool add_attention = true;         // mid-block self-attention
    int64_t attention_head_dim = 8;    // head size of that attention (null -> last block channels)
    int64_t attn_norm_num_groups = 0;  // 0: norm_num_groups with "default" time scale-shift, else none
    int64_t time_embedding_dim = 0;    // 0: 4 * block_out_channels[0]

    int64_t time_embed_dim() const { return time_embedding_dim > 0 ? time_embedding_dim : 4 * block_out_channels[0]; }

    // Reads a diffusers config.json (keys absent or null take diffusers' defaults). Options this
    // implementation does not support are a ModelError naming the key and `label`.
    static UNet2DConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct UNet2DModelImpl : torch::nn::Module {
    explicit UNet2DModelImpl(const UNet2DConfig& config);

    // sample: [B, in, H, W] (H, W multiples of 2^(blocks - 1)); timestep: 0-dim, [1] or [B]
    // -> [B, out, H, W]. Inputs are moved to the model's device and dtype.
    torch::Tensor forward(const torch::Tensor& sample, const torch::Tensor& timestep);

    const UNet2DConfig& config() const { return config_; }
    int64_t num_parameters() const;

    // Runs channels-last (see channels_last.h): converts the convolution weights now, and forward()
    // then works on channels-last activations and returns a contiguous (NCHW) result as before.
    void use_channels_last(bool on);
    bool channels_last() const { return channels_last_; }

    torch::nn::Conv2d conv_in{nullptr};
    TimestepEmbedding time_embedding{nullptr};
    torch::nn::ModuleList down_blocks{nullptr};
    std::shared_ptr<MidBlock> mid_block;  // null for mid_block_type null
    torch::nn::ModuleList up_blocks{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};

private:
    bool channels_last_ = false;
    UNet2DConfig config_;
    std::vector<std::shared_ptr<DownBlock>> downs_;
    std::vector<std::shared_ptr<UpBlock>> ups_;
};
TORCH_MODULE(UNet2DModel);

}  // namespace unclip::models
