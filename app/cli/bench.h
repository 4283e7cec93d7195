// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `unclip bench`: timing and memory figures for the README (never pass/fail).
//   bench modules   one forward per component, built from a config with random weights
//   bench pipeline  text -> image, timed per stage (Kandinsky 2.2: bench_kandinsky.cpp, with and
//                   without sequential offload)
//   bench inpaint   one region inpainted on ever larger canvases
//   bench server    text -> image in-process vs through `unclip serve` on loopback (overhead, event latency)
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/bench_timing.h"
#include "app/cli/pipeline_options.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <string>
#include <vector>

namespace unclip::cli {

int bench_modules(const Argv& args);
int bench_pipeline(const Argv& args);
int bench_inpaint(const Argv& args);
int bench_server(const Argv& args);
// bench pipeline on Kandinsky 2.2 (--config kandinsky, a Kandinsky golden set, or Kandinsky folders),
// called by bench_pipeline with its parsed arguments.
int bench_pipeline_kandinsky(const Args& args, const CommonOptions& options);

// Waits for queued GPU work (no-op on the CPU).
void bench_sync(const torch::Device& device);

// Peak memory of a region: CUDA through the caching allocator's statistics (when this build has
// CUDA), CPU as the peak resident set size (VmHWM, reset through /proc/self/clear_refs) minus the
// resident size at start().
class MemoryProbe {
public:
    explicit MemoryProbe(torch::Device device) : device_(device) {}
    void start();
    // Peak bytes above the level at start(); -1 when unknown.
    int64_t peak_delta() const;
    // Starts a new peak without moving the level of start(), so peak_delta() then gives the peak
    // since this call, still above start()'s level (one region's stages each measured against it).
    void reset_peak();
    // CUDA: the caching allocator's peak reserved bytes (what the card must hold, cached blocks
    // included) since the last start() / reset_peak(); -1 elsewhere.
    int64_t reserved_peak() const;
    // "cuda allocator", "rss (VmHWM)" or "rss (no peak reset: sampled)".
    std::string method() const;

private:
    torch::Device device_;
    int64_t base_ = 0;
    bool hwm_reset_ = false;
};

// The current resident set size in bytes (0 when unknown).
int64_t current_rss();
// Hands freed memory back (CUDA: the caching allocator's unused blocks; CPU: glibc's free heap
// pages), so the next region's peak starts from what is really in use.
void release_cached_memory(const torch::Device& device);
// "12.3 MiB" / "1.2 GiB"; "n/a" for negative values.
std::string mib(int64_t bytes);

// The component configs of a set: a golden set's model folders, a family's full-size configs or
// model folders. Each entry: component -> {"class": ..., "config": ...} plus, for the full-size
// sets, "parameters" (the reference's count; absent or 0 = not stated).
struct ConfigSet {
    std::string label;
    nlohmann::json components = nlohmann::json::object();
    bool kandinsky = false;  // Kandinsky 2.2 names: unet, unet_inpaint, movq, prior_scheduler, ...
};
// family "karlo" (app/cli/karlo_configs) or "kandinsky" (app/cli/kandinsky_configs); RequestError
// for another name.
ConfigSet full_size_config_set(const std::string& family);
// Model folders' configs. Kandinsky 2.2 folders name their components by role: the prior folder's
// scheduler is prior_scheduler, the decoder's is decoder_scheduler, the inpainting decoder's UNet is
// unet_inpaint (its MoVQ and scheduler equal the decoder's and are kept only without a decoder).
ConfigSet folder_config_set(const std::vector<std::string>& folders, const std::string& label);
// The golden folder: --golden DIR, else $UNCLIP_GOLDEN_DIR (RequestError when neither).
std::string golden_folder(const std::string& option_value);
// Whether a golden folder is the Kandinsky 2.2 set (it has models/kandinsky-2-2-prior).
bool is_kandinsky_golden(const std::string& golden);
// A golden set's model folders: Karlo's models/unclip-text2img + unclip-variations, or Kandinsky
// 2.2's models/kandinsky-2-2-prior, -decoder, -decoder-inpaint.
std::vector<std::string> golden_model_folders(const std::string& golden);
// A CLIP tokenizer folder for random-weight runs: `option` when given, else the embedded model's,
// else $UNCLIP_GOLDEN_DIR/clip_bpe (RequestError naming `what` when none is found).
std::string bench_tokenizer_dir(const std::string& option, const std::string& what);

}  // namespace unclip::cli
