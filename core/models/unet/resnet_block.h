// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ResnetBlock2D (diffusers/models/resnet.py ResnetBlock2D), with the plain up/down variants that
// Karlo's ResnetDownsampleBlock2D / ResnetUpsampleBlock2D / SimpleCrossAttn*Block2D use as their
// samplers: nearest x2 / 2x2 average pooling applied to BOTH the normed hidden state (after
// norm1 + SiLU) and the shortcut input; no strided or transposed convolutions.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <string>

namespace unclip::models {

// How the time embedding enters the block (diffusers `time_embedding_norm` /
// `resnet_time_scale_shift`).
enum class TimeEmbeddingNorm {
    Default,     // h = conv1(...) + time_emb_proj(silu(temb)); h = norm2(h)
    ScaleShift,  // [scale, shift] = chunk(time_emb_proj(silu(temb)), 2); h = norm2(h) * (1 + scale) + shift
};
// "default" / "scale_shift"; anything else is a ModelError naming `key` in `label`.
TimeEmbeddingNorm parse_time_embedding_norm(const std::string& value, const std::string& key, const std::string& label);

enum class Resample { None, Up, Down };

struct ResnetBlock2DOptions {
    int64_t in_channels = 0;
    int64_t out_channels = 0;     // <= 0: same as in_channels
    int64_t temb_channels = 0;    // <= 0: no time embedding (no time_emb_proj)
    int64_t groups = 32;          // GroupNorm groups of norm1 and norm2
    double eps = 1e-6;
    TimeEmbeddingNorm time_embedding_norm = TimeEmbeddingNorm::Default;
    double output_scale_factor = 1.0;
    bool skip_time_act = false;   // true: time_emb_proj(temb) without the SiLU
    Resample resample = Resample::None;
};

struct ResnetBlock2DImpl : torch::nn::Module {
    explicit ResnetBlock2DImpl(const ResnetBlock2DOptions& options);

    // x: [B, in, H, W], temb: [B, temb_channels] (undefined when temb_channels <= 0)
    // -> [B, out, H', W'] with H' = 2H (Up), H/2 (Down) or H.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb);

    const ResnetBlock2DOptions& options() const { return options_; }

    torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::Linear time_emb_proj{nullptr};
    torch::nn::Conv2d conv_shortcut{nullptr};  // 1x1, only when in != out

private:
    ResnetBlock2DOptions options_;
};
TORCH_MODULE(ResnetBlock2D);

// The resampling of a ResnetBlock2D up/down variant: nearest x2 (F.interpolate scale_factor 2, in
// cpu_kernels.h) / avg_pool2d(2, 2). x: [B, C, H, W].
torch::Tensor downsample_avg_2x2(const torch::Tensor& x);

}  // namespace unclip::models
