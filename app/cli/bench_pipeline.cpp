// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench pipeline: text -> image timed per stage (text encoder, prior, decoder, upscale,
// super-res), on a loaded model folder or on Karlo's full-size configs with random weights. Uses the
// pipeline's stage functions (core/pipeline/stages.h) so each stage is timed on its own.
#include "app/cli/args.h"
#include "app/cli/bench.h"
#include "app/cli/karlo_configs.h"
#include "app/cli/op_profile.h"
#include "app/cli/pipeline_options.h"
#include "core/common/error.h"
#include "core/common/heap_reuse.h"
#include "core/common/install_paths.h"
#include "core/common/torch_setup.h"
#include "core/io/model_folder.h"
#include "core/models/unet/channels_last.h"
#include "core/pipeline/stages.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#if defined(__unix__)
#include <sys/resource.h>
#endif

namespace unclip::cli {
namespace {

const char* kPipelineBenchHelp =
    "usage: unclip bench pipeline (--model DIR [--decoder DIR] | --config karlo|kandinsky|golden\n"
    "                             [--tokenizer DIR]) [--batch N] [--steps P,D[,S]] [--warmup N]\n"
    "                             [--width PX] [--height PX] [--offload on|off|both] [--device cpu|cuda]\n"
    "                             [--dtype float32|float16|bfloat16] [--threads N] [--golden DIR]\n"
    "                             [--runs N] [--prompt TEXT] [--seed N] [--whole] [--profile] [--json]\n"
    "                             [--interleave]\n\n"
    "Times one text -> image run per stage, with the peak memory of each stage.\n"
    "Karlo: text encoder (with the unconditional branch), prior, decoder (text_proj + UNet), upscale,\n"
    "super-resolution; peaks above the weights (CUDA: the caching allocator's peak; CPU: the peak\n"
    "resident set). Guidance as the pipeline's defaults (prior 4, decoder 8: doubled batches).\n"
    "Kandinsky 2.2: text encoder, prior, image encoder (the zero-image embeddings), decoder UNet,\n"
    "MoVQ decode, run once without and once with sequential offload (each model on the device only\n"
    "while its stage runs); peaks include the weights (CUDA: the allocator's peak allocated and\n"
    "reserved bytes; CPU: the peak resident set growth from before the weights were built or read).\n"
    "Guidance 4 / 4 (doubled batches). Figures for the README; nothing passes or fails.\n\n"
    "  --model DIR             a diffusers text-to-image folder (its weights are loaded); Kandinsky 2.2:\n"
    "                          the prior folder, with --decoder DIR the decoder folder\n"
    "  --config karlo          Karlo's full-size configs with random weights (no download; 3.4 B\n"
    "                          parameters: about 14 GB in float32, 7 GB in float16/bfloat16)\n"
    "  --config kandinsky      Kandinsky 2.2's full-size configs with random weights (no download; 4.9 B\n"
    "                          parameters: about 19 GB in float32, 10 GB in float16/bfloat16)\n"
    "  --config golden         a golden set's tiny configs with random weights (from --golden DIR or\n"
    "                          $UNCLIP_GOLDEN_DIR, Karlo's or Kandinsky 2.2's; a quick check of the\n"
    "                          random-weights path)\n"
    "  --tokenizer DIR         a CLIP tokenizer folder for --config (default: the embedded model's,\n"
    "                          else $UNCLIP_GOLDEN_DIR/clip_bpe; golden: the set's own tokenizer)\n"
    "  --batch N               images per run (default 1)\n"
    "  --steps P,D,S           Karlo: prior, decoder and super-res steps (default 25,25,7 = Karlo's)\n"
    "  --steps P,D             Kandinsky 2.2: prior and decoder steps (default 5,10; the table also\n"
    "                          gives the time at the reference's 25,100 from the per-step times)\n"
    "  --width, --height PX    Kandinsky 2.2: picture size, rounded up to a multiple of 64 as the\n"
    "                          pipeline does (default 768 for --config kandinsky, else the model's own)\n"
    "  --offload on|off|both   Kandinsky 2.2: which sequential-offload settings to run (default both,\n"
    "                          off first; on a card too small for `off` its run reports the\n"
    "                          out-of-memory and `on` still runs)\n"
    "  --warmup N              untimed runs with one step per stage first (default 1 on CUDA, 0 on the CPU)\n"
    "  --runs N                Karlo: timed runs (default 1); the first is the cold one, the table gives\n"
    "                          the medians of the others (warm) when there are any\n"
    "  --prompt TEXT, --seed N Karlo: the text and seed of every run (default \"a photo of a red cube on a\n"
    "                          blue table\", 0)\n"
    "  --whole                 Karlo, --model: also time the whole text -> image call of the API\n"
    "                          (UnclipPipeline::text_to_image, output conversion included) in every run\n"
    "  --profile               Karlo: LibTorch's profiler over the last run: the ops taking the most\n"
    "                          time in each stage, and the time outside any op\n"
    "  --json                  Karlo: one JSON object per line on stdout instead of the tables: the\n"
    "                          settings, then one per run (per stage: wall and CPU seconds, page faults)\n"
    "  --interleave            Karlo: before each run wait for a line on stdin (a driver alternating\n"
    "                          this with another implementation, tools/bench_vs_reference.py)\n\n"
    "examples:\n"
    "  unclip bench pipeline --model karlo-v1-alpha --device cuda --dtype float16 --steps 25,25,7\n"
    "  unclip bench pipeline --config kandinsky --device cuda --dtype float16 --width 768 --height 768\n"
    "  unclip bench pipeline --config kandinsky --steps 1,1 --width 256 --height 256   # CPU smoke run\n";

// The components of `set` built with random weights, as a pipeline's Impl.
void build_random(pipeline::UnclipPipeline::Impl& p, const ConfigSet& set, const std::string& tokenizer_dir) {
    using namespace models;
    torch::NoGradGuard no_grad;
    auto cfg = [&](const char* n) { return set.components.at(n).at("config"); };
    const std::string l = set.label;
    const auto text_cfg = CLIPTextConfig::from_json(cfg("text_encoder"), l);
    // Pad to the text encoder's length whatever the tokenizer folder says (the embedded model's
    // tokenizer, the default, pads to 24; Karlo's encoder and prior take 77).
    p.tokenizer = text::ClipTokenizer::from_folder(tokenizer_dir).with_max_length(static_cast<int>(text_cfg.max_position_embeddings));
    p.text_encoder = CLIPTextModelWithProjection(text_cfg);
    p.prior = PriorTransformer(PriorTransformerConfig::from_json(cfg("prior"), l));
    p.text_proj = UnCLIPTextProjModel(UnCLIPTextProjConfig::from_json(cfg("text_proj"), l));
    p.decoder = UNet2DConditionModel(UNet2DConditionConfig::from_json(cfg("decoder"), l));
    p.super_res_first = UNet2DModel(UNet2DConfig::from_json(cfg("super_res_first"), l));
    p.super_res_last = UNet2DModel(UNet2DConfig::from_json(cfg("super_res_last"), l));
    p.prior_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(cfg("prior_scheduler"), l);
    p.decoder_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(cfg("decoder_scheduler"), l);
    p.super_res_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(cfg("super_res_scheduler"), l);
    for (torch::nn::Module* m : std::vector<torch::nn::Module*>{p.text_encoder.get(), p.prior.get(), p.text_proj.get(),
                                                                p.decoder.get(), p.super_res_first.get(),
                                                                p.super_res_last.get()}) {
        m->to(p.device(), p.dtype());
        m->eval();
    }
    if (models::channels_last_pays(p.device(), p.dtype())) {  // as UnclipPipeline::load
        p.decoder->use_channels_last(true);
        p.super_res_first->use_channels_last(true);
        p.super_res_last->use_channels_last(true);
    }
}

struct StageTime {
    std::string name;
    int steps = 0;
    double seconds = 0;
    double cpu_seconds = 0;  // user + system time of the process (all its threads)
    int64_t faults = 0;      // minor + major page faults
    int64_t peak = -1;
};

// The process's CPU time and page faults so far.
struct Usage {
    double cpu = 0;
    int64_t faults = 0;
    static Usage now() {
        Usage u;
#if defined(__unix__)
        rusage r{};
        getrusage(RUSAGE_SELF, &r);
        u.cpu = static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
                static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-6;
        u.faults = r.ru_minflt + r.ru_majflt;
#endif
        return u;
    }
};

struct RunSettings {
    int64_t batch = 1;
    std::vector<int> steps;
    std::string prompt = "a photo of a red cube on a blue table";
    uint64_t seed = 0;
    bool profile = false;
};

// One text -> image run, timed per stage with the pipeline's stage functions, in the order and with
// the guidance of UnclipPipeline::text_to_image.
std::vector<StageTime> run_once(pipeline::UnclipPipeline::Impl& p, const RunSettings& rs, std::ostream* profile_out) {
    using namespace pipeline;
    c10::InferenceMode guard;
    HeapReuse heap;  // as text_to_image: freed memory stays for the next stage
    const Sampling defaults;
    Generator gen(rs.seed);
    NoiseSource noise = generator_noise(gen);
    const RunControl control;
    MemoryProbe probe(p.device());
    std::vector<StageTime> out;
    auto timed = [&](const std::string& name, int n, const std::function<void()>& fn) {
        OpProfile prof;
        probe.start();
        if (profile_out) prof.start();
        const Usage u0 = Usage::now();
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        bench_sync(p.device());
        StageTime s;
        s.name = name;
        s.steps = n;
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Usage u1 = Usage::now();
        s.cpu_seconds = u1.cpu - u0.cpu;
        s.faults = u1.faults - u0.faults;
        if (profile_out) {
            prof.stop(s.seconds * 1e6);
            prof.print(*profile_out, name + ", " + std::to_string(n) + " step(s), " + format_number(std::round(s.seconds * 1000)) + " ms", 15);
        }
        s.peak = probe.peak_delta();
        out.push_back(s);
    };
    const std::vector<std::string> prompts(static_cast<size_t>(rs.batch), rs.prompt);
    const auto& steps = rs.steps;
    TextConditioning text;
    torch::Tensor embeddings, small, up;
    timed("text encoder", 1, [&] { text = encode_text(p, prompts, 1, true); });
    timed("prior", steps[0], [&] {
        embeddings = run_prior(p, text, rs.batch, steps[0], defaults.prior_guidance, noise, control);
    });
    timed("decoder", steps[1], [&] {
        DecoderConditioning cond = condition_decoder(p, embeddings, text);
        small = run_decoder(p, cond, rs.batch, steps[1], defaults.decoder_guidance, noise, control);
    });
    timed("upscale", 1, [&] { up = upscale_for_super_res(p, small); });
    timed("super-res", steps[2], [&] { (void)run_super_res(p, up, steps[2], noise, control); });
    return out;
}

// The API's whole call (what `unclip generate` and the editor run): wall and CPU seconds.
std::pair<double, double> run_whole(pipeline::UnclipPipeline& pipe, const RunSettings& rs) {
    pipeline::TextToImageRequest r;
    r.prompts.assign(static_cast<size_t>(rs.batch), rs.prompt);
    r.sampling.seed = rs.seed;
    r.sampling.prior_steps = rs.steps[0];
    r.sampling.decoder_steps = rs.steps[1];
    r.sampling.super_res_steps = rs.steps[2];
    const Usage u0 = Usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    (void)pipe.text_to_image(r, {});
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), Usage::now().cpu - u0.cpu};
}

