#pragma once
// Reading config.json values with the reference defaults. A value of the wrong type, or one
// this implementation does not support, is a ModelError naming the key and the file.
#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace unclip::models {

class ConfigReader {
public:
    ConfigReader(const nlohmann::json& j, std::string label) : j_(j), label_(std::move(label)) {}

    // The value at key, or `fallback` when the key is absent or null (diffusers' default).
    template <typename T>
    T get(const std::string& key, const T& fallback) const {
        if (!j_.contains(key) || j_[key].is_null()) return fallback;
        try {
            return j_[key].get<T>();
        } catch (const std::exception&) {
            throw ModelError(label_ + ": config key '" + key + "' has an unexpected type (" + j_[key].dump() + ")");
        }
    }
    template <typename T>
    T require(const std::string& key) const {
        if (!j_.contains(key) || j_[key].is_null())
            throw ModelError(label_ + ": config key '" + key + "' is missing");
        return get<T>(key, T{});
    }
    bool has(const std::string& key) const { return j_.contains(key) && !j_[key].is_null(); }
    // Throws unless the key is absent/null or equals one of `allowed`.
    void expect_one_of(const std::string& key, const std::vector<std::string>& allowed) const;
    [[noreturn]] void unsupported(const std::string& key, const std::string& why) const {
        throw ModelError(label_ + ": config key '" + key + "' = " + (has(key) ? j_[key].dump() : "null") +
                         " is not supported (" + why + ")");
    }
    const std::string& label() const { return label_; }
    const nlohmann::json& json() const { return j_; }

private:
    const nlohmann::json& j_;
    std::string label_;
};

inline void ConfigReader::expect_one_of(const std::string& key, const std::vector<std::string>& allowed) const {
    if (!has(key)) return;
    if (!j_[key].is_string()) unsupported(key, "expected a string");
    const std::string v = j_[key].get<std::string>();
    for (const auto& a : allowed)
        if (a == v) return;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    unsupported(key, "supported: " + list);
}

}  // namespace unclip::models
