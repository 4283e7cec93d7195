// SPDX-License-Identifier: GPL-3.0-or-later
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
#include "core/training/stage_losses.h"

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

// One stage's modules, EMA weights and optimiser while it trains.
struct Trainer::StageRun {
    std::string stage;
    StageOptions opt;
    torch::Device dev = torch::kCPU;
    std::vector<std::string> components;
    std::map<std::string, std::shared_ptr<torch::nn::Module>> mods;
    models::CLIPTextModelWithProjection text_enc{nullptr};   // frozen (prior and decoder stages)
    models::CLIPVisionModelWithProjection image_enc{nullptr};
    std::map<std::string, Named> ema;
    int step = 0;
    bool resume = false;
    std::string ckpt, opt_path;
    std::vector<torch::Tensor> params;
    std::unique_ptr<torch::optim::AdamW> optim;
};

void Trainer::build_stage(StageRun& run) const {
    State& S = *state_;
    // Modules of this stage (fresh, seeded) and the frozen CLIP (EMA weights) the later stages need.
    uint64_t k = 0;
    for (const auto& c : run.components) {
        torch::manual_seed(config_.seed * 7919 + (++k) + std::hash<std::string>{}(c) % 1000);
        run.mods[c] = S.build(c);
        run.mods[c]->to(run.dev);
    }
    if (run.stage == "prior" || run.stage == "decoder") {
        auto clip = checkpoint("clip", "ema");
        run.text_enc = models::CLIPTextModelWithProjection(models::CLIPTextConfig::from_json(text_encoder_config(S.sizes), "text_encoder"));
        run.image_enc = models::CLIPVisionModelWithProjection(models::CLIPVisionConfig::from_json(image_encoder_config(S.sizes), "image_encoder"));
        run.text_enc->to(run.dev);
        run.image_enc->to(run.dev);
        copy_into(*run.text_enc, clip.at("text_encoder"), "clip checkpoint");
        copy_into(*run.image_enc, clip.at("image_encoder"), "clip checkpoint");
        run.text_enc->eval();
        run.image_enc->eval();
        for (auto& p : run.text_enc->parameters()) p.set_requires_grad(false);
        for (auto& p : run.image_enc->parameters()) p.set_requires_grad(false);
    }
}

void Trainer::resume_or_start(StageRun& run) const {
    run.ckpt = checkpoint_path(run.stage);
    run.opt_path = config_.work_dir + "/ckpt_" + run.stage + ".optim.pt";
    run.resume = fs::exists(run.ckpt);
    if (run.resume) {
        auto file = io::SafetensorsFile::open(run.ckpt);
        run.step = std::stoi(file->metadata().at("step"));
        auto model = checkpoint(run.stage, "model");
        auto e = checkpoint(run.stage, "ema");
        for (const auto& c : run.components) copy_into(*run.mods[c], model.at(c), run.ckpt);
        for (const auto& c : run.components)
            for (const auto& [n, v] : e.at(c)) run.ema[c][n] = v.to(run.dev).clone();
        return;
    }
    if (!config_.init_dir.empty()) {
        // Start from a model folder's weights (exported float16 is fine: cast on copy). The
        // prior's clip_mean / clip_std come with them.
        io::ModelFolder folder(config_.init_dir);
        for (const auto& c : run.components) {
            if (c == "clip_head") continue;  // not exported: starts at CLIP's initial temperature
            if (!folder.has(c)) throw ModelError(config_.init_dir + " has no " + c + " to start the " + run.stage + " stage from");
            copy_into(*run.mods[c], folder.weights(c), config_.init_dir + "/" + c);
        }
        *log_ << "[" << run.stage << "] starting from the weights in " << config_.init_dir << "\n";
    }
    for (const auto& c : run.components)
        for (const auto& [n, v] : named_tensors(*run.mods[c])) run.ema[c][n] = v.detach().clone();
}

