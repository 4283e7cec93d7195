// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The five things a user can ask the pipeline for, one name each for the pipeline, the CLI, the
// HTTP API, recipes and the editor. No LibTorch, so the editor's headers can use it.
#include <optional>
#include <string>
#include <vector>

namespace unclip::pipeline {

enum class Mode { TextToImage, Variation, Interpolation, TextDiff, Inpaint };
const char* mode_name(Mode m);  // "text2img", "variation", "interpolate", "textdiff", "inpaint"
std::optional<Mode> parse_mode(const std::string& name);  // nullopt for a name no version used
const std::vector<Mode>& all_modes();

}  // namespace unclip::pipeline
