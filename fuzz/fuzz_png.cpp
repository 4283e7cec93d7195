// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the PNG reader with its text chunks (core/io/png_io.h read_png), through a file as
// the CLI and the editor use it. Any input must be refused with unclip::Error or decode to uint8
// [H, W, 3] within the pixel limit; a decoded image must survive write_png + read_png with the
// same pixels and the same (well-formed) text chunks, which is how generation parameters travel.
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "fuzz/fuzz_support.h"

#include <torch/torch.h>

#include <cstring>

namespace fs = std::filesystem;

namespace {

// Keywords libpng writes unchanged: 1..79 Latin-1 printable characters, no leading, trailing or
// double spaces (png_check_keyword rewrites anything else).
bool plain_keyword(const std::string& k) {
    if (k.empty() || k.size() > 79 || k.front() == ' ' || k.back() == ' ') return false;
    for (size_t i = 0; i < k.size(); ++i) {
        const auto c = static_cast<unsigned char>(k[i]);
        if (!((c >= 32 && c <= 126) || c >= 161)) return false;
        if (c == ' ' && i > 0 && k[i - 1] == ' ') return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip;
    static const fs::path in = fuzz::scratch_dir() / "in.png";
    static const fs::path out = fuzz::scratch_dir() / "out.png";
    constexpr int64_t kMaxPixels = 1 << 22;  // the app's limit is 1e8; smaller keeps runs fast
    fuzz::write_file(in, data, size);
    const bool looks_png = io::is_png_file(in.string());
    FUZZ_CHECK(looks_png == (size >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0));

    std::map<std::string, std::string> text;
    torch::Tensor image;
    try {
        image = io::read_png(in.string(), &text, kMaxPixels);
    } catch (const Error&) {
        return 0;  // refused with a message: fine
    }
    FUZZ_CHECK(looks_png);
    FUZZ_CHECK(image.dim() == 3 && image.size(2) == 3 && image.scalar_type() == torch::kUInt8);
    FUZZ_CHECK(image.size(0) >= 1 && image.size(1) >= 1 && image.size(0) * image.size(1) <= kMaxPixels);
    FUZZ_CHECK(image.is_contiguous());
    uint64_t checksum = 0;  // touch every pixel from instrumented code
    const auto* p = image.data_ptr<uint8_t>();
    for (int64_t i = 0, n = image.numel(); i < n; ++i) checksum += p[i];
    (void)checksum;

    if (image.numel() > 3 * 256 * 256) return 0;
    try {
        io::write_png(out.string(), image, text);
    } catch (const Error&) {
        return 0;  // e.g. a keyword libpng refuses to write
    }
    std::map<std::string, std::string> text2;
    torch::Tensor again = io::read_png(out.string(), &text2, kMaxPixels);
    FUZZ_CHECK(again.sizes() == image.sizes());
    FUZZ_CHECK(std::memcmp(again.data_ptr(), image.data_ptr(), image.numel()) == 0);
    bool all_plain = true;  // a rewritten keyword could collide with another one
    for (const auto& kv : text) all_plain = all_plain && plain_keyword(kv.first);
    if (all_plain) FUZZ_CHECK(text2 == text);
    return 0;
}
