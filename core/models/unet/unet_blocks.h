// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The UNet blocks Karlo's decoder and super-res UNets are made of (diffusers/models/unets/
// unet_2d_blocks.py): ResnetDownsampleBlock2D, SimpleCrossAttnDownBlock2D,
// UNetMidBlock2DSimpleCrossAttn, UNetMidBlock2D, SimpleCrossAttnUpBlock2D, ResnetUpsampleBlock2D.
// Children carry the diffusers names: resnets.N, attentions.N, downsamplers.0, upsamplers.0.
#include "core/models/unet/attention_added_kv.h"
#include "core/models/unet/attention_spatial.h"
#include "core/models/unet/resnet_block.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include <memory>
#include <string>
#include <vector>

namespace unclip::models {

// Settings every block of one UNet shares (from its config).
struct UNetBlockCommon {
    int64_t temb_channels = 0;
    int64_t groups = 32;  // norm_num_groups
    double eps = 1e-5;    // norm_eps (the SimpleCrossAttn attention GroupNorm always uses 1e-5)
    TimeEmbeddingNorm time_embedding_norm = TimeEmbeddingNorm::Default;
    double output_scale_factor = 1.0;
    bool skip_time_act = false;
    // SimpleCrossAttn blocks only.
    int64_t cross_attention_dim = 0;
    int64_t attention_head_dim = 0;  // head SIZE: heads = channels / attention_head_dim
    bool only_cross_attention = false;
};

enum class DownBlockType { ResnetDownsample, SimpleCrossAttn };
enum class UpBlockType { ResnetUpsample, SimpleCrossAttn };
enum class MidBlockType { None, SimpleCrossAttn, Plain };

// diffusers class name -> type; false when the name is not one of ours.
bool parse_down_block_type(const std::string& name, DownBlockType& out);
bool parse_up_block_type(const std::string& name, UpBlockType& out);
bool parse_mid_block_type(const std::string& name, MidBlockType& out);  // "" -> None

struct DownBlockOptions {
    int64_t num_layers = 1;
    int64_t in_channels = 0;
    int64_t out_channels = 0;
    bool add_downsample = true;
    UNetBlockCommon common;
};

struct UpBlockOptions {
    int64_t num_layers = 2;  // layers_per_block + 1
    int64_t in_channels = 0;           // channels of the matching down block's input (last skip)
    int64_t out_channels = 0;
    int64_t prev_output_channels = 0;  // channels of the hidden state coming in
    bool add_upsample = true;
    UNetBlockCommon common;
};

struct MidBlockOptions {
    int64_t channels = 0;
    int64_t num_layers = 1;     // attention(+resnet) pairs after the first resnet
    UNetBlockCommon common;     // output_scale_factor = mid_block_scale_factor
    // UNetMidBlock2D only.
    bool add_attention = false;
    int64_t attn_groups = 0;    // <= 0: attention without group_norm
};

// A down block: runs its layers and appends every skip state it produces to `skips`.
struct DownBlock : torch::nn::Module {
    // h: [B, in, H, W]; temb: [B, T]; context: [B, L, D] and context_bias [B, L] (attention blocks
    // only; may be undefined) -> [B, out, H', W'] (H' = H/2 with a downsampler).
    virtual torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                                  const torch::Tensor& context_bias, std::vector<torch::Tensor>& skips) = 0;
    torch::nn::ModuleList resnets{nullptr};
    torch::nn::ModuleList downsamplers{nullptr};  // null without a downsampler

protected:
    std::vector<ResnetBlock2D> resnet_blocks_;
    ResnetBlock2D downsampler_{nullptr};
};

// An up block: takes num_resnets() skip states from the back of `skips`.
struct UpBlock : torch::nn::Module {
    // h: [B, prev_out, H, W] -> [B, out, H', W'] (H' = 2H with an upsampler).
    virtual torch::Tensor forward(const torch::Tensor& h, std::vector<torch::Tensor>& skips, const torch::Tensor& temb,
                                  const torch::Tensor& context, const torch::Tensor& context_bias) = 0;
    int64_t num_resnets() const { return static_cast<int64_t>(resnets->size()); }
    torch::nn::ModuleList resnets{nullptr};
    torch::nn::ModuleList upsamplers{nullptr};  // null without an upsampler

protected:
    std::vector<ResnetBlock2D> resnet_blocks_;
    ResnetBlock2D upsampler_{nullptr};
    // Concatenates the next skip state (popped from the back of `skips`) to h along channels.
    static torch::Tensor take_skip(const torch::Tensor& h, std::vector<torch::Tensor>& skips);
};

struct MidBlock : torch::nn::Module {
    // h: [B, C, H, W] -> [B, C, H, W]
    virtual torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                                  const torch::Tensor& context_bias) = 0;
    torch::nn::ModuleList resnets{nullptr};
    torch::nn::ModuleList attentions{nullptr};  // null when the block has none

protected:
    std::vector<ResnetBlock2D> resnet_blocks_;
};

struct ResnetDownsampleBlock2D : DownBlock {
    explicit ResnetDownsampleBlock2D(const DownBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                          const torch::Tensor& context_bias, std::vector<torch::Tensor>& skips) override;
};

struct SimpleCrossAttnDownBlock2D : DownBlock {
    explicit SimpleCrossAttnDownBlock2D(const DownBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                          const torch::Tensor& context_bias, std::vector<torch::Tensor>& skips) override;
    torch::nn::ModuleList attentions{nullptr};

private:
    std::vector<AttentionAddedKV> attention_blocks_;
};

struct ResnetUpsampleBlock2D : UpBlock {
    explicit ResnetUpsampleBlock2D(const UpBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, std::vector<torch::Tensor>& skips, const torch::Tensor& temb,
                          const torch::Tensor& context, const torch::Tensor& context_bias) override;
};

struct SimpleCrossAttnUpBlock2D : UpBlock {
    explicit SimpleCrossAttnUpBlock2D(const UpBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, std::vector<torch::Tensor>& skips, const torch::Tensor& temb,
                          const torch::Tensor& context, const torch::Tensor& context_bias) override;
    torch::nn::ModuleList attentions{nullptr};

private:
    std::vector<AttentionAddedKV> attention_blocks_;
};

// resnets.0, then (attentions.i, resnets.i+1) for i < num_layers.
struct UNetMidBlock2DSimpleCrossAttn : MidBlock {
    explicit UNetMidBlock2DSimpleCrossAttn(const MidBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                          const torch::Tensor& context_bias) override;

private:
    std::vector<AttentionAddedKV> attention_blocks_;
};

// resnets.0, then (attentions.i if add_attention, resnets.i+1) for i < num_layers.
// context/context_bias are ignored.
struct UNetMidBlock2D : MidBlock {
    explicit UNetMidBlock2D(const MidBlockOptions& options);
    torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& temb, const torch::Tensor& context,
                          const torch::Tensor& context_bias) override;

private:
    std::vector<SpatialSelfAttention> attention_blocks_;  // empty without add_attention
};

std::shared_ptr<DownBlock> make_down_block(DownBlockType type, const DownBlockOptions& options);
std::shared_ptr<UpBlock> make_up_block(UpBlockType type, const UpBlockOptions& options);
std::shared_ptr<MidBlock> make_mid_block(MidBlockType type, const MidBlockOptions& options);  // null for None

}  // namespace unclip::models
