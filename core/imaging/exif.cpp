// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/exif.h"

#include "core/imaging/byte_reader.h"

#include <opencv2/core.hpp>

namespace unclip::imaging {

using detail::Bytes;

int exif_orientation_from_tiff(const uint8_t* tiff, size_t size) {
    Bytes b{tiff, size};
    bool little;
    if (b.equals(0, "II", 2)) little = true;
    else if (b.equals(0, "MM", 2)) little = false;
    else return 1;
    auto u16 = [&](size_t o, uint32_t& v) { return little ? b.le16(o, v) : b.be16(o, v); };
    auto u32 = [&](size_t o, uint32_t& v) { return little ? b.le32(o, v) : b.be32(o, v); };
    uint32_t magic = 0, ifd = 0, count = 0;
    if (!u16(2, magic) || magic != 42 || !u32(4, ifd) || !u16(ifd, count)) return 1;
    for (uint32_t i = 0; i < count; ++i) {
        const size_t entry = size_t(ifd) + 2 + size_t(i) * 12;
        uint32_t tag = 0, type = 0, value = 0;
        if (!u16(entry, tag) || !u16(entry + 2, type)) return 1;
        if (tag != 0x0112) continue;
        if (type != 3 || !u16(entry + 8, value)) return 1;  // SHORT, stored in the value field
        return (value >= 1 && value <= 8) ? int(value) : 1;
    }
    return 1;
}

namespace {

int from_exif_payload(const uint8_t* p, size_t n) {
    // Some writers keep the JPEG-style "Exif\0\0" prefix inside PNG/WebP chunks.
    if (n >= 6 && std::memcmp(p, "Exif\0\0", 6) == 0) {
        p += 6;
        n -= 6;
    }
    return exif_orientation_from_tiff(p, n);
}

int jpeg_orientation(const Bytes& b) {
    size_t pos = 2;
    while (b.has(pos, 4)) {
        if (b.data[pos] != 0xFF) return 1;
        const uint8_t marker = b.data[pos + 1];
        if (marker == 0xFF) { ++pos; continue; }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { pos += 2; continue; }
        if (marker == 0xDA || marker == 0xD9) return 1;  // image data: no EXIF before it
        uint32_t len = 0;
        if (!b.be16(pos + 2, len) || len < 2) return 1;
        if (marker == 0xE1 && len >= 8 && b.equals(pos + 4, "Exif\0\0", 6) && b.has(pos + 4, len - 2))
            return exif_orientation_from_tiff(b.data + pos + 10, len - 8);
        pos += 2 + len;
    }
    return 1;
}

int png_orientation(const Bytes& b) {
    size_t pos = 8;
    uint32_t len = 0;
    while (b.be32(pos, len) && b.has(pos + 8, size_t(len) + 4)) {
        if (b.equals(pos + 4, "eXIf", 4)) return from_exif_payload(b.data + pos + 8, len);
        if (b.equals(pos + 4, "IEND", 4)) break;
        pos += 12 + size_t(len);
    }
    return 1;
}

int webp_orientation(const Bytes& b) {
    size_t pos = 12;
    uint32_t len = 0;
    while (b.le32(pos + 4, len) && b.has(pos + 8, len)) {
        if (b.equals(pos, "EXIF", 4)) return from_exif_payload(b.data + pos + 8, len);
        pos += 8 + size_t(len) + (len & 1u);
    }
    return 1;
}

}  // namespace

int exif_orientation(const uint8_t* data, size_t size, const std::string& format) {
    Bytes b{data, size};
    if (format == "jpeg") return jpeg_orientation(b);
    if (format == "png") return png_orientation(b);
    if (format == "webp") return webp_orientation(b);
    return 1;
}

cv::Mat apply_orientation(const cv::Mat& image, int orientation) {
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(image, out, 1); break;
    case 3: cv::rotate(image, out, cv::ROTATE_180); break;
    case 4: cv::flip(image, out, 0); break;
    case 5: cv::transpose(image, out); break;
    case 6: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7:
        cv::transpose(image, out);
        cv::rotate(out, out, cv::ROTATE_180);
        break;
    case 8: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: return image;
    }
    return out;
}

}  // namespace unclip::imaging