// The prior normalises image embeddings with their dataset statistics (clip_mean / clip_std),
// measured once on a fresh start.
void Trainer::init_prior_statistics(StageRun& run) const {
    auto prior = std::dynamic_pointer_cast<models::PriorTransformerImpl>(run.mods["prior"]);
    prior->clip_mean.set_requires_grad(false);
    prior->clip_std.set_requires_grad(false);
    if (run.resume || !config_.init_dir.empty()) return;
    torch::NoGradGuard ng;
    std::mt19937_64 rng(config_.seed + 99);
    std::vector<torch::Tensor> embs;
    for (int i = 0; i < 16; ++i) {
        auto b = composer_->batch(64, rng);
        embs.push_back(run.image_enc->forward(clip_pixels(state_->processor, b.images).to(run.dev)).image_embeds);
    }
    torch::Tensor all = torch::cat(embs);
    prior->clip_mean.copy_(all.mean(0, true));
    prior->clip_std.copy_(all.std(0, true, true).clamp_min(1e-4));
    run.ema["prior"]["clip_mean"] = prior->clip_mean.detach().clone();
    run.ema["prior"]["clip_std"] = prior->clip_std.detach().clone();
}

void Trainer::save_stage(const StageRun& run) const {
    io::StateDict sd;
    for (const auto& c : run.components) {
        for (const auto& [n, v] : named_tensors(*run.mods.at(c))) sd["model/" + c + "/" + n] = v.detach().cpu().contiguous();
        for (const auto& [n, v] : run.ema.at(c)) sd["ema/" + c + "/" + n] = v.cpu().contiguous();
    }
    io::save_safetensors(run.ckpt, sd, {{"step", std::to_string(run.step)}, {"stage", run.stage},
                                        {"config", config_.to_json().dump()}});
    torch::save(*run.optim, run.opt_path + ".tmp");
    fs::rename(run.opt_path + ".tmp", run.opt_path);
}

StageReport Trainer::train(const std::string& stage) {
    StageRun run;
    run.stage = stage;
    run.opt = config_.stage(stage);
    run.components = stage_components(stage);
    // Batches are composed, tokenized and CLIP-preprocessed on the CPU, then moved to the device.
    run.dev = parse_device(config_.device);
    if (run.dev.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);  // fixed shapes: pick the fastest kernels once
    build_stage(run);
    resume_or_start(run);
    if (stage == "prior") init_prior_statistics(run);

    for (const auto& c : run.components)
        for (auto& p : run.mods[c]->parameters())
            if (p.requires_grad()) run.params.push_back(p);
    run.optim = std::make_unique<torch::optim::AdamW>(
        run.params, torch::optim::AdamWOptions(run.opt.lr).weight_decay(0.01).betas({0.9, 0.99}));
    if (run.resume && fs::exists(run.opt_path)) torch::load(*run.optim, run.opt_path);
    for (auto& [c, m] : run.mods) m->train();

    const State& S = *state_;
    const LossContext context{*composer_, config_, run.opt, S.sizes, *S.tokenizer, S.processor, run.dev,
                              S.alphas_cumprod.to(run.dev), run.text_enc, run.image_enc};
    const LossFn loss_fn = stage_loss(stage, context, run.mods);
    return loop(run, loss_fn);
}

