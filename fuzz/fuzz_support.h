// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers shared by the fuzz targets: a private scratch folder, file writing, the golden folder,
// and FUZZ_CHECK for invariants (a failed check aborts, which libFuzzer reports as a crash and the
// ctest replay as a failed test).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#ifndef UNCLIP_DEFAULT_GOLDEN_DIR
#define UNCLIP_DEFAULT_GOLDEN_DIR "tests/golden"
#endif

#define FUZZ_CHECK(cond)                                                                         \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                        \
        }                                                                                        \
    } while (0)

namespace unclip::fuzz {

inline std::string golden_dir() {
    if (const char* env = std::getenv("UNCLIP_GOLDEN_DIR"); env && *env) return env;
    return UNCLIP_DEFAULT_GOLDEN_DIR;
}

// A folder of this process's own under $TMPDIR (or /tmp), removed at exit.
inline const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir = [] {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/unclip-fuzz-XXXXXX";
        if (!::mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        std::filesystem::path p(tmpl);
        static std::filesystem::path for_exit = p;
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(for_exit, ec);
        });
        return p;
    }();
    return dir;
}

inline void write_file(const std::filesystem::path& p, const void* data, size_t size) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", p.c_str());
        std::abort();
    }
}
inline void write_file(const std::filesystem::path& p, const std::string& s) { write_file(p, s.data(), s.size()); }

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace unclip::fuzz
