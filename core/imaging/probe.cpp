// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/probe.h"

#include "core/imaging/byte_reader.h"
#include "core/imaging/exif.h"
#include "core/imaging/image_error.h"

namespace unclip::imaging {

using detail::Bytes;

namespace {

[[noreturn]] void corrupt(const char* format, const char* what) {
    throw ImageError(std::string("corrupt ") + format + " header: " + what);
}

void probe_png(const Bytes& b, ImageInfo& info) {
    uint32_t len = 0, w = 0, h = 0;
    if (!b.be32(8, len) || !b.equals(12, "IHDR", 4) || len < 13) corrupt("PNG", "missing IHDR");
    if (!b.be32(16, w) || !b.be32(20, h)) corrupt("PNG", "truncated IHDR");
    if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu) corrupt("PNG", "invalid size");
    info.width = int(w);
    info.height = int(h);
    // Every chunk must lie inside the data: libpng allocates an ancillary chunk at its declared
    // length before reading it (its size limit is only a warning for readers), so a few bytes
    // claiming 600 MB cost 600 MB (found by fuzz_ora through OpenCV's PNG decoder).
    for (size_t pos = 8; b.has(pos, 8);) {
        uint32_t chunk = 0;
        b.be32(pos, chunk);
        if (!b.has(pos, size_t(chunk) + 12)) corrupt("PNG", "a chunk runs past the end of the data");
        if (b.equals(pos + 4, "IEND", 4)) break;
        pos += size_t(chunk) + 12;
    }
}

void probe_jpeg(const Bytes& b, ImageInfo& info) {
    size_t pos = 2;
    while (b.has(pos, 2)) {
        if (b.data[pos] != 0xFF) corrupt("JPEG", "bad marker");
        const uint8_t m = b.data[pos + 1];
        if (m == 0xFF) { ++pos; continue; }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { pos += 2; continue; }
        if (m == 0xDA || m == 0xD9) corrupt("JPEG", "no frame header before the image data");
        uint32_t len = 0;
        if (!b.be16(pos + 2, len) || len < 2) corrupt("JPEG", "truncated segment");
        const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            uint32_t h = 0, w = 0;
            if (len < 7 || !b.be16(pos + 5, h) || !b.be16(pos + 7, w)) corrupt("JPEG", "truncated frame header");
            if (w == 0 || h == 0) corrupt("JPEG", "invalid size");
            info.width = int(w);
            info.height = int(h);
            return;
        }
        pos += 2 + len;
    }
    corrupt("JPEG", "no frame header");
}

void probe_webp(const Bytes& b, ImageInfo& info) {
    uint32_t len = 0;
    if (!b.le32(16, len)) corrupt("WebP", "truncated");
    const size_t d = 20;  // first chunk's payload
    if (b.equals(12, "VP8X", 4)) {
        uint32_t w = 0, h = 0;
        if (!b.le24(d + 4, w) || !b.le24(d + 7, h)) corrupt("WebP", "truncated VP8X");
        info.width = int(w) + 1;
        info.height = int(h) + 1;
    } else if (b.equals(12, "VP8 ", 4)) {
        uint32_t w = 0, h = 0;
        if (!b.has(d, 10) || b.data[d + 3] != 0x9d || b.data[d + 4] != 0x01 || b.data[d + 5] != 0x2a)
            corrupt("WebP", "bad VP8 frame");
        b.le16(d + 6, w);
        b.le16(d + 8, h);
        info.width = int(w & 0x3fff);
        info.height = int(h & 0x3fff);
    } else if (b.equals(12, "VP8L", 4)) {
        uint32_t bits = 0;
        if (!b.has(d, 5) || b.data[d] != 0x2f || !b.le32(d + 1, bits)) corrupt("WebP", "bad VP8L header");
        info.width = int(bits & 0x3fff) + 1;
        info.height = int((bits >> 14) & 0x3fff) + 1;
    } else {
        corrupt("WebP", "unknown first chunk");
    }
    if (info.width <= 0 || info.height <= 0) corrupt("WebP", "invalid size");
}

void probe_bmp(const Bytes& b, ImageInfo& info) {
    uint32_t dib = 0;
    if (!b.le32(14, dib)) corrupt("BMP", "truncated");
    if (dib == 12) {
        uint32_t w = 0, h = 0;
        if (!b.le16(18, w) || !b.le16(20, h)) corrupt("BMP", "truncated core header");
        info.width = int(w);
        info.height = int(h);
    } else if (dib >= 40) {
        uint32_t w = 0, h = 0;
        if (!b.le32(18, w) || !b.le32(22, h)) corrupt("BMP", "truncated info header");
        const int64_t sw = int32_t(w), sh = int32_t(h);
        if (sw <= 0 || sh == 0 || sh == INT32_MIN) corrupt("BMP", "invalid size");
        info.width = int(sw);
        info.height = int(sh < 0 ? -sh : sh);
    } else {
        corrupt("BMP", "unknown header");
    }
    if (info.width <= 0 || info.height <= 0) corrupt("BMP", "invalid size");
}

}  // namespace

ImageInfo probe_image(const uint8_t* data, size_t size) {
    Bytes b{data, size};
    ImageInfo info;
    if (b.equals(0, "\x89PNG\r\n\x1a\n", 8)) {
        info.format = "png";
        probe_png(b, info);
    } else if (b.has(0, 3) && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        info.format = "jpeg";
        probe_jpeg(b, info);
    } else if (b.equals(0, "RIFF", 4) && b.equals(8, "WEBP", 4)) {
        info.format = "webp";
        probe_webp(b, info);
    } else if (b.equals(0, "BM", 2)) {
        info.format = "bmp";
        probe_bmp(b, info);
    } else {
        throw ImageError("not a PNG, JPEG, WebP or BMP image");
    }
    info.orientation = exif_orientation(data, size, info.format);
    return info;
}

}  // namespace unclip::imaging
