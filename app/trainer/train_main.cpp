// SPDX-License-Identifier: GPL-3.0-or-later
// unclip-train: trains, exports, evaluates and demonstrates the embedded emoji unCLIP (Qt-free).
//   unclip-train train   --dataset F --work DIR [--preset tiny|default] [--config cfg.json]
//                        [--stages clip,prior,decoder,super_res] [--steps stage=N,...] [--minutes stage=M,...]
//                        [--batch stage=B,...] [--lr stage=X,...] [--threads N] [--device cpu|cuda] [--init MODEL_DIR]
//   unclip-train export  --work DIR --out DIR [--fp32]
//   unclip-train eval    --model DIR --dataset F [--json OUT] [--generated N] [--steps N]
//                        [--super-res-steps N] [--super-res-images DIR]
//   unclip-train samples --model DIR --dataset F --out DIR   (docs/images/*.png through the pipeline API)
//   unclip-train bench   --model DIR [--runs N]
//   unclip-train fixtures --dataset F --out DIR --emoji "red apple,cat face" [--size S] [--heldout N]
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/training/evaluate.h"
#include "core/training/trainer.h"

#include <torch/torch.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using namespace unclip;
using namespace unclip::training;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> parse_flags(int argc, char** argv, int first) {
    std::map<std::string, std::string> f;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) throw RequestError("unexpected argument " + a);
        a = a.substr(2);
        if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) f[a] = argv[++i];
        else f[a] = "1";
    }
    return f;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, sep))
        if (!item.empty()) out.push_back(item);
    return out;
}

// Small models for smoke tests: 32 px pictures, 16 px decoder.
void tiny_preset(TrainConfig& c) {
    auto& s = c.sizes;
    s.canvas = 32; s.decoder_size = 16; s.clip_image = 16; s.clip_patch = 4; s.text_len = 32;
    s.clip_width = 32; s.clip_heads = 2; s.text_layers = 1; s.vision_layers = 1; s.embed_dim = 32;
    s.prior_layers = 1; s.prior_heads = 2; s.prior_head_dim = 16;
    s.decoder_channels = {16, 32}; s.decoder_head_dim = 16; s.cross_dim = 32; s.sr_channels = {8, 16};
    s.norm_groups = 8;
    c.merges = 300;
    for (auto* st : {&c.clip, &c.prior, &c.decoder, &c.super_res}) { st->steps = 30; st->batch = 16; st->lr = 2e-3; }
    c.warmup_steps = 5;
    c.checkpoint_every = 10;
    c.log_every = 10;
}

TrainConfig config_from_flags(std::map<std::string, std::string>& f) {
    TrainConfig c;
    if (f.count("config")) {
        std::ifstream in(f["config"]);
        if (!in) throw RequestError("cannot read " + f["config"]);
        c = TrainConfig::from_json(nlohmann::json::parse(in));
    } else if (f.count("work") && fs::exists(f["work"] + "/train_config.json")) {
        std::ifstream in(f["work"] + "/train_config.json");
        c = TrainConfig::from_json(nlohmann::json::parse(in));
    }
    if (f.count("preset") && f["preset"] == "tiny") tiny_preset(c);
    if (f.count("dataset")) c.dataset = f["dataset"];
    if (f.count("work")) c.work_dir = f["work"];
    if (f.count("seed")) c.seed = std::stoull(f["seed"]);
    if (f.count("threads")) c.threads = std::stoi(f["threads"]);
    if (f.count("device")) c.device = f["device"];
    if (f.count("init")) c.init_dir = f["init"];
    auto per_stage = [&](const char* key, auto setter) {
        if (!f.count(key)) return;
        for (const auto& kv : split(f[key], ',')) {
            auto p = split(kv, '=');
            if (p.size() != 2) throw RequestError(std::string("--") + key + " takes stage=value,...");
            setter(c.stage(p[0]), p[1]);
        }
    };
    per_stage("steps", [](StageOptions& s, const std::string& v) { s.steps = std::stoi(v); });
    per_stage("minutes", [](StageOptions& s, const std::string& v) { s.max_minutes = std::stod(v); });
    per_stage("batch", [](StageOptions& s, const std::string& v) { s.batch = std::stoi(v); });
    per_stage("lr", [](StageOptions& s, const std::string& v) { s.lr = std::stod(v); });
    if (c.dataset.empty() || c.work_dir.empty()) throw RequestError("--dataset and --work are required");
    return c;
}

