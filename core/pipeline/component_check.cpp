// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/component_check.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/registry/model_registry.h"
#include "core/schedulers/ddpm_scheduler.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/text/clip_tokenizer.h"

#include <torch/torch.h>

#include <algorithm>

#include <functional>
#include <sstream>

namespace unclip::pipeline {
namespace {


std::string value_str(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// Config keys worth printing for the classes without weights (the models' are in the registry).
const std::map<std::string, std::vector<std::string>>& other_key_fields() {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"UnCLIPScheduler", {"num_train_timesteps", "variance_type", "prediction_type", "clip_sample_range", "beta_schedule"}},
        {"DDPMScheduler", {"num_train_timesteps", "beta_schedule", "prediction_type", "variance_type", "timestep_spacing"}},
        {"CLIPImageProcessor", {"size", "crop_size", "resample", "image_mean", "image_std"}},
        {"CLIPFeatureExtractor", {"size", "crop_size", "resample", "image_mean", "image_std"}},
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
    const models::ModelClass* model = models::find_model_class(cls);
    std::vector<std::string> keys;
    if (model) {
        model->parse_config(cfg, label);
        keys = model->summary_keys;
    } else if (cls == "UnCLIPScheduler") {
        (void)schedulers::UnCLIPSchedulerConfig::from_json(cfg, label);
    } else if (cls == "DDPMScheduler") {  // the Kandinsky 2.2 decoders'
        (void)schedulers::DDPMSchedulerConfig::from_json(cfg, label);
    } else if (cls == "CLIPImageProcessor" || cls == "CLIPFeatureExtractor") {
        (void)models::CLIPImageProcessorConfig::from_json(cfg, label);
    } else {
        throw ModelError("component '" + name + "' has class '" + cls + "', which unclip-studio does not know");
    }
    if (auto it = other_key_fields().find(cls); it != other_key_fields().end()) keys = it->second;
    for (const auto& k : keys) {
        if (cfg.contains(k) && !cfg[k].is_null()) s.config[k] = value_str(cfg[k]);
        else if (cfg.contains("vision_config") && cfg["vision_config"].contains(k)) s.config[k] = value_str(cfg["vision_config"][k]);
    }
    if (model) {
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

void check_component_weights(const io::ModelFolder& folder, const std::string& name) {
    torch::NoGradGuard no_grad;
    (void)models::load_model(folder, name, {});
}

void expect_component_class(const io::ModelFolder& folder, const std::string& name,
                            const std::vector<std::string>& allowed, const std::string& pipeline) {
    const std::string& cls = folder.component(name).class_name;
    if (std::find(allowed.begin(), allowed.end(), cls) != allowed.end()) return;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : " or ") + a;
    throw ModelError("component '" + name + "' in '" + folder.path() + "' has class '" + cls + "' (model_index.json); " +
                     pipeline + " needs " + list + " there, and unclip-studio does not know '" + cls + "' in that role");
}

}  // namespace unclip::pipeline
