// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every model class a diffusers / transformers folder may name, defined once: how its config is
// parsed (reference defaults, unsupported values named), how the module is built, which stored
// tensors older writers add that carry nothing (position_ids), and which config keys describe it.
// The pipeline, `unclip verify`, `unclip inspect`, the benches and the tests all build models from
// folders through load_model here.
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace unclip::models {

struct ModelClass {
    std::string name;  // the class name in model_index.json ("UNet2DModel")
    // Parses config.json into the typed config (ModelError naming the key); `label` names the file.
    std::function<void(const nlohmann::json& config, const std::string& label)> parse_config;
    std::function<std::shared_ptr<torch::nn::Module>(const nlohmann::json& config, const std::string& label)> build;
    std::vector<std::string> ignored_suffixes;  // stored tensors to skip (written by older releases)
    std::vector<std::string> summary_keys;      // config keys `unclip inspect` prints
};

// The classes with weights; nullptr for a name not among them.
const ModelClass* find_model_class(const std::string& class_name);
const std::vector<ModelClass>& model_classes();

// Builds `component` of `folder` from its config.json and loads its weights strictly (ModelError
// naming the component, the file and every missing, unexpected, mis-shaped or non-finite tensor).
std::shared_ptr<torch::nn::Module> load_model(const io::ModelFolder& folder, const std::string& component,
                                              const LoadOptions& options = {});

[[noreturn]] void throw_wrong_class(const io::ModelFolder& folder, const std::string& component);

// The same, as the module holder the caller expects (ModelError when the folder names another class).
template <typename Holder>
Holder load_model_as(const io::ModelFolder& folder, const std::string& component, const LoadOptions& options = {}) {
    using Impl = typename Holder::Impl;
    auto module = std::dynamic_pointer_cast<Impl>(load_model(folder, component, options));
    if (!module) throw_wrong_class(folder, component);
    return Holder(module);
}
}  // namespace unclip::models
