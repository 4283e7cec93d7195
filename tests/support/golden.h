// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Golden reference data for tests: the folder comes from $UNCLIP_GOLDEN_DIR, else the path
// configured at build time (the CMake variable UNCLIP_GOLDEN_DIR; default: the in-repo tests/golden).
#include "core/io/model_folder.h"
#include "core/verify/golden_case.h"
#include "tests/support/test_harness.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#ifndef UNCLIP_DEFAULT_KANDINSKY_GOLDEN_DIR
#define UNCLIP_DEFAULT_KANDINSKY_GOLDEN_DIR "tests/golden-kandinsky"
#endif
#ifndef UNCLIP_DEFAULT_GOLDEN_DIR
#define UNCLIP_DEFAULT_GOLDEN_DIR "tests/golden"
#endif

namespace unclip::test {

inline std::string golden_dir() {
    if (const char* env = std::getenv("UNCLIP_GOLDEN_DIR"); env && *env) return env;
    return UNCLIP_DEFAULT_GOLDEN_DIR;
}
inline std::string golden_path(const std::string& relative) { return golden_dir() + "/" + relative; }
inline verify::GoldenCase load_case(const std::string& name) { return verify::load_case(golden_dir(), name); }

// The Kandinsky 2.2 golden set: $UNCLIP_KANDINSKY_GOLDEN_DIR, else the build-time default.
inline std::string kandinsky_golden_dir() {
    if (const char* env = std::getenv("UNCLIP_KANDINSKY_GOLDEN_DIR"); env && *env) return env;
    return UNCLIP_DEFAULT_KANDINSKY_GOLDEN_DIR;
}
inline std::string kandinsky_golden_path(const std::string& relative) { return kandinsky_golden_dir() + "/" + relative; }
inline verify::GoldenCase load_kandinsky_case(const std::string& name) {
    return verify::load_case(kandinsky_golden_dir(), name);
}

// Sizes, counts and ids come from the golden folder, never from literals: a regenerated golden set
// (other widths, vocabulary, depths, row counts, image sizes) must pass the same tests.

// A JSON file of a golden folder ("cases/tokenizer_cases_small.json", "manifest.json").
inline nlohmann::json golden_json_at(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}
inline nlohmann::json golden_json(const std::string& relative) { return golden_json_at(golden_path(relative)); }

// A component's config of a golden model folder (config.json, scheduler_config.json or
// preprocessor_config.json): golden_config("unclip-text2img", "decoder").
inline nlohmann::json golden_config(const std::string& model, const std::string& component) {
    return io::ModelFolder(golden_path("models/" + model)).config(component);
}
inline nlohmann::json kandinsky_golden_config(const std::string& model, const std::string& component) {
    return io::ModelFolder(kandinsky_golden_path("models/" + model)).config(component);
}

// The size of float32 rounding noise the reference measured for a case: the largest number under
// its "fp32_vs_fp64" (at any depth); 0 when the case has none.
inline double float32_noise(const nlohmann::json& j) {
    if (j.is_number()) return j.get<double>();
    double m = 0;
    if (j.is_object() || j.is_array())
        for (const auto& v : j) m = std::max(m, float32_noise(v));
    return m;
}
inline double float32_noise(const verify::GoldenCase& c) {
    return c.meta.contains("fp32_vs_fp64") ? float32_noise(c.meta["fp32_vs_fp64"]) : 0.0;
}

// The first key (in sorted order) of a state dict that matches `pattern` (std::regex, whole key);
// "" when none does.
template <class Dict>
std::string first_key_matching(const Dict& sd, const std::string& pattern) {
    const std::regex re(pattern);
    std::vector<std::string> keys;
    for (const auto& kv : sd) keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys)
        if (std::regex_match(k, re)) return k;
    return "";
}

// "[a, b, c]": how load errors print a shape.
inline std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Asserts every row of a verify check passed (prints the failing ones).
inline void check_results(const std::vector<verify::ParityResult>& rows, const char* file, int line) {
    if (rows.empty()) report(file, line, "no parity rows were produced");
    for (const auto& r : rows)
        if (!r.pass && !r.skipped)
            report(file, line, r.check + ": max abs error " + std::to_string(r.max_abs_error) + " > tolerance " +
                                   std::to_string(r.tolerance) + (r.note.empty() ? "" : " (" + r.note + ")"));
}

}  // namespace unclip::test

#define EXPECT_PARITY(rows) ::unclip::test::check_results((rows), __FILE__, __LINE__)

// EXPECT_CLOSE(actual, expected, atol, rtol): same shape and every element within tolerance.
#define EXPECT_CLOSE(actual, expected, atol, rtol)                                                \
    do {                                                                                         \
        auto c_ = ::unclip::verify::compare((actual), (expected), (atol), (rtol));               \
        if (!c_.ok) {                                                                            \
            std::ostringstream os_;                                                              \
            os_ << #actual ": max abs error " << c_.max_abs << " exceeds atol " << (atol)        \
                << " rtol " << (rtol) << " (inf = shape mismatch)";                              \
            ::unclip::test::report(__FILE__, __LINE__, os_.str());                               \
        }                                                                                        \
    } while (0)
