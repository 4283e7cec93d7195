// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/stage_losses.h"

#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/models/unet/upscale.h"

namespace unclip::training {

namespace F = torch::nn::functional;

std::pair<torch::Tensor, torch::Tensor> tokenize_batch(const text::ClipTokenizer& tokenizer, const std::vector<std::string>& texts,
                                                       int length) {
    torch::Tensor ids = torch::empty({static_cast<int64_t>(texts.size()), length}, torch::kInt64);
    torch::Tensor mask = torch::empty({static_cast<int64_t>(texts.size()), length}, torch::kBool);
    auto ia = ids.accessor<int64_t, 2>();
    auto ma = mask.accessor<bool, 2>();
    for (size_t i = 0; i < texts.size(); ++i) {
        auto enc = tokenizer.encode(texts[i], length);
        for (int j = 0; j < length; ++j) {
            ia[i][j] = enc.input_ids[j];
            ma[i][j] = enc.attention_mask[j] != 0;
        }
    }
    return {ids, mask};
}

torch::Tensor clip_pixels(const models::CLIPImageProcessor& processor, const torch::Tensor& images) {
    std::vector<torch::Tensor> u8;
    for (int64_t i = 0; i < images.size(0); ++i) u8.push_back(to_uint8_hwc(images[i]));
    return processor.preprocess(u8);
}

int super_res_crop_side(const std::string& stage, const TrainConfig& config) {
    return stage == "super_res" && config.super_res_crop < config.sizes.canvas ? config.super_res_crop : 0;
}

namespace {

template <typename Impl>
std::shared_ptr<Impl> module_as(const std::map<std::string, std::shared_ptr<torch::nn::Module>>& modules, const char* name) {
    return std::dynamic_pointer_cast<Impl>(modules.at(name));
}

// x_t of a batch at random timesteps: the noise and timesteps drawn are returned through `noise`, `t`.
torch::Tensor noisy(const LossContext& c, const torch::Tensor& x0, torch::Tensor& noise, torch::Tensor& t) {
    const torch::Tensor& ac = c.alphas_cumprod;
    t = torch::randint(0, ac.size(0), {x0.size(0)}, torch::TensorOptions().dtype(torch::kInt64).device(c.device));
    noise = torch::randn_like(x0);
    std::vector<int64_t> shape(x0.dim(), 1);
    shape[0] = x0.size(0);
    torch::Tensor a = ac.index_select(0, t).view(shape);
    return a.sqrt() * x0 + (1 - a).sqrt() * noise;
}

// What the frozen CLIP makes of a batch (prior and decoder stages): text embedding, hidden states
// and mask of the captions (each dropped to "" with probability text_drop), and the image
// embedding of the pictures.
struct ClipView {
    torch::Tensor text_embeds, hidden, mask, image_embeds;
};
ClipView frozen_clip(const LossContext& c, const Composer::Batch& b, double text_drop) {
    torch::NoGradGuard ng;
    std::vector<std::string> captions = b.captions;
    for (auto& caption : captions)
        if (torch::rand({1}).item<double>() < text_drop) caption.clear();
    ClipView v;
    auto [ids, m] = tokenize_batch(c.tokenizer, captions, c.sizes.text_len);
    auto te = c.text_encoder->forward(ids.to(c.device));
    v.text_embeds = te.text_embeds;
    v.hidden = te.last_hidden_state;
    v.mask = m.to(c.device);
    v.image_embeds = c.image_encoder->forward(clip_pixels(c.processor, b.images).to(c.device)).image_embeds;
    return v;
}

LossFn clip_loss(const LossContext& c, const std::map<std::string, std::shared_ptr<torch::nn::Module>>& m) {
    auto te = module_as<models::CLIPTextModelWithProjectionImpl>(m, "text_encoder");
    auto ie = module_as<models::CLIPVisionModelWithProjectionImpl>(m, "image_encoder");
    auto head = module_as<ClipHeadImpl>(m, "clip_head");
    return [&c, te, ie, head](std::mt19937_64& rng) {
        const int64_t batch = c.options.batch;
        auto b = c.composer.batch(static_cast<int>(batch), rng);
        auto [ids, mask] = tokenize_batch(c.tokenizer, b.captions, c.sizes.text_len);
        torch::Tensor t = F::normalize(te->forward(ids.to(c.device)).text_embeds, F::NormalizeFuncOptions().dim(1));
        torch::Tensor i = F::normalize(ie->forward(clip_pixels(c.processor, b.images).to(c.device)).image_embeds,
                                       F::NormalizeFuncOptions().dim(1));
        torch::Tensor logits = head->logit_scale.exp().clamp_max(100.0) * torch::matmul(i, t.t());
        torch::Tensor labels = torch::arange(batch, torch::TensorOptions().dtype(torch::kInt64).device(c.device));
        return 0.5 * (F::cross_entropy(logits, labels) + F::cross_entropy(logits.t(), labels));
    };
}

LossFn prior_loss(const LossContext& c, const std::map<std::string, std::shared_ptr<torch::nn::Module>>& m) {
    auto prior = module_as<models::PriorTransformerImpl>(m, "prior");
    return [&c, prior](std::mt19937_64& rng) {
        const ClipView v = frozen_clip(c, c.composer.batch(c.options.batch, rng), c.config.prior_text_drop);
        const torch::Tensor x0 = (v.image_embeds - prior->clip_mean) / prior->clip_std;
        torch::Tensor noise, t;
        torch::Tensor xt = noisy(c, x0, noise, t);
        torch::Tensor pred = prior->forward(xt, t, v.text_embeds, v.hidden, v.mask);
        return F::mse_loss(pred, x0);
    };
}

LossFn decoder_loss(const LossContext& c, const std::map<std::string, std::shared_ptr<torch::nn::Module>>& m) {
    auto unet = module_as<models::UNet2DConditionModelImpl>(m, "decoder");
    auto proj = module_as<models::UnCLIPTextProjModelImpl>(m, "text_proj");
    return [&c, unet, proj](std::mt19937_64& rng) {
        const int64_t batch = c.options.batch;
        auto b = c.composer.batch(static_cast<int>(batch), rng);
        const ClipView v = frozen_clip(c, b, c.config.decoder_text_drop);
        const torch::Tensor& img = v.image_embeds;
        torch::Tensor drop = torch::rand({batch, 1}).to(c.device) < c.config.decoder_image_drop;
        torch::Tensor img_in =
            torch::where(drop, proj->learned_classifier_free_guidance_embeddings.unsqueeze(0).expand_as(img), img);
        auto po = proj->forward(img_in, v.text_embeds, v.hidden, false);
        torch::Tensor full_mask = torch::cat({torch::ones({batch, c.sizes.extra_tokens}, torch::kBool).to(c.device), v.mask}, 1);
        // The decoder's target: the picture at the decoder's size.
        torch::Tensor x0 = shrink_area(b.images.to(c.device), c.sizes.decoder_size);
        torch::Tensor noise, t;
        torch::Tensor xt = noisy(c, x0, noise, t);
        torch::Tensor pred = unet->forward(xt, t, po.text_encoder_hidden_states, po.additive_clip_time_embeddings, full_mask);
        return F::mse_loss(pred, noise);
    };
}

LossFn super_res_loss(const LossContext& c, const std::map<std::string, std::shared_ptr<torch::nn::Module>>& m) {
    auto unet = module_as<models::UNet2DModelImpl>(m, "super_res_first");
    const int crop = super_res_crop_side("super_res", c.config);
    return [&c, unet, crop](std::mt19937_64& rng) {
        const int64_t batch = c.options.batch;
        const int64_t canvas = c.sizes.canvas;
        const torch::Tensor images = c.composer.batch(static_cast<int>(batch), rng).images.to(c.device);  // one transfer
        torch::Tensor up;
        {
            torch::NoGradGuard ng;
            // The super-res input: the picture at the decoder's size, upscaled.
            torch::Tensor lo = shrink_area(images, c.sizes.decoder_size);
            // Robustness to the decoder's imperfect output: a little noise on the small image.
            lo = lo + torch::randn_like(lo) * torch::rand({batch, 1, 1, 1}).to(c.device) * 0.05;
            up = models::upscale_bicubic_antialias(lo.clamp(-1, 1), canvas, canvas);
        }
        torch::Tensor target = images;
        if (crop > 0) {  // one random crop per picture, the same for target and input
            std::vector<torch::Tensor> ts, us;
            for (int64_t i = 0; i < images.size(0); ++i) {
                const int64_t y = static_cast<int64_t>(rng() % (canvas - crop + 1));
                const int64_t x = static_cast<int64_t>(rng() % (canvas - crop + 1));
                ts.push_back(images[i].narrow(1, y, crop).narrow(2, x, crop));
                us.push_back(up[i].narrow(1, y, crop).narrow(2, x, crop));
            }
            target = torch::stack(ts);
            up = torch::stack(us);
        }
        torch::Tensor noise, t;
        torch::Tensor xt = noisy(c, target, noise, t);
        torch::Tensor pred = unet->forward(torch::cat({xt, up}, 1), t);
        return F::mse_loss(pred, c.config.super_res_prediction == "sample" ? target : noise);
    };
}

}  // namespace

LossFn stage_loss(const std::string& stage, const LossContext& c,
                  const std::map<std::string, std::shared_ptr<torch::nn::Module>>& modules) {
    if (stage == "clip") return clip_loss(c, modules);
    if (stage == "prior") return prior_loss(c, modules);
    if (stage == "decoder") return decoder_loss(c, modules);
    return super_res_loss(c, modules);
}

}  // namespace unclip::training
