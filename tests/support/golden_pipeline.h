// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The golden tiny models as one pipeline, as a user combining Karlo's two folders has it (the
// text-to-image folder plus the variations folder's image encoder), and quick sampling settings:
// the set-up the pipeline, frame, requirements and server tests share.
#include "core/io/png_io.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/golden.h"

#include <memory>
#include <string>

namespace unclip::test {

inline std::unique_ptr<pipeline::UnclipPipeline> load_golden_pipeline() {
    pipeline::PipelineOptions po;
    po.model_dir = golden_path("models/unclip-text2img");
    po.image_encoder_dir = golden_path("models/unclip-variations");
    return pipeline::UnclipPipeline::load(po);
}

// One per test program (loading it once keeps the cases quick).
inline pipeline::UnclipPipeline& golden_pipeline() {
    static std::unique_ptr<pipeline::UnclipPipeline> p = load_golden_pipeline();
    return *p;
}

// Kandinsky 2.2's three golden folders (prior, decoder, inpainting decoder): every mode can run.
inline pipeline::PipelineOptions kandinsky_golden_options() {
    pipeline::PipelineOptions o;
    o.model_dir = kandinsky_golden_path("models/kandinsky-2-2-prior");
    o.decoder_dir = kandinsky_golden_path("models/kandinsky-2-2-decoder");
    o.inpaint_dir = kandinsky_golden_path("models/kandinsky-2-2-decoder-inpaint");
    return o;
}

// Few steps: the golden models are random, the tests are about plumbing and properties.
inline pipeline::Sampling fast_sampling(uint64_t seed, int prior_steps = 3, int decoder_steps = 4, int super_res_steps = 2) {
    pipeline::Sampling s;
    s.seed = seed;
    s.prior_steps = prior_steps;
    s.decoder_steps = decoder_steps;
    s.super_res_steps = super_res_steps;
    return s;
}

// A picture of the golden cases ("img_a", "img_b", "img_c"): uint8 [H, W, 3].
inline torch::Tensor golden_image(const std::string& name) { return io::read_png(golden_path("cases/" + name + ".png")); }

}  // namespace unclip::test
