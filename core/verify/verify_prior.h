// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the prior and text_proj with the golden cases `prior` and `text_proj`: every recorded
// call is re-run (model from the case json's model_dir, tolerances from its "tolerance").
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/verify/golden_case.h"

#include <vector>

namespace unclip::models {

// Loads the model named by the case and runs every call on opts.device / opts.dtype. A load error
// becomes one failing row whose note is the message.
std::vector<verify::ParityResult> verify_prior(const verify::VerifyOptions& opts);
std::vector<verify::ParityResult> verify_text_proj(const verify::VerifyOptions& opts);

// The same checks on an already built model (its dtype/device are used; opts gives the tolerance).
std::vector<verify::ParityResult> verify_prior_calls(PriorTransformer& model, const verify::GoldenCase& c,
                                                     const verify::VerifyOptions& opts);
std::vector<verify::ParityResult> verify_text_proj_calls(UnCLIPTextProjModel& model, const verify::GoldenCase& c,
                                                         const verify::VerifyOptions& opts);

}  // namespace unclip::models
