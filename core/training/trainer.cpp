#include "core/training/trainer.h"

#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/io/model_folder.h"
#include "core/io/safetensors.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/models/unet/upscale.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/text/clip_tokenizer.h"
#include "core/training/bpe_vocab.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace unclip::training {

namespace fs = std::filesystem;
namespace F = torch::nn::functional;
using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Modules

namespace {

// CLIP's learnable temperature (not exported).
struct ClipHeadImpl : torch::nn::Module {
    ClipHeadImpl() { logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07))); }
    torch::Tensor logit_scale;
};
TORCH_MODULE(ClipHead);

using Named = std::map<std::string, torch::Tensor>;

Named named_tensors(torch::nn::Module& m) {
    Named out;
    for (const auto& p : m.named_parameters(true)) out[p.key()] = p.value();
    for (const auto& b : m.named_buffers(true)) out[b.key()] = b.value();
    return out;
}

void copy_into(torch::nn::Module& m, const Named& src, const std::string& what) {
    torch::NoGradGuard ng;
    for (auto& [k, v] : named_tensors(m)) {
        auto it = src.find(k);
        if (it == src.end()) throw ModelError(what + ": checkpoint has no tensor " + k);
        if (it->second.sizes() != v.sizes()) throw ModelError(what + ": checkpoint tensor " + k + " has another shape");
        v.copy_(it->second.to(v.device(), v.scalar_type()));
    }
}

std::vector<std::string> stage_components(const std::string& stage) {
    if (stage == "clip") return {"text_encoder", "image_encoder", "clip_head"};
    if (stage == "prior") return {"prior"};
    if (stage == "decoder") return {"decoder", "text_proj"};
    if (stage == "super_res") return {"super_res_first"};
    throw RequestError("unknown training stage \"" + stage + "\"");
}

uint64_t mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::string fmt_duration(double s) {
    const int t = static_cast<int>(std::max(0.0, s));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%dh%02dm%02ds", t / 3600, (t / 60) % 60, t % 60);
    return buf;
}

}  // namespace

struct Trainer::State {
    ModelSizes sizes;
    std::optional<text::ClipTokenizer> tokenizer;
    std::string tokenizer_dir;
    models::CLIPImageProcessor processor;
    torch::Tensor alphas_cumprod;  // [1000]
    std::map<std::string, std::shared_ptr<torch::nn::Module>> modules;

    std::shared_ptr<torch::nn::Module> build(const std::string& component) {
        const std::string label = "embedded " + component;
        if (component == "text_encoder")
            return models::CLIPTextModelWithProjection(models::CLIPTextConfig::from_json(text_encoder_config(sizes), label)).ptr();
        if (component == "image_encoder")
            return models::CLIPVisionModelWithProjection(models::CLIPVisionConfig::from_json(image_encoder_config(sizes), label)).ptr();
        if (component == "clip_head") return ClipHead().ptr();
        if (component == "prior")
            return models::PriorTransformer(models::PriorTransformerConfig::from_json(prior_config(sizes), label)).ptr();
        if (component == "text_proj")
            return models::UnCLIPTextProjModel(models::UnCLIPTextProjConfig::from_json(text_proj_config(sizes), label)).ptr();
        if (component == "decoder")
            return models::UNet2DConditionModel(models::UNet2DConditionConfig::from_json(decoder_config(sizes), label)).ptr();
        if (component == "super_res_first")
            return models::UNet2DModel(models::UNet2DConfig::from_json(super_res_config(sizes), label)).ptr();
        throw RequestError("unknown component " + component);
    }

    // ids [B, L] int64, mask [B, L] bool
    std::pair<torch::Tensor, torch::Tensor> tokenize(const std::vector<std::string>& texts) const {
        const int L = sizes.text_len;
        torch::Tensor ids = torch::empty({static_cast<int64_t>(texts.size()), L}, torch::kInt64);
        torch::Tensor mask = torch::empty({static_cast<int64_t>(texts.size()), L}, torch::kBool);
        auto ia = ids.accessor<int64_t, 2>();
        auto ma = mask.accessor<bool, 2>();
        for (size_t i = 0; i < texts.size(); ++i) {
            auto enc = tokenizer->encode(texts[i], L);
            for (int j = 0; j < L; ++j) {
                ia[i][j] = enc.input_ids[j];
                ma[i][j] = enc.attention_mask[j] != 0;
            }
        }
        return {ids, mask};
    }

