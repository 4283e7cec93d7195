#pragma once
// Building the CLIP components of a diffusers folder: config from <component>/config.json
// (preprocessor_config.json for the feature extractor), weights loaded strictly by name.
#include "core/io/model_folder.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/common/load_weights.h"

#include <string>

namespace unclip::models {

// `options.ignore_unexpected_suffixes` gets "embeddings.position_ids" added (older checkpoints store it).
CLIPTextModelWithProjection load_clip_text_model(const io::ModelFolder& folder, const std::string& component,
                                                 LoadOptions options);
CLIPVisionModelWithProjection load_clip_vision_model(const io::ModelFolder& folder, const std::string& component,
                                                     LoadOptions options);
CLIPImageProcessor load_clip_image_processor(const io::ModelFolder& folder, const std::string& component);

}  // namespace unclip::models
