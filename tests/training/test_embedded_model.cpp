// SPDX-License-Identifier: GPL-3.0-or-later
// The shipped embedded model (resources/models/unclip-emoji) end to end on the CPU, through the
// real pipeline API: it loads (float16 on disk -> float32), its generated images are matched by its
// own CLIP to their own held-out prompts well above chance, variations of an emoji stay closer to
// it than to other emoji, the super-res keeps real pictures, and an interpolation moves
// monotonically from A to B. Prints a benchmark
// line (seconds per image). Few sampling steps keep it short on 2 CI cores.
#include "tests/support/test_harness.h"

#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/inversion.h"
#include "core/pipeline/pipeline_impl.h"
#include "core/pipeline/stages.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/random/generator.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <unistd.h>  // getpid

using namespace unclip;
namespace fs = std::filesystem;
namespace F = torch::nn::functional;

namespace {

const std::string kModel = UNCLIP_EMBEDDED_MODEL_DIR;
const std::string kData = UNCLIP_EMBEDDED_TEST_DATA;

pipeline::UnclipPipeline& pipe() {
    static std::unique_ptr<pipeline::UnclipPipeline> p = [] {
        pipeline::PipelineOptions o;
        o.model_dir = kModel;
        return pipeline::UnclipPipeline::load(o);
    }();
    return *p;
}

// Few steps; the decoder guidance (Karlo: 8) is an argument: the inversion and interpolation cases
// run at 2 (an inversion round trip is most exact at low guidance).
pipeline::Sampling fast(uint64_t seed, float decoder_guidance = 8.0f) {
    pipeline::Sampling s;
    s.decoder_guidance = decoder_guidance;
    s.seed = seed;
    s.prior_steps = 10;
    s.decoder_steps = 10;
    s.super_res_steps = 3;
    return s;
}

torch::Tensor u8(const torch::Tensor& img01_chw) {
    return (img01_chw.clamp(0, 1) * 255).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
}

// The model's own CLIP image embeddings, normalised: [N, E].
torch::Tensor image_embeddings(const std::vector<torch::Tensor>& images) {
    torch::NoGradGuard ng;
    torch::Tensor e = pipeline::encode_images(pipe().impl(), images).to(torch::kFloat32);
    return F::normalize(e, F::NormalizeFuncOptions().dim(1));
}

}  // namespace

TEST_CASE("the shipped model is complete, small, float16 on disk and loads on the CPU") {
    uint64_t bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(kModel))
        if (e.is_regular_file()) bytes += e.file_size();
    std::cout << "embedded model: " << bytes / 1e6 << " MB\n";
    EXPECT(bytes < 25'000'000);
    for (const char* f : {"model_index.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                          "feature_extractor/preprocessor_config.json", "prior_scheduler/scheduler_config.json",
                          "decoder_scheduler/scheduler_config.json", "super_res_scheduler/scheduler_config.json",
                          "text_encoder/model.safetensors", "image_encoder/model.safetensors",
                          "prior/diffusion_pytorch_model.safetensors", "text_proj/diffusion_pytorch_model.safetensors",
                          "decoder/diffusion_pytorch_model.safetensors",
                          "super_res_first/diffusion_pytorch_model.safetensors",
                          "super_res_last/diffusion_pytorch_model.safetensors"})
        EXPECT_MSG(fs::exists(kModel + "/" + f), f);
    auto& p = pipe();
    for (auto m : {pipeline::Mode::TextToImage, pipeline::Mode::Variation, pipeline::Mode::Interpolation,
                   pipeline::Mode::TextDiff, pipeline::Mode::Inpaint})
        EXPECT_MSG(p.supports(m), pipeline::mode_name(m) << ": " << p.missing_for(m));

    // A damaged copy (one weight file missing) is refused with a message naming the component.
    const fs::path broken = fs::temp_directory_path() / ("unclip_emoji_broken_" + std::to_string(::getpid()));
    fs::remove_all(broken);
    fs::copy(kModel, broken, fs::copy_options::recursive);
    fs::remove(broken / "decoder" / "diffusion_pytorch_model.safetensors");
    pipeline::PipelineOptions o;
    o.model_dir = broken.string();
    EXPECT_THROWS(Error, pipeline::UnclipPipeline::load(o)->text_to_image({{"a red apple"}}), "decoder");
    fs::remove_all(broken);
}

