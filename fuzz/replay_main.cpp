// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a fuzz target's LLVMFuzzerTestOneInput once on every file named on the command line (folders:
// every regular file in them, in name order). Built with the normal compiler, so ctest replays the
// corpus and past findings without clang/libFuzzer. A crash, an abort (FUZZ_CHECK) or an escaping
// exception fails the run.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p(argv[i]);
        if (fs::is_directory(p)) {
            std::vector<fs::path> in_dir;
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file()) in_dir.push_back(e.path());
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else if (fs::is_regular_file(p)) {
            files.push_back(p);
        } else if (!fs::exists(p)) {
            // An empty regressions folder is not committed (git keeps no empty folders).
            std::fprintf(stderr, "note: %s does not exist, skipped\n", p.c_str());
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "no inputs given\n");
        return 1;
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay %s (%zu bytes)\n", f.c_str(), bytes.size());
        // Like libFuzzer, pass a pointer to exactly `size` bytes (heap, so ASan sees overreads).
        std::vector<uint8_t> exact(bytes.begin(), bytes.end());
        LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
    }
    std::printf("%zu inputs replayed, 0 failed\n", files.size());
    return 0;
}
