#include "core/models/unet/load_unet.h"

#include <torch/torch.h>

namespace unclip::models {

UNet2DConditionModel load_unet2d_condition_model(const io::ModelFolder& folder, const std::string& component,
                                                 const LoadOptions& options) {
    const std::string label = component + " (" + folder.config_path(component) + ")";
    UNet2DConditionModel model(UNet2DConditionConfig::from_json(folder.config(component), label));
    load_weights_strict(*model, folder.weights(component), component + " (" + folder.weights_path(component) + ")",
                        options);
    return model;
}

UNet2DModel load_unet2d_model(const io::ModelFolder& folder, const std::string& component,
                              const LoadOptions& options) {
    const std::string label = component + " (" + folder.config_path(component) + ")";
    UNet2DModel model(UNet2DConfig::from_json(folder.config(component), label));
    load_weights_strict(*model, folder.weights(component), component + " (" + folder.weights_path(component) + ")",
                        options);
    return model;
}

}  // namespace unclip::models
