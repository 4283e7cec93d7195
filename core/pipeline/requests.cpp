// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/requests.h"

namespace unclip::pipeline {

const char* mode_name(Mode m) {
    switch (m) {
    case Mode::TextToImage: return "text2img";
    case Mode::Variation: return "variation";
    case Mode::Interpolation: return "interpolate";
    case Mode::TextDiff: return "textdiff";
    case Mode::Inpaint: return "inpaint";
    }
    return "?";
}

const std::vector<Mode>& all_modes() {
    static const std::vector<Mode> modes = {Mode::TextToImage, Mode::Variation, Mode::Interpolation, Mode::TextDiff,
                                            Mode::Inpaint};
    return modes;
}

std::optional<Mode> parse_mode(const std::string& name) {
    for (Mode m : all_modes())
        if (name == mode_name(m)) return m;
    return std::nullopt;
}

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
