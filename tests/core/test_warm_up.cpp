// SPDX-License-Identifier: GPL-3.0-or-later
// pipeline::warm_up (core/pipeline/warm_up.h): it runs on every folder layout a user may load, a
// cancelled one stops at once, and it changes no later result by a single bit.
#include "core/pipeline/model_family.h"
#include "core/pipeline/warm_up.h"
#include "tests/support/golden.h"
#include "tests/support/golden_pipeline.h"

#include <torch/torch.h>

using namespace unclip;
using namespace unclip::pipeline;

namespace {

// The golden variations folder alone: an image encoder, no prior.
std::unique_ptr<UnclipPipeline> load_variations_only() {
    PipelineOptions o;
    o.model_dir = test::golden_path("models/unclip-variations");
    return UnclipPipeline::load(o);
}

std::unique_ptr<UnclipPipeline> load_kandinsky() { return UnclipPipeline::load(test::kandinsky_golden_options()); }

// Text -> image and variations with the seed and steps given: what a first job would ask.
std::vector<torch::Tensor> first_jobs(UnclipPipeline& p) {
    std::vector<torch::Tensor> out;
    Sampling s = default_sampling(p.family());
    s.seed = 1234;
    s.prior_steps = 3;
    s.decoder_steps = 4;
    s.super_res_steps = 3;
    if (p.supports(Mode::TextToImage)) {
        TextToImageRequest r;
        r.prompts = {"a red cube"};
        r.sampling = s;
        out.push_back(p.text_to_image(r).images);
    }
    if (p.supports(Mode::Variation)) {
        VariationRequest r;
        r.image = test::golden_image("img_a");
        r.sampling = s;
        out.push_back(p.variations(r).images);
    }
    return out;
}

void expect_same(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    EXPECT_EQ(a.size(), b.size());
    EXPECT(!a.empty());
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) EXPECT(torch::equal(a[i], b[i]));
}

}  // namespace

TEST_CASE("after a warm-up, the first jobs give the pixels a cold pipeline gives (Karlo, both folders)") {
    auto cold = test::load_golden_pipeline();
    auto warm = test::load_golden_pipeline();
    EXPECT(warm_up(*warm) == WarmUpResult::Done);
    expect_same(first_jobs(*cold), first_jobs(*warm));
}

TEST_CASE("a variations-only folder warms up through variations") {
    auto cold = load_variations_only();
    auto warm = load_variations_only();
    REQUIRE(!warm->supports(Mode::TextToImage));
    REQUIRE(warm->supports(Mode::Variation));
    EXPECT(warm_up(*warm) == WarmUpResult::Done);
    expect_same(first_jobs(*cold), first_jobs(*warm));
}

TEST_CASE("after a warm-up, Kandinsky 2.2 gives the pixels a cold pipeline gives") {
    auto cold = load_kandinsky();
    auto warm = load_kandinsky();
    EXPECT(warm_up(*warm) == WarmUpResult::Done);
    expect_same(first_jobs(*cold), first_jobs(*warm));
}

TEST_CASE("a cancelled warm-up stops before its first model call and leaves the pipeline usable") {
    auto& p = test::golden_pipeline();
    CancelToken cancel;
    cancel.cancel();
    EXPECT(warm_up(p, &cancel) == WarmUpResult::Cancelled);
    EXPECT(!first_jobs(p).empty());
    EXPECT_EQ(std::string(warm_up_result_name(WarmUpResult::Cancelled)), std::string("cancelled"));
}

UNCLIP_TEST_MAIN()
