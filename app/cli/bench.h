// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `unclip bench`: timing and memory figures for the README (never pass/fail).
//   bench modules   one forward per component, built from a config with random weights
//   bench pipeline  text -> image, timed per stage
#include "app/cli/commands.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <string>
#include <vector>

namespace unclip::cli {

int bench_modules(const Argv& args);
int bench_pipeline(const Argv& args);
int bench_inpaint(const Argv& args);

// Waits for queued GPU work (no-op on the CPU).
void bench_sync(const torch::Device& device);
double median(std::vector<double> v);

// Peak memory of a region: CUDA through the caching allocator's statistics (when this build has
// CUDA), CPU as the peak resident set size (VmHWM, reset through /proc/self/clear_refs) minus the
// resident size at start().
class MemoryProbe {
public:
    explicit MemoryProbe(torch::Device device) : device_(device) {}
    void start();
    // Peak bytes above the level at start(); -1 when unknown.
    int64_t peak_delta() const;
    // "cuda allocator", "rss (VmHWM)" or "rss (no peak reset: sampled)".
    std::string method() const;

private:
    torch::Device device_;
    int64_t base_ = 0;
    bool hwm_reset_ = false;
};

// The current resident set size in bytes (0 when unknown).
int64_t current_rss();
// "12.3 MiB" / "1.2 GiB"; "n/a" for negative values.
std::string mib(int64_t bytes);

// The component configs of a set: "golden" (the golden folder's two model folders), "karlo"
// (app/cli/karlo_configs) or model folders. Each entry: component -> {"class": ..., "config": ...}.
struct ConfigSet {
    std::string label;
    nlohmann::json components = nlohmann::json::object();
};
ConfigSet karlo_config_set();
ConfigSet folder_config_set(const std::vector<std::string>& folders, const std::string& label);
// The golden folder: --golden DIR, else $UNCLIP_GOLDEN_DIR (RequestError when neither).
std::string golden_folder(const std::string& option_value);

}  // namespace unclip::cli
