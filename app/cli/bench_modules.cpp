// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench modules: per-component forward time and memory, models built from configs with
// random weights (no weights are read), so Karlo's and Kandinsky 2.2's full-size figures need no
// download.
#include "app/cli/args.h"
#include "app/cli/bench.h"
#include "app/cli/kandinsky_configs.h"
#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/movq/vq_model.h"
#include "core/pipeline/kandinsky/kandinsky_stages.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>

namespace unclip::cli {
namespace {

const char* kModulesBenchHelp =
    "usage: unclip bench modules [--config golden|karlo|kandinsky | --model DIR [--image-encoder DIR]\n"
    "                            [--decoder DIR] [--inpaint-decoder DIR]] [--components a,b,...]\n"
    "                            [--device cpu|cuda] [--dtype float32|float16|bfloat16] [--batch N]\n"
    "                            [--repeat N] [--warmup N] [--size PX] [--threads N] [--golden DIR]\n\n"
    "Builds each component from its config with random weights (nothing is loaded) and times its\n"
    "forward: the median of N calls after the warm-up calls, plus the peak memory of those calls above\n"
    "the weights (CUDA: the caching allocator's peak; CPU: the peak resident set). Figures for the\n"
    "README; nothing passes or fails.\n\n"
    "  --config golden         a golden set's tiny models' configs (default; from --golden DIR or\n"
    "                          $UNCLIP_GOLDEN_DIR): Karlo's models/unclip-text2img + unclip-variations, or\n"
    "                          Kandinsky 2.2's models/kandinsky-2-2-prior, -decoder, -decoder-inpaint\n"
    "  --config karlo          Karlo's full-size configs (karlo-v1-alpha + image variations; 3.4 B\n"
    "                          parameters in all, built one at a time)\n"
    "  --config kandinsky      Kandinsky 2.2's full-size configs (prior 1.0 B, ViT-bigG text 0.7 B and\n"
    "                          vision 1.8 B, UNet 1.25 B, MoVQ 68 M parameters; built one at a time)\n"
    "  --model DIR             configs of any diffusers folder(s) (--image-encoder, --decoder and\n"
    "                          --inpaint-decoder DIR add more; Kandinsky 2.2 folders by their role)\n"
    "  --components LIST       comma-separated subset of: text_encoder, image_encoder, prior, text_proj,\n"
    "                          decoder, super_res_first, super_res_last (Karlo); text_encoder,\n"
    "                          image_encoder, prior, unet, unet_inpaint, movq (Kandinsky 2.2). Default:\n"
    "                          all the set has but super_res_last and unet_inpaint, whose configs equal\n"
    "                          super_res_first's / unet's but for the input channels\n"
    "  --size PX               Kandinsky 2.2: the picture side the UNets and MoVQ run at (default 768\n"
    "                          for --config kandinsky: 96 x 96 latents; otherwise the UNet's sample_size\n"
    "                          times the MoVQ factor)\n"
    "  --batch N               batch of every call (default 1; the pipelines double it for guidance)\n"
    "  --repeat N              timed calls (default 5; 1 for --config karlo|kandinsky on the CPU)\n"
    "  --warmup N              untimed calls first (default 1; 0 for --config karlo|kandinsky on the CPU)\n"
    "  --device, --dtype, --threads   as for the other subcommands (default cpu, float32, every core)\n\n"
    "Inputs: text encoder [B, max_position_embeddings] token ids; image encoder [B, 3, S, S]; prior\n"
    "[B, E] + text embeddings [B, 77, E]; text_proj [B, E] + [B, 77, E]; decoder [B, 3, s, s] with\n"
    "77 + K context tokens; super-res [B, 6, S, S] (s, S = the configs' sample_size); Kandinsky UNets\n"
    "[B, in_channels, h, h] + image embeddings [B, E]; MoVQ decode of latents [B, 4, h, h] (h = the\n"
    "latent side of --size).\n\n"
    "examples:\n"
    "  unclip bench modules --config karlo --components prior,decoder --device cuda --repeat 10\n"
    "  unclip bench modules --config kandinsky --components unet,movq --device cuda --dtype float16\n";

const std::vector<std::string> kModules = {"text_encoder",    "image_encoder",  "prior", "text_proj",    "decoder",
                                           "super_res_first", "super_res_last", "unet",  "unet_inpaint", "movq"};

struct Built {
    std::shared_ptr<torch::nn::Module> module;
    std::function<void()> forward;
};

int64_t sample_size_or(int64_t s, int64_t fallback) { return s > 0 ? s : fallback; }

// Builds the component from its config and prepares a forward with random inputs of batch B.
// `latent` is the Kandinsky 2.2 latent side (UNets with image embeddings, MoVQ).
Built build(const std::string& name, const std::string& cls, const nlohmann::json& cfg, const ConfigSet& set, int64_t B,
            int64_t latent, const torch::Device& dev, torch::ScalarType dtype) {
    using namespace models;
    const std::string label = set.label + " " + name;
    const auto f = torch::TensorOptions().dtype(dtype).device(dev);
    const auto ids = torch::TensorOptions().dtype(torch::kInt64).device(dev);
    const torch::Tensor t = torch::tensor(int64_t(500), ids);
    Built b;
    if (cls == "CLIPTextModelWithProjection") {
        auto c = CLIPTextConfig::from_json(cfg, label);
        CLIPTextModelWithProjection m(c);
        m->to(dev, dtype);
        torch::Tensor x = torch::randint(0, c.vocab_size, {B, c.max_position_embeddings}, ids);
        b.forward = [m, x]() mutable { (void)m->forward(x); };
        b.module = m.ptr();
    } else if (cls == "CLIPVisionModelWithProjection") {
        auto c = CLIPVisionConfig::from_json(cfg, label);
        CLIPVisionModelWithProjection m(c);
        m->to(dev, dtype);
        torch::Tensor x = torch::randn({B, c.num_channels, c.image_size, c.image_size}, f);
        b.forward = [m, x]() mutable { (void)m->forward(x); };
        b.module = m.ptr();
    } else if (cls == "PriorTransformer") {
        auto c = PriorTransformerConfig::from_json(cfg, label);
        PriorTransformer m(c);
        m->to(dev, dtype);
        torch::Tensor x = torch::randn({B, c.resolved_clip_embed_dim()}, f);
        torch::Tensor proj = torch::randn({B, c.resolved_embedding_proj_dim()}, f);
        torch::Tensor hidden = torch::randn({B, c.num_embeddings, c.embedding_dim}, f);
        torch::Tensor mask = torch::ones({B, c.num_embeddings}, torch::TensorOptions().dtype(torch::kBool).device(dev));
        b.forward = [m, x, t, proj, hidden, mask]() mutable { (void)m->forward(x, t, proj, hidden, mask); };
        b.module = m.ptr();
    } else if (cls == "UnCLIPTextProjModel") {
        auto c = UnCLIPTextProjConfig::from_json(cfg, label);
        UnCLIPTextProjModel m(c);
        m->to(dev, dtype);
        torch::Tensor e = torch::randn({B, c.clip_embeddings_dim}, f), p = torch::randn({B, c.clip_embeddings_dim}, f);
        torch::Tensor h = torch::randn({B, 77, c.clip_embeddings_dim}, f);
        b.forward = [m, e, p, h]() mutable { (void)m->forward(e, p, h, false); };
        b.module = m.ptr();
    } else if (cls == "UNet2DConditionModel" && UNet2DConditionConfig::from_json(cfg, label).takes_image_embeds()) {
        // Kandinsky 2.2: conditioned on image embeddings only (no text context), at the latent side.
        auto c = UNet2DConditionConfig::from_json(cfg, label);
        UNet2DConditionModel m(c);
        m->to(dev, dtype);
        torch::Tensor x = torch::randn({B, c.in_channels, latent, latent}, f);
        torch::Tensor e = torch::randn({B, c.encoder_hid_dim}, f);
        b.forward = [m, x, t, e]() mutable { (void)m->forward(x, t, {}, {}, {}, e); };
        b.module = m.ptr();
    } else if (cls == "VQModel") {
        auto c = VQModelConfig::from_json(cfg, label);
        VQModel m(c);
        m->to(dev, dtype);
        torch::Tensor z = torch::randn({B, c.embed_dim(), latent, latent}, f);
        b.forward = [m, z]() mutable { (void)m->decode(z, true); };
        b.module = m.ptr();
    } else if (cls == "UNet2DConditionModel") {
        auto c = UNet2DConditionConfig::from_json(cfg, label);
        UNet2DConditionModel m(c);
        m->to(dev, dtype);
        int64_t extra = 4;
        if (set.components.contains("text_proj"))
            extra = set.components["text_proj"]["config"].value("clip_extra_context_tokens", int64_t(4));
        const int64_t L = 77 + extra, s = sample_size_or(c.sample_size, 64);
        torch::Tensor x = torch::randn({B, c.in_channels, s, s}, f);
        torch::Tensor ctx = torch::randn({B, L, c.cross_attention_dim.empty() ? 1280 : c.cross_attention_dim[0]}, f);
        torch::Tensor cls_emb = c.class_embed_identity ? torch::randn({B, c.time_embed_dim()}, f) : torch::Tensor();
        torch::Tensor mask = torch::ones({B, L}, torch::TensorOptions().dtype(torch::kBool).device(dev));
        b.forward = [m, x, t, ctx, cls_emb, mask]() mutable { (void)m->forward(x, t, ctx, cls_emb, mask); };
        b.module = m.ptr();
    } else if (cls == "UNet2DModel") {
        auto c = UNet2DConfig::from_json(cfg, label);
        UNet2DModel m(c);
        m->to(dev, dtype);
        const int64_t s = sample_size_or(c.sample_size, 256);
        torch::Tensor x = torch::randn({B, c.in_channels, s, s}, f);
        b.forward = [m, x, t]() mutable { (void)m->forward(x, t); };
        b.module = m.ptr();
    } else {
        throw RequestError("component '" + name + "' has class '" + cls + "', which bench cannot build");
    }
    b.module->eval();
    return b;
}

}  // namespace

int bench_modules(const Argv& argv) {
    Args args(argv, {"--help"},
              {"--config", "--model", "--image-encoder", "--decoder", "--inpaint-decoder", "--components", "--device",
               "--dtype", "--batch", "--repeat", "--warmup", "--size", "--threads", "--golden"});
    if (args.flag("--help")) {
        std::cout << kModulesBenchHelp;
        return 0;
    }
    if (!args.positional().empty()) throw RequestError("unexpected argument '" + args.positional()[0] + "' (see --help)");
    const torch::Device dev = parse_device(args.get("--device", "cpu"));
    const torch::ScalarType dtype = parse_dtype(args.get("--dtype", "float32"));
    if (args.has("--threads")) configure_threads(static_cast<int>(args.get_integer("--threads", 0, 0, 1024)));
    if (args.has("--model") && args.has("--config")) throw RequestError("give either --config or --model, not both");
    for (const char* o : {"--image-encoder", "--decoder", "--inpaint-decoder"})
        if (args.has(o) && !args.has("--model")) throw RequestError(std::string("option ") + o + " goes with --model DIR");
    const std::string config = args.get("--config", "golden");
    ConfigSet set;
    if (args.has("--model")) {
        std::vector<std::string> dirs = {args.get("--model")};
        for (const char* o : {"--image-encoder", "--decoder", "--inpaint-decoder"})
            if (args.has(o)) dirs.push_back(args.get(o));
        set = folder_config_set(dirs, "folder " + args.get("--model"));
    } else if (config == "karlo" || config == "kandinsky") {
        set = full_size_config_set(config);
    } else if (config == "golden") {
        set = folder_config_set(golden_model_folders(golden_folder(args.get("--golden"))), "golden");
        if (set.kandinsky) set.label = "golden (Kandinsky 2.2)";
    } else {
        throw RequestError("unknown --config '" + config + "' (use golden, karlo or kandinsky)");
    }
    const bool full_size = !args.has("--model") && (config == "karlo" || config == "kandinsky");
    const bool slow = full_size && !dev.is_cuda();
    const int batch = static_cast<int>(args.get_integer("--batch", 1, 1, 256));
    const int repeat = static_cast<int>(args.get_integer("--repeat", slow ? 1 : 5, 1, 1000));
    const int warmup = static_cast<int>(args.get_integer("--warmup", slow ? 0 : 1, 0, 100));
    if (args.has("--size") && !set.kandinsky) throw RequestError("option --size is for Kandinsky 2.2 configs");
    // Kandinsky 2.2's latent side: the picture side rounded up as the pipeline rounds it.
    int64_t side = 0, latent = 0;
    if (set.kandinsky) {
        const int64_t f = set.components.contains("movq")
                              ? models::VQModelConfig::from_json(set.components["movq"]["config"], set.label).scale_factor()
                              : 8;
        int64_t own = 64;
        for (const char* u : {"unet", "unet_inpaint"})
            if (set.components.contains(u)) own = set.components[u]["config"].value("sample_size", int64_t(64));
        side = args.get_integer("--size", full_size ? kKandinskyBenchSide : own * f, 1, 4096);
        latent = pipeline::kandinsky::latent_side(side, f);
        side = latent * f;
    }

    std::vector<std::string> names;
    if (args.has("--components")) {
        std::stringstream ss(args.get("--components"));
        for (std::string n; std::getline(ss, n, ',');) {
            if (std::find(kModules.begin(), kModules.end(), n) == kModules.end())
                throw RequestError("unknown component '" + n + "' in --components (see unclip bench modules --help)");
            if (!set.components.contains(n)) throw RequestError("the " + set.label + " configs have no component '" + n + "'");
            names.push_back(n);
        }
        if (names.empty()) throw RequestError("option --components needs at least one name");
    } else {
        for (const auto& n : kModules)
            if (n != "super_res_last" && n != "unet_inpaint" && set.components.contains(n)) names.push_back(n);
    }

    std::cout << "unclip bench modules: " << set.label << "\n"
              << "device " << dev << ", dtype " << dtype_name(dtype) << ", batch " << batch << ", " << warmup
              << " warm-up + " << repeat << " timed call(s), " << torch::get_num_threads() << " CPU thread(s), "
              << torch_build_summary() << "\n";
    if (set.kandinsky) std::cout << "Kandinsky 2.2 picture " << side << " px: UNet and MoVQ latents " << latent << " x " << latent << "\n";
    MemoryProbe probe(dev);
    std::printf("\n%-16s %-30s %14s %10s %9s %12s %12s %12s\n", "component", "class", "parameters", "weights", "build s",
                "median ms", "min ms", "peak extra");
    for (const auto& name : names) {
        const std::string cls = set.components[name]["class"].get<std::string>();
        const auto t0 = std::chrono::steady_clock::now();
        Built b;
        {
            torch::NoGradGuard no_grad;
            b = build(name, cls, set.components[name]["config"], set, batch, latent, dev, dtype);
        }
        bench_sync(dev);
        const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        int64_t params = 0, bytes = 0;
        for (const auto& p : b.module->parameters()) {
            params += p.numel();
            bytes += p.numel() * static_cast<int64_t>(p.element_size());
        }
        for (const auto& p : b.module->buffers()) bytes += p.numel() * static_cast<int64_t>(p.element_size());
        std::vector<double> ms;
        probe.start();
        {
            c10::InferenceMode guard;
            for (int i = 0; i < warmup; ++i) b.forward();
            bench_sync(dev);
            for (int i = 0; i < repeat; ++i) {
                const auto s = std::chrono::steady_clock::now();
                b.forward();
                bench_sync(dev);
                ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
            }
        }
        const int64_t peak = probe.peak_delta();
        std::ostringstream p;
        p << params;
        if (const int64_t expected = set.components[name].value("parameters", int64_t(0)); expected > 0)
            p << (expected == params ? "" : " (!= " + std::to_string(expected) + ")");
        std::printf("%-16s %-30s %14s %10s %9.2f %12.3f %12.3f %12s\n", name.c_str(), cls.c_str(), p.str().c_str(),
                    mib(bytes).c_str(), build_s, median(ms), *std::min_element(ms.begin(), ms.end()), mib(peak).c_str());
        std::fflush(stdout);
        b = Built{};  // free the weights before the next component
    }
    std::cout << "\npeak extra = " << probe.method() << "\n";
    return 0;
}

}  // namespace unclip::cli