std::unique_ptr<pipeline::UnclipPipeline> load_pipeline(const std::string& dir) {
    pipeline::PipelineOptions po;
    po.model_dir = dir;
    return pipeline::UnclipPipeline::load(po);
}

// Images [N, 3, H, W] in [0, 1] (resized to `cell`) laid out in rows of `cols` with a 2 px white gap.
torch::Tensor grid(const std::vector<torch::Tensor>& rows, int64_t cell) {
    namespace F = torch::nn::functional;
    int64_t cols = 0;
    for (const auto& r : rows) cols = std::max(cols, r.size(0));
    const int64_t g = 2;
    torch::Tensor out = torch::ones({3, static_cast<int64_t>(rows.size()) * (cell + g) + g, cols * (cell + g) + g});
    for (size_t i = 0; i < rows.size(); ++i) {
        torch::Tensor r = rows[i].to(torch::kFloat32);
        if (r.size(2) != cell)
            r = F::interpolate(r, F::InterpolateFuncOptions().size(std::vector<int64_t>{cell, cell}).mode(torch::kNearest));
        for (int64_t j = 0; j < r.size(0); ++j)
            out.slice(1, g + i * (cell + g), g + i * (cell + g) + cell).slice(2, g + j * (cell + g), g + j * (cell + g) + cell)
                .copy_(r[j]);
    }
    return out.clamp(0, 1);
}

torch::Tensor to01(const torch::Tensor& chw_pm1) { return (chw_pm1 + 1) * 0.5; }

