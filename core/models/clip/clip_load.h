// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The CLIP feature extractor of a diffusers folder (preprocessor_config.json). The CLIP models
// themselves are built through the model registry (core/models/registry/model_registry.h).
#include "core/io/model_folder.h"
#include "core/models/clip/clip_image_processor.h"

#include <string>

namespace unclip::models {

CLIPImageProcessor load_clip_image_processor(const io::ModelFolder& folder, const std::string& component);

}  // namespace unclip::models