    torch::Tensor clip_pixels(const torch::Tensor& images) const {
        std::vector<torch::Tensor> u8;
        for (int64_t i = 0; i < images.size(0); ++i) u8.push_back(to_uint8_hwc(images[i]));
        return processor.preprocess(u8);
    }
};

Trainer::Trainer(TrainConfig config, std::ostream* log)
    : config_(std::move(config)), log_(log ? log : &std::cout), state_(std::make_unique<State>()) {
    if (config_.threads > 0) torch::set_num_threads(config_.threads);
    tiles_ = std::make_unique<EmojiTiles>(EmojiTiles::load(config_.dataset));
    composer_ = std::make_unique<Composer>(*tiles_, config_.sizes.canvas);
    fs::create_directories(config_.work_dir);
    state_->tokenizer_dir = config_.work_dir + "/tokenizer";
    if (!fs::exists(state_->tokenizer_dir + "/vocab.json")) {
        BpeVocab v = learn_bpe(composer_->caption_corpus(), config_.merges);
        write_tokenizer_folder(state_->tokenizer_dir, v, config_.sizes.text_len);
        *log_ << "tokenizer: " << v.tokens.size() << " tokens, " << v.merges.size() << " merges -> "
              << state_->tokenizer_dir << "\n";
    }
    state_->tokenizer = text::ClipTokenizer::from_folder(state_->tokenizer_dir);
    config_.sizes.vocab_size = state_->tokenizer->vocab_size();
    config_.sizes.bos_id = state_->tokenizer->bos_id();
    config_.sizes.eos_id = state_->tokenizer->eos_id();
    state_->sizes = config_.sizes;
    state_->processor = models::CLIPImageProcessor(
        models::CLIPImageProcessorConfig::from_json(feature_extractor_config(config_.sizes), "embedded feature_extractor"));
    state_->alphas_cumprod = schedulers::UnCLIPScheduler().alphas_cumprod().to(torch::kFloat32);
    std::ofstream(config_.work_dir + "/train_config.json") << config_.to_json().dump(2);
}

Trainer::~Trainer() = default;

std::string Trainer::checkpoint_path(const std::string& stage) const {
    return config_.work_dir + "/ckpt_" + stage + ".safetensors";
}

std::map<std::string, std::map<std::string, torch::Tensor>> Trainer::checkpoint(const std::string& stage,
                                                                              const std::string& which) const {
    const std::string path = checkpoint_path(stage);
    if (!fs::exists(path)) throw ModelError("no checkpoint for stage " + stage + " (" + path + ")");
    auto sd = io::load_safetensors(path);
    std::map<std::string, std::map<std::string, torch::Tensor>> out;
    const std::string prefix = which + "/";
    for (const auto& [k, v] : sd) {
        if (k.rfind(prefix, 0) != 0) continue;
        const std::string rest = k.substr(prefix.size());
        const auto slash = rest.find('/');
        out[rest.substr(0, slash)][rest.substr(slash + 1)] = v;
    }
    return out;
}

