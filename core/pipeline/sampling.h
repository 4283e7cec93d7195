// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The sampling settings of a run (seed, steps and guidance per stage, output size), shared by every
// request, the CLI and the editor's parameters. No LibTorch, so the editor's headers can use it.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>

namespace unclip::pipeline {

// Karlo's defaults (UnCLIPPipeline / UnCLIPImageVariationPipeline); default_sampling(family) in
// model_family.h gives each family's.
struct Sampling {
    uint64_t seed = 0;
    int prior_steps = 25;
    int decoder_steps = 25;
    int super_res_steps = 7;
    float prior_guidance = 4.0f;
    float decoder_guidance = 8.0f;
    // Output size in pixels for families that draw at any size (Kandinsky 2.2: rounded up as the
    // reference rounds, to a multiple of 64 px for the real model); 0 = the model's own size.
    // Karlo always draws at its fixed size.
    int width = 0;
    int height = 0;
};

// Recipes and requests store Sampling as {"seed", "prior_steps", ..., "decoder_guidance"}
// (sampling.cpp); request_from_json (request_json.cpp) is the one reader, strict for the API and
// lenient for older recipes.
nlohmann::json to_json(const Sampling& s);

}  // namespace unclip::pipeline
