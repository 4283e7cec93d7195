// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the CLIP components with the golden cases clip_text, clip_vision and image_processor
// (models and inputs named by the case files; any golden folder of the same structure).
#include "core/verify/golden_case.h"

#include <vector>

namespace unclip::models {

// text_embeds / last_hidden_state / pooler_output per input row (no attention mask, as the pipelines
// call it), and the same with the tokenizer's attention mask where the case stores those outputs.
std::vector<verify::ParityResult> verify_clip_text(const verify::VerifyOptions& opts);
// image_embeds / last_hidden_state / pooler_output per image row.
std::vector<verify::ParityResult> verify_clip_vision(const verify::VerifyOptions& opts);
// Per case image (decoded from its PNG): the resized and cropped uint8 images (exact) and pixel_values,
// then the whole batch where recorded. The processor configuration is the case's
// image_processor_config / feature_extractor_config; its arithmetic follows the golden set's
// reference (manifest.json env.transformers: 4.x = the PIL path, else torchvision). The processor
// always runs in float32 on the CPU (opts.dtype/device do not apply).
std::vector<verify::ParityResult> verify_image_processor(const verify::VerifyOptions& opts);

}  // namespace unclip::models