// The optimisation loop: warm-up learning rate, clipped gradients, EMA, loss CSV, progress line,
// checkpoints; stops at the stage's steps or time budget.
StageReport Trainer::loop(StageRun& run, const LossFn& loss_fn) {
    const std::string& stage = run.stage;
    const StageOptions& opt = run.opt;
    const std::string csv_path = config_.work_dir + "/loss_" + stage + ".csv";
    std::ofstream csv(csv_path, run.resume ? std::ios::app : std::ios::trunc);
    if (!run.resume) csv << "step,loss,lr,seconds\n";
    const int crop = super_res_crop_side(stage, config_);

    StageReport rep;
    rep.start_step = run.step;
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    std::vector<double> losses;
    double window_loss = 0;
    int window_n = 0;
    const int warmup = std::max(1, config_.warmup_steps);
    *log_ << "[" << stage << "] " << (run.resume ? "resuming at step " + std::to_string(run.step) : std::string("starting"))
          << ", " << opt.steps << " steps, batch " << opt.batch << ", " << run.params.size() << " tensors, "
          << [&] { int64_t n = 0; for (auto& p : run.params) n += p.numel(); return n; }() << " parameters"
          << (crop > 0 ? ", random crops of " + std::to_string(crop) + " px of the " + std::to_string(config_.sizes.canvas) +
                             " px pictures"
                       : std::string())
          << "\n";
    while (run.step < opt.steps) {
        if (opt.max_minutes > 0 && elapsed() > opt.max_minutes * 60) {
            *log_ << "[" << stage << "] time budget reached\n";
            break;
        }
        std::mt19937_64 rng(mix64(config_.seed * 1000003ull + std::hash<std::string>{}(stage) + run.step));
        torch::manual_seed(mix64(config_.seed + 17 * run.step + std::hash<std::string>{}(stage)));
        const double lr = opt.lr * std::min(1.0, (run.step + 1.0) / warmup);
        for (auto& g : run.optim->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        run.optim->zero_grad();
        torch::Tensor loss = loss_fn(rng);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(run.params, 1.0);
        run.optim->step();
        ++run.step;
        {
            torch::NoGradGuard ng;
            const double d = std::min(config_.ema_decay, (1.0 + run.step) / (10.0 + run.step));
            for (const auto& c : run.components)
                for (auto& [n, v] : named_tensors(*run.mods[c])) run.ema[c][n].mul_(d).add_(v.detach(), 1 - d);
        }
        const double l = loss.item<double>();
        if (!std::isfinite(l)) throw Error("[" + stage + "] the loss is not finite at step " + std::to_string(run.step));
        losses.push_back(l);
        window_loss += l;
        ++window_n;
        csv << run.step << "," << l << "," << lr << "," << elapsed() << "\n";
        if (run.step % config_.log_every == 0 || run.step == opt.steps) {
            const double sec = elapsed(), rate = (run.step - rep.start_step) / std::max(sec, 1e-9);
            double eta = (opt.steps - run.step) / std::max(rate, 1e-9);
            if (opt.max_minutes > 0) eta = std::min(eta, opt.max_minutes * 60 - sec);
            *log_ << "[" << stage << "] step " << run.step << "/" << opt.steps << " loss " << std::fixed
                  << std::setprecision(4) << window_loss / window_n << " | " << std::setprecision(2) << rate
                  << " it/s " << std::setprecision(1) << rate * opt.batch << " ex/s | elapsed " << fmt_duration(sec)
                  << " ETA " << fmt_duration(eta) << std::defaultfloat << std::endl;
            csv.flush();
            window_loss = 0;
            window_n = 0;
        }
        if (run.step % config_.checkpoint_every == 0) save_stage(run);
    }
    save_stage(run);
    rep.end_step = run.step;
    rep.seconds = elapsed();
    // Mean over the first / last quarter of this run (at most 50 steps each).
    const size_t w = std::clamp<size_t>(losses.size() / 4, 1, 50);
    auto mean = [](auto b, auto e) { double s = 0; int n = 0; for (auto it = b; it != e; ++it, ++n) s += *it; return n ? s / n : 0.0; };
    if (!losses.empty()) {
        rep.first_loss = mean(losses.begin(), losses.begin() + w);
        rep.last_loss = mean(losses.end() - w, losses.end());
    }
    *log_ << "[" << stage << "] done at step " << run.step << " in " << fmt_duration(rep.seconds) << ", loss "
          << std::setprecision(4) << rep.first_loss << " -> " << rep.last_loss << "\n";
    return rep;
}

}  // namespace unclip::training
