// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of UnCLIPScheduler with the golden case `schedulers` (cases/schedulers.{json,safetensors}):
// for every scheduler the case records (prior, decoder, super_res): betas, alphas_cumprod, the
// timesteps for every recorded N, and every recorded trajectory step by step (teacher forcing:
// step i gets the recorded sample, model output and prev_timestep; the noise comes from a
// Generator seeded with the trajectory's generator_seed whose first draw is sample_init, so the
// draw order is checked too), plus a free run of each trajectory from its seed. Also checks that
// every golden model folder's <name>_scheduler/scheduler_config.json parses to the case's config.
#include "core/schedulers/unclip_scheduler.h"
#include "core/verify/golden_case.h"

#include <string>
#include <vector>

namespace unclip::schedulers {

// Runs on opts.device / opts.dtype; tolerance from the case json (loosened by opts for half).
// A load error becomes one failing row whose note is the message.
std::vector<verify::ParityResult> verify_schedulers(const verify::VerifyOptions& opts);

// The checks of one recorded scheduler (`name` = a key of the case's "schedulers") against a
// given scheduler (copied; tests pass a deliberately wrong one to see the rows fail).
std::vector<verify::ParityResult> verify_scheduler_case(const verify::GoldenCase& c, const std::string& name,
                                                        const UnCLIPScheduler& scheduler,
                                                        const verify::VerifyOptions& opts);

}  // namespace unclip::schedulers
