// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/registry/model_registry.h"

#include "core/common/error.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/movq/vq_model.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"

#include <torch/torch.h>

namespace unclip::models {
namespace {

template <typename Config, typename Holder>
ModelClass entry(std::string name, std::vector<std::string> summary, std::vector<std::string> ignored = {}) {
    ModelClass c;
    c.name = std::move(name);
    c.parse_config = [](const nlohmann::json& j, const std::string& label) { (void)Config::from_json(j, label); };
    c.build = [](const nlohmann::json& j, const std::string& label) -> std::shared_ptr<torch::nn::Module> {
        return Holder(Config::from_json(j, label)).ptr();
    };
    c.ignored_suffixes = std::move(ignored);
    c.summary_keys = std::move(summary);
    return c;
}

}  // namespace

const std::vector<ModelClass>& model_classes() {
    // transformers writes position_ids buffers into older CLIP checkpoints; they are recomputed.
    static const std::vector<ModelClass> table = {
        entry<CLIPTextConfig, CLIPTextModelWithProjection>(
            "CLIPTextModelWithProjection",
            {"hidden_size", "num_hidden_layers", "num_attention_heads", "projection_dim", "vocab_size", "hidden_act"},
            {kCLIPTextIgnoredKey}),
        entry<CLIPVisionConfig, CLIPVisionModelWithProjection>(
            "CLIPVisionModelWithProjection",
            {"hidden_size", "num_hidden_layers", "num_attention_heads", "projection_dim", "image_size", "patch_size"},
            {"vision_model.embeddings.position_ids"}),
        entry<PriorTransformerConfig, PriorTransformer>(
            "PriorTransformer",
            {"num_layers", "num_attention_heads", "attention_head_dim", "embedding_dim", "num_embeddings", "additional_embeddings"}),
        entry<UnCLIPTextProjConfig, UnCLIPTextProjModel>(
            "UnCLIPTextProjModel", {"clip_extra_context_tokens", "clip_embeddings_dim", "time_embed_dim", "cross_attention_dim"}),
        entry<UNet2DConditionConfig, UNet2DConditionModel>(
            "UNet2DConditionModel", {"sample_size", "in_channels", "out_channels", "block_out_channels", "layers_per_block",
                                     "down_block_types", "cross_attention_dim", "attention_head_dim", "encoder_hid_dim"}),
        entry<UNet2DConfig, UNet2DModel>(
            "UNet2DModel", {"sample_size", "in_channels", "out_channels", "block_out_channels", "layers_per_block", "down_block_types"}),
        entry<VQModelConfig, VQModel>(
            "VQModel", {"block_out_channels", "layers_per_block", "latent_channels", "vq_embed_dim", "num_vq_embeddings",
                        "norm_type", "down_block_types", "up_block_types"}),
    };
    return table;
}

const ModelClass* find_model_class(const std::string& class_name) {
    for (const auto& c : model_classes())
        if (c.name == class_name) return &c;
    return nullptr;
}

std::shared_ptr<torch::nn::Module> load_model(const io::ModelFolder& folder, const std::string& component,
                                              const LoadOptions& options) {
    const io::ComponentSpec& spec = folder.component(component);
    const ModelClass* cls = find_model_class(spec.class_name);
    if (!cls)
        throw ModelError("component '" + component + "' in '" + folder.path() + "' has class '" + spec.class_name +
                         "', which unclip-studio does not know as a model with weights");
    const std::string label = component + " (" + folder.config_path(component) + ")";
    std::shared_ptr<torch::nn::Module> module;
    try {
        module = cls->build(folder.config(component), label);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        // A config that parses but describes a model LibTorch cannot build (e.g. sizes too large to
        // allocate): report it against the component, not as a LibTorch error.
        std::string what = e.what();
        if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        throw ModelError("component '" + component + "' (" + spec.class_name + "): cannot build the model described by '" +
                         folder.config_path(component) + "': " + what);
    }
    const std::string path = folder.weights_path(component, options.dtype == torch::kFloat16);
    LoadOptions opts = options;
    for (const auto& s : cls->ignored_suffixes) opts.ignore_unexpected_suffixes.push_back(s);
    load_weights_strict(*module, io::load_weights_file(path), component + " (" + path + ")", opts);
    return module;
}

void throw_wrong_class(const io::ModelFolder& folder, const std::string& component) {
    throw ModelError("component '" + component + "' in '" + folder.path() + "' has class '" +
                     folder.component(component).class_name + "', not the model this needs");
}

}  // namespace unclip::models
