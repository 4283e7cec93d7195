// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity of the Kandinsky 2.2 schedulers with the golden case `schedulers` of the Kandinsky golden
// folder (cases/schedulers.{json,safetensors}):
//  - ddpm.*: the decoder's DDPMScheduler: betas, alphas_cumprod, the timesteps for every recorded
//    N, previous_timestep and the img2img timestep slices the json lists, every trajectory step by
//    step (teacher forcing: recorded sample and model output; the noise comes from a Generator
//    seeded with the trajectory's seed whose first draw is sample_init, so the draw order is
//    checked too) plus a free run from the seed, and add_noise.
//  - prior.*: the prior's UnCLIPScheduler with prev_timestep = timesteps[i + 1] (none at the
//    last step), the same way.
//  - every golden model folder's scheduler_config.json parses to the case's config.
//  - every tensor of the case was compared.
#include "core/schedulers/ddpm_scheduler.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/verify/golden_case.h"

#include <set>
#include <string>
#include <vector>

namespace unclip::schedulers {

// Scheduler math runs in float32 on opts.device (as the pipelines do); tolerance from the case json.
// A case that cannot be loaded gives one failing row whose note is the error.
std::vector<verify::ParityResult> verify_kandinsky_schedulers(const verify::VerifyOptions& opts);

// The ddpm.* / prior.* rows against a given scheduler (copied; tests pass a wrong one). `used`
// (optional) collects the tensor keys read.
std::vector<verify::ParityResult> check_kandinsky_ddpm(const verify::GoldenCase& c, const DDPMScheduler& scheduler,
                                                       const verify::VerifyOptions& opts,
                                                       std::set<std::string>* used = nullptr);
std::vector<verify::ParityResult> check_kandinsky_prior_scheduler(const verify::GoldenCase& c,
                                                                  const UnCLIPScheduler& scheduler,
                                                                  const verify::VerifyOptions& opts,
                                                                  std::set<std::string>* used = nullptr);

}  // namespace unclip::schedulers
