#include "core/models/prior/load_prior.h"

#include <torch/torch.h>

namespace unclip::models {

PriorTransformer load_prior_transformer(const io::ModelFolder& folder, const std::string& component,
                                        const LoadOptions& options) {
    const std::string label = component + " (" + folder.config_path(component) + ")";
    PriorTransformer model(PriorTransformerConfig::from_json(folder.config(component), label));
    load_weights_strict(*model, folder.weights(component),
                        component + " (" + folder.weights_path(component) + ")", options);
    return model;
}

UnCLIPTextProjModel load_text_proj(const io::ModelFolder& folder, const std::string& component,
                                   const LoadOptions& options) {
    const std::string label = component + " (" + folder.config_path(component) + ")";
    UnCLIPTextProjModel model(UnCLIPTextProjConfig::from_json(folder.config(component), label));
    load_weights_strict(*model, folder.weights(component),
                        component + " (" + folder.weights_path(component) + ")", options);
    return model;
}

}  // namespace unclip::models
