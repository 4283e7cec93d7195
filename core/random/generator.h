// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Seeded CPU random numbers that equal torch.Generator('cpu').manual_seed(seed) draws exactly
// (torch.randn: scalar Box-Muller below 16 elements, vectorised path from 16), so a seed gives
// the same image here as in the reference implementation. Noise is always drawn on the CPU in
// float32 and then moved, as the reference pipelines do.
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>

namespace unclip {

class Generator {
public:
    explicit Generator(uint64_t seed = 0);
    void manual_seed(uint64_t seed);
    uint64_t seed() const { return seed_; }

    // torch.randn(shape, generator=g, dtype=float32) on the CPU.
    torch::Tensor randn(torch::IntArrayRef shape);
    // Draws and discards, to advance the stream exactly as a draw of this shape would.
    void skip(torch::IntArrayRef shape);

    at::Generator& raw() { return gen_; }

private:
    uint64_t seed_;
    at::Generator gen_;
};

}  // namespace unclip
