// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/bench.h"

#include "app/cli/karlo_configs.h"
#include "core/common/error.h"
#include "core/io/model_folder.h"

#include <torch/cuda.h>

#if defined(UNCLIP_HAVE_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace unclip::cli {
namespace {

// A "VmXXX:   1234 kB" line of /proc/self/status, in bytes (0 when absent).
int64_t status_field(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string k = std::string(key) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(k, 0) == 0) {
            std::istringstream s(line.substr(k.size()));
            int64_t kb = 0;
            s >> kb;
            return kb * 1024;
        }
    }
    return 0;
}

#if defined(UNCLIP_HAVE_CUDA)
int cuda_index(const torch::Device& d) { return d.has_index() ? d.index() : 0; }
#endif

}  // namespace

void bench_sync(const torch::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int64_t current_rss() { return status_field("VmRSS"); }

void MemoryProbe::start() {
    bench_sync(device_);
#if defined(UNCLIP_HAVE_CUDA)
    if (device_.is_cuda()) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(cuda_index(device_));
        base_ = c10::cuda::CUDACachingAllocator::getDeviceStats(cuda_index(device_)).allocated_bytes[0].current;
        return;
    }
#endif
    // "5" resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5" << std::flush;
    hwm_reset_ = static_cast<bool>(clear);
    base_ = current_rss();
}

int64_t MemoryProbe::peak_delta() const {
    bench_sync(device_);
#if defined(UNCLIP_HAVE_CUDA)
    if (device_.is_cuda())
        return c10::cuda::CUDACachingAllocator::getDeviceStats(cuda_index(device_)).allocated_bytes[0].peak - base_;
#endif
    if (device_.is_cuda()) return -1;
    const int64_t peak = hwm_reset_ ? status_field("VmHWM") : current_rss();
    return std::max<int64_t>(0, peak - base_);
}

std::string MemoryProbe::method() const {
    if (device_.is_cuda()) {
#if defined(UNCLIP_HAVE_CUDA)
        return "CUDA caching allocator (peak allocated bytes above the start)";
#else
        return "unknown (this build has no CUDA allocator statistics)";
#endif
    }
    return hwm_reset_ ? "CPU resident set (peak VmHWM above the RSS at the start)"
                      : "CPU resident set (no peak reset possible: RSS after minus before)";
}

std::string mib(int64_t bytes) {
    if (bytes < 0) return "n/a";
    char buf[32];
    if (bytes >= (int64_t(10) << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / double(1 << 30));
    else std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / double(1 << 20));
    return buf;
}

ConfigSet karlo_config_set() {
    ConfigSet set;
    set.label = "karlo (full size, random weights)";
    for (const auto& name : karlo_components()) {
        const auto& cfg = karlo_config(name);
        set.components[name] = {{"class", cfg.at("_class_name")}, {"config", cfg}};
    }
    return set;
}

ConfigSet folder_config_set(const std::vector<std::string>& folders, const std::string& label) {
    ConfigSet set;
    set.label = label;
    for (const auto& dir : folders) {
        io::ModelFolder f(dir);
        for (const auto& c : f.components()) {
            if (set.components.contains(c.name) || c.class_name == "CLIPTokenizer" || c.class_name == "CLIPTokenizerFast")
                continue;
            set.components[c.name] = {{"class", c.class_name}, {"config", f.config(c.name)}};
        }
    }
    return set;
}

std::string golden_folder(const std::string& option_value) {
    if (!option_value.empty()) return option_value;
    if (const char* env = std::getenv("UNCLIP_GOLDEN_DIR"); env && *env) return env;
    throw RequestError("--config golden needs the golden folder: give --golden DIR or set UNCLIP_GOLDEN_DIR");
}

}  // namespace unclip::cli
