#pragma once
// Building the decoder and super-res UNets from a diffusers model folder: config.json -> module ->
// strict weight loading (errors name the component, the file and every mismatching tensor).
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"

#include <string>

namespace unclip::models {

UNet2DConditionModel load_unet2d_condition_model(const io::ModelFolder& folder, const std::string& component = "decoder",
                                                 const LoadOptions& options = {});
UNet2DModel load_unet2d_model(const io::ModelFolder& folder, const std::string& component,
                              const LoadOptions& options = {});

}  // namespace unclip::models