StageReport Trainer::train(const std::string& stage) {
    const StageOptions opt = config_.stage(stage);
    State& S = *state_;
    const ModelSizes& sz = S.sizes;
    const auto components = stage_components(stage);
    // Batches are composed, tokenized and CLIP-preprocessed on the CPU, then moved to `dev`.
    const torch::Device dev = parse_device(config_.device);
    if (dev.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);  // fixed shapes: pick the fastest kernels once
    auto on = [&](const torch::Tensor& t) { return t.to(dev); };

    // Modules of this stage (fresh, seeded) and the frozen CLIP (EMA weights) the later stages need.
    std::map<std::string, std::shared_ptr<torch::nn::Module>> mods;
    uint64_t k = 0;
    for (const auto& c : components) {
        torch::manual_seed(config_.seed * 7919 + (++k) + std::hash<std::string>{}(c) % 1000);
        mods[c] = S.build(c);
        mods[c]->to(dev);
    }
    models::CLIPTextModelWithProjection text_enc{nullptr};
    models::CLIPVisionModelWithProjection image_enc{nullptr};
    if (stage == "prior" || stage == "decoder") {
        auto clip = checkpoint("clip", "ema");
        text_enc = models::CLIPTextModelWithProjection(models::CLIPTextConfig::from_json(text_encoder_config(sz), "text_encoder"));
        image_enc = models::CLIPVisionModelWithProjection(models::CLIPVisionConfig::from_json(image_encoder_config(sz), "image_encoder"));
        text_enc->to(dev);
        image_enc->to(dev);
        copy_into(*text_enc, clip.at("text_encoder"), "clip checkpoint");
        copy_into(*image_enc, clip.at("image_encoder"), "clip checkpoint");
        text_enc->eval();
        image_enc->eval();
        for (auto& p : text_enc->parameters()) p.set_requires_grad(false);
        for (auto& p : image_enc->parameters()) p.set_requires_grad(false);
    }

    // Resume.
    int step = 0;
    std::map<std::string, Named> ema;
    const std::string ckpt = checkpoint_path(stage), opt_path = config_.work_dir + "/ckpt_" + stage + ".optim.pt";
    const bool resume = fs::exists(ckpt);
    if (resume) {
        auto file = io::SafetensorsFile::open(ckpt);
        step = std::stoi(file->metadata().at("step"));
        auto model = checkpoint(stage, "model");
        auto e = checkpoint(stage, "ema");
        for (const auto& c : components) copy_into(*mods[c], model.at(c), ckpt);
        for (const auto& c : components)
            for (const auto& [n, v] : e.at(c)) ema[c][n] = v.to(dev).clone();
    } else {
        if (!config_.init_dir.empty()) {
            // Start from a model folder's weights (exported float16 is fine: cast on copy). The
            // prior's clip_mean / clip_std come with them.
            io::ModelFolder folder(config_.init_dir);
            for (const auto& c : components) {
                if (c == "clip_head") continue;  // not exported: starts at CLIP's initial temperature
                if (!folder.has(c)) throw ModelError(config_.init_dir + " has no " + c + " to start the " + stage + " stage from");
                copy_into(*mods[c], folder.weights(c), config_.init_dir + "/" + c);
            }
            *log_ << "[" << stage << "] starting from the weights in " << config_.init_dir << "\n";
        }
        for (const auto& c : components)
            for (const auto& [n, v] : named_tensors(*mods[c])) ema[c][n] = v.detach().clone();
    }

    // The prior normalises image embeddings with their dataset statistics (clip_mean / clip_std).
    if (stage == "prior") {
        auto prior = std::dynamic_pointer_cast<models::PriorTransformerImpl>(mods["prior"]);
        prior->clip_mean.set_requires_grad(false);
        prior->clip_std.set_requires_grad(false);
        if (!resume && config_.init_dir.empty()) {
            torch::NoGradGuard ng;
            std::mt19937_64 rng(config_.seed + 99);
            std::vector<torch::Tensor> embs;
            for (int i = 0; i < 16; ++i) {
                auto b = composer_->batch(64, rng);
                embs.push_back(image_enc->forward(on(S.clip_pixels(b.images))).image_embeds);
            }
            torch::Tensor all = torch::cat(embs);
            prior->clip_mean.copy_(all.mean(0, true));
            prior->clip_std.copy_(all.std(0, true, true).clamp_min(1e-4));
            ema["prior"]["clip_mean"] = prior->clip_mean.detach().clone();
            ema["prior"]["clip_std"] = prior->clip_std.detach().clone();
        }
    }

    std::vector<torch::Tensor> params;
    for (const auto& c : components)
        for (auto& p : mods[c]->parameters())
            if (p.requires_grad()) params.push_back(p);
    torch::optim::AdamW optim(params, torch::optim::AdamWOptions(opt.lr).weight_decay(0.01).betas({0.9, 0.99}));
    if (resume && fs::exists(opt_path)) torch::load(optim, opt_path);
    for (auto& [c, m] : mods) m->train();

    const std::string csv_path = config_.work_dir + "/loss_" + stage + ".csv";
    std::ofstream csv(csv_path, resume ? std::ios::app : std::ios::trunc);
    if (!resume) csv << "step,loss,lr,seconds\n";

    auto save = [&](int at) {
        io::StateDict sd;
        for (const auto& c : components) {
            for (const auto& [n, v] : named_tensors(*mods[c])) sd["model/" + c + "/" + n] = v.detach().cpu().contiguous();
            for (const auto& [n, v] : ema[c]) sd["ema/" + c + "/" + n] = v.cpu().contiguous();
        }
        io::save_safetensors(ckpt, sd, {{"step", std::to_string(at)}, {"stage", stage},
                                        {"config", config_.to_json().dump()}});
        torch::save(optim, opt_path + ".tmp");
        fs::rename(opt_path + ".tmp", opt_path);
    };

    const torch::Tensor ac = on(S.alphas_cumprod);
    auto noisy = [&](const torch::Tensor& x0, torch::Tensor& noise, torch::Tensor& t) {
        t = torch::randint(0, ac.size(0), {x0.size(0)}, torch::TensorOptions().dtype(torch::kInt64).device(dev));
        noise = torch::randn_like(x0);
        std::vector<int64_t> shape(x0.dim(), 1);
        shape[0] = x0.size(0);
        torch::Tensor a = ac.index_select(0, t).view(shape);
        return a.sqrt() * x0 + (1 - a).sqrt() * noise;
    };
    auto drop_text = [&](std::vector<std::string> caps, double p) {
        for (auto& c : caps)
            if (torch::rand({1}).item<double>() < p) c.clear();
        return caps;
    };
    // What the frozen CLIP makes of a batch (prior and decoder stages): text embedding, hidden
    // states and mask of the captions (each dropped to "" with probability text_drop), and the
    // image embedding of the pictures.
    struct ClipView {
        torch::Tensor text_embeds, hidden, mask, image_embeds;
    };
    auto frozen_clip = [&](const Composer::Batch& b, double text_drop) {
        torch::NoGradGuard ng;
        ClipView v;
        auto [ids, m] = S.tokenize(drop_text(b.captions, text_drop));
        auto te = text_enc->forward(on(ids));
        v.text_embeds = te.text_embeds;
        v.hidden = te.last_hidden_state;
        v.mask = on(m);
        v.image_embeds = image_enc->forward(on(S.clip_pixels(b.images))).image_embeds;
        return v;
    };

    // The decoder's target and the super-res stage's low-resolution input: the picture at decoder size.
    auto decoder_sized = [&](const torch::Tensor& images) { return shrink_area(images, sz.decoder_size); };
    // The super-res stage's crop side (0: whole pictures).
    const int crop = stage == "super_res" && config_.super_res_crop < sz.canvas ? config_.super_res_crop : 0;

    // One training step: the loss of a fresh batch.
    std::function<torch::Tensor(std::mt19937_64&)> loss_fn;
    if (stage == "clip") {
        auto te = std::dynamic_pointer_cast<models::CLIPTextModelWithProjectionImpl>(mods["text_encoder"]);
        auto ie = std::dynamic_pointer_cast<models::CLIPVisionModelWithProjectionImpl>(mods["image_encoder"]);
        auto head = std::dynamic_pointer_cast<ClipHeadImpl>(mods["clip_head"]);
        loss_fn = [&, te, ie, head](std::mt19937_64& rng) {
            auto b = composer_->batch(opt.batch, rng);
            auto [ids, mask] = S.tokenize(b.captions);
            torch::Tensor t = F::normalize(te->forward(on(ids)).text_embeds, F::NormalizeFuncOptions().dim(1));
            torch::Tensor i = F::normalize(ie->forward(on(S.clip_pixels(b.images))).image_embeds, F::NormalizeFuncOptions().dim(1));
            torch::Tensor logits = head->logit_scale.exp().clamp_max(100.0) * torch::matmul(i, t.t());
            torch::Tensor labels = torch::arange(opt.batch, torch::TensorOptions().dtype(torch::kInt64).device(dev));
            return 0.5 * (F::cross_entropy(logits, labels) + F::cross_entropy(logits.t(), labels));
        };
    } else if (stage == "prior") {
        auto prior = std::dynamic_pointer_cast<models::PriorTransformerImpl>(mods["prior"]);
        loss_fn = [&, prior](std::mt19937_64& rng) {
            const ClipView c = frozen_clip(composer_->batch(opt.batch, rng), config_.prior_text_drop);
            const torch::Tensor x0 = (c.image_embeds - prior->clip_mean) / prior->clip_std;
            torch::Tensor noise, t;
            torch::Tensor xt = noisy(x0, noise, t);
            torch::Tensor pred = prior->forward(xt, t, c.text_embeds, c.hidden, c.mask);
            return F::mse_loss(pred, x0);
        };
    } else if (stage == "decoder") {
        auto unet = std::dynamic_pointer_cast<models::UNet2DConditionModelImpl>(mods["decoder"]);
        auto proj = std::dynamic_pointer_cast<models::UnCLIPTextProjModelImpl>(mods["text_proj"]);
        loss_fn = [&, unet, proj](std::mt19937_64& rng) {
            auto b = composer_->batch(opt.batch, rng);
            const ClipView c = frozen_clip(b, config_.decoder_text_drop);
            const torch::Tensor& img = c.image_embeds;
            torch::Tensor drop = on(torch::rand({opt.batch, 1})) < config_.decoder_image_drop;
            torch::Tensor img_in =
                torch::where(drop, proj->learned_classifier_free_guidance_embeddings.unsqueeze(0).expand_as(img), img);
            auto po = proj->forward(img_in, c.text_embeds, c.hidden, false);
            torch::Tensor full_mask = torch::cat({on(torch::ones({opt.batch, sz.extra_tokens}, torch::kBool)), c.mask}, 1);
            torch::Tensor x0 = decoder_sized(on(b.images));
            torch::Tensor noise, t;
            torch::Tensor xt = noisy(x0, noise, t);
            torch::Tensor pred = unet->forward(xt, t, po.text_encoder_hidden_states, po.additive_clip_time_embeddings,
                                               full_mask);
            return F::mse_loss(pred, noise);
        };
    } else {
        auto unet = std::dynamic_pointer_cast<models::UNet2DModelImpl>(mods["super_res_first"]);
        loss_fn = [&, unet](std::mt19937_64& rng) {
            const torch::Tensor images = on(composer_->batch(opt.batch, rng).images);  // one transfer per step
            torch::Tensor up;
            {
                torch::NoGradGuard ng;
                torch::Tensor lo = decoder_sized(images);
                // Robustness to the decoder's imperfect output: a little noise on the small image.
                lo = lo + torch::randn_like(lo) * on(torch::rand({opt.batch, 1, 1, 1})) * 0.05;
                up = models::upscale_bicubic_antialias(lo.clamp(-1, 1), sz.canvas, sz.canvas);
            }
            torch::Tensor target = images;
            if (crop > 0) {  // one random crop per picture, the same for target and input
                std::vector<torch::Tensor> ts, us;
                for (int64_t i = 0; i < images.size(0); ++i) {
                    const int64_t y = static_cast<int64_t>(rng() % (sz.canvas - crop + 1));
                    const int64_t x = static_cast<int64_t>(rng() % (sz.canvas - crop + 1));
                    ts.push_back(images[i].narrow(1, y, crop).narrow(2, x, crop));
                    us.push_back(up[i].narrow(1, y, crop).narrow(2, x, crop));
                }
                target = torch::stack(ts);
                up = torch::stack(us);
            }
            torch::Tensor noise, t;
            torch::Tensor xt = noisy(target, noise, t);
            torch::Tensor pred = unet->forward(torch::cat({xt, up}, 1), t);
            return F::mse_loss(pred, config_.super_res_prediction == "sample" ? target : noise);
        };
    }

    StageReport rep;
    rep.start_step = step;
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    std::vector<double> losses;
    double window_loss = 0;
    int window_n = 0;
    const int warmup = std::max(1, config_.warmup_steps);
    *log_ << "[" << stage << "] " << (resume ? "resuming at step " + std::to_string(step) : std::string("starting"))
          << ", " << opt.steps << " steps, batch " << opt.batch << ", " << params.size() << " tensors, "
          << [&] { int64_t n = 0; for (auto& p : params) n += p.numel(); return n; }() << " parameters"
          << (crop > 0 ? ", random crops of " + std::to_string(crop) + " px of the " + std::to_string(sz.canvas) +
                             " px pictures"
                       : std::string())
          << "\n";
    while (step < opt.steps) {
        if (opt.max_minutes > 0 && elapsed() > opt.max_minutes * 60) {
            *log_ << "[" << stage << "] time budget reached\n";
            break;
        }
        std::mt19937_64 rng(mix64(config_.seed * 1000003ull + std::hash<std::string>{}(stage) + step));
        torch::manual_seed(mix64(config_.seed + 17 * step + std::hash<std::string>{}(stage)));
        const double lr = opt.lr * std::min(1.0, (step + 1.0) / warmup);
        for (auto& g : optim.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        optim.zero_grad();
        torch::Tensor loss = loss_fn(rng);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        optim.step();
        ++step;
        {
            torch::NoGradGuard ng;
            const double d = std::min(config_.ema_decay, (1.0 + step) / (10.0 + step));
            for (const auto& c : components)
                for (auto& [n, v] : named_tensors(*mods[c])) ema[c][n].mul_(d).add_(v.detach(), 1 - d);
        }
        const double l = loss.item<double>();
        if (!std::isfinite(l)) throw Error("[" + stage + "] the loss is not finite at step " + std::to_string(step));
        losses.push_back(l);
        window_loss += l;
        ++window_n;
        csv << step << "," << l << "," << lr << "," << elapsed() << "\n";
        if (step % config_.log_every == 0 || step == opt.steps) {
            const double sec = elapsed(), rate = (step - rep.start_step) / std::max(sec, 1e-9);
            double eta = (opt.steps - step) / std::max(rate, 1e-9);
            if (opt.max_minutes > 0) eta = std::min(eta, opt.max_minutes * 60 - sec);
            *log_ << "[" << stage << "] step " << step << "/" << opt.steps << " loss " << std::fixed
                  << std::setprecision(4) << window_loss / window_n << " | " << std::setprecision(2) << rate
                  << " it/s " << std::setprecision(1) << rate * opt.batch << " ex/s | elapsed " << fmt_duration(sec)
                  << " ETA " << fmt_duration(eta) << std::defaultfloat << std::endl;
            csv.flush();
            window_loss = 0;
            window_n = 0;
        }
        if (step % config_.checkpoint_every == 0) save(step);
    }
    save(step);
    rep.end_step = step;
    rep.seconds = elapsed();
    // Mean over the first / last quarter of this run (at most 50 steps each).
    const size_t w = std::clamp<size_t>(losses.size() / 4, 1, 50);
    auto mean = [](auto b, auto e) { double s = 0; int n = 0; for (auto it = b; it != e; ++it, ++n) s += *it; return n ? s / n : 0.0; };
    if (!losses.empty()) {
        rep.first_loss = mean(losses.begin(), losses.begin() + w);
        rep.last_loss = mean(losses.end() - w, losses.end());
    }
    *log_ << "[" << stage << "] done at step " << step << " in " << fmt_duration(rep.seconds) << ", loss "
          << std::setprecision(4) << rep.first_loss << " -> " << rep.last_loss << "\n";
    return rep;
}

}  // namespace unclip::training
