// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/mode.h"

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

}  // namespace unclip::pipeline
