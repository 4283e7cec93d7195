// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/args.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace unclip::cli {
namespace {

// The short spellings of stable-diffusion.cpp, A1111 and diffusers scripts.
const std::map<std::string, std::string>& short_options() {
    static const std::map<std::string, std::string> m = {
        {"-p", "--prompt"}, {"-n", "--negative-prompt"}, {"-s", "--seed"}, {"-m", "--model"}, {"-h", "--help"}};
    return m;
}

RequestError out_of_range(const std::string& name, long long lo, long long hi, const std::string& got) {
    return RequestError("option " + name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                        " (got " + got + ")");
}

}  // namespace

IntegerText parse_integer(const std::string& text, long long* value) {
    size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    if (i == text.size()) return IntegerText::NotInteger;
    for (size_t j = i; j < text.size(); ++j)
        if (!std::isdigit(static_cast<unsigned char>(text[j]))) return IntegerText::NotInteger;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE) return IntegerText::Overflow;
    *value = v;
    return IntegerText::Ok;
}

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags,
           const std::set<std::string>& options) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])))) {
            if (a == "--") {
                for (++i; i < argv.size(); ++i) positional_.push_back(argv[i]);
                break;
            }
            std::string name = a, value;
            bool inline_value = false;
            if (auto eq = a.find('='); eq != std::string::npos) {
                name = a.substr(0, eq);
                value = a.substr(eq + 1);
                inline_value = true;
            }
            if (!flags.count(name) && !options.count(name)) {
                auto alias = short_options().find(name);
                if (alias != short_options().end() && (flags.count(alias->second) || options.count(alias->second)))
                    name = alias->second;
            }
            if (flags.count(name)) {
                if (inline_value) throw RequestError("option " + name + " takes no value");
                flags_.insert(name);
            } else if (options.count(name)) {
                if (!inline_value) {
                    if (i + 1 >= argv.size()) throw RequestError("option " + name + " needs a value");
                    value = argv[++i];
                }
                values_[name].push_back(value);
            } else {
                throw RequestError("unknown option '" + name + "' (see --help)");
            }
        } else {
            positional_.push_back(a);
        }
    }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

long long Args::get_integer(const std::string& name, long long fallback, long long lo, long long hi) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    long long x = 0;
    switch (parse_integer(v, &x)) {
        case IntegerText::NotInteger: throw RequestError("option " + name + " expects an integer, got '" + v + "'");
        case IntegerText::Overflow: throw out_of_range(name, lo, hi, v);
        case IntegerText::Ok: break;
    }
    if (x < lo || x > hi) throw out_of_range(name, lo, hi, v);
    return x;
}

int Args::get_int(const std::string& name, int fallback) const {
    return static_cast<int>(get_integer(name, fallback, INT_MIN, INT_MAX));
}

double Args::get_double(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    char* end = nullptr;
    double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end) throw RequestError("option " + name + " expects a number, got '" + v + "'");
    return x;
}

uint64_t Args::get_u64(const std::string& name, uint64_t fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    long long ignored = 0;
    const IntegerText kind = parse_integer(v, &ignored);
    const auto range = [&] {
        return RequestError("option " + name + " must be between 0 and " + std::to_string(UINT64_MAX) + " (got " + v + ")");
    };
    if (kind == IntegerText::NotInteger) throw RequestError("option " + name + " expects a non-negative integer, got '" + v + "'");
    if (v[0] == '-') throw range();
    errno = 0;
    const unsigned long long x = std::strtoull(v.c_str(), nullptr, 10);
    if (errno == ERANGE) throw range();  // strtoull saturates at 2^64 - 1
    return x;
}

}  // namespace unclip::cli
