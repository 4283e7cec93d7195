// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every component's parity check (verify_*.cpp) needs from a golden case: the model folder
// and component it names, load options for the requested device/dtype, and a failed row.
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/verify/golden_case.h"

#include <string>
#include <utility>
#include <vector>

namespace unclip::models {

// The case's "model_dir" ("models/unclip-text2img/prior") as (pipeline folder, component name).
// Throws unclip::Error when the case names none.
std::pair<io::ModelFolder, std::string> golden_component(const verify::GoldenCase& c);

LoadOptions load_options(const verify::VerifyOptions& opts);

// A row that failed before any comparison (missing tensor, load error...).
void add_failed_row(std::vector<verify::ParityResult>& rows, const std::string& check, const std::string& why,
                    double atol = 0.0);

}  // namespace unclip::models
