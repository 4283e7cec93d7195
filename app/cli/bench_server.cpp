// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench server: what going through `unclip serve` costs. One model, loaded once, runs the
// same text -> image request in-process and through a real server on loopback (core/server on a
// thread of this process, reached over HTTP by the one client, POST /v1/run), alternating, so both
// see the same weights, threads, allocator and machine load; the in-process runs happen on a
// long-lived thread of their own, as on the editor's inference thread. Prints the medians, the
// overhead ratio (target <= 3 %) and the event latency: from the runner producing a progress event
// to the client receiving it through the Server-Sent Events stream. Figures, never pass/fail.
#include "app/cli/args.h"
#include "app/cli/bench.h"
#include "app/cli/bench_timing.h"
#include "app/cli/pipeline_options.h"
#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/pipeline/model_family.h"
#include "core/server/client.h"
#include "core/server/server.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <time.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace unclip::cli {
namespace {

using Clock = std::chrono::steady_clock;

const char* kServerBenchHelp =
    "usage: unclip bench server [--model DIR] [--steps P,D[,S]] [--runs N] [--warmup N] [--prompt TEXT]\n"
    "                           [--device cpu|cuda] [--dtype ...] [--threads N]\n\n"
    "Runs one text -> image request in-process and through `unclip serve` on loopback (the server on\n"
    "a thread of this process, reached over HTTP by the client the editor and the CLI use: POST\n"
    "/v1/run, progress as Server-Sent Events, the result as safetensors), alternating in-process and\n"
    "server runs on the same loaded model (in-process on a thread of its own, as in the editor; one\n"
    "malloc arena for all threads, so neither side gains from a warmer one), and prints:\n"
    "  the median wall-clock and CPU seconds of each (CPU: every thread of the process; steadier\n"
    "  than the wall clock on a busy machine), the overhead (the median of the paired server /\n"
    "  in-process ratios - 1; target <= 3 %),\n"
    "  the event latency (a progress event produced by the runner -> received by the client), and\n"
    "  whether the server's pictures are bit-identical to the in-process ones.\n"
    "Figures for the README; nothing passes or fails.\n\n"
    "  --model DIR      a model folder with a prior (default: the embedded model, 256 px)\n"
    "  --steps P,D[,S]  prior, decoder (and super-res) steps (default: the model family's)\n"
    "  --runs N         timed runs of each (default 5)\n"
    "  --warmup N       untimed runs of each with one step per stage first (default 1)\n"
    "  --prompt TEXT    the prompt (default \"a red apple on a wooden table\")\n\n"
    "example:\n"
    "  unclip bench server --threads 2\n";

struct Stats {
    double median = 0, p90 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.median = median(v);
    s.p90 = v[std::min(v.size() - 1, static_cast<size_t>(0.9 * static_cast<double>(v.size())))];
    s.max = v.back();
    return s;
}

// When each progress event of the current server run was produced, by stage and step.
class EventClock {
public:
    void produced(const pipeline::Progress& p) {
        const auto now = Clock::now();
        std::lock_guard<std::mutex> lock(mutex_);
        produced_[{p.stage, p.step}] = now;
    }
    // Seconds since the matching event was produced; < 0 when it is unknown.
    double received(const pipeline::Progress& p) {
        const auto now = Clock::now();
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = produced_.find({p.stage, p.step});
        return it == produced_.end() ? -1 : std::chrono::duration<double>(now - it->second).count();
    }
    void clear() {
        std::lock_guard<std::mutex> lock(mutex_);
        produced_.clear();
    }

private:
    std::mutex mutex_;
    std::map<std::pair<pipeline::Stage, int>, Clock::time_point> produced_;
};

bool same(const torch::Tensor& a, const torch::Tensor& b) {
    if (!a.defined() || !b.defined()) return a.defined() == b.defined();
    return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() && torch::equal(a, b);
}

}  // namespace

