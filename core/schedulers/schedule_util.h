// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the schedulers' own code shares (not part of their interface): the dtype their math runs
// in, the checks and messages of set_timesteps and step, and step's noise.
#include "core/random/generator.h"

#include <torch/types.h>

#include <cstdint>
#include <string>

namespace unclip::schedulers::detail {

// LibTorch 1.13 has no CPU kernels for some float16 ops (clamp, exp): CPU float16 is computed in
// float32 and rounded back to float16 at the end. Everything else runs in the tensor's own dtype.
torch::ScalarType work_dtype(const torch::Tensor& t);

// "[1, 4, 64, 64]", for messages.
std::string shape_str(const torch::Tensor& t);

// RequestError unless 1 <= n <= num_train_timesteps (the number of inference steps).
void check_step_count(int64_t num_train_timesteps, int64_t n);

// The noise of a step that draws one (t > 0): from gen when given, otherwise the caller's noise
// (RequestError naming `scheduler` when absent or not of the sample's shape); in out_dtype, then in
// the sample's (math) dtype on its device. The draw happens before anything else of the step, as the reference.
torch::Tensor step_noise(const char* scheduler, int64_t t, const torch::Tensor& sample, torch::ScalarType out_dtype,
                         const torch::Tensor* noise, Generator* gen);

// A step's results back in out_dtype when its math ran in another dtype (`work`).
void restore_dtype(torch::ScalarType out_dtype, torch::ScalarType work, torch::Tensor& prev, torch::Tensor& x0,
                   torch::Tensor& noise);

}  // namespace unclip::schedulers::detail
