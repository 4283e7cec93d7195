// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Minimal command-line parsing for the `unclip` subcommands: --name value, --name=value, flags,
// repeatable options and positional arguments. Unknown options are errors naming the option.
// The short spellings other diffusion tools use (-p prompt, -n negative prompt, -s seed, -m model,
// -h help) stand for the long option wherever the subcommand has it.
#include "core/common/error.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace unclip::cli {

// A decimal integer: optional sign, then digits only (no spaces, no "0x", no "1e3").
enum class IntegerText { Ok, NotInteger, Overflow };
IntegerText parse_integer(const std::string& text, long long* value);

class Args {
public:
    // `flags`: options without a value; `options`: options taking a value (repeatable).
    Args(const std::vector<std::string>& argv, const std::set<std::string>& flags, const std::set<std::string>& options);

    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::vector<std::string> all(const std::string& name) const;
    // Integers in [lo, hi]: RequestError naming the option, "expects an integer, got 'x'" for text
    // that is not one, "must be between lo and hi (got x)" otherwise (also for values no integer
    // type holds: they never saturate silently).
    long long get_integer(const std::string& name, long long fallback, long long lo, long long hi) const;
    int get_int(const std::string& name, int fallback) const;  // any int
    double get_double(const std::string& name, double fallback) const;
    uint64_t get_u64(const std::string& name, uint64_t fallback) const;  // 0 .. 2^64 - 1
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::set<std::string> flags_;
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
};

}  // namespace unclip::cli
