#include "core/pipeline/component_check.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/text/clip_tokenizer.h"

#include <torch/torch.h>

#include <functional>
#include <sstream>

namespace unclip::pipeline {
namespace {


std::string value_str(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// Config keys worth printing per class (when present).
const std::map<std::string, std::vector<std::string>>& key_fields() {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"CLIPTextModelWithProjection", {"hidden_size", "num_hidden_layers", "num_attention_heads", "projection_dim", "vocab_size", "hidden_act"}},
        {"CLIPVisionModelWithProjection", {"hidden_size", "num_hidden_layers", "num_attention_heads", "projection_dim", "image_size", "patch_size"}},
        {"PriorTransformer", {"num_layers", "num_attention_heads", "attention_head_dim", "embedding_dim", "num_embeddings", "additional_embeddings"}},
        {"UnCLIPTextProjModel", {"clip_extra_context_tokens", "clip_embeddings_dim", "time_embed_dim", "cross_attention_dim"}},
        {"UNet2DConditionModel", {"sample_size", "in_channels", "out_channels", "block_out_channels", "layers_per_block", "down_block_types", "cross_attention_dim", "attention_head_dim"}},
        {"UNet2DModel", {"sample_size", "in_channels", "out_channels", "block_out_channels", "layers_per_block", "down_block_types"}},
        {"UnCLIPScheduler", {"num_train_timesteps", "variance_type", "prediction_type", "clip_sample_range", "beta_schedule"}},
        {"CLIPImageProcessor", {"size", "crop_size", "resample", "image_mean", "image_std"}},
        {"CLIPFeatureExtractor", {"size", "crop_size", "resample", "image_mean", "image_std"}},
    };
    return table;
}

using Builder = std::function<std::shared_ptr<torch::nn::Module>(const nlohmann::json&, const std::string&)>;

template <typename Config, typename Holder>
Builder builder() {
    return [](const nlohmann::json& j, const std::string& label) -> std::shared_ptr<torch::nn::Module> {
        return Holder(Config::from_json(j, label)).ptr();
    };
}

const std::map<std::string, Builder>& builders() {
    static const std::map<std::string, Builder> table = {
        {"CLIPTextModelWithProjection", builder<models::CLIPTextConfig, models::CLIPTextModelWithProjection>()},
        {"CLIPVisionModelWithProjection", builder<models::CLIPVisionConfig, models::CLIPVisionModelWithProjection>()},
        {"PriorTransformer", builder<models::PriorTransformerConfig, models::PriorTransformer>()},
        {"UnCLIPTextProjModel", builder<models::UnCLIPTextProjConfig, models::UnCLIPTextProjModel>()},
        {"UNet2DConditionModel", builder<models::UNet2DConditionConfig, models::UNet2DConditionModel>()},
        {"UNet2DModel", builder<models::UNet2DConfig, models::UNet2DModel>()},
    };
    return table;
}

std::string config_label(const io::ModelFolder& folder, const std::string& name) {
    return folder.config_path(name);
}

}  // namespace

