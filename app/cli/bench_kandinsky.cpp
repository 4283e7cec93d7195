// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench pipeline on Kandinsky 2.2: text -> image timed per stage (text encoder, prior,
// image encoder, decoder UNet, MoVQ decode), once without and once with sequential offload, with
// the peak memory of each run weights included: what it takes to run the model on a given card.
// Random full-size weights (--config kandinsky), random tiny ones (a Kandinsky golden set) or
// loaded folders. The stages are the pipeline's own (core/pipeline/kandinsky/kandinsky_stages.h),
// composed as kandinsky::run_prior composes them, so each is timed on its own.
#include "app/cli/bench.h"
#include "app/cli/kandinsky_configs.h"
#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/pipeline/kandinsky/kandinsky_modes.h"
#include "core/pipeline/kandinsky/kandinsky_stages.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <new>

namespace unclip::cli {
namespace {

using pipeline::UnclipPipeline;
using Impl = UnclipPipeline::Impl;

// The reference's steps, for the estimate from the per-step times.
constexpr int kReferencePriorSteps = 25, kReferenceDecoderSteps = 100;

// Where the models come from: random weights for a config set, or the folders of the options.
struct Source {
    bool random = false;
    ConfigSet set;
    std::string tokenizer_dir;
    std::string label;
};

// The set's components built with random weights, each moved to its home device (the CPU with
// offload) right after it is built, so at most one model is on the CPU twice.
void build_random(Impl& p, const Source& s) {
    using namespace models;
    torch::NoGradGuard no_grad;
    const auto& set = s.set;
    auto cfg = [&](const char* n) -> const nlohmann::json& {
        if (!set.components.contains(n)) throw RequestError("the " + set.label + " configs have no component '" + n + "'");
        return set.components.at(n).at("config");
    };
    const std::string l = set.label;
    auto home = [&](torch::nn::Module& m) {
        m.to(p.home_device(), p.dtype());
        m.eval();
    };
    p.family = pipeline::ModelFamily::Kandinsky22;
    const auto text_cfg = CLIPTextConfig::from_json(cfg("text_encoder"), l);
    p.tokenizer = text::ClipTokenizer::from_folder(s.tokenizer_dir).with_max_length(static_cast<int>(text_cfg.max_position_embeddings));
    p.text_encoder = CLIPTextModelWithProjection(text_cfg);
    home(*p.text_encoder);
    p.image_encoder = CLIPVisionModelWithProjection(CLIPVisionConfig::from_json(cfg("image_encoder"), l));
    home(*p.image_encoder);
    p.feature_extractor = CLIPImageProcessorConfig::from_json(cfg("image_processor"), l);
    p.prior = PriorTransformer(PriorTransformerConfig::from_json(cfg("prior"), l));
    home(*p.prior);
    p.prior_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(cfg("prior_scheduler"), l);
    p.unet = UNet2DConditionModel(UNet2DConditionConfig::from_json(cfg("unet"), l));
    home(*p.unet);
    p.movq = VQModel(VQModelConfig::from_json(cfg("movq"), l));
    home(*p.movq);
    p.unet_scheduler = schedulers::DDPMSchedulerConfig::from_json(cfg("decoder_scheduler"), l);
}

struct Stage {
    std::string name;
    int steps = 1;
    double seconds = 0;
    int64_t peak = -1;
};

struct Setting {
    bool offload = false;
    bool ready = false;  // the models were built / loaded
    double load_seconds = 0;
    std::vector<Stage> stages;
    int64_t peak = -1;      // above the start of the setting, weights included
    int64_t reserved = -1;  // CUDA: the allocator's peak reserved bytes
    std::string failure;    // "out of memory ..." when the run did not fit
};

struct RunShape {
    int64_t batch = 1;
    int prior_steps = 5, decoder_steps = 10;
    int width = 0, height = 0;  // requested (0: the model's own)
};

// One text -> image run. Every stage's peak is measured from the probe's start (the setting's).
std::vector<Stage> run_once(Impl& p, const RunShape& r, MemoryProbe& probe, Setting& setting) {
    namespace k = pipeline::kandinsky;
    c10::InferenceMode guard;
    const pipeline::Sampling s = pipeline::default_sampling(pipeline::ModelFamily::Kandinsky22);
    Generator gen(0);
    const pipeline::RunControl control;
    std::vector<Stage> out;
    auto timed = [&](const char* name, int steps, const std::function<void()>& fn) {
        probe.reset_peak();
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        bench_sync(p.device());
        Stage st;
        st.name = name;
        st.steps = steps;
        st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        st.peak = probe.peak_delta();
        setting.peak = std::max(setting.peak, st.peak);
        setting.reserved = std::max(setting.reserved, probe.reserved_peak());
        out.push_back(st);
    };
    const std::vector<std::string> prompts(static_cast<size_t>(r.batch), "a photo of a red cube on a blue table");
    const bool cfg = s.prior_guidance > 1.0f;
    pipeline::TextConditioning text;
    torch::Tensor embeds, negative, latents;
    timed("text encoder", 1, [&] {
        k::OnDevice on(p, *p.text_encoder);
        text = pipeline::encode_text(p, prompts, 1, cfg);
    });
    timed("prior", r.prior_steps, [&] {
        k::OnDevice on(p, *p.prior);
        embeds = pipeline::run_prior(p, text, r.batch, r.prior_steps, s.prior_guidance, pipeline::generator_noise(gen), control)
                     .to(torch::kFloat32);
    });
    timed("image encoder", 1, [&] { negative = k::zero_image_embeds(p, r.batch); });
    timed("decoder", r.decoder_steps, [&] {
        pipeline::Sampling size = s;
        size.width = r.width;
        size.height = r.height;
        const auto [w, h] = k::output_size(p, size);
        k::DecoderArgs a;
        a.image_embeds = embeds;
        a.negative_image_embeds = negative;
        a.width = w;
        a.height = h;
        a.steps = r.decoder_steps;
        a.guidance = s.decoder_guidance;
        latents = k::text_to_image(p, a, gen, control);
    });
    timed("movq decode", 1, [&] { (void)k::decode(p, p.movq, latents); });
    return out;
}

bool is_out_of_memory(const std::string& what) {
    return what.find("out of memory") != std::string::npos || what.find("Out of memory") != std::string::npos ||
           what.find("DefaultCPUAllocator: can't allocate") != std::string::npos;
}

// Loads or builds the models with the setting's offload, runs the warm-ups and the timed run.
Setting run_setting(const Source& src, const CommonOptions& o, bool offload, const RunShape& shape, int warmup,
                    std::pair<int, int>* picture) {
    Setting st;
    st.offload = offload;
    const torch::Device dev = o.pipeline.device;
    release_cached_memory(dev);
    MemoryProbe probe(dev);
    probe.start();
    try {
        std::unique_ptr<UnclipPipeline> loaded;
        std::unique_ptr<Impl> random;
        Impl* p = nullptr;
        pipeline::PipelineOptions po = o.pipeline;
        po.sequential_offload = offload;
        const auto t0 = std::chrono::steady_clock::now();
        if (src.random) {
            random = std::make_unique<Impl>();
            random->options = po;
            build_random(*random, src);
            p = random.get();
        } else {
            loaded = UnclipPipeline::load(po);
            p = &loaded->impl();
        }
        bench_sync(dev);
        st.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        st.ready = true;
        st.peak = probe.peak_delta();
        st.reserved = probe.reserved_peak();
        pipeline::Sampling size;
        size.width = shape.width;
        size.height = shape.height;
        *picture = pipeline::kandinsky::output_size(*p, size);
        RunShape one = shape;
        one.prior_steps = one.decoder_steps = 1;
        for (int i = 0; i < warmup; ++i) (void)run_once(*p, one, probe, st);
        st.stages = run_once(*p, shape, probe, st);
    } catch (const std::bad_alloc&) {
        st.failure = "out of memory (std::bad_alloc)";
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (!is_out_of_memory(what)) throw;
        st.failure = "out of memory: " + what.substr(0, what.find('\n'));
    }
    // The models and the run's tensors are gone here; give their memory back before the next setting.
    release_cached_memory(dev);
    return st;
}

std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

void print_setting(const Setting& st, const torch::Device& dev) {
    const char* name = st.offload ? "on" : "off";
    if (st.ready) std::printf("\noffload %s: models ready in %.2f s\n", name, st.load_seconds);
    else std::printf("\noffload %s: the models did not fit\n", name);
    if (!st.stages.empty()) {
        double total = 0;
        for (const auto& s : st.stages) total += s.seconds;
        std::printf("%-14s %6s %10s %12s %8s %12s\n", "stage", "steps", "seconds", "s per step", "share", "peak");
        for (const auto& s : st.stages)
            std::printf("%-14s %6d %10.3f %12.4f %7.1f%% %12s\n", s.name.c_str(), s.steps, s.seconds, s.seconds / s.steps,
                        total > 0 ? 100.0 * s.seconds / total : 0.0, mib(s.peak).c_str());
        std::printf("%-14s %6s %10.3f %12s %7.1f%%\n", "total", "", total, "", 100.0);
    }
    std::cout << "peak memory, offload " << name << ": ";
    if (!st.failure.empty()) {
        std::cout << st.failure << "\n";
        return;
    }
    std::cout << mib(st.peak) << (dev.is_cuda() ? " allocated" : " resident set growth");
    if (st.reserved >= 0) std::cout << ", " << mib(st.reserved) << " reserved";
    std::cout << " (weights included)\n";
}

}  // namespace

int bench_pipeline_kandinsky(const Args& args, const CommonOptions& o) {
    const std::string config = args.get("--config");
    Source src;
    if (config == "kandinsky") {
        src.random = true;
        src.set = full_size_config_set("kandinsky");
        src.tokenizer_dir = bench_tokenizer_dir(args.get("--tokenizer"), "--config kandinsky");
        src.label = src.set.label;
    } else if (config == "golden") {
        const std::vector<std::string> folders = golden_model_folders(golden_folder(args.get("--golden")));
        src.random = true;
        src.set = folder_config_set(folders, "golden Kandinsky 2.2");
        src.tokenizer_dir = args.has("--tokenizer") ? args.get("--tokenizer") : folders.front() + "/tokenizer";
        src.label = "golden Kandinsky 2.2 configs (random weights)";
    } else {
        if (args.has("--tokenizer")) throw RequestError("option --tokenizer is for --config (a folder brings its own)");
        src.label = "folders";
        for (const auto& f : o.pipeline.folders()) src.label += " " + f;
        src.label += " (their weights)";
    }

    RunShape shape;
    shape.batch = int_option(args, "--batch", 1, 1, 64);
    shape.prior_steps = 5;
    shape.decoder_steps = 10;
    if (args.has("--steps")) {
        const std::vector<int> steps = parse_int_list(args.get("--steps"), "--steps", 1, 1000);
        if (steps.size() != 2) throw RequestError("option --steps expects two numbers for Kandinsky 2.2: prior,decoder");
        shape.prior_steps = steps[0];
        shape.decoder_steps = steps[1];
    }
    const int side = config == "kandinsky" ? static_cast<int>(kKandinskyBenchSide) : 0;
    shape.width = int_option(args, "--width", side, 1, 4096);
    shape.height = int_option(args, "--height", side, 1, 4096);
    const std::string offload = args.get("--offload", "both");
    if (offload != "on" && offload != "off" && offload != "both")
        throw RequestError("option --offload takes on, off or both (got " + offload + ")");
    const torch::Device dev = o.pipeline.device;
    const int warmup = int_option(args, "--warmup", dev.is_cuda() ? 1 : 0, 0, 10);

    std::cout << "unclip bench pipeline: " << src.label << "\n"
              << "device " << dev << ", dtype " << dtype_name(o.pipeline.dtype) << ", batch " << shape.batch
              << " (x2 in prior and decoder for guidance), steps " << shape.prior_steps << "/" << shape.decoder_steps
              << ", " << warmup << " warm-up run(s), " << torch::get_num_threads() << " CPU thread(s), "
              << torch_build_summary() << "\n";
    if (!dev.is_cuda())
        std::cout << "(on the CPU offload moves nothing: every model stays in memory either way; the settings differ "
                     "only by the first run's one-time allocations)\n";
    std::vector<Setting> settings;
    std::pair<int, int> picture{0, 0};
    for (bool on : {false, true}) {
        if ((on && offload == "off") || (!on && offload == "on")) continue;
        settings.push_back(run_setting(src, o, on, shape, warmup, &picture));
        if (settings.size() == 1 && picture.first > 0)
            std::cout << "picture " << picture.first << " x " << picture.second << " px\n";
        print_setting(settings.back(), dev);
        std::fflush(stdout);
    }

    // Summary: the run's time, the time at the reference's steps estimated from the per-step
    // times, and the peak memory, per setting.
    std::printf("\n%-8s %10s %18s %14s%s\n", "offload", "total s", "at 25/100 steps", "peak",
                dev.is_cuda() ? "  peak reserved" : "");
    for (const auto& st : settings) {
        double total = 0, estimate = 0;
        for (const auto& s : st.stages) {
            total += s.seconds;
            const int ref = s.name == "prior" ? kReferencePriorSteps : s.name == "decoder" ? kReferenceDecoderSteps : s.steps;
            estimate += s.seconds / s.steps * ref;
        }
        const bool failed = !st.failure.empty();
        std::printf("%-8s %10s %18s %14s", st.offload ? "on" : "off", failed ? "-" : seconds_text(total).c_str(),
                    failed ? "-" : ("~" + seconds_text(estimate)).c_str(), failed ? "out of memory" : mib(st.peak).c_str());
        if (dev.is_cuda()) std::printf(" %14s", mib(st.reserved).c_str());
        std::printf("\n");
    }
    std::cout << "\npeak = " << (dev.is_cuda() ? "CUDA caching allocator, peak allocated bytes from before the models were "
                                                  "built or loaded (weights included)"
                                                : "CPU resident set, peak growth from before the models were built or "
                                                  "loaded (weights included)")
              << "\n";
    // Figures, not a test: a setting that did not fit is one of them. Only nothing measured at all fails.
    for (const auto& st : settings)
        if (st.failure.empty()) return 0;
    return 1;
}

}  // namespace unclip::cli
