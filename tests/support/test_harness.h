#pragma once
// A tiny Qt-free test harness: TEST_CASE registers a function, EXPECT* record failures without
// stopping the case, REQUIRE* stop it. main() runs every case (or those whose name contains
// argv[1]) and ends with the line "N passed, N failed" that CI reads.
#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace unclip::test {

struct Case {
    std::string name;
    std::function<void()> fn;
};
inline std::vector<Case>& registry() {
    static std::vector<Case> cases;
    return cases;
}
struct Registrar {
    Registrar(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};
inline int& failures_in_case() {
    static int n = 0;
    return n;
}
struct RequireFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};
inline void report(const char* file, int line, const std::string& msg) {
    ++failures_in_case();
    std::cerr << "  FAILED " << file << ":" << line << ": " << msg << "\n";
}

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
    const std::string filter = argc > 1 ? argv[1] : "";
    int passed = 0, failed = 0, skipped = 0;
    for (auto& c : registry()) {
        if (!filter.empty() && c.name.find(filter) == std::string::npos) {
            ++skipped;
            continue;
        }
        failures_in_case() = 0;
        std::cerr << "[ RUN  ] " << c.name << "\n";
        try {
            c.fn();
        } catch (const RequireFailed&) {
        } catch (const std::exception& e) {
            report(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
        }
        if (failures_in_case() == 0) {
            ++passed;
            std::cerr << "[  OK  ] " << c.name << "\n";
        } else {
            ++failed;
            std::cerr << "[ FAIL ] " << c.name << "\n";
        }
    }
    std::cout << passed << " passed, " << failed << " failed";
    if (skipped) std::cout << ", " << skipped << " skipped";
    std::cout << std::endl;
    return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace unclip::test

#define UNCLIP_CAT2(a, b) a##b
#define UNCLIP_CAT(a, b) UNCLIP_CAT2(a, b)
#define TEST_CASE(name)                                                                          \
    static void UNCLIP_CAT(test_fn_, __LINE__)();                                                \
    static ::unclip::test::Registrar UNCLIP_CAT(test_reg_, __LINE__)(name, UNCLIP_CAT(test_fn_, __LINE__)); \
    static void UNCLIP_CAT(test_fn_, __LINE__)()

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
        if (!(cond)) {                                                                           \
            ::unclip::test::report(__FILE__, __LINE__, "REQUIRE(" #cond ")");                    \
            throw ::unclip::test::RequireFailed("require");                                      \
        }                                                                                        \
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
