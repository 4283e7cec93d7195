// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation parameters of a picture as text in the AUTOMATIC1111 layout, which image
// browsers (civitai, infinite-image-browsing, A1111's PNG Info) read from the PNG text chunk
// "parameters" (kParametersKey):
//   <prompt, possibly several lines>
//   Negative prompt: <negative prompt>
//   Steps: 25, Sampler: unCLIP, CFG scale: 8, Seed: 42, Size: 256x256, Model: unclip-emoji, Model hash: 0123456789, ...
// "Steps" and "CFG scale" are the decoder's; our own keys follow (Prior steps, Prior CFG scale,
// Decoder steps, Decoder CFG scale, Super-res steps, Mode, and the mode's own settings). Values with
// ',' ':' or a line break are written as JSON strings, as A1111 does. The CLI and the editor both
// write this; the recipe JSON beside it stays the exact, machine-readable record.
#include <nlohmann/json.hpp>

#include <string>

namespace unclip::io {

// `recipe` is a Result::recipe (older recipes with sampling keys at the top level work too);
// width x height is the size of the picture being written.
std::string parameters_text(const nlohmann::json& recipe, int width, int height);

}  // namespace unclip::io
