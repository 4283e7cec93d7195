// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/model_folder.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/io/torch_bin.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace unclip::io {

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError("cannot open '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return nlohmann::json::parse(ss.str());
    } catch (const std::exception& e) {
        throw ModelError("'" + path + "' is not valid JSON: " + e.what());
    }
}

StateDict load_weights_file(const std::string& path) {
    if (path.size() >= 12 && path.compare(path.size() - 12, 12, ".safetensors") == 0)
        return load_safetensors(path);
    return load_torch_bin(path);
}

namespace {
bool safe_component_name(const std::string& n) {
    // Component names become folder names: refuse anything that could leave the model folder.
    if (n.empty() || n == "." || n == "..") return false;
    for (char c : n)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    return true;
}
}  // namespace

ModelFolder::ModelFolder(const std::string& path) : path_(path) {
    if (!fs::is_directory(path)) throw ModelError("model folder '" + path + "' does not exist or is not a folder");
    const std::string index = (fs::path(path) / "model_index.json").string();
    if (!fs::exists(index))
        throw ModelError("'" + path + "' is not a diffusers model folder: it has no model_index.json");
    nlohmann::json j = read_json_file(index);
    if (!j.is_object()) throw ModelError("'" + index + "' is not a JSON object");
    if (j.contains("_class_name") && j["_class_name"].is_string()) pipeline_class_ = j["_class_name"];
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.key().empty() && it.key()[0] == '_') continue;
        const auto& v = it.value();
        // Optional components are written as [null, null].
        if (v.is_array() && v.size() == 2 && v[0].is_null() && v[1].is_null()) continue;
        if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_string())
            throw ModelError("'" + index + "': entry '" + it.key() + "' is not [library, class]");
        if (!safe_component_name(it.key()))
            throw ModelError("'" + index + "': component name '" + it.key() + "' is not a plain folder name");
        components_.push_back({it.key(), v[0].get<std::string>(), v[1].get<std::string>()});
    }
}

bool ModelFolder::has(const std::string& component) const {
    for (const auto& c : components_)
        if (c.name == component) return true;
    return false;
}

const ComponentSpec& ModelFolder::component(const std::string& name) const {
    for (const auto& c : components_)
        if (c.name == name) return c;
    std::string listed;
    for (const auto& c : components_) listed += (listed.empty() ? "" : ", ") + c.name;
    throw ModelError("model folder '" + path_ + "' has no component '" + name + "' (model_index.json lists: " +
                     listed + ")");
}

std::string ModelFolder::component_dir(const std::string& name) const {
    component(name);
    const std::string dir = (fs::path(path_) / name).string();
    if (!fs::is_directory(dir))
        throw ModelError("model folder '" + path_ + "': component '" + name +
                         "' is listed in model_index.json but its folder is missing");
    return dir;
}

std::string ModelFolder::config_path(const std::string& name) const {
    const std::string dir = component_dir(name);
    for (const char* f : {"config.json", "scheduler_config.json", "preprocessor_config.json", "tokenizer_config.json"}) {
        fs::path p = fs::path(dir) / f;
        if (fs::exists(p)) return p.string();
    }
    throw ModelError("component '" + name + "' in '" + path_ +
                     "' has no config.json / scheduler_config.json / preprocessor_config.json");
}

nlohmann::json ModelFolder::config(const std::string& name) const {
    nlohmann::json j = read_json_file(config_path(name));
    if (!j.is_object()) throw ModelError("'" + config_path(name) + "' is not a JSON object");
    return j;
}

std::string ModelFolder::weights_path(const std::string& name, bool prefer_fp16) const {
    const fs::path dir = component_dir(name);
    std::vector<std::string> stems = {"diffusion_pytorch_model", "model"};
    std::vector<std::string> order;
    for (const auto& ext : {std::string(".safetensors"), std::string(".bin")}) {
        for (const auto& stem : stems) {
            if (prefer_fp16) order.push_back(stem + ".fp16" + ext);
            order.push_back(stem + ext);
            if (!prefer_fp16) order.push_back(stem + ".fp16" + ext);
        }
    }
    // safetensors before bin whatever the precision preference.
    for (const auto& f : order)
        if (fs::exists(dir / f)) return (dir / f).string();
    if (fs::exists(dir / "diffusion_pytorch_model.safetensors.index.json") || fs::exists(dir / "model.safetensors.index.json"))
        throw ModelError("component '" + name + "' in '" + path_ +
                         "' is sharded (*.index.json); sharded checkpoints are not supported yet");
    throw ModelError("component '" + name + "' in '" + path_ +
                     "' has no weights file (looked for diffusion_pytorch_model.safetensors, model.safetensors "
                     "and their .bin and .fp16 variants)");
}

StateDict ModelFolder::weights(const std::string& name, bool prefer_fp16) const {
    return load_weights_file(weights_path(name, prefer_fp16));
}

}  // namespace unclip::io
