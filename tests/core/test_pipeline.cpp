// SPDX-License-Identifier: GPL-3.0-or-later
// The unCLIP pipeline on the golden tiny models: every golden pipeline case (end to end and stage by
// stage), and the properties the editor relies on (seeds, cancellation, smooth interpolation,
// inpainting, text diffs, staged runs).
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/pipeline/stages.h"
#include "core/verify/verify_pipeline.h"
#include "tests/support/golden.h"
#include "tests/support/golden_pipeline.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <limits>

using namespace unclip;
using namespace unclip::pipeline;

namespace {

verify::VerifyOptions opts() {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
    return o;
}

// One pipeline with both golden folders combined (text2img + image encoder), as Karlo's two folders are.
UnclipPipeline& combined() { return test::golden_pipeline(); }
Sampling fast(uint64_t seed) { return test::fast_sampling(seed); }
torch::Tensor image(const char* name) { return test::golden_image(name); }

double max_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// What the reference calls the same picture at the end of a chain (the text2img case's
// final_image_atol and final_image_mean_abs): two pictures "differ" when they are further apart
// than that, whatever the model.
verify::FinalTolerance same_picture() { return verify::final_tolerance(test::load_case("pipeline_text2img")); }

}  // namespace

TEST_CASE("golden pipeline_text2img: end to end and teacher-forced stages") {
    EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_text2img"));
}
TEST_CASE("golden pipeline_text2img_batch (2 prompts x 2 images)") {
    EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_text2img_batch"));
}
TEST_CASE("golden pipeline_text2img_nocfg (guidance 1: no classifier-free guidance)") {
    EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_text2img_nocfg"));
}
TEST_CASE("golden pipeline_variation") { EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_variation")); }
TEST_CASE("golden pipeline_variation_latents (latents given)") {
    EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_variation_latents"));
}
TEST_CASE("golden pipeline_image_interpolation (reference noise, corrected slerp)") {
    EXPECT_PARITY(verify_pipeline_case(opts(), "pipeline_image_interpolation"));
}

TEST_CASE("the same seed gives identical images, a different seed different ones") {
    TextToImageRequest r;
    r.prompts = {"a red cube"};
    r.sampling = fast(5);
    auto a = combined().text_to_image(r);
    auto b = combined().text_to_image(r);
    EXPECT(torch::equal(a.images, b.images));
    r.sampling.seed = 6;
    auto c = combined().text_to_image(r);
    EXPECT_MSG(max_diff(a.images, c.images) > same_picture().atol, max_diff(a.images, c.images));
    EXPECT_EQ(a.recipe["sampling"]["seed"].get<uint64_t>(), uint64_t{5});
}

TEST_CASE("a negative prompt replaces the unconditional branch and changes the image") {
    TextToImageRequest r;
    r.prompts = {"a red cube"};
    r.sampling = fast(5);
    auto a = combined().text_to_image(r);
    r.negative_prompt = "blue";
    auto b = combined().text_to_image(r);
    EXPECT_MSG(max_diff(a.images, b.images) > same_picture().atol, max_diff(a.images, b.images));
}

TEST_CASE("staged run: candidates first, then upscaling one equals the full run's image") {
    TextToImageRequest r;
    r.prompts = {"horse", "a boat"};
    r.images_per_prompt = 2;
    r.sampling = fast(11);
    auto full = combined().text_to_image(r);
    r.stop_after_decoder = true;
    auto cand = combined().text_to_image(r);
    EXPECT_EQ(cand.images.size(2), int64_t{combined().decoder_size()});
    EXPECT(torch::equal(cand.decoder_output, full.decoder_output));
    auto up = combined().upscale_candidate(r, cand, 2);
    REQUIRE(up.images.size(0) == 1);
    // The noise is the same; batch 1 and batch 4 convolutions round differently, and the first
    // super-res step amplifies float32 rounding ~2e4-fold (alphas_cumprod[999] = 2.4e-9), so compare
    // with the reference's own end-to-end image tolerance (the text2img case's final_image_atol and
    // final_image_mean_abs).
    const verify::FinalTolerance tol = verify::final_tolerance(test::load_case("pipeline_text2img"));
    const double d = max_diff(up.images[0], full.images[2]);
    const double mean = (up.images[0] - full.images[2]).abs().mean().item<double>();
    EXPECT_MSG(d < tol.atol && mean < tol.mean, "max " << d << " mean " << mean);
    r.stop_after_decoder = false;
    r.sampling.seed = 12;
    // A different seed really differs: beyond what that tolerance calls the same image.
    EXPECT(max_diff(combined().text_to_image(r).images[2], up.images[0]) > tol.atol);
    EXPECT_THROWS(RequestError, combined().upscale_candidate(r, cand, 9), "out of range");
}

TEST_CASE("best of K keeps, per image, the prior sample most similar to its text") {
    TextToImageRequest r;
    r.prompts = {"a cat"};
    r.best_of = 3;
    r.sampling = fast(3);
    auto res = combined().text_to_image(r);
    EXPECT_EQ(res.images.size(0), int64_t{1});
    EXPECT(torch::isfinite(res.images).all().item<bool>());
}

TEST_CASE("cancel at a random step returns promptly and the next request succeeds") {
    TextToImageRequest r;
    r.prompts = {"a red cube"};
    r.sampling = fast(1);
    r.sampling.decoder_steps = 12;
    for (int stop_at : {1, 5, 9}) {
        CancelToken token;
        int calls = 0;
        RunControl control;
        control.cancel = &token;
        control.on_progress = [&](const Progress&) {
            if (++calls == stop_at) token.cancel();
        };
        bool cancelled = false;
        try {
            combined().text_to_image(r, control);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        EXPECT(cancelled);
        EXPECT_EQ(calls, stop_at);  // no model call after the cancel
    }
    auto ok = combined().text_to_image(r);
    EXPECT_EQ(ok.images.size(0), int64_t{1});
}

TEST_CASE("progress reports every stage in order, with previews when asked") {
    TextToImageRequest r;
    r.prompts = {"x"};
    r.sampling = fast(1);
    std::vector<std::string> stages;
    int previews = 0;
    RunControl control;
    control.want_previews = true;
    control.on_progress = [&](const Progress& p) {
        if (stages.empty() || stages.back() != stage_name(p.stage)) stages.push_back(stage_name(p.stage));
        if (p.preview.defined()) ++previews;
    };
    combined().text_to_image(r, control);
    EXPECT((stages == std::vector<std::string>{"prior", "decoder", "super_res"}));
    EXPECT(previews >= r.sampling.decoder_steps);
}

TEST_CASE("smooth interpolation: endpoints equal single variations, same value same frame, no jumps") {
    InterpolationRequest r;
    r.a.image = image("img_a");
    r.b.image = image("img_c");
    r.sampling = fast(4);
    for (int i = 0; i <= 8; ++i) r.positions.push_back(i / 8.0f);
    auto frames = combined().interpolate(r);
    REQUIRE(frames.images.size(0) == 9);
    // Endpoint A = a plain variation of A with the same seed (same noise, frame-shared draws).
    VariationRequest v;
    v.image = r.a.image;
    v.sampling = r.sampling;
    auto va = combined().variations(v);
    EXPECT_MSG(max_diff(frames.images[0], va.images[0]) < 1e-4, max_diff(frames.images[0], va.images[0]));
    v.image = r.b.image;
    auto vb = combined().variations(v);
    EXPECT_MSG(max_diff(frames.images[8], vb.images[0]) < 1e-4, max_diff(frames.images[8], vb.images[0]));
    // One frame rendered alone equals the same slider value in the batch.
    InterpolationRequest one = r;
    one.positions = {0.375f};
    auto single = combined().interpolate(one);
    EXPECT_MSG(max_diff(single.images[0], frames.images[3]) < 1e-4, max_diff(single.images[0], frames.images[3]));
    // No frame jumps: frames differ only through the embedding, unlike reference-mode noise (a new
    // draw per frame). With the same picture at both ends every smooth frame is the same picture
    // (the same embedding at every position, the same noise), while the reference-noise frames are
    // not: whatever the model, because only the noise can tell them apart.
    InterpolationRequest same = r;
    same.b.image = r.a.image;
    same.positions = {0.0f, 0.375f, 1.0f};
    const verify::FinalTolerance tol = same_picture();
    auto flat = combined().interpolate(same);
    for (int64_t i = 1; i < flat.images.size(0); ++i) {
        const double d = max_diff(flat.images[i], flat.images[0]);
        const double mean = (flat.images[i] - flat.images[0]).abs().mean().item<double>();
        EXPECT_MSG(d <= tol.atol && mean <= tol.mean, "smooth frame " << i << ": max " << d << " mean " << mean);
    }
    same.smooth = false;
    auto ref = combined().interpolate(same);
    for (int64_t i = 1; i < ref.images.size(0); ++i)
        EXPECT_MSG(max_diff(ref.images[i], ref.images[0]) > tol.atol,
                   "reference-noise frame " << i << ": " << max_diff(ref.images[i], ref.images[0]));
}

TEST_CASE("interpolation between a text and an image goes through the prior") {
    InterpolationRequest r;
    r.a.text = "a red cube";
    r.b.image = image("img_a");
    r.positions = {0.0f, 0.5f, 1.0f};
    r.sampling = fast(2);
    auto res = combined().interpolate(r);
    EXPECT_EQ(res.images.size(0), int64_t{3});
    EXPECT_THROWS(RequestError, ([&] { auto q = r; q.positions = {1.5f}; combined().interpolate(q); }()), "[0, 1]");
}

TEST_CASE("image to image: a prompt gives the content, the picture the layout, and mixing sums embeddings") {
    VariationRequest v;
    v.image = image("img_a");
    v.structure_strength = 0.8f;
    v.sampling = fast(4);
    auto own = combined().variations(v);
    v.prompt = "a red cube";
    auto prompted = combined().variations(v);
    EXPECT_EQ(prompted.recipe.at("prompt").get<std::string>(), "a red cube");
    // The prompt's embedding is the prior's sample, not the picture's: not equal within the prior's
    // parity tolerance, and the pictures differ beyond what the reference calls the same picture.
    const verify::CaseTolerance prior_tol = verify::case_tolerance(test::load_case("prior"), opts(), 1e-4, 1e-4);
    EXPECT_MSG(!verify::compare(prompted.image_embeddings, own.image_embeddings, prior_tol.atol, prior_tol.rtol).ok,
               max_diff(prompted.image_embeddings, own.image_embeddings));
    EXPECT_MSG(max_diff(prompted.images, own.images) > same_picture().atol, max_diff(prompted.images, own.images));
    EXPECT(combined().missing_for(v).empty());

    MixRequest m;
    m.items = {{image("img_a"), ""}, {image("img_b"), ""}};
    m.weights = {0.25f, 0.75f};
    m.sampling = fast(5);
    auto mixed = combined().mix(m);
    VariationRequest a, b;
    a.image = image("img_a");
    b.image = image("img_b");
    a.sampling = b.sampling = fast(5);
    const torch::Tensor ea = combined().variations(a).image_embeddings, eb = combined().variations(b).image_embeddings;
    // The weighted sum of the two embeddings, up to float32 rounding of the products and the sum
    // (a relative bound: exact arithmetic, whatever the embeddings' scale).
    {
        const torch::Tensor want = 0.25f * ea + 0.75f * eb;
        const torch::Tensor bound = 4 * std::numeric_limits<float>::epsilon() * (0.25f * ea.abs() + 0.75f * eb.abs());
        EXPECT_MSG(((mixed.image_embeddings - want).abs() <= bound).all().item<bool>(),
                   max_diff(mixed.image_embeddings, want));
    }
    EXPECT_EQ(mixed.recipe.at("mode").get<std::string>(), "mix");
    // The recipe is the request (pictures left out): it parses back as one.
    ParseOptions recipe_mode;
    recipe_mode.mode = ParseMode::Recipe;
    const AnyRequest back = request_from_json(mixed.recipe, recipe_mode);
    REQUIRE(std::holds_alternative<MixRequest>(back));
    EXPECT(std::get<MixRequest>(back).weights == m.weights);
    EXPECT_EQ(std::get<MixRequest>(back).sampling.seed, m.sampling.seed);
    m.weights = {1.0f};
    EXPECT_THROWS(RequestError, combined().mix(m), "one weight per item");
}

TEST_CASE("inpainting leaves pixels outside the mask bit-identical and changes pixels inside") {
    torch::Tensor img = image("img_c");  // any size: composited back at full resolution
    const int64_t h = img.size(0), w = img.size(1);
    torch::Tensor mask = torch::zeros({h, w});
    mask.slice(0, h / 4, h / 2).slice(1, w / 4, w / 2).fill_(1.0f);
    for (const char* prompt : {"", "a red cube"}) {
        InpaintRequest r;
        r.image = img;
        r.mask = mask;
        r.prompt = prompt;
        r.sampling = fast(9);
        r.frame = Frame{0, 0, w, h};  // the whole picture (the automatic frame: tests/core/test_frame.cpp)
        auto res = combined().inpaint(r);
        REQUIRE(res.images.size(2) == h && res.images.size(3) == w);
        torch::Tensor out = (res.images[0] * 255.0f).round().to(torch::kUInt8).permute({1, 2, 0});
        torch::Tensor outside = (mask == 0).unsqueeze(2).expand({h, w, 3});
        EXPECT_MSG(torch::equal(out.masked_select(outside), img.masked_select(outside)), "prompt '" << prompt << "'");
        torch::Tensor inside = (mask > 0).unsqueeze(2).expand({h, w, 3});
        EXPECT((out.masked_select(inside).to(torch::kInt32) - img.masked_select(inside).to(torch::kInt32)).abs().sum().item<int64_t>() > 0);
    }
    InpaintRequest bad;
    bad.image = img;
    bad.mask = torch::ones({h + 1, w});
    EXPECT_THROWS(RequestError, combined().inpaint(bad), "resize the mask");
    bad.mask = torch::zeros({h, w});
    EXPECT_THROWS(RequestError, combined().inpaint(bad), "the mask is empty");
}

TEST_CASE("inpainting with feathering and RePaint resampling keeps far pixels exact") {
    torch::Tensor img = image("img_a");
    const int64_t h = img.size(0), w = img.size(1);
    torch::Tensor mask = torch::zeros({h, w});
    mask.slice(0, h / 3, 2 * h / 3).slice(1, w / 3, 2 * w / 3).fill_(1.0f);
    InpaintRequest r;
    r.image = img;
    r.mask = mask;
    r.feather = 2.0f;
    r.resample_jumps = 2;
    r.sampling = fast(3);
    auto res = combined().inpaint(r);
    torch::Tensor out = (res.images[0] * 255.0f).round().to(torch::kUInt8).permute({1, 2, 0});
    // Rows far above the feathered mask are untouched.
    EXPECT(torch::equal(out.slice(0, 0, h / 3 - 3), img.slice(0, 0, h / 3 - 3)));
}

TEST_CASE("text diff at theta 0 is the inversion reconstruction, a larger theta changes the image") {
    TextDiffRequest r;
    r.image = image("img_a");
    r.description = "a photo of a horse";
    r.target = "a painting of a cat";
    r.sampling = fast(7);
    r.theta = 0.0f;
    auto zero = combined().text_diff(r);
    // theta 0 = structure-preserving variation at full strength: the same inversion and decode.
    VariationRequest v;
    v.image = r.image;
    v.structure_strength = 1.0f;
    v.sampling = r.sampling;
    auto recon = combined().variations(v);
    EXPECT_MSG(max_diff(zero.images, recon.images) < 1e-5, max_diff(zero.images, recon.images));
    r.theta = 0.6f;
    auto moved = combined().text_diff(r);
    EXPECT_MSG(max_diff(zero.images, moved.images) > same_picture().atol, max_diff(zero.images, moved.images));
    r.target = r.description;
    EXPECT_THROWS(RequestError, combined().text_diff(r), "same text embedding");
}

TEST_CASE("a folder without the needed component is refused with its name") {
    PipelineOptions po;
    po.model_dir = test::golden_path("models/unclip-variations");
    auto p = UnclipPipeline::load(po);
    EXPECT(p->supports(Mode::Variation));
    EXPECT(!p->supports(Mode::TextToImage));
    EXPECT(p->missing_for(Mode::TextToImage).find("prior") != std::string::npos);
    TextToImageRequest r;
    r.prompts = {"x"};
    EXPECT_THROWS(ModelError, p->text_to_image(r), "prior");
    EXPECT_THROWS(ModelError, UnclipPipeline::load({"/nonexistent/folder"}), "/nonexistent/folder");
}

TEST_CASE("bad requests are refused with a message, not a crash") {
    TextToImageRequest r;
    EXPECT_THROWS(RequestError, combined().text_to_image(r), "no prompt");
    r.prompts = {"x"};
    r.sampling.decoder_steps = 0;
    EXPECT_THROWS(RequestError, combined().text_to_image(r), "decoder steps");
    VariationRequest v;
    v.image = torch::zeros({4, 4}, torch::kUInt8);
    EXPECT_THROWS(RequestError, combined().variations(v), "RGB image");
}

TEST_CASE("CLIP score: matrix of cosine similarities, images x texts") {
    auto m = combined().score({image("img_a"), image("img_c")}, {"a", "b", "c"});
    EXPECT((m.sizes() == torch::IntArrayRef{2, 3}));
    EXPECT(m.abs().max().item<float>() <= 1.0f + 1e-5f);
}

// Issue 24: best-of-K must keep, per image, the candidate most similar to its text. The K candidates
// are computed independently: the same prompts with K times the images per prompt and best-of 1 draw
// exactly the prior samples best-of-K draws (same generator, same batch order); the similarity is
// the cosine with the prompt's CLIP text embedding, computed here.
TEST_CASE("best of K keeps the most text-similar of all K candidates (compared independently)") {
    const std::vector<std::string> prompts = {"a cat", "a red cube"};
    const int k = 3, per_prompt = 2;
    const int64_t batch = static_cast<int64_t>(prompts.size()) * per_prompt;
    TextToImageRequest r;
    r.prompts = prompts;
    r.images_per_prompt = per_prompt;
    r.best_of = k;
    r.sampling = fast(3);
    r.stop_after_decoder = true;  // the choice is made before the decoder
    const auto best = combined().text_to_image(r);
    TextToImageRequest all = r;
    all.best_of = 1;
    all.images_per_prompt = per_prompt * k;
    const auto candidates = combined().text_to_image(all);
    REQUIRE(best.image_embeddings.size(0) == batch);
    REQUIRE(candidates.image_embeddings.size(0) == batch * k);
    torch::NoGradGuard no_grad;
    const torch::Tensor text =
        encode_text(combined().impl(), prompts, 1, false).prompt_embeds.to(torch::kCPU, torch::kFloat64);
    int not_first = 0;
    for (int64_t i = 0; i < batch; ++i) {
        const torch::Tensor t = text[i / per_prompt];
        std::vector<double> sims;
        for (int64_t j = 0; j < k; ++j) {
            const torch::Tensor c = candidates.image_embeddings[i * k + j].to(torch::kFloat64);
            sims.push_back((c * t).sum().item<double>() / (c.norm().item<double>() * t.norm().item<double>()));
        }
        const auto top = std::max_element(sims.begin(), sims.end()) - sims.begin();
        const auto low = std::min_element(sims.begin(), sims.end()) - sims.begin();
        EXPECT_MSG(sims[top] - sims[low] > 1e-6, "image " << i << ": the candidates are equally similar (the test cannot fail)");
        not_first += top != 0;
        const double d = max_diff(best.image_embeddings[i].to(torch::kFloat64), candidates.image_embeddings[i * k + top].to(torch::kFloat64));
        EXPECT_MSG(d < 1e-5, "image " << i << ": kept embedding differs by " << d << " from candidate " << top
                                      << " (similarities " << sims[0] << ", " << sims[1] << ", " << sims[2] << ")");
    }
    EXPECT_MSG(not_first > 0, "candidate 0 is the best for every image: a 'keep the first' bug would pass");
}

UNCLIP_TEST_MAIN()
