// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/clip/clip_load.h"

namespace unclip::models {

CLIPImageProcessor load_clip_image_processor(const io::ModelFolder& folder, const std::string& component) {
    return CLIPImageProcessor(
        CLIPImageProcessorConfig::from_json(folder.config(component), component + " (" + folder.config_path(component) + ")"));
}

}  // namespace unclip::models
