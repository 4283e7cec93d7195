#pragma once
// Minimal command-line parsing for the `unclip` subcommands: --name value, --name=value, flags,
// repeatable options and positional arguments. Unknown options are errors naming the option.
#include "core/common/error.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace unclip::cli {

class Args {
public:
    // `flags`: options without a value; `options`: options taking a value (repeatable).
    Args(const std::vector<std::string>& argv, const std::set<std::string>& flags, const std::set<std::string>& options);

    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::vector<std::string> all(const std::string& name) const;
    int get_int(const std::string& name, int fallback) const;
    double get_double(const std::string& name, double fallback) const;
    uint64_t get_u64(const std::string& name, uint64_t fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::set<std::string> flags_;
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
};

}  // namespace unclip::cli
