// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench inpaint: inpainting one small region of ever larger canvases. With the generation
// frame (core/pipeline/frame.h) the model works on a frame around the region, so the time stays
// flat and the memory grows only by the picture itself; the figures say whether it does.
#include "app/cli/args.h"
#include "app/cli/bench.h"
#include "app/cli/pipeline_options.h"
#include "core/common/error.h"
#include "core/pipeline/frame.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace unclip::cli {
namespace {

const char* kInpaintBenchHelp =
    "usage: unclip bench inpaint [--model DIR] [--sizes 1024,4096,8192] [--region 128] [--steps P,D,S]\n"
    "                            [--device cpu|cuda] [--dtype ...] [--threads N]\n\n"
    "Inpaints a square region of --region pixels in the middle of canvases of each --sizes side (a\n"
    "prompt through the prior, automatic generation frame) and prints per canvas: the frame, the time\n"
    "of the inpaint call, its peak memory above the start (CPU: peak resident set) beside the bytes of\n"
    "the picture and mask themselves, and the time relative to the first canvas. The model's own work\n"
    "depends on the frame only, so the times should match within noise. Figures, not a test.\n\n"
    "  --model DIR   a model folder with a prior (default: the embedded model)\n"
    "  --sizes LIST  canvas sides (default 1024,4096,8192)\n"
    "  --region N    side of the masked square (default 128)\n"
    "  --steps P,D,S prior, decoder and super-res steps (default 25,25,7)\n\n"
    "example:\n"
    "  unclip bench inpaint --sizes 1024,4096,8192 --threads 1\n";

}  // namespace

int bench_inpaint(const Argv& argv) {
    Args args(argv, {"--help"}, {"--model", "--sizes", "--region", "--steps", "--device", "--dtype", "--threads"});
    if (args.flag("--help")) {
        std::cout << kInpaintBenchHelp;
        return 0;
    }
    if (!args.positional().empty()) throw RequestError("unexpected argument '" + args.positional()[0] + "' (see --help)");
    CommonOptions o = parse_common_options(args, kModelOptions);
    std::vector<int> sizes = {1024, 4096, 8192};
    if (args.has("--sizes")) sizes = parse_int_list(args.get("--sizes"), "--sizes", 1, static_cast<int>(pipeline::kMaxFrameSide));
    const int region = int_option(args, "--region", 128, 1, 4096);
    for (int s : sizes)
        if (s < region) throw RequestError("option --sizes: every canvas must be at least --region (" + std::to_string(region) + ") pixels");
    std::vector<int> steps = {25, 25, 7};
    if (args.has("--steps")) {
        steps = parse_int_list(args.get("--steps"), "--steps", 1, 1000);
        if (steps.size() != 3) throw RequestError("option --steps expects three numbers: prior,decoder,superres");
    }
    auto needed = base_components();
    for (const auto& c : prior_components()) needed.push_back(c);
    auto pl = load_pipeline(o, "bench inpaint", needed);

    pipeline::InpaintRequest r;
    r.prompt = "a red apple";
    r.sampling.prior_steps = steps[0];
    r.sampling.decoder_steps = steps[1];
    r.sampling.super_res_steps = steps[2];
    std::cout << "unclip bench inpaint: " << pl->options().model_dir << ", " << pl->image_size() << " px model, region "
              << region << " px, steps " << steps[0] << "/" << steps[1] << "/" << steps[2] << ", device "
              << o.pipeline.device << ", " << torch::get_num_threads() << " CPU thread(s)\n";
    std::printf("\n%8s %22s %8s %10s %9s %14s %14s\n", "canvas", "frame", "scale", "seconds", "vs first", "peak extra",
                "picture+mask");
    double first = 0;
    MemoryProbe probe(o.pipeline.device);
    for (size_t i = 0; i < sizes.size() + 1; ++i) {
        const bool warmup = i == 0;  // the first run (on the first size) warms caches and is not shown
        const int64_t side = sizes[warmup ? 0 : i - 1];
        probe.start();
        {
            // A flat grey canvas: its pixels do not matter, its size does.
            r.image = torch::full({side, side, 3}, 128, torch::kUInt8);
            r.mask = torch::zeros({side, side}, torch::kFloat32);
            const int64_t at = side / 2 - region / 2;
            r.mask.slice(0, at, at + region).slice(1, at, at + region).fill_(1.0f);
            const auto t0 = std::chrono::steady_clock::now();
            pipeline::Result res = pl->inpaint(r);
            bench_sync(o.pipeline.device);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (warmup) continue;
            if (first == 0) first = seconds;
            const int64_t picture = side * side * 3 + side * side * 4;
            std::printf("%8lld %22s %8.2f %10.3f %8.2fx %14s %14s\n", static_cast<long long>(side),
                        pipeline::frame_to_string(*res.frame).c_str(), res.frame_scale, seconds, seconds / first,
                        mib(probe.peak_delta()).c_str(), mib(picture).c_str());
        }
    }
    std::cout << "\npeak extra = " << probe.method() << "; picture+mask = the uint8 picture and float mask the request holds\n";
    return 0;
}

}  // namespace unclip::cli
