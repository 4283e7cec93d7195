#include "core/models/clip/clip_load.h"

#include <torch/torch.h>

namespace unclip::models {
namespace {
std::string label(const io::ModelFolder& folder, const std::string& component) {
    return component + " (" + folder.config_path(component) + ")";
}
}  // namespace

CLIPTextModelWithProjection load_clip_text_model(const io::ModelFolder& folder, const std::string& component,
                                                 LoadOptions options) {
    CLIPTextModelWithProjection model(CLIPTextConfig::from_json(folder.config(component), label(folder, component)));
    options.ignore_unexpected_suffixes.push_back(kCLIPTextIgnoredKey);
    load_weights_strict(*model, folder.weights(component),
                        component + " (" + folder.weights_path(component) + ")", options);
    return model;
}

CLIPVisionModelWithProjection load_clip_vision_model(const io::ModelFolder& folder, const std::string& component,
                                                     LoadOptions options) {
    CLIPVisionModelWithProjection model(
        CLIPVisionConfig::from_json(folder.config(component), label(folder, component)));
    options.ignore_unexpected_suffixes.push_back("vision_model.embeddings.position_ids");
    load_weights_strict(*model, folder.weights(component),
                        component + " (" + folder.weights_path(component) + ")", options);
    return model;
}

CLIPImageProcessor load_clip_image_processor(const io::ModelFolder& folder, const std::string& component) {
    return CLIPImageProcessor(
        CLIPImageProcessorConfig::from_json(folder.config(component), label(folder, component)));
}

}  // namespace unclip::models
