// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Describing and validating the components of a model folder for `unclip inspect` and the
// editor's model settings: each config is parsed into the typed config of its class (the model
// registry, core/models/registry, for the models), so an unsupported value is reported before any
// weights are read; check_component_weights then builds and loads the model as the pipeline does.
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/models/registry/model_registry.h"

#include <torch/nn/module.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace unclip::pipeline {

struct ComponentSummary {
    std::map<std::string, std::string> config;  // key config values, printable
    bool has_weights = false;
    std::string weights_path;
    size_t tensor_count = 0;
    uint64_t bytes = 0;
    uint64_t parameters = 0;
    std::set<std::string> dtypes;  // "F32", "F16", ...
};

// Parses the component's config (ModelError naming the key on unsupported values) and reads the
// weights file's header. Components without weights (tokenizer, schedulers, feature extractor)
// report their config only.
ComponentSummary describe_component(const io::ModelFolder& folder, const std::string& name);

// Builds the model from config.json and loads its weights strictly, then drops it (ModelError
// listing every missing, unexpected, mis-shaped or non-finite tensor): models::load_model.
void check_component_weights(const io::ModelFolder& folder, const std::string& name);

// ModelError unless model_index.json gives the component one of the `allowed` classes (a tokenizer
// or scheduler of another kind would otherwise be read with the wrong parser, or silently as ours).
// `pipeline` names what needs it ("the unCLIP pipeline", "Kandinsky 2.2").
void expect_component_class(const io::ModelFolder& folder, const std::string& name,
                            const std::vector<std::string>& allowed, const std::string& pipeline);

// The class check, then the strict load of the model as the holder the caller expects.
template <typename Holder>
Holder load_component(const io::ModelFolder& folder, const std::string& name, const std::vector<std::string>& allowed,
                      const std::string& pipeline, const models::LoadOptions& options) {
    expect_component_class(folder, name, allowed, pipeline);
    return models::load_model_as<Holder>(folder, name, options);
}

// The classes model_index.json may name for each component one pipeline uses, and the name its
// errors give that pipeline: check and load refuse any other class before the files are read.
struct ComponentClasses {
    std::string pipeline;                                     // "the unCLIP pipeline", "Kandinsky 2.2"
    std::map<std::string, std::vector<std::string>> allowed;  // component name -> classes
    void check(const io::ModelFolder& folder, const std::string& name) const {
        expect_component_class(folder, name, allowed.at(name), pipeline);
    }
    template <typename Holder>
    Holder load(const io::ModelFolder& folder, const std::string& name, const models::LoadOptions& options) const {
        return load_component<Holder>(folder, name, allowed.at(name), pipeline, options);
    }
};

}  // namespace unclip::pipeline
