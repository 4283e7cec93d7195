// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The table behind app/cli/karlo_configs and app/cli/kandinsky_configs: a family's full-size
// config files as JSON text with the parameter count of each, parsed on first use.
#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace unclip::cli {

struct ConfigEntry {
    const char* json;
    int64_t parameters;  // 0: no weights
};
using ConfigTable = std::map<std::string, ConfigEntry>;

// The parsed config of `key`; RequestError naming `family` for an unknown key.
inline const nlohmann::json& table_config(const ConfigTable& table, const std::string& key, const std::string& family) {
    static std::mutex mutex;
    static std::map<const ConfigEntry*, nlohmann::json> parsed;
    auto it = table.find(key);
    if (it == table.end()) throw RequestError(family + " has no component '" + key + "'");
    std::lock_guard<std::mutex> lock(mutex);
    auto p = parsed.find(&it->second);
    if (p == parsed.end()) p = parsed.emplace(&it->second, nlohmann::json::parse(it->second.json)).first;
    return p->second;
}

inline int64_t table_parameters(const ConfigTable& table, const std::string& key) {
    auto it = table.find(key);
    return it == table.end() ? 0 : it->second.parameters;
}

}  // namespace unclip::cli
