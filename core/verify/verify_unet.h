// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the decoder UNet, the super-res UNets and the decoder -> super-res upscale with the
// golden cases decoder_unet, super_res_unet and upscale (model folders, call inputs and
// tolerances are read from the case files; nothing is hard-coded).
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/verify/golden_case.h"

#include <string>
#include <vector>

namespace unclip::models {

// One row per recorded call ("decoder_unet/call0", "super_res_unet/first.call1", ...) and
// "upscale/image_upscaled". A case that cannot be run (missing file, load error) gives one
// failing row whose note is the error.
std::vector<verify::ParityResult> verify_decoder_unet(const verify::VerifyOptions& opts);
std::vector<verify::ParityResult> verify_super_res_unet(const verify::VerifyOptions& opts);
std::vector<verify::ParityResult> verify_upscale(const verify::VerifyOptions& opts);

// The same checks with a model the caller built (tests use them with perturbed weights).
// `prefix` selects the calls "<prefix>.callN" ("" = "callN").
std::vector<verify::ParityResult> check_decoder_unet_calls(UNet2DConditionModel& model, const verify::GoldenCase& c,
                                                           const verify::VerifyOptions& opts,
                                                           const std::string& prefix = "");
std::vector<verify::ParityResult> check_super_res_unet_calls(UNet2DModel& model, const verify::GoldenCase& c,
                                                             const verify::VerifyOptions& opts,
                                                             const std::string& prefix);

// A case json's model_dir ("models/<pipeline>/<component>", or ".../<a> and <b>" for a case that
// covers two components) as the model folder path and the component names.
struct CaseModels {
    std::string folder;                   // absolute: golden_dir + "/models/<pipeline>"
    std::vector<std::string> components;  // {"decoder"} or {"super_res_first", "super_res_last"}
    // The component a call prefix refers to: its name, or the one ending in "_<prefix>".
    std::string component_for(const std::string& prefix) const;
};
CaseModels case_models(const verify::GoldenCase& c);

}  // namespace unclip::models
