// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/bench.h"

#include "app/cli/kandinsky_configs.h"
#include "app/cli/karlo_configs.h"
#include "core/common/error.h"
#include "core/common/install_paths.h"
#include "core/io/model_folder.h"
#include "core/pipeline/model_family.h"

#include <torch/cuda.h>

#if defined(UNCLIP_HAVE_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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
    reset_peak();
    base_ = current_rss();
}

void MemoryProbe::reset_peak() {
    bench_sync(device_);
#if defined(UNCLIP_HAVE_CUDA)
    if (device_.is_cuda()) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(cuda_index(device_));
        return;
    }
#endif
    if (device_.is_cuda()) return;
    // "5" resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5" << std::flush;
    hwm_reset_ = static_cast<bool>(clear);
}

int64_t MemoryProbe::reserved_peak() const {
#if defined(UNCLIP_HAVE_CUDA)
    if (device_.is_cuda()) {
        bench_sync(device_);
        return c10::cuda::CUDACachingAllocator::getDeviceStats(cuda_index(device_)).reserved_bytes[0].peak;
    }
#endif
    return -1;
}

void release_cached_memory(const torch::Device& device) {
    bench_sync(device);
#if defined(UNCLIP_HAVE_CUDA)
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
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

ConfigSet full_size_config_set(const std::string& family) {
    ConfigSet set;
    const std::vector<std::string>* names = nullptr;
    const nlohmann::json& (*config)(const std::string&) = nullptr;
    int64_t (*parameters)(const std::string&) = nullptr;
    if (family == "karlo") {
        set.label = "karlo (full size, random weights)";
        names = &karlo_components();
        config = karlo_config;
        parameters = karlo_parameter_count;
    } else if (family == "kandinsky") {
        set.label = "kandinsky 2.2 (full size, random weights)";
        set.kandinsky = true;
        names = &kandinsky_components();
        config = kandinsky_config;
        parameters = kandinsky_parameter_count;
    } else {
        throw RequestError("no full-size configs for '" + family + "' (use karlo or kandinsky)");
    }
    for (const auto& name : *names) {
        const auto& cfg = config(name);
        set.components[name] = {{"class", cfg.at("_class_name")}, {"config", cfg}, {"parameters", parameters(name)}};
    }
    return set;
}

namespace {

// The name a Kandinsky 2.2 folder's component has in a config set ("" = leave it out).
std::string kandinsky_name(pipeline::FolderRole role, const std::string& component) {
    if (component == "tokenizer") return "";
    if (component == "scheduler")
        return role == pipeline::FolderRole::KandinskyPrior ? "prior_scheduler" : "decoder_scheduler";
    if (component == "unet" && role == pipeline::FolderRole::KandinskyInpaint) return "unet_inpaint";
    return component;
}

}  // namespace

ConfigSet folder_config_set(const std::vector<std::string>& folders, const std::string& label) {
    ConfigSet set;
    set.label = label;
    // Decoder folders first, so an inpainting folder's MoVQ and scheduler only stand in for a missing decoder's.
    std::vector<std::pair<io::ModelFolder, pipeline::FolderRole>> classified;
    for (const auto& dir : folders) {
        io::ModelFolder f(dir);
        const pipeline::FolderRole role = pipeline::classify_folder(f).role;
        set.kandinsky = set.kandinsky || role != pipeline::FolderRole::Karlo;
        classified.emplace_back(std::move(f), role);
    }
    std::stable_sort(classified.begin(), classified.end(), [](const auto& a, const auto& b) {
        return (a.second == pipeline::FolderRole::KandinskyInpaint) < (b.second == pipeline::FolderRole::KandinskyInpaint);
    });
    for (const auto& [f, role] : classified) {
        for (const auto& c : f.components()) {
            std::string name = c.name;
            if (role != pipeline::FolderRole::Karlo) name = kandinsky_name(role, c.name);
            if (name.empty() || set.components.contains(name) || c.class_name == "CLIPTokenizer" ||
                c.class_name == "CLIPTokenizerFast")
                continue;
            set.components[name] = {{"class", c.class_name}, {"config", f.config(c.name)}};
        }
    }
    return set;
}

std::string golden_folder(const std::string& option_value) {
    if (!option_value.empty()) return option_value;
    if (const char* env = std::getenv("UNCLIP_GOLDEN_DIR"); env && *env) return env;
    throw RequestError("--config golden needs the golden folder: give --golden DIR or set UNCLIP_GOLDEN_DIR");
}

bool is_kandinsky_golden(const std::string& golden) {
    return std::filesystem::is_directory(golden + "/models/kandinsky-2-2-prior");
}

std::vector<std::string> golden_model_folders(const std::string& golden) {
    if (is_kandinsky_golden(golden))
        return {golden + "/models/kandinsky-2-2-prior", golden + "/models/kandinsky-2-2-decoder",
                golden + "/models/kandinsky-2-2-decoder-inpaint"};
    return {golden + "/models/unclip-text2img", golden + "/models/unclip-variations"};
}

std::string bench_tokenizer_dir(const std::string& option, const std::string& what) {
    if (!option.empty()) return option;
    if (std::string m = default_model_dir(); !m.empty()) return io::ModelFolder(m).component_dir("tokenizer");
    if (const char* g = std::getenv("UNCLIP_GOLDEN_DIR"); g && *g && std::filesystem::is_directory(std::string(g) + "/clip_bpe"))
        return std::string(g) + "/clip_bpe";
    throw RequestError(what + " needs a CLIP tokenizer folder: give --tokenizer DIR (vocab.json + merges.txt)");
}

}  // namespace unclip::cli
