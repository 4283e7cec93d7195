// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/resnet_block.h"

#include "core/common/error.h"
#include "core/models/unet/cpu_kernels.h"

#include <torch/torch.h>

namespace unclip::models {

namespace F = torch::nn::functional;

TimeEmbeddingNorm parse_time_embedding_norm(const std::string& value, const std::string& key,
                                            const std::string& label) {
    if (value == "default") return TimeEmbeddingNorm::Default;
    if (value == "scale_shift") return TimeEmbeddingNorm::ScaleShift;
    throw ModelError(label + ": config key '" + key + "' = \"" + value +
                     "\" is not supported (supported: default, scale_shift)");
}

torch::Tensor downsample_avg_2x2(const torch::Tensor& x) {
    return F::avg_pool2d(x, F::AvgPool2dFuncOptions(2).stride(2));
}

ResnetBlock2DImpl::ResnetBlock2DImpl(const ResnetBlock2DOptions& o) : options_(o) {
    if (options_.out_channels <= 0) options_.out_channels = options_.in_channels;
    const int64_t in = options_.in_channels, out = options_.out_channels;
    norm1 = register_module("norm1", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.groups, in).eps(o.eps)));
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(1).padding(1)));
    if (o.temb_channels > 0) {
        const int64_t proj_out = o.time_embedding_norm == TimeEmbeddingNorm::ScaleShift ? 2 * out : out;
        time_emb_proj = register_module("time_emb_proj", torch::nn::Linear(o.temb_channels, proj_out));
    }
    norm2 = register_module("norm2", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.groups, out).eps(o.eps)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).stride(1).padding(1)));
    if (in != out)
        conv_shortcut = register_module("conv_shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1)));
}

torch::Tensor ResnetBlock2DImpl::forward(const torch::Tensor& x, const torch::Tensor& temb) {
    torch::Tensor shortcut = x;
    torch::Tensor h = silu_temp(norm1(x));
    if (options_.resample == Resample::Up) {
        // Contiguous as the reference makes them, in the layout they have (channels-last stays so).
        shortcut = upsample_nearest_x2(shortcut.contiguous(shortcut.suggest_memory_format()));
        h = upsample_nearest_x2(h.contiguous(h.suggest_memory_format()));
    } else if (options_.resample == Resample::Down) {
        shortcut = downsample_avg_2x2(shortcut);
        h = downsample_avg_2x2(h);
    }
    h = conv1(h);

    torch::Tensor t;  // [B, out] or [B, 2 out], as [B, C, 1, 1]
    if (time_emb_proj) {
        if (!temb.defined())
            throw RequestError("ResnetBlock2D: this block needs a time embedding but none was given");
        t = time_emb_proj(options_.skip_time_act ? temb : torch::silu(temb)).unsqueeze(-1).unsqueeze(-1);
    }
    if (options_.time_embedding_norm == TimeEmbeddingNorm::ScaleShift) {
        if (!t.defined())
            throw RequestError("ResnetBlock2D: time_embedding_norm scale_shift needs a time embedding");
        auto parts = t.chunk(2, 1);  // scale first, then shift
        h = norm2(h) * (1 + parts[0]) + parts[1];
    } else {
        if (t.defined()) h = h + t;
        h = norm2(h);
    }
    h = conv2(silu_temp(h));

    if (conv_shortcut) shortcut = conv1x1(conv_shortcut, shortcut.contiguous(shortcut.suggest_memory_format()));
    // In place into h (a temporary of this call) when no gradient is wanted: one buffer less per block.
    torch::Tensor y = h.requires_grad() || shortcut.requires_grad() ? shortcut + h : h.add_(shortcut);
    if (options_.output_scale_factor != 1.0) y = y / options_.output_scale_factor;
    return y;
}

}  // namespace unclip::models
