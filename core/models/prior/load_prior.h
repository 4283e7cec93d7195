#pragma once
// Building the prior and text_proj from a diffusers model folder: config.json -> module ->
// strict weight loading (errors name the component, the file and every mismatching tensor).
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"

#include <string>

namespace unclip::models {

PriorTransformer load_prior_transformer(const io::ModelFolder& folder, const std::string& component = "prior",
                                        const LoadOptions& options = {});
UnCLIPTextProjModel load_text_proj(const io::ModelFolder& folder, const std::string& component = "text_proj",
                                   const LoadOptions& options = {});

}  // namespace unclip::models
