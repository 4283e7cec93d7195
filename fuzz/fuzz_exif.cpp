// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the EXIF orientation parser (core/imaging/exif.h). The input is read as a TIFF
// block and as a JPEG, PNG and WebP file: every answer is an orientation 1..8 and nothing throws.
// Wrapped in each container (JPEG APP1 "Exif", PNG eXIf, WebP EXIF), the bytes must give the same
// orientation as read directly, so the container walkers find the block wherever it is; and
// apply_orientation turns a small picture so that 5..8 swap its sides and every pixel is kept.
#include "core/imaging/exif.h"
#include "fuzz/fuzz_support.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

void put_be32(std::vector<uint8_t>& v, uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}
void put_le32(std::vector<uint8_t>& v, uint32_t x) {
    for (int s = 0; s <= 24; s += 8) v.push_back(uint8_t(x >> s));
}
void append(std::vector<uint8_t>& v, const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    v.insert(v.end(), b, b + n);
}

bool valid(int o) { return o >= 1 && o <= 8; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip::imaging;
    const std::vector<uint8_t> exact(data, data + size);  // exactly `size` bytes on the heap (ASan)
    const uint8_t* p = exact.empty() ? nullptr : exact.data();
    const int tiff = exif_orientation_from_tiff(p, size);
    FUZZ_CHECK(valid(tiff));
    for (const char* format : {"jpeg", "png", "webp", "bmp"}) FUZZ_CHECK(valid(exif_orientation(p, size, format)));

    // PNG eXIf and WebP EXIF hold the TIFF block, optionally after "Exif\0\0"; JPEG APP1 always has it.
    const bool prefixed = size >= 6 && std::memcmp(p, "Exif\0\0", 6) == 0;
    const int payload = prefixed ? exif_orientation_from_tiff(p + 6, size - 6) : tiff;
    if (size + 8 <= 0xFFFF) {
        std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE1, uint8_t((size + 8) >> 8), uint8_t(size + 8)};
        append(jpeg, "Exif\0\0", 6);
        append(jpeg, p, size);
        append(jpeg, "\xFF\xD9", 2);
        FUZZ_CHECK(exif_orientation(jpeg.data(), jpeg.size(), "jpeg") == tiff);
    }
    std::vector<uint8_t> png;
    append(png, "\x89PNG\r\n\x1a\n", 8);
    put_be32(png, uint32_t(size));
    append(png, "eXIf", 4);
    append(png, p, size);
    put_be32(png, 0);  // CRC: not checked by the orientation reader
    put_be32(png, 0);
    append(png, "IEND", 4);
    put_be32(png, 0);
    FUZZ_CHECK(exif_orientation(png.data(), png.size(), "png") == payload);
    std::vector<uint8_t> webp;
    append(webp, "RIFF", 4);
    put_le32(webp, uint32_t(4 + 8 + size + (size & 1)));
    append(webp, "WEBPEXIF", 8);
    put_le32(webp, uint32_t(size));
    append(webp, p, size);
    if (size & 1) webp.push_back(0);
    FUZZ_CHECK(exif_orientation(webp.data(), webp.size(), "webp") == payload);

    // The orientation turns a 2 x 3 picture: sides swap for 5..8, no pixel is lost or made up.
    cv::Mat m(2, 3, CV_8UC1);
    for (int i = 0; i < 6; ++i) m.data[i] = uint8_t(i * 40 + 1);
    const cv::Mat r = apply_orientation(m, tiff);
    FUZZ_CHECK(r.type() == m.type());
    FUZZ_CHECK(tiff >= 5 ? (r.rows == 3 && r.cols == 2) : (r.rows == 2 && r.cols == 3));
    std::vector<uint8_t> a(m.begin<uint8_t>(), m.end<uint8_t>()), b(r.begin<uint8_t>(), r.end<uint8_t>());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    FUZZ_CHECK(a == b);
    return 0;
}
