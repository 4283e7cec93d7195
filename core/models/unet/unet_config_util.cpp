// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/unet/unet_config_util.h"

namespace unclip::models::unet_config {

std::vector<int64_t> int_or_list(const ConfigReader& r, const std::string& key, int64_t fallback, size_t n,
                                 int64_t null_value) {
    if (!r.has(key)) return std::vector<int64_t>(n, fallback);
    const auto& v = r.json()[key];
    if (v.is_number_integer()) return std::vector<int64_t>(n, v.get<int64_t>());
    if (!v.is_array()) r.unsupported(key, "expected an integer or a list of integers");
    if (v.size() != n)
        r.unsupported(key, "expected one value per block (" + std::to_string(n) + "), got " + std::to_string(v.size()));
    std::vector<int64_t> out;
    for (const auto& e : v) {
        if (e.is_null()) out.push_back(null_value);
        else if (e.is_number_integer()) out.push_back(e.get<int64_t>());
        else r.unsupported(key, "expected integers");
    }
    return out;
}

std::vector<bool> bool_or_list(const ConfigReader& r, const std::string& key, bool fallback, size_t n) {
    if (!r.has(key)) return std::vector<bool>(n, fallback);
    const auto& v = r.json()[key];
    if (v.is_boolean()) return std::vector<bool>(n, v.get<bool>());
    if (!v.is_array() || v.size() != n)
        r.unsupported(key, "expected a boolean or one boolean per block (" + std::to_string(n) + ")");
    std::vector<bool> out;
    for (const auto& e : v) {
        if (!e.is_boolean()) r.unsupported(key, "expected booleans");
        out.push_back(e.get<bool>());
    }
    return out;
}

std::vector<std::string> string_list(const ConfigReader& r, const std::string& key) {
    if (!r.has(key)) r.unsupported(key, "a list of block type names is required");
    const auto& v = r.json()[key];
    if (!v.is_array() || v.empty()) r.unsupported(key, "expected a non-empty list of block type names");
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) r.unsupported(key, "expected block type names (strings)");
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::vector<int64_t> positive_int_list(const ConfigReader& r, const std::string& key,
                                       const std::vector<int64_t>& fallback) {
    if (!r.has(key)) return fallback;
    const auto& v = r.json()[key];
    if (!v.is_array() || v.empty()) r.unsupported(key, "expected a non-empty list of positive integers");
    std::vector<int64_t> out;
    for (const auto& e : v) {
        // Capped so that derived sizes (4 * block_out_channels[0] for the time embedding) cannot overflow.
        if (!e.is_number_integer() || e.get<int64_t>() <= 0 || e.get<int64_t>() > (int64_t{1} << 24))
            r.unsupported(key, "expected positive integers (at most 16777216)");
        out.push_back(e.get<int64_t>());
    }
    return out;
}

void reject_if_set(const ConfigReader& r, const std::string& key, const std::string& why) {
    if (r.has(key)) r.unsupported(key, why);
}

void reject_if_true(const ConfigReader& r, const std::string& key, const std::string& why) {
    if (r.get<bool>(key, false)) r.unsupported(key, why);
}

void expect_silu(const ConfigReader& r, const std::string& key) {
    r.expect_one_of(key, {"silu", "swish"});
}

int64_t positive_int(const ConfigReader& r, const std::string& key, int64_t fallback) {
    const int64_t v = r.get<int64_t>(key, fallback);
    if (v <= 0) r.unsupported(key, "expected a positive integer");
    return v;
}

int64_t sample_size(const ConfigReader& r) {
    const nlohmann::json& j = r.json();
    if (r.has("sample_size") && j["sample_size"].is_array() && !j["sample_size"].empty())
        return r.get<std::vector<int64_t>>("sample_size", {0})[0];
    return r.get<int64_t>("sample_size", 0);
}

}  // namespace unclip::models::unet_config
