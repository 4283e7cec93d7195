// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Device, dtype and thread settings shared by the CLI, the editor and the tests.
#include <string>
#include <torch/types.h>

namespace unclip {

// "cpu", "cuda", "cuda:1" -> device; throws RequestError naming the value, or saying that this
// LibTorch build has no CUDA.
torch::Device parse_device(const std::string& name);
// "float32" | "float16" | "bfloat16" (also "fp32", "fp16", "bf16").
torch::ScalarType parse_dtype(const std::string& name);
std::string dtype_name(torch::ScalarType t);

// LibTorch here defaults to one intra-op thread; use every core unless the user asked otherwise
// (threads <= 0 means all cores). OpenBLAS, where LibTorch uses it, runs on the calling thread
// (see torch_setup.cpp).
void configure_threads(int threads = 0);

// "LibTorch 1.13.1, cpu" / "LibTorch 2.11.0, cpu+cuda (1 device)".
std::string torch_build_summary();

}  // namespace unclip
