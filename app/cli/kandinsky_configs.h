// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Kandinsky 2.2's full-size component configurations (kandinsky-community/kandinsky-2-2-prior,
// -decoder and -decoder-inpaint) as the JSON their config files hold, so `unclip bench` can build
// the real-size models with random weights without downloading anything. Values from the
// Kandinsky golden README's "Kandinsky 2.2 full-size configurations" (keys the hub files lack are
// written out with the constructor defaults).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace unclip::cli {

// Component names in pipeline order: text_encoder, image_encoder, prior, unet, unet_inpaint, movq,
// then prior_scheduler, decoder_scheduler (decoder and inpainting decoder) and image_processor.
const std::vector<std::string>& kandinsky_components();
// The component's config.json (scheduler_config.json / preprocessor_config.json), with "_class_name".
// Throws RequestError for an unknown name.
const nlohmann::json& kandinsky_config(const std::string& component);
// Parameter count of the reference implementation for that config (0 for components without
// weights), derived from the architectures (see kandinsky_configs.cpp).
int64_t kandinsky_parameter_count(const std::string& component);
// The picture side the benchmarks run Kandinsky 2.2 at: 768 px (96 x 96 latents), the size a
// 12 GB card reaches with sequential offload. The model's own default is 512 px.
constexpr int64_t kKandinskyBenchSide = 768;

}  // namespace unclip::cli
