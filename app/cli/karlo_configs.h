// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Karlo's full-size component configurations (kakaobrain/karlo-v1-alpha and
// karlo-v1-alpha-image-variations) as the JSON their config files hold, so `unclip bench` can build
// the real-size models with random weights without downloading anything. Values from the golden
// README's "Karlo full-size configurations" (diffusers' conversion script + constructor defaults,
// openai/clip-vit-large-patch14 for the CLIP towers).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace unclip::cli {

// Component names in pipeline order: text_encoder, image_encoder, prior, text_proj, decoder,
// super_res_first, super_res_last, then the schedulers and the feature extractor.
const std::vector<std::string>& karlo_components();
// The component's config.json (scheduler_config.json / preprocessor_config.json), with "_class_name".
// Throws RequestError for an unknown name.
const nlohmann::json& karlo_config(const std::string& component);
// Parameter count the reference implementation measures for that config (0 for components
// without weights).
int64_t karlo_parameter_count(const std::string& component);

}  // namespace unclip::cli
