// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Qt-free tests' vocabulary on doctest (Debian's doctest-dev, one header, so it also travels to
// the GPU machine): TEST_CASE registers a doctest case; EXPECT* record a failure and go on, REQUIRE*
// end the case. run_all() runs doctest with its command line (-tc=, -r=junit, --list-test-cases...);
// a first argument without a dash still selects the cases whose name contains it. Each case is
// also a ctest test of its own (tests/CMakeLists.txt: unclip_register_cases).
#ifndef DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES
#define DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES
#endif
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace unclip::test {

// Records a failure of the running case at file:line and goes on.
inline void report(const char* file, int line, const std::string& msg) { DOCTEST_ADD_FAIL_CHECK_AT(file, line, msg); }
// Records a failure and ends the running case.
inline void report_and_stop(const char* file, int line, const std::string& msg) { DOCTEST_ADD_FAIL_AT(file, line, msg); }

// Expects `fn` to throw an exception of type E whose message contains `needle`.
template <typename E, typename F>
bool throws_with(F&& fn, const std::string& needle, std::string* got = nullptr) {
    try {
        fn();
    } catch (const E& e) {
        if (got) *got = e.what();
        return std::string(e.what()).find(needle) != std::string::npos;
    } catch (const std::exception& e) {
        if (got) *got = std::string("other exception: ") + e.what();
        return false;
    }
    if (got) *got = "no exception";
    return false;
}

inline int run_all(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    // The harness's old habit: `test_x inpaint` runs the cases whose name contains "inpaint".
    if (args.size() > 1 && !args[1].empty() && args[1][0] != '-') args[1] = "--test-case=*" + args[1] + "*";
    std::vector<char*> ptrs;
    for (auto& a : args) ptrs.push_back(a.data());
    doctest::Context context;
    context.applyCommandLine(static_cast<int>(ptrs.size()), ptrs.data());
    const int failed = context.run();
    return context.shouldExit() ? failed : (failed ? 1 : 0);
}

}  // namespace unclip::test

#define TEST_CASE(name) DOCTEST_TEST_CASE(name)

#define EXPECT(cond)                                                                              \
    do {                                                                                         \
        if (!(cond)) ::unclip::test::report(__FILE__, __LINE__, "EXPECT(" #cond ")");             \
    } while (0)
#define EXPECT_MSG(cond, msg)                                                                     \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::ostringstream os_;                                                              \
            os_ << "EXPECT(" #cond "): " << msg;                                                  \
            ::unclip::test::report(__FILE__, __LINE__, os_.str());                               \
        }                                                                                        \
    } while (0)
#define REQUIRE(cond)                                                                            \
    do {                                                                                         \
        if (!(cond)) ::unclip::test::report_and_stop(__FILE__, __LINE__, "REQUIRE(" #cond ")");   \
    } while (0)
#define EXPECT_EQ(a, b)                                                                           \
    do {                                                                                         \
        auto va_ = (a);                                                                          \
        auto vb_ = (b);                                                                          \
        if (!(va_ == vb_)) {                                                                     \
            std::ostringstream os_;                                                              \
            os_ << "EXPECT_EQ(" #a ", " #b "): " << va_ << " != " << vb_;                         \
            ::unclip::test::report(__FILE__, __LINE__, os_.str());                               \
        }                                                                                        \
    } while (0)
// EXPECT_THROWS(ExceptionType, expression, "substring of the message")
#define EXPECT_THROWS(E, expr, needle)                                                            \
    do {                                                                                         \
        std::string got_;                                                                        \
        if (!::unclip::test::throws_with<E>([&] { (void)(expr); }, needle, &got_))               \
            ::unclip::test::report(__FILE__, __LINE__,                                           \
                                   std::string("expected " #E " containing '") + (needle) +      \
                                       "', got: " + got_);                                       \
    } while (0)

#define UNCLIP_TEST_MAIN()                                                                       \
    int main(int argc, char** argv) { return ::unclip::test::run_all(argc, argv); }