int cmd_samples(std::map<std::string, std::string>& f) {
    torch::NoGradGuard ng;
    auto pipe = load_pipeline(f.at("model"));
    EmojiTiles tiles = EmojiTiles::load(f.at("dataset"));
    const int S = pipe->image_size();
    const int cell = std::max(128, S);  // small models' pictures are shown enlarged
    Composer comp(tiles, S);
    const std::string out = f.at("out");
    fs::create_directories(out);
    pipeline::Sampling smp;
    smp.seed = 1;
    smp.prior_steps = 25; smp.decoder_steps = 25; smp.super_res_steps = 7;
    auto find = [&](const std::string& name) {
        for (int i = 0; i < tiles.size(); ++i) if (tiles.info[i].phrase == name) return i;
        throw RequestError("no emoji named " + name);
    };
    nlohmann::json card;
    // Text -> image: held-out compositions plus a few free prompts.
    {
        auto set = comp.make(comp.eval_heldout_pairs(6, 11));
        std::vector<std::string> prompts = set.captions;
        for (const char* p : {"a red apple", "a small cat face in the top left on a light blue background",
                              "a rocket and a rainbow", "a large pizza on a black background"})
            prompts.push_back(p);
        pipeline::TextToImageRequest req;
        req.prompts = prompts;
        req.sampling = smp;
        auto res = pipe->text_to_image(req);
        std::vector<torch::Tensor> reals;
        for (size_t i = 0; i < set.captions.size(); ++i) reals.push_back(to01(set.images[i]));
        io::write_png(out + "/text2img.png", grid({res.images.slice(0, 0, 5), res.images.slice(0, 5, 10)}, cell));
        card["text2img"] = prompts;
        // Staged view: decoder output vs super-res output for the first 5.
        torch::Tensor dec = (res.decoder_output.slice(0, 0, 5) + 1) * 0.5;
        io::write_png(out + "/text2img_stages.png",
                      grid({torch::stack(reals).slice(0, 0, 5), dec, res.images.slice(0, 0, 5)}, cell));
    }
    // Variations of three emoji.
    {
        std::vector<torch::Tensor> rows;
        std::vector<std::string> names = {"red apple", "cat face", "rocket"};
        for (const auto& n : names) {
            Composition c{find(n), -1, -1, 1, 0};
            pipeline::VariationRequest req;
            req.image = to_uint8_hwc(comp.render(c));
            req.num_images = 4;
            req.sampling = smp;
            auto res = pipe->variations(req);
            rows.push_back(torch::cat({to01(comp.render(c)).unsqueeze(0), res.images}));
        }
        io::write_png(out + "/variations.png", grid(rows, cell));
        card["variations"] = names;
    }
    // Interpolation between two images and between two texts.
    {
        pipeline::InterpolationRequest req;
        req.a.image = to_uint8_hwc(comp.render(Composition{find("red apple"), -1, -1, 1, 0}));
        req.b.image = to_uint8_hwc(comp.render(Composition{find("blue heart"), -1, -1, 1, 0}));
        req.positions = {0, 0.2f, 0.4f, 0.6f, 0.8f, 1.0f};
        req.sampling = smp;
        auto r1 = pipe->interpolate(req);
        pipeline::InterpolationRequest req2 = req;
        req2.a = {torch::Tensor(), "a cat face on a yellow background"};
        req2.b = {torch::Tensor(), "a dog face on a blue background"};
        auto r2 = pipe->interpolate(req2);
        io::write_png(out + "/interpolation.png", grid({r1.images, r2.images}, cell));
    }
    // Text diff.
    {
        std::vector<torch::Tensor> rows;
        std::vector<std::array<std::string, 3>> cases = {
            {"cat face", "a cat face on a yellow background", "a dog face on a yellow background"},
            {"red apple", "a red apple", "a red apple on a blue background"}};
        for (const auto& [name, desc, target] : cases) {
            Composition c{find(name), -1, -1, 1, 0};
            if (desc.find("yellow") != std::string::npos) c.background = 4;
            std::vector<torch::Tensor> row = {to01(comp.render(c))};
            for (float theta : {0.25f, 0.5f, 0.75f}) {
                pipeline::TextDiffRequest req;
                req.image = to_uint8_hwc(comp.render(c));
                req.description = desc;
                req.target = target;
                req.theta = theta;
                req.sampling = smp;
                row.push_back(pipe->text_diff(req).images[0]);
            }
            rows.push_back(torch::stack(row));
        }
        io::write_png(out + "/textdiff.png", grid(rows, cell));
    }
    // Inpainting: regenerate the right half with a prompt.
    {
        std::vector<torch::Tensor> rows;
        Composition c{find("rocket"), find("rainbow"), 8, 1, 0};
        torch::Tensor img = comp.render(c);
        torch::Tensor mask = torch::zeros({S, S});
        mask.slice(1, S / 2, S).fill_(1.0f);
        pipeline::InpaintRequest req;
        req.image = to_uint8_hwc(img);
        req.mask = mask;
        req.prompt = "a rocket and a red apple on a light blue background";
        req.num_images = 3;
        req.sampling = smp;
        auto res = pipe->inpaint(req);
        torch::Tensor shown = to01(img).clone();
        shown.slice(2, S / 2, S).mul_(0.4f);
        rows.push_back(torch::cat({to01(img).unsqueeze(0), shown.unsqueeze(0), res.images}));
        io::write_png(out + "/inpaint.png", grid(rows, cell));
    }
    std::cout << card.dump(2) << "\n";
    return 0;
}

// PNG renders of named emoji (normal size, white background): test fixtures.
int cmd_fixtures(std::map<std::string, std::string>& f) {
    EmojiTiles tiles = EmojiTiles::load(f.at("dataset"));
    Composer comp(tiles, f.count("size") ? std::stoi(f["size"]) : 64);
    fs::create_directories(f.at("out"));
    for (const auto& name : split(f.at("emoji"), ',')) {
        int idx = -1;
        for (int i = 0; i < tiles.size(); ++i) if (tiles.info[i].phrase == name) idx = i;
        if (idx < 0) throw RequestError("no emoji named " + name);
        std::string file = name;
        for (auto& ch : file) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        io::write_png(f["out"] + "/" + file + ".png", to_uint8_hwc(comp.render(Composition{idx, -1, -1, 1, 0})));
        std::cout << file << ".png: " << name << (comp.held_out_emoji(idx) ? " (held out)" : "") << "\n";
    }
    if (f.count("heldout")) {
        auto set = comp.make(comp.eval_heldout_pairs(std::stoi(f["heldout"]), 11));
        for (const auto& c : set.captions) std::cout << "held-out prompt: " << c << "\n";
    }
    return 0;
}

