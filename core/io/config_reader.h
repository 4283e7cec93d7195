// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading config.json values with the reference defaults. A value of the wrong type, or one
// this implementation does not support, is a ModelError naming the key and the file.
#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace unclip::io {

class ConfigReader {
public:
    ConfigReader(const nlohmann::json& j, std::string label) : j_(j), label_(std::move(label)) {}

    // The value at key, or `fallback` when the key is absent or null (diffusers' default).
    template <typename T>
    T get(const std::string& key, const T& fallback) const {
        if (!j_.contains(key) || j_[key].is_null()) return fallback;
        const nlohmann::json& v = j_[key];
        if constexpr (is_integer<T>) {
            return integer<T>(key, v);
        } else if constexpr (is_integer_vector<T>) {
            if (!v.is_array()) wrong_type(key);
            T out;
            for (const auto& e : v) out.push_back(integer<typename T::value_type>(key, e));
            return out;
        } else {
            try {
                return v.get<T>();
            } catch (const std::exception&) {
                wrong_type(key);
            }
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
    template <typename T>
    static constexpr bool is_integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;
    template <typename T>
    struct integer_vector : std::false_type {};
    template <typename E>
    struct integer_vector<std::vector<E>> : std::bool_constant<is_integer<E>> {};
    template <typename T>
    static constexpr bool is_integer_vector = integer_vector<T>::value;

    [[noreturn]] void wrong_type(const std::string& key) const {
        throw ModelError(label_ + ": config key '" + key + "' has an unexpected type (" + j_[key].dump() + ")");
    }
    // nlohmann's get<int>() casts whatever number it finds (1e300 -> int is undefined behaviour,
    // 2^40 -> int silently wraps): accept only whole numbers that fit T (2.0 is read as 2).
    template <typename T>
    T integer(const std::string& key, const nlohmann::json& v) const {
        using L = std::numeric_limits<T>;
        bool fits = false;
        if (v.is_number_unsigned()) {
            fits = v.get<uint64_t>() <= static_cast<uint64_t>(L::max());
        } else if (v.is_number_integer()) {
            const int64_t x = v.get<int64_t>();
            fits = x >= static_cast<int64_t>(L::min()) && (x < 0 || static_cast<uint64_t>(x) <= static_cast<uint64_t>(L::max()));
        } else if (v.is_number_float()) {
            const double d = v.get<double>();
            // Bounds as doubles: max() + 1 is a power of two, so it is exact; < excludes it.
            const double hi = 2.0 * static_cast<double>(L::max() / 2 + 1);
            if (std::isfinite(d) && d == std::trunc(d) && d >= static_cast<double>(L::min()) && d < hi)
                return static_cast<T>(d);
            throw ModelError(label_ + ": config key '" + key + "' = " + v.dump() + " is not a whole number in the range " +
                             std::to_string(L::min()) + ".." + std::to_string(L::max()));
        } else {
            wrong_type(key);
        }
        if (!fits)
            throw ModelError(label_ + ": config key '" + key + "' = " + v.dump() + " is out of range (" +
                             std::to_string(L::min()) + ".." + std::to_string(L::max()) + ")");
        return v.is_number_unsigned() ? static_cast<T>(v.get<uint64_t>()) : static_cast<T>(v.get<int64_t>());
    }

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

}  // namespace unclip::io

// The model configs read through it unqualified.
namespace unclip::models {
using io::ConfigReader;
}  // namespace unclip::models