int bench_server(const Argv& argv) {
    Args args(argv, {"--help"},
              {"--model", "--decoder", "--steps", "--runs", "--warmup", "--prompt", "--device", "--dtype", "--threads"});
    if (args.flag("--help")) {
        std::cout << kServerBenchHelp;
        return 0;
    }
    reject_positional(args);
#if defined(__GLIBC__)
    // One malloc arena for every thread: glibc gives each new thread an arena of its own, and how
    // often a run faults fresh pages in then depends on whose arena it is (a several per cent swing
    // between two otherwise equal threads, either way), which would drown the server's own cost.
    ::mallopt(M_ARENA_MAX, 1);
#endif
    CommonOptions o = parse_common_options(args, kModelOptions);
    const int runs = int_option(args, "--runs", 5, 1, 1000);
    const int warmup = int_option(args, "--warmup", 1, 0, 10);
    auto needed = base_components();
    for (const auto& c : prior_components()) needed.push_back(c);
    auto pl = load_pipeline(o, "bench server", needed);

    pipeline::TextToImageRequest request;
    request.prompts = {args.get("--prompt", "a red apple on a wooden table")};
    request.sampling = pipeline::default_sampling(pl->family());
    request.sampling.seed = 0;
    if (args.has("--steps")) {
        const std::vector<int> steps = parse_int_list(args.get("--steps"), "--steps", 1, 1000);
        if (steps.size() < 2 || steps.size() > 3)
            throw RequestError("option --steps expects two or three numbers: prior,decoder[,superres]");
        request.sampling.prior_steps = steps[0];
        request.sampling.decoder_steps = steps[1];
        if (steps.size() == 3) request.sampling.super_res_steps = steps[2];
    }
    pipeline::TextToImageRequest quick = request;
    quick.sampling.prior_steps = quick.sampling.decoder_steps = quick.sampling.super_res_steps = 1;

    EventClock events;
    server::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.version = "bench";
    so.on_progress = [&events](const pipeline::Progress& p) { events.produced(p); };
    server::Server srv(*pl, so);
    const int port = srv.bind();
    std::thread serving([&srv] { srv.serve(); });
    // Stops and joins the server however this function ends.
    struct Joiner {
        server::Server& srv;
        std::thread& t;
        ~Joiner() {
            srv.stop();
            if (t.joinable()) t.join();
        }
    } joiner{srv, serving};
    server::ClientOptions co;
    co.url = "http://127.0.0.1:" + std::to_string(port);
    co.read_timeout_s = 600;
    server::Client client(co);
    for (int i = 0; i < 500 && !client.healthy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));

    // The in-process run has a progress callback too, as the editor's and the CLI's have.
    int progress_calls = 0;
    pipeline::RunControl local_control;
    local_control.on_progress = [&progress_calls](const pipeline::Progress&) { ++progress_calls; };
    std::vector<double> latencies;
    bool record = false;
    pipeline::RunControl remote_control;
    remote_control.on_progress = [&](const pipeline::Progress& p) {
        const double s = events.received(p);
        if (record && s >= 0) latencies.push_back(s);
    };
    SerialThread worker;
    auto in_process = [&](const pipeline::TextToImageRequest& r, pipeline::Result* out) {
        const Times t0 = times_now();
        pipeline::Result res;
        worker.run([&] { res = pl->text_to_image(r, local_control); });
        bench_sync(o.pipeline.device);
        const Times t = times_now() - t0;
        if (out) *out = std::move(res);
        return t;
    };
    auto through_server = [&](const pipeline::TextToImageRequest& r, pipeline::Result* out) {
        events.clear();
        const Times t0 = times_now();
        server::Output res = client.run(r, remote_control);
        const Times t = times_now() - t0;
        if (out) *out = std::move(res.result);
        return t;
    };

    const pipeline::Sampling& sm = request.sampling;
    std::cout << "unclip bench server: " << pl->options().model_dir << ", " << pl->image_size()
              << " px text -> image, steps " << sm.prior_steps << "/" << sm.decoder_steps
              << (pl->family() == pipeline::ModelFamily::Karlo ? "/" + std::to_string(sm.super_res_steps) : std::string())
              << ", device " << o.pipeline.device << ", " << dtype_name(o.pipeline.dtype) << ", "
              << torch::get_num_threads() << " CPU thread(s), " << torch_build_summary() << "\n"
              << "server: http://127.0.0.1:" << port
              << " on a thread of this process (HTTP over loopback, POST /v1/run, events as SSE, result as safetensors)\n"
              << runs << " timed run(s) of each, alternating (ABBA), after " << warmup << " warm-up run(s) of each;\n"
              << "wall-clock seconds, and CPU seconds of this whole process (pipeline, server and client threads:\n"
              << "steadier than the wall clock on a loaded machine)\n\n";

    for (int i = 0; i < warmup; ++i) {
        in_process(quick, nullptr);
        through_server(quick, nullptr);
    }
    std::vector<double> local_wall, server_wall, wall_ratios, local_cpu, server_cpu, cpu_ratios;
    pipeline::Result local_result, server_result;
    bool identical = true;
    std::printf("%4s %12s %12s %9s %12s %12s %9s\n", "run", "in-process", "server", "ratio", "in-proc CPU", "server CPU",
                "ratio");
    for (int i = 0; i < runs; ++i) {
        Times a, b;
        record = true;
        // Alternate which goes first, so a drifting machine load weighs on both alike.
        if (i % 2 == 0) {
            a = in_process(request, &local_result);
            b = through_server(request, &server_result);
        } else {
            b = through_server(request, &server_result);
            a = in_process(request, &local_result);
        }
        record = false;
        identical = identical && same(local_result.images, server_result.images);
        local_wall.push_back(a.wall);
        server_wall.push_back(b.wall);
        wall_ratios.push_back(b.wall / a.wall);
        local_cpu.push_back(a.cpu);
        server_cpu.push_back(b.cpu);
        cpu_ratios.push_back(a.cpu > 0 ? b.cpu / a.cpu : 0.0);
        std::printf("%4d %11.3fs %11.3fs %9.4f %11.3fs %11.3fs %9.4f\n", i + 1, a.wall, b.wall, wall_ratios.back(), a.cpu,
                    b.cpu, cpu_ratios.back());
        std::fflush(stdout);
    }
    // The paired ratio compares runs made back to back, so a machine whose load changes between
    // runs moves it less than the ratio of the medians would.
    const double wall = median(wall_ratios) - 1, cpu = median(cpu_ratios) - 1;
    std::printf("\nmedian wall: in-process %.3f s, through the server %.3f s\n", median(local_wall), median(server_wall));
    std::printf("median CPU:  in-process %.3f s, through the server %.3f s\n", median(local_cpu), median(server_cpu));
    std::printf("overhead: wall %+.2f %%, CPU %+.2f %% (medians of the paired server / in-process ratios - 1; "
                "target <= 3 %%)\n",
                100 * wall, 100 * cpu);
    const Stats lat = stats(latencies);
    std::printf("event latency (progress produced -> received by the client): median %.3f ms, p90 %.3f ms, max %.3f ms"
                " over %zu events\n",
                1e3 * lat.median, 1e3 * lat.p90, 1e3 * lat.max, latencies.size());
    std::printf("pictures: %s\n", identical ? "bit-identical to in-process" : "DIFFERENT from in-process");
    return 0;
}

}  // namespace unclip::cli
