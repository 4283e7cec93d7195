// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whole-pipeline parity for `unclip verify` and the tests: every pipeline case of the golden folder
// (text-to-image with and without guidance and batched, variations with drawn or given latents,
// image interpolation), end to end from the seed and stage by stage with the recorded stage inputs
// (teacher forcing, the generator advanced past the earlier stages' draws).
#include "core/verify/golden_case.h"

namespace unclip::pipeline {

std::vector<verify::ParityResult> verify_pipelines(const verify::VerifyOptions& opts);
// One case by name ("pipeline_text2img", ...).
std::vector<verify::ParityResult> verify_pipeline_case(const verify::VerifyOptions& opts, const std::string& name);

}  // namespace unclip::pipeline