ComponentSummary describe_component(const io::ModelFolder& folder, const std::string& name) {
    const io::ComponentSpec& spec = folder.component(name);
    ComponentSummary s;
    const std::string& cls = spec.class_name;
    if (cls == "CLIPTokenizer" || cls == "CLIPTokenizerFast") {
        auto tok = text::ClipTokenizer::from_folder(folder.component_dir(name));
        s.config["vocab_size"] = std::to_string(tok.vocab_size());
        s.config["bos/eos/pad ids"] = std::to_string(tok.bos_id()) + "/" + std::to_string(tok.eos_id()) + "/" +
                                      std::to_string(tok.pad_id());
        s.config["model_max_length"] = std::to_string(tok.max_length());
        return s;
    }
    const nlohmann::json cfg = folder.config(name);
    const std::string label = config_label(folder, name);
    // Parse into the typed config: unsupported values fail here with the key named.
    if (cls == "UnCLIPScheduler") {
        (void)schedulers::UnCLIPSchedulerConfig::from_json(cfg, label);
    } else if (cls == "CLIPImageProcessor" || cls == "CLIPFeatureExtractor") {
        (void)models::CLIPImageProcessorConfig::from_json(cfg, label);
    } else if (builders().count(cls)) {
        // Typed parse only (cheap); building the module happens in check_component_weights.
        if (cls == "CLIPTextModelWithProjection") (void)models::CLIPTextConfig::from_json(cfg, label);
        else if (cls == "CLIPVisionModelWithProjection") (void)models::CLIPVisionConfig::from_json(cfg, label);
        else if (cls == "PriorTransformer") (void)models::PriorTransformerConfig::from_json(cfg, label);
        else if (cls == "UnCLIPTextProjModel") (void)models::UnCLIPTextProjConfig::from_json(cfg, label);
        else if (cls == "UNet2DConditionModel") (void)models::UNet2DConditionConfig::from_json(cfg, label);
        else if (cls == "UNet2DModel") (void)models::UNet2DConfig::from_json(cfg, label);
    } else {
        throw ModelError("component '" + name + "' has class '" + cls + "', which unclip-studio does not know");
    }
    if (auto it = key_fields().find(cls); it != key_fields().end()) {
        for (const auto& k : it->second) {
            if (cfg.contains(k) && !cfg[k].is_null()) s.config[k] = value_str(cfg[k]);
            else if (cfg.contains("vision_config") && cfg["vision_config"].contains(k)) s.config[k] = value_str(cfg["vision_config"][k]);
        }
    }
    if (builders().count(cls)) {
        s.has_weights = true;
        s.weights_path = folder.weights_path(name);
        if (s.weights_path.size() > 12 && s.weights_path.compare(s.weights_path.size() - 12, 12, ".safetensors") == 0) {
            auto file = io::SafetensorsFile::open(s.weights_path);
            for (const auto& e : file->entries()) {
                s.dtypes.insert(e.dtype);
                int64_t n = 1;
                for (auto d : e.shape) n *= d;
                s.parameters += static_cast<uint64_t>(n);
            }
            s.tensor_count = file->entries().size();
            s.bytes = file->data_bytes();
        } else {
            auto sd = io::load_weights_file(s.weights_path);
            for (const auto& [k, t] : sd) {
                s.dtypes.insert(io::safetensors_dtype_name(t.scalar_type()));
                s.parameters += static_cast<uint64_t>(t.numel());
                s.bytes += static_cast<uint64_t>(t.numel()) * t.element_size();
            }
            s.tensor_count = sd.size();
        }
    }
    return s;
}

std::shared_ptr<torch::nn::Module> load_component(const io::ModelFolder& folder, const std::string& name,
                                                  const models::LoadOptions& options) {
    const io::ComponentSpec& spec = folder.component(name);
    auto it = builders().find(spec.class_name);
    if (it == builders().end())
        throw ModelError("component '" + name + "' in '" + folder.path() + "' has class '" + spec.class_name +
                         "', which unclip-studio does not know as a model with weights");
    const std::string label = config_label(folder, name);
    std::shared_ptr<torch::nn::Module> module;
    try {
        module = it->second(folder.config(name), label);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        // A config that parses but describes a model LibTorch cannot build (e.g. sizes too large to
        // allocate): report it against the component, not as a LibTorch error.
        std::string what = e.what();
        if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        throw ModelError("component '" + name + "' (" + spec.class_name + "): cannot build the model described by '" +
                         label + "': " + what);
    }
    const std::string path = folder.weights_path(name, options.dtype == torch::kFloat16);
    models::LoadOptions opts = options;
    opts.ignore_unexpected_suffixes.push_back(".position_ids");  // written by older transformers
    models::load_weights_strict(*module, io::load_weights_file(path), name + " (" + path + ")", opts);
    return module;
}

void check_component_weights(const io::ModelFolder& folder, const std::string& name) {
    torch::NoGradGuard no_grad;
    (void)load_component(folder, name, {});
}

}  // namespace unclip::pipeline
