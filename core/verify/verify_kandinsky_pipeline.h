// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whole-pipeline parity on the Kandinsky 2.2 golden set: every pipeline_* case (prior with and
// without a negative prompt, interpolate, decoder with and without guidance and non-square,
// img2img, inpaint, combined text-to-image), end to end from the case's seed through the same
// stage functions the editor runs (core/pipeline/kandinsky).
#include "core/verify/golden_case.h"

#include <string>
#include <vector>

namespace unclip::pipeline {

std::vector<verify::ParityResult> verify_kandinsky_pipelines(const verify::VerifyOptions& opts);
// One case by name ("pipeline_decoder", ...).
std::vector<verify::ParityResult> verify_kandinsky_pipeline_case(const verify::VerifyOptions& opts, const std::string& name);
// The case names of the set (those cases/pipeline_*.json the golden folder holds).
std::vector<std::string> kandinsky_pipeline_cases(const std::string& golden_dir);

}  // namespace unclip::pipeline