nlohmann::json run_json(int index, const std::vector<StageTime>& stages, std::pair<double, double> whole) {
    nlohmann::json j = {{"run", index}};
    double total = 0;
    for (const auto& s : stages) {
        j["stages"][s.name] = {{"s", s.seconds}, {"cpu_s", s.cpu_seconds}, {"faults", s.faults}, {"steps", s.steps}};
        total += s.seconds;
    }
    j["stages_total_s"] = total;
    if (whole.first >= 0) {
        j["whole_s"] = whole.first;
        j["whole_cpu_s"] = whole.second;
    }
    return j;
}

}  // namespace

int bench_pipeline(const Argv& argv) {
    const std::set<std::string> kOptions = {"--model",  "--decoder", "--inpaint-decoder", "--config", "--tokenizer",
                                            "--batch",  "--steps",   "--warmup",          "--width",  "--height",
                                            "--offload", "--device", "--dtype",           "--threads", "--golden",
                                            "--runs",   "--prompt",  "--seed"};
    const std::set<std::string> kFlags = {"--help", "--whole", "--profile", "--json", "--interleave"};
    Args args(argv, kFlags, kOptions);
    if (args.flag("--help")) {
        std::cout << kPipelineBenchHelp;
        return 0;
    }
    if (!args.positional().empty()) throw RequestError("unexpected argument '" + args.positional()[0] + "' (see --help)");
    if (args.has("--model") == args.has("--config"))
        throw RequestError("give either --model DIR or --config karlo|kandinsky|golden");
    const std::string config = args.get("--config");
    if (args.has("--config") && config != "karlo" && config != "kandinsky" && config != "golden")
        throw RequestError("unknown --config '" + config + "' (use karlo, kandinsky or golden, or --model DIR)");
    for (const char* o : {"--decoder", "--inpaint-decoder"})
        if (args.has(o) && !args.has("--model")) throw RequestError(std::string("option ") + o + " goes with --model DIR");
    // --offload is the Kandinsky bench's own (it runs both settings by default), so the common
    // options are read without it.
    Argv without_offload;
    for (size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--offload") ++i;
        else if (argv[i].rfind("--offload=", 0) != 0) without_offload.push_back(argv[i]);
    }
    CommonOptions o = parse_common_options(Args(without_offload, kFlags, kOptions), kModelOptions);
    const bool kandinsky = config == "kandinsky" || (args.has("--model") && o.family == pipeline::ModelFamily::Kandinsky22) ||
                           (config == "golden" && is_kandinsky_golden(golden_folder(args.get("--golden"))));
    if (kandinsky) {
        for (const char* k : {"--runs", "--prompt", "--seed", "--whole", "--profile", "--json", "--interleave"})
            if (args.has(k) || args.flag(k)) throw RequestError(std::string("option ") + k + " is for Karlo (unCLIP) folders and configs");
        return bench_pipeline_kandinsky(args, o);
    }
    for (const char* k : {"--width", "--height", "--offload", "--decoder", "--inpaint-decoder"})
        if (args.has(k)) throw RequestError(std::string("option ") + k + " is for Kandinsky 2.2 (Karlo draws at its fixed size, without offload)");
    const int batch = int_option(args, "--batch", 1, 1, 64);
    std::vector<int> steps = {25, 25, 7};
    if (args.has("--steps")) {
        steps = parse_int_list(args.get("--steps"), "--steps", 1, 1000);
        if (steps.size() != 3) throw RequestError("option --steps expects three numbers: prior,decoder,superres");
        for (int s : steps)
            if (s < 1 || s > 1000) throw RequestError("option --steps values must be between 1 and 1000");
    }
    const int warmup = int_option(args, "--warmup", o.pipeline.device.is_cuda() ? 1 : 0, 0, 10);
    const int runs = int_option(args, "--runs", 1, 1, 1000);
    RunSettings rs;
    rs.batch = batch;
    rs.steps = steps;
    if (args.has("--prompt")) rs.prompt = args.get("--prompt");
    rs.seed = args.get_u64("--seed", 0);
    const bool whole = args.flag("--whole"), json = args.flag("--json"), interleave = args.flag("--interleave");
    if (whole && !args.has("--model")) throw RequestError("option --whole times the API on a loaded folder: give --model DIR");

    std::unique_ptr<pipeline::UnclipPipeline> loaded;
    pipeline::UnclipPipeline::Impl random;
    pipeline::UnclipPipeline::Impl* p = nullptr;
    std::string label;
    const int64_t rss0 = current_rss();
    const auto t0 = std::chrono::steady_clock::now();
    if (args.has("--model")) {
        auto needed = base_components();
        for (const auto& c : prior_components()) needed.push_back(c);
        loaded = load_pipeline(o, "bench pipeline", needed);
        p = &loaded->impl();
        label = "folder " + o.pipeline.model_dir + " (its weights)";
    } else if (config == "karlo") {
        random.options = o.pipeline;
        build_random(random, full_size_config_set("karlo"), bench_tokenizer_dir(args.get("--tokenizer"), "--config karlo"));
        p = &random;
        label = "karlo (full size, random weights)";
    } else {
        const std::string g = golden_folder(args.get("--golden"));
        random.options = o.pipeline;
        build_random(random, folder_config_set({g + "/models/unclip-text2img"}, "golden"),
                     args.has("--tokenizer") ? args.get("--tokenizer") : g + "/models/unclip-text2img/tokenizer");
        p = &random;
        label = "golden configs (random weights)";
    }
    bench_sync(o.pipeline.device);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (json) {
        std::cout << nlohmann::json{{"implementation", "unclip-studio"}, {"label", label}, {"threads", torch::get_num_threads()},
                                    {"steps", steps}, {"batch", batch}, {"load_s", load_s}, {"torch", torch_build_summary()}}
                         .dump()
                  << std::endl;
    } else {
        std::cout << "unclip bench pipeline: " << label << "\n"
                  << "device " << o.pipeline.device << ", dtype " << dtype_name(o.pipeline.dtype) << ", batch " << batch
                  << " (x2 in prior and decoder for guidance), steps " << steps[0] << "/" << steps[1] << "/" << steps[2]
                  << ", " << warmup << " warm-up run(s), " << runs << " timed run(s), " << torch::get_num_threads()
                  << " CPU thread(s), " << torch_build_summary() << "\n"
                  << "decoder " << p->decoder->config().sample_size << " px -> super-res "
                  << p->super_res_first->config().sample_size << " px; load/build "
                  << format_number(std::round(load_s * 100) / 100) << " s";
        if (!o.pipeline.device.is_cuda()) std::cout << ", RSS +" << mib(current_rss() - rss0);
        std::cout << "\n";
    }
    RunSettings warm = rs;
    warm.steps = {1, 1, 1};
    for (int i = 0; i < warmup; ++i) (void)run_once(*p, warm, nullptr);
    std::vector<std::vector<StageTime>> all;
    std::vector<double> wholes;
    for (int i = 0; i < runs; ++i) {
        if (interleave) {
            std::string line;
            if (!std::getline(std::cin, line)) break;
        }
        all.push_back(run_once(*p, rs, args.flag("--profile") && i + 1 == runs ? (json ? &std::cerr : &std::cout) : nullptr));
        const std::pair<double, double> w = whole ? run_whole(*loaded, rs) : std::pair<double, double>{-1, -1};
        wholes.push_back(w.first);
        if (json) std::cout << run_json(i, all.back(), w).dump() << std::endl;
    }
    if (json || all.empty()) return 0;

    // One run: its figures; several: the first (cold) and the medians of the rest (warm).
    std::vector<StageTime> stages = all.front();
    if (all.size() > 1) {
        for (size_t k = 0; k < stages.size(); ++k) {
            std::vector<double> sec, cpu;
            for (size_t r = 1; r < all.size(); ++r) {
                sec.push_back(all[r][k].seconds);
                cpu.push_back(all[r][k].cpu_seconds);
            }
            stages[k].seconds = median(sec);
            stages[k].cpu_seconds = median(cpu);
        }
        std::printf("\ncold run (the first): %.3f s; the table: medians of the %zu warm runs\n",
                    [&] { double t = 0; for (const auto& s : all.front()) t += s.seconds; return t; }(), all.size() - 1);
    }
    double total = 0;
    for (const auto& s : stages) total += s.seconds;
    std::printf("\n%-14s %6s %10s %12s %8s %10s %12s\n", "stage", "steps", "seconds", "s per step", "share", "cpu s",
                "peak extra");
    for (const auto& s : stages)
        std::printf("%-14s %6d %10.3f %12.4f %7.1f%% %10.3f %12s\n", s.name.c_str(), s.steps, s.seconds, s.seconds / s.steps,
                    total > 0 ? 100.0 * s.seconds / total : 0.0, s.cpu_seconds, mib(s.peak).c_str());
    std::printf("%-14s %6s %10.3f %12s %7.1f%%\n", "total", "", total, "", 100.0);
    std::printf("\nper image: %.3f s\n", total / batch);
    if (whole) {
        std::vector<double> warm_wholes(wholes.begin() + (wholes.size() > 1 ? 1 : 0), wholes.end());
        std::printf("whole API call (text_to_image): %.3f s%s\n", median(warm_wholes), wholes.size() > 1 ? " (median, warm)" : "");
    }
    MemoryProbe probe(o.pipeline.device);
    probe.start();
    std::cout << "peak extra = " << probe.method() << "\n";
    return 0;
}

}  // namespace unclip::cli
