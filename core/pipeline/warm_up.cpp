// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/warm_up.h"

#include "core/common/error.h"
#include "core/pipeline/model_family.h"
#include "core/pipeline/unclip_pipeline.h"

#include <torch/torch.h>

namespace unclip::pipeline {

WarmUpResult warm_up(UnclipPipeline& pipeline, const CancelToken* cancel) {
    // Two steps per stage: Karlo's super-resolution then runs both of its UNets (the first for
    // every step but the last), and each stage sees its real batch (guidance doubles it).
    Sampling s = default_sampling(pipeline.family());
    s.prior_steps = s.decoder_steps = s.super_res_steps = 2;
    RunControl control;
    control.cancel = cancel;
    try {
        if (pipeline.supports(Mode::TextToImage)) {
            TextToImageRequest r;
            r.prompts = {""};
            r.sampling = s;
            (void)pipeline.text_to_image(r, control);
            return WarmUpResult::Done;
        }
        if (pipeline.supports(Mode::Variation)) {
            VariationRequest r;
            const int64_t side = pipeline.image_size();
            r.image = torch::full({side, side, 3}, 128, torch::kUInt8);
            r.sampling = s;
            (void)pipeline.variations(r, control);
            return WarmUpResult::Done;
        }
    } catch (const Cancelled&) {
        return WarmUpResult::Cancelled;
    }
    return WarmUpResult::Nothing;
}

const char* warm_up_result_name(WarmUpResult r) {
    switch (r) {
        case WarmUpResult::Done: return "done";
        case WarmUpResult::Cancelled: return "cancelled";
        case WarmUpResult::Nothing: return "nothing";
    }
    return "?";
}

}  // namespace unclip::pipeline
