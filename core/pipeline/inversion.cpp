// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/inversion.h"

#include "core/models/clip/clip_image_processor.h"
#include "core/schedulers/ddim_scheduler.h"

#include <torch/torch.h>

namespace unclip::pipeline {

torch::Tensor image_to_model(const torch::Tensor& image_hwc, int64_t size) {
    torch::Tensor rgb = models::CLIPImageProcessor::convert_rgb(image_hwc);
    torch::Tensor small = models::resize_bicubic_antialias_uint8(rgb, size, size);
    return (small.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32) / 127.5f - 1.0f).contiguous();
}

torch::Tensor ddim_invert(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x0,
                          int steps, float guidance, const RunControl& control) {
    schedulers::DDIMScheduler ddim(*p.decoder_scheduler);
    ddim.set_timesteps(steps, schedulers::DDIMScheduler::Spacing::Leading);
    const auto ts = ddim.inversion_timesteps();  // 0 ... (n-1)·T/n
    torch::Tensor x = x0.to(p.device(), torch::kFloat32);
    int64_t t = -1;  // the clean image
    for (size_t i = 0; i < ts.size(); ++i) {
        check_cancel(control);
        const int64_t next = ts[i];
        torch::Tensor eps = decoder_eps(p, cond, x, std::max<int64_t>(t, ts[0]), guidance);
        x = ddim.invert_step(eps, t, next, x);
        t = next;
        report(control, Stage::Invert, static_cast<int>(i + 1), static_cast<int>(ts.size()));
    }
    return x;
}

torch::Tensor ddim_decode(UnclipPipeline::Impl& p, const DecoderConditioning& cond, const torch::Tensor& x_t,
                          int steps, float guidance, const RunControl& control) {
    schedulers::DDIMScheduler ddim(*p.decoder_scheduler);
    ddim.set_timesteps(steps, schedulers::DDIMScheduler::Spacing::Leading);  // as ddim_invert
    const auto& ts = ddim.timesteps();
    torch::Tensor x = x_t.to(p.device(), torch::kFloat32);
    for (size_t i = 0; i < ts.size(); ++i) {
        check_cancel(control);
        const int64_t prev = i + 1 < ts.size() ? ts[i + 1] : -1;
        x = ddim.step(decoder_eps(p, cond, x, ts[i], guidance), ts[i], prev, x);
        report(control, Stage::Decoder, static_cast<int>(i + 1), static_cast<int>(ts.size()));
    }
    return x.clamp(-1.0f, 1.0f);
}

}  // namespace unclip::pipeline
