// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Golden reference data for tests: the folder comes from $UNCLIP_GOLDEN_DIR, else the path
// configured at build time (the CMake variable UNCLIP_GOLDEN_DIR; default: the in-repo tests/golden).
#include "core/verify/golden_case.h"
#include "tests/support/test_harness.h"

#include <cstdlib>
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
