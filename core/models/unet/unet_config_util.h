// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// config.json helpers shared by the two UNet configs: per-block "int or list" values, options
// that must stay at their default, and the activation name.
#include "core/io/config_reader.h"

#include <string>
#include <vector>

namespace unclip::models::unet_config {

// The value at `key` as n per-block values: an int is repeated n times, a list must have n entries
// (null entries -> null_value); absent/null -> fallback repeated.
std::vector<int64_t> int_or_list(const ConfigReader& r, const std::string& key, int64_t fallback, size_t n,
                                 int64_t null_value = -1);
std::vector<bool> bool_or_list(const ConfigReader& r, const std::string& key, bool fallback, size_t n);
// A non-empty list of strings (ModelError naming the key otherwise).
std::vector<std::string> string_list(const ConfigReader& r, const std::string& key);
// A list of positive ints.
std::vector<int64_t> positive_int_list(const ConfigReader& r, const std::string& key, const std::vector<int64_t>& fallback);

// ModelError naming the key unless it is absent or null.
void reject_if_set(const ConfigReader& r, const std::string& key, const std::string& why);
// ModelError naming the key when it is true.
void reject_if_true(const ConfigReader& r, const std::string& key, const std::string& why);
// "silu" / "swish" (the only activation these UNets use); anything else is a ModelError.
void expect_silu(const ConfigReader& r, const std::string& key);
// A positive int, or a ModelError naming the key.
int64_t positive_int(const ConfigReader& r, const std::string& key, int64_t fallback);
// `sample_size` (informational): an int, or diffusers' [height, width] (the height is kept); 0 if absent.
int64_t sample_size(const ConfigReader& r);

}  // namespace unclip::models::unet_config
