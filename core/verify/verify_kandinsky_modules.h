// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the Kandinsky 2.2 components whose golden cases differ from Karlo's (the Kandinsky
// golden folder; CLIP, tokenizer, prior and rng use the generic checks of verify_clip / _prior /
// _rng / _tokenizer): the decoder UNets (cases `unet` and `unet_inpaint`, which also record the
// time embedding, the image embedding term and the projected context) and the PIL image / mask
// preparation (case `image_prep`). Models, inputs and tolerances come from the case files.
#include "core/models/unet/unet2d_condition_model.h"
#include "core/verify/golden_case.h"

#include <vector>

namespace unclip::models {

// Rows "<case>/callN/out", ".../time_emb", ".../aug_emb", ".../context" for both cases. A case that
// cannot be run (missing file, load error) gives one failing row whose note is the error.
std::vector<verify::ParityResult> verify_kandinsky_unet(const verify::VerifyOptions& opts);
// The same rows for one case with a model the caller built (tests pass perturbed weights).
std::vector<verify::ParityResult> check_kandinsky_unet_calls(UNet2DConditionModel& model, const verify::GoldenCase& c,
                                                             const verify::VerifyOptions& opts);

// Exact rows: every "<image>.<W>x<H>.u8" resize (PNG from cases/<image>.png, mode from the json),
// the float prepare_image of the images the movq case encodes, and for every mask ("mask_np",
// "mask_pil") the LANCZOS resize (PIL masks), keep_full, keep_latent_nearest and keep_latent.
// Runs on the CPU in float32 whatever opts says.
std::vector<verify::ParityResult> verify_image_prep(const verify::VerifyOptions& opts);

}  // namespace unclip::models
