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

Sampling sampling_from_json(const nlohmann::json& j) {
    Sampling s;
    s.seed = j.value("seed", s.seed);
    s.prior_steps = j.value("prior_steps", s.prior_steps);
    s.decoder_steps = j.value("decoder_steps", s.decoder_steps);
    s.super_res_steps = j.value("super_res_steps", s.super_res_steps);
    s.prior_guidance = j.value("prior_guidance", s.prior_guidance);
    s.decoder_guidance = j.value("decoder_guidance", s.decoder_guidance);
    s.width = j.value("width", s.width);
    s.height = j.value("height", s.height);
    return s;
}

}  // namespace unclip::pipeline
