#include "app/cli/args.h"

#include <cstdlib>

namespace unclip::cli {

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

int Args::get_int(const std::string& name, int fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    char* end = nullptr;
    long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || x < -1000000000L || x > 1000000000L)
        throw RequestError("option " + name + " expects an integer, got '" + v + "'");
    return static_cast<int>(x);
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
    char* end = nullptr;
    unsigned long long x = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || v[0] == '-') throw RequestError("option " + name + " expects a non-negative integer, got '" + v + "'");
    return x;
}

}  // namespace unclip::cli