TEST_CASE("generated images are matched by the model's CLIP to their own held-out prompt") {
    // Held-out (emoji, background) compositions: never seen in training (printed by
    // `unclip-train fixtures --heldout`).
    const std::vector<std::string> prompts = {
        "a firefighter on a green background", "an upside-down face on a dark blue background",
        "an elf on a red background",          "a last quarter moon on a pink background",
        "a wavy dash on a yellow background",  "a khanda on a light blue background",
        "a sled on a black background"};
    pipeline::TextToImageRequest req;
    req.prompts = prompts;
    req.sampling = fast(3);
    const auto t0 = std::chrono::steady_clock::now();
    auto res = pipe().text_to_image(req);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << std::fixed << std::setprecision(3) << "BENCH embedded text2img: " << sec / prompts.size()
              << " s per image (" << pipe().image_size() << " px, steps 10/10/3, batch " << prompts.size()
              << ", " << torch::get_num_threads() << " threads)\n";
    std::vector<torch::Tensor> imgs;
    for (int64_t i = 0; i < res.images.size(0); ++i) imgs.push_back(u8(res.images[i]));
    torch::Tensor sim = pipe().score(imgs, prompts);  // [images, prompts]
    const int n = static_cast<int>(prompts.size());
    int hits = 0;
    for (int i = 0; i < n; ++i) hits += sim[i].argmax().item<int64_t>() == i;
    const double diag = sim.diagonal().mean().item<double>();
    const double off = (sim.sum().item<double>() - sim.diagonal().sum().item<double>()) / (n * (n - 1));
    std::cout << "generated image -> own prompt top-1: " << hits << "/" << n << " (chance " << 1.0 / n
              << "), mean cosine own " << diag << " vs others " << off << "\n";
    // Shipped model: 7/7 (4/7 before, with the epsilon super-res it replaced).
    EXPECT_MSG(hits >= n - 2, hits << "/" << n);
    EXPECT_MSG(diag > off + 0.02, diag << " vs " << off);
}

TEST_CASE("variations of an emoji stay closer to it than to the other emoji") {
    const std::vector<std::string> names = {"red_apple", "rocket", "blue_heart", "cat_face"};
    std::vector<torch::Tensor> src;
    for (const auto& n : names) src.push_back(io::read_png(kData + "/" + n + ".png"));
    std::vector<torch::Tensor> vars;
    for (size_t i = 0; i < src.size(); ++i) {
        pipeline::VariationRequest req;
        req.image = src[i];
        req.num_images = 2;
        req.sampling = fast(10 + i);  // Karlo's decoder guidance 8: measured best for this decoder (1, 2, 4: 4/8)
        auto r = pipe().variations(req);
        for (int64_t k = 0; k < r.images.size(0); ++k) vars.push_back(u8(r.images[k]));
    }
    torch::Tensor ps = image_embeddings(src), pv = image_embeddings(vars);
    torch::Tensor sim = torch::matmul(pv, ps.t());  // [2 * 4, 4]
    int ok = 0;
    for (int64_t v = 0; v < sim.size(0); ++v) {
        const int64_t own = v / 2;
        const bool closest = sim[v].argmax().item<int64_t>() == own;
        ok += closest;
        std::cout << "variation " << v << " of " << names[own] << ": own " << sim[v][own].item<double>()
                  << (closest ? " (closest)" : " (NOT closest)") << "\n";
    }
    // The target: 6/8 (chance is 2/8, four candidates). The shipped model gives 8/8 here
    // (5/8 before, with the epsilon super-res it replaced and 64 px fixtures; see docs/model-card.md).
    std::cout << "variations closest to their own emoji: " << ok << "/8 (chance 2/8, target 6/8)\n";
    EXPECT_MSG(ok >= 6, ok << "/8 variations closest to their own emoji (chance is 2/8)");
}

TEST_CASE("DDIM inversion is stable: text diff at theta 0 and structure 1 give the input back") {
    // Regression: inverting up to t = 999 (sqrt(alphas_cumprod) = 4.9e-5) made this model decode
    // pure noise; the inversion now stops at the leading DDIM spacing's top step.
    const torch::Tensor apple = io::read_png(kData + "/red_apple.png");
    const torch::Tensor target = pipeline::image_to_model(apple, pipe().decoder_size());  // [-1, 1]
    auto error = [&](const pipeline::Result& r) { return (r.decoder_output - target).abs().mean().item<double>(); };
    pipeline::TextDiffRequest diff;
    diff.image = apple;
    diff.description = "a red apple";
    diff.target = "a blue heart";
    diff.theta = 0.0f;
    diff.sampling = fast(3, 2.0f);
    const auto same = pipe().text_diff(diff);
    pipeline::VariationRequest vary;
    vary.image = apple;
    vary.structure_strength = 1.0f;
    vary.sampling = fast(3, 2.0f);
    const auto kept = pipe().variations(vary);
    std::cout << "reconstruction mean abs error (decoder, [-1, 1]): text diff theta 0 " << error(same)
              << ", structure 1 variation " << error(kept) << " (noise would be ~0.8)\n";
    EXPECT_MSG(error(same) < 0.15, error(same));
    EXPECT_MSG(error(kept) < 0.15, error(kept));
    // A larger theta moves the picture toward the target's embedding.
    diff.theta = 0.6f;
    const auto moved = pipe().text_diff(diff);
    const torch::Tensor heart = io::read_png(kData + "/blue_heart.png");
    torch::Tensor e = image_embeddings({u8(same.images[0]), u8(moved.images[0])});
    torch::Tensor h = image_embeddings({heart});
    const double before = torch::dot(e[0], h[0]).item<double>(), after = torch::dot(e[1], h[0]).item<double>();
    std::cout << "text diff toward blue heart: similarity " << before << " -> " << after << "\n";
    EXPECT_MSG(after > before, before << " -> " << after);
}

