// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/torch_setup.h"

#include "core/common/error.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <thread>

#if defined(__unix__)
#include <dlfcn.h>
#endif

namespace unclip {

torch::Device parse_device(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), ::tolower);
    if (n == "cpu") return torch::Device(torch::kCPU);
    if (n.rfind("cuda", 0) == 0) {
        if (!torch::cuda::is_available())
            throw RequestError("device '" + name +
                               "' requested, but this build of LibTorch has no usable CUDA device");
        try {
            return torch::Device(n);
        } catch (const std::exception&) {
            throw RequestError("device '" + name + "' is not a valid CUDA device name (use cuda or cuda:N)");
        }
    }
    throw RequestError("unknown device '" + name + "' (use cpu or cuda)");
}

torch::ScalarType parse_dtype(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), ::tolower);
    if (n == "float32" || n == "fp32" || n == "float") return torch::kFloat32;
    if (n == "float16" || n == "fp16" || n == "half") return torch::kFloat16;
    if (n == "bfloat16" || n == "bf16") return torch::kBFloat16;
    throw RequestError("unknown precision '" + name + "' (use float32, float16 or bfloat16)");
}

std::string dtype_name(torch::ScalarType t) {
    switch (t) {
    case torch::kFloat32: return "float32";
    case torch::kFloat16: return "float16";
    case torch::kBFloat16: return "bfloat16";
    case torch::kFloat64: return "float64";
    default: return c10::toString(t);
    }
}

void configure_threads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);
#if defined(__unix__)
    // LibTorch 1.13 leaves the BLAS its matrix products go to (Debian's: OpenBLAS, pthreads, a thread
    // pool of its own) at one thread per core whatever set_num_threads says. Its workers and
    // LibTorch's OpenMP workers then spin against each other: the embedded model's decoder (many
    // small products between the OpenMP-parallel convolutions) took 2.2 s at 2 threads against
    // 1.1 s at 1. With OpenBLAS at one thread, OpenMP parallelises everything else and the products
    // stay on the calling thread: 0.9 s at 2 threads (the whole call 3.1 -> 1.8 s).
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
#endif
}

std::string torch_build_summary() {
    std::string s = "LibTorch " + std::string(TORCH_VERSION) + ", cpu";
    if (torch::cuda::is_available())
        s += "+cuda (" + std::to_string(torch::cuda::device_count()) + " device(s))";
    return s;
}

}  // namespace unclip
