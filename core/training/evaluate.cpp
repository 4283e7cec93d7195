// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/evaluate.h"

#include "core/io/png_io.h"
#include "core/pipeline/pipeline_impl.h"
#include "core/pipeline/stages.h"
#include "core/random/generator.h"

#include <torch/torch.h>

#include <chrono>

namespace unclip::training {

namespace F = torch::nn::functional;
using json = nlohmann::json;

RetrievalScore text_to_image_retrieval(const torch::Tensor& sim) {
    RetrievalScore r;
    r.n = static_cast<int>(sim.size(1));
    for (int64_t j = 0; j < sim.size(1); ++j) {
        torch::Tensor col = sim.select(1, j);
        const int64_t rank = (col > col[j]).sum().item<int64_t>();
        r.top1 += rank == 0;
        r.top5 += rank < 5;
    }
    r.top1 /= std::max(1, r.n);
    r.top5 /= std::max(1, r.n);
    return r;
}

namespace {

std::vector<torch::Tensor> uint8_images(const Composer::Batch& b) {
    std::vector<torch::Tensor> out;
    for (int64_t i = 0; i < b.images.size(0); ++i) out.push_back(to_uint8_hwc(b.images[i]));
    return out;
}

std::vector<torch::Tensor> uint8_images(const torch::Tensor& images01) {
    std::vector<torch::Tensor> out;
    for (int64_t i = 0; i < images01.size(0); ++i) out.push_back(to_uint8_hwc(images01[i] * 2 - 1));
    return out;
}

json retrieval_json(const RetrievalScore& r) {
    return {{"n", r.n}, {"top1", r.top1}, {"top5", r.top5}, {"chance_top1", 1.0 / std::max(1, r.n)},
            {"chance_top5", std::min(1.0, 5.0 / std::max(1, r.n))}};
}

}  // namespace

nlohmann::json evaluate(pipeline::UnclipPipeline& pipe, const Composer& composer, const EvalOptions& o) {
    torch::NoGradGuard ng;
    json out;
    // 1. CLIP retrieval.
    auto pairs = composer.make(composer.eval_heldout_pairs(o.retrieval_pairs));
    auto r1 = text_to_image_retrieval(pipe.score(uint8_images(pairs), pairs.captions));
    out["clip_retrieval_heldout_compositions"] = retrieval_json(r1);
    auto emoji = composer.make(composer.eval_heldout_emoji());
    auto r2 = text_to_image_retrieval(pipe.score(uint8_images(emoji), emoji.captions));
    out["clip_retrieval_heldout_emoji"] = retrieval_json(r2);

    // 2. Prior: cosine(predicted image embedding, true image embedding).
    auto& p = pipe.impl();
    if (p.prior) {
        const int n = std::min<int>(o.prior_samples, static_cast<int>(pairs.captions.size()));
        std::vector<std::string> prompts(pairs.captions.begin(), pairs.captions.begin() + n);
        std::vector<torch::Tensor> imgs = uint8_images(pairs);
        imgs.resize(n);
        Generator gen(o.sampling.seed);
        auto text = pipeline::encode_text(p, prompts, 1, o.sampling.prior_guidance > 1.0f, "");
        torch::Tensor pred = pipeline::run_prior(p, text, n, o.sampling.prior_steps, o.sampling.prior_guidance,
                                                 pipeline::generator_noise(gen), {});
        torch::Tensor truth = pipeline::encode_images(p, imgs);
        torch::Tensor cos = F::cosine_similarity(pred.to(torch::kFloat32), truth.to(torch::kFloat32),
                                                 F::CosineSimilarityFuncOptions().dim(1));
        // Reference points: the true embedding of a different composition, and the text embedding itself.
        torch::Tensor shuffled = F::cosine_similarity(truth.roll(1, 0), truth, F::CosineSimilarityFuncOptions().dim(1));
        torch::Tensor pn = F::normalize(pred.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
        torch::Tensor tn = F::normalize(truth.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
        auto rp = text_to_image_retrieval(torch::matmul(tn, pn.t()));
        out["prior"] = {{"n", n},
                        {"cosine_mean", cos.mean().item<double>()},
                        {"cosine_other_composition_mean", shuffled.mean().item<double>()},
                        {"predicted_to_true_retrieval", retrieval_json(rp)}};
    }

    // 3. Super-res on real pictures: held-out compositions at the output size, shrunk to the
    // decoder's size (area, as in training) and super-resolved; PSNR against the original, with a
    // plain bicubic upscale of the same small pictures as the baseline the stage must beat.
    if (p.super_res_first && o.super_res_pictures > 0) {
        auto pics = composer.make(composer.eval_heldout_pairs(o.super_res_pictures, 13));
        const int64_t d = pipe.decoder_size();
        torch::Tensor small = shrink_area(pics.images, d);
        torch::Tensor up = pipeline::upscale_for_super_res(p, small.to(p.device(), p.dtype()));
        Generator gen(o.sampling.seed);
        torch::Tensor sr = pipeline::run_super_res(p, up, o.sampling.super_res_steps, pipeline::generator_noise(gen), {});
        auto psnr = [&](const torch::Tensor& x) {  // images in [-1, 1] -> PSNR on [0, 1]
            torch::Tensor a = (x.to(torch::kCPU, torch::kFloat32).clamp(-1, 1) + 1) / 2, b = (pics.images + 1) / 2;
            torch::Tensor mse = (a - b).pow(2).flatten(1).mean(1).clamp_min(1e-10);
            return (-10.0 * mse.log10()).mean().item<double>();
        };
        if (!o.super_res_images_dir.empty()) {  // truth / bicubic / super-res of the first pictures
            for (int64_t i = 0; i < std::min<int64_t>(4, sr.size(0)); ++i) {
                const std::string stem = o.super_res_images_dir + "/super_res_" + std::to_string(i);
                io::write_png(stem + "_truth.png", to_uint8_hwc(pics.images[i]));
                io::write_png(stem + "_bicubic.png", to_uint8_hwc(up[i].to(torch::kCPU, torch::kFloat32)));
                io::write_png(stem + "_model.png", to_uint8_hwc(sr[i].to(torch::kCPU, torch::kFloat32)));
            }
        }
        out["super_res"] = {{"n", pics.images.size(0)},
                            {"from", d},
                            {"to", pics.images.size(-1)},
                            {"steps", o.sampling.super_res_steps},
                            {"psnr_db", psnr(sr)},
                            {"bicubic_psnr_db", psnr(up)}};
    }

    // 4. Generated images matched to their own prompt.
    if (pipe.supports(pipeline::Mode::TextToImage) && o.generated > 0) {
        auto gen_set = composer.make(composer.eval_heldout_pairs(o.generated, 11));
        pipeline::TextToImageRequest req;
        req.prompts = gen_set.captions;
        req.sampling = o.sampling;
        const auto t0 = std::chrono::steady_clock::now();
        auto res = pipe.text_to_image(req);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        torch::Tensor sim = pipe.score(uint8_images(res.images), gen_set.captions);
        auto rg = text_to_image_retrieval(sim.t());  // image -> prompt
        auto rr = text_to_image_retrieval(pipe.score(uint8_images(gen_set), gen_set.captions).t());
        out["generation"] = {{"prompts", gen_set.captions},
                             {"image_to_own_prompt", retrieval_json(rg)},
                             {"real_images_to_own_prompt", retrieval_json(rr)},
                             {"seconds_per_image", sec / gen_set.captions.size()},
                             {"sampling", pipeline::to_json(o.sampling)}};
    }
    return out;
}

}  // namespace unclip::training