int cmd_bench(std::map<std::string, std::string>& f) {
    torch::NoGradGuard ng;
    auto pipe = load_pipeline(f.at("model"));
    const int runs = f.count("runs") ? std::stoi(f["runs"]) : 3;
    pipeline::TextToImageRequest req;
    req.prompts = {"a red apple on a light blue background"};
    for (int i = 0; i <= runs; ++i) {
        req.sampling.seed = i;
        const auto t0 = std::chrono::steady_clock::now();
        pipe->text_to_image(req);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (i > 0)
            std::cout << "BENCH text2img 1 image " << pipe->image_size() << "px, steps " << req.sampling.prior_steps << "/"
                      << req.sampling.decoder_steps << "/" << req.sampling.super_res_steps << ", CPU threads "
                      << torch::get_num_threads() << ": " << s << " s\n";
    }
    return 0;
}

}  // namespace

const char* const kUsage =
    "usage:\n"
    "  unclip-train train   --dataset F --work DIR [--preset tiny] [--config cfg.json]\n"
    "                       [--stages clip,prior,decoder,super_res] [--steps stage=N,...] [--minutes stage=M,...]\n"
    "                       [--batch stage=B,...] [--lr stage=X,...] [--threads N] [--device cpu|cuda]\n"
    "                       [--init MODEL_DIR]\n"
    "  unclip-train export  --work DIR --out DIR [--fp32]\n"
    "  unclip-train eval    --model DIR --dataset F [--json OUT] [--generated N] [--steps N]\n"
    "                       [--super-res-steps N] [--super-res-images DIR]\n"
    "  unclip-train samples --model DIR --dataset F --out DIR\n"
    "  unclip-train bench   --model DIR [--runs N]\n"
    "  unclip-train fixtures --dataset F --out DIR --emoji \"red apple,cat face\" [--size S] [--heldout N]\n"
    "A work DIR keeps train_config.json (sizes, batches, learning rates), the tokenizer, one checkpoint\n"
    "per stage (resumed automatically) and loss_<stage>.csv. --device cuda trains on the GPU when this\n"
    "LibTorch has CUDA; checkpoints are device-independent. --init MODEL_DIR starts the stages that have\n"
    "no checkpoint yet from that diffusers folder's weights (e.g. the shipped model, to train it on).\n"
    "The config JSON also sets super_res_crop (train the super-res on random crops of that many px,\n"
    "0 = whole pictures) and super_res_prediction (\"sample\", the default, or \"epsilon\").\n";

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << kUsage;
        return 0;
    }
    try {
        auto f = parse_flags(argc, argv, 2);
        if (f.count("threads")) torch::set_num_threads(std::stoi(f["threads"]));
        if (cmd == "train") {
            TrainConfig c = config_from_flags(f);
            Trainer t(c);
            auto stages = f.count("stages") ? split(f["stages"], ',') : stage_names();
            for (const auto& s : stages) t.train(s);
            return 0;
        }
        if (cmd == "export") {
            TrainConfig c = config_from_flags(f);
            Trainer t(c);
            t.export_model(f.at("out"), f.count("fp32") ? torch::kFloat32 : torch::kHalf);
            return 0;
        }
        if (cmd == "eval") {
            auto pipe = load_pipeline(f.at("model"));
            EmojiTiles tiles = EmojiTiles::load(f.at("dataset"));
            Composer comp(tiles, pipe->image_size() > 0 ? pipe->image_size() : 64);
            EvalOptions o;
            if (f.count("generated")) o.generated = std::stoi(f["generated"]);
            if (f.count("steps")) {
                o.sampling.prior_steps = o.sampling.decoder_steps = std::stoi(f["steps"]);
            }
            if (f.count("super-res-steps")) o.sampling.super_res_steps = std::stoi(f["super-res-steps"]);
            if (f.count("super-res-images")) o.super_res_images_dir = f["super-res-images"];
            auto j = evaluate(*pipe, comp, o);
            std::cout << j.dump(2) << "\n";
            if (f.count("json")) std::ofstream(f["json"]) << j.dump(2) << "\n";
            return 0;
        }
        if (cmd == "samples") return cmd_samples(f);
        if (cmd == "bench") return cmd_bench(f);
        if (cmd == "fixtures") return cmd_fixtures(f);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "unknown command " << cmd << "\n";
    return 2;
}
