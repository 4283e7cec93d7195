// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/random/generator.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>


namespace unclip {

Generator::Generator(uint64_t seed) : seed_(seed), gen_(at::detail::createCPUGenerator(seed)) {}

void Generator::manual_seed(uint64_t seed) {
    seed_ = seed;
    gen_ = at::detail::createCPUGenerator(seed);
}

torch::Tensor Generator::randn(torch::IntArrayRef shape) {
    // at::randn locks the generator itself.
    return at::randn(shape, gen_, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kCPU));
}

void Generator::skip(torch::IntArrayRef shape) { (void)randn(shape); }

}  // namespace unclip
