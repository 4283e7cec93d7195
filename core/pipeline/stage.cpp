// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/stage.h"

namespace unclip::pipeline {

const char* stage_name(Stage s) {
    switch (s) {
    case Stage::Prior: return "prior";
    case Stage::Decoder: return "decoder";
    case Stage::SuperRes: return "super_res";
    case Stage::Invert: return "invert";
    }
    return "?";
}

const std::vector<Stage>& all_stages() {
    static const std::vector<Stage> stages = {Stage::Prior, Stage::Decoder, Stage::SuperRes, Stage::Invert};
    return stages;
}

std::optional<Stage> parse_stage(const std::string& name) {
    for (Stage s : all_stages())
        if (name == stage_name(s)) return s;
    return std::nullopt;
}

}  // namespace unclip::pipeline