TEST_CASE("the super-res stage keeps a real picture: closer to it than a bicubic upscale, colours kept") {
    // Emoji renders at the output size (the fixtures), shrunk to the decoder's size and
    // super-resolved with the steps the other cases use: the result must be closer to the original
    // than a bicubic upscale. Regression: the GPU-trained epsilon super-res shipped before gave
    // 16.5 dB where bicubic gives 29.9 (wrong colours, speckled backgrounds).
    const int64_t out = pipe().image_size(), d = pipe().decoder_size();
    std::vector<torch::Tensor> truth;
    for (const char* n : {"red_apple", "rocket", "blue_heart", "cat_face"}) {
        torch::Tensor img = io::read_png(kData + "/" + std::string(n) + ".png");
        EXPECT_MSG(img.size(0) == out && img.size(1) == out, n << ".png is not " << out << " px");
        truth.push_back(img.permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1));
    }
    torch::Tensor x = torch::stack(truth);  // [4, 3, out, out] in [-1, 1]
    torch::NoGradGuard ng;
    torch::Tensor small = F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{d, d}).mode(torch::kArea));
    torch::Tensor up = pipeline::upscale_for_super_res(pipe().impl(), small);
    Generator gen(4);
    torch::Tensor sr = pipeline::run_super_res(pipe().impl(), up, fast(0).super_res_steps, pipeline::generator_noise(gen), {});
    auto psnr = [&](const torch::Tensor& y) {
        torch::Tensor mse = ((y.clamp(-1, 1) - x) / 2).pow(2).flatten(1).mean(1);
        return (-10.0 * mse.log10()).mean().item<double>();
    };
    const double p_model = psnr(sr), p_bicubic = psnr(up);
    const double colour = (sr.clamp(-1, 1).mean({2, 3}) - x.mean({2, 3})).abs().max().item<double>() / 2;
    std::cout << "super-res " << d << " -> " << out << " px: PSNR " << p_model << " dB (bicubic " << p_bicubic
              << " dB), largest mean-colour error " << colour << "\n";
    // Shipped model: 29.9 dB vs bicubic 25.6 dB, colour error 0.005.
    EXPECT_MSG(p_model > p_bicubic + 1.0, p_model << " dB vs bicubic " << p_bicubic);
    EXPECT_MSG(colour < 0.03, colour);
}

TEST_CASE("an interpolation moves monotonically from A to B") {
    pipeline::InterpolationRequest req;
    req.a.image = io::read_png(kData + "/red_apple.png");
    req.b.image = io::read_png(kData + "/blue_heart.png");
    req.positions = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f};
    req.sampling = fast(5, 2.0f);
    auto r = pipe().interpolate(req);
    std::vector<torch::Tensor> frames;
    for (int64_t i = 0; i < r.images.size(0); ++i) frames.push_back(u8(r.images[i]));
    torch::Tensor pf = image_embeddings(frames), pe = image_embeddings({req.a.image, req.b.image});
    torch::Tensor s = torch::matmul(pf, pe.t());            // [5, 2]
    torch::Tensor d = (s.select(1, 1) - s.select(1, 0));    // toward B minus toward A
    std::cout << "interpolation B-minus-A similarity per frame:";
    for (int64_t i = 0; i < d.size(0); ++i) std::cout << " " << d[i].item<double>();
    std::cout << "\n";
    // Every frame at least as close to B (relative to A) as the one before, within 0.03, and the
    // last clearly closer than the first (shipped model: -0.063 -0.020 0.051 0.180 0.183).
    const double tol = 0.03;
    for (int64_t i = 1; i < d.size(0); ++i) EXPECT_MSG(d[i].item<double>() >= d[i - 1].item<double>() - tol, "frame " << i);
    EXPECT_MSG(d[d.size(0) - 1].item<double>() > d[0].item<double>() + 0.2, d[0].item<double>() << " -> " << d[d.size(0) - 1].item<double>());
}

UNCLIP_TEST_MAIN()
