// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the image header probe (core/imaging/probe.h probe_image), which reads the size of
// every PNG, JPEG, WebP or BMP before it is decoded, so decompression bombs are refused without
// allocating pixels. Any input must be refused with ImageError (and nothing else), or give the
// format its signature names, a positive size and an EXIF orientation 1..8, the same on a second
// call; the input lies in a buffer of exactly its size, so ASan sees any read past the end.
#include "core/imaging/image_error.h"
#include "core/imaging/probe.h"
#include "fuzz/fuzz_support.h"

#include <cstring>
#include <string>
#include <vector>

namespace {

// The format the first bytes name, independently of the probe ("" when none).
std::string signature(const uint8_t* d, size_t n) {
    if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return "png";
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "jpeg";
    if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) return "webp";
    if (n >= 2 && d[0] == 'B' && d[1] == 'M') return "bmp";
    return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip::imaging;
    const std::vector<uint8_t> exact(data, data + size);  // heap copy of exactly `size` bytes
    const uint8_t* p = exact.empty() ? nullptr : exact.data();
    ImageInfo info;
    try {
        info = probe_image(p, size);
    } catch (const ImageError& e) {
        FUZZ_CHECK(std::strlen(e.what()) > 0);  // refused, and says why
        return 0;
    }
    FUZZ_CHECK(!signature(p, size).empty() && info.format == signature(p, size));
    FUZZ_CHECK(info.width > 0 && info.height > 0);
    FUZZ_CHECK(info.orientation >= 1 && info.orientation <= 8);
    const ImageInfo again = probe_image(p, size);
    FUZZ_CHECK(again.format == info.format && again.width == info.width && again.height == info.height &&
               again.orientation == info.orientation);
    return 0;
}
