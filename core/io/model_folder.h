// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A model folder in the Hugging Face diffusers layout:
//   model_index.json            component -> [library, class]
//   <component>/config.json     (scheduler_config.json for schedulers,
//                                preprocessor_config.json for feature_extractor)
//   <component>/*.safetensors   (or *.bin; ".fp16." variants)
//   tokenizer/vocab.json, merges.txt, tokenizer_config.json
// Errors name the folder, the component and the file.
#include "core/io/state_dict.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace unclip::io {

struct ComponentSpec {
    std::string name;        // "prior"
    std::string library;     // "diffusers"
    std::string class_name;  // "PriorTransformer"
};

class ModelFolder {
public:
    // Reads and validates model_index.json. Throws ModelError.
    explicit ModelFolder(const std::string& path);

    const std::string& path() const { return path_; }
    const std::string& pipeline_class() const { return pipeline_class_; }
    const std::vector<ComponentSpec>& components() const { return components_; }
    bool has(const std::string& component) const;
    const ComponentSpec& component(const std::string& name) const;
    std::string component_dir(const std::string& name) const;

    // The component's parsed config file (config.json, scheduler_config.json or
    // preprocessor_config.json, whichever the component has).
    nlohmann::json config(const std::string& name) const;
    std::string config_path(const std::string& name) const;

    // The weights file: .safetensors before .bin; with prefer_fp16 the ".fp16." variant first.
    std::string weights_path(const std::string& name, bool prefer_fp16 = false) const;
    StateDict weights(const std::string& name, bool prefer_fp16 = false) const;

private:
    std::string path_;
    std::string pipeline_class_;
    std::vector<ComponentSpec> components_;
};

// Reads a JSON file; ModelError names the file on failure.
nlohmann::json read_json_file(const std::string& path);
// Loads .safetensors or .bin by extension.
StateDict load_weights_file(const std::string& path);

}  // namespace unclip::io
