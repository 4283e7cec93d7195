// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the Kandinsky 2.2 MoVQ (VQModel, norm_type "spatial") with the golden case `movq`
// (cases/movq.{json,safetensors} of the Kandinsky golden folder): every recorded decode
// (force_not_quantize, as the pipelines call it) and encode, the quantized decode, and that every
// other model folder the case names holds the same MoVQ weights. The model folder, inputs and
// tolerance come from the case files.
#include "core/models/movq/vq_model.h"
#include "core/verify/golden_case.h"

#include <string>
#include <utility>
#include <vector>

namespace unclip::models {

// Rows "movq/decode00", "movq/encode01", "movq/decode_quantized.sample", "movq/weights <folder>"...
// A case that cannot be run (missing file, load error) gives one failing row whose note is the error.
std::vector<verify::ParityResult> verify_movq(const verify::VerifyOptions& opts);

// The decode / encode / quantized-decode rows with a model the caller built (tests pass perturbed weights).
std::vector<verify::ParityResult> check_movq_calls(VQModel& model, const verify::GoldenCase& c,
                                                   const verify::VerifyOptions& opts);

// The model folders a case's model_dir names, as (pipeline folder path, component):
// "models/a/movq (identical in models/b/movq)" -> {(<golden>/models/a, movq), (<golden>/models/b, movq)}.
// Throws unclip::Error when it names none.
std::vector<std::pair<std::string, std::string>> movq_case_folders(const verify::GoldenCase& c);

}  // namespace unclip::models
