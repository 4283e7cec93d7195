// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/sampling.h"

#include <nlohmann/json.hpp>

namespace unclip::pipeline {

nlohmann::json to_json(const Sampling& s) {
    nlohmann::json j = {{"seed", s.seed},
                        {"prior_steps", s.prior_steps},
                        {"decoder_steps", s.decoder_steps},
                        {"super_res_steps", s.super_res_steps},
                        {"prior_guidance", s.prior_guidance},
                        {"decoder_guidance", s.decoder_guidance}};
    // Only families with a choice of size record one, so Karlo recipes stay as they were.
    if (s.width > 0) j["width"] = s.width;
    if (s.height > 0) j["height"] = s.height;
    return j;
}

}  // namespace unclip::pipeline
