// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bounds-checked reads from an untrusted byte buffer (little and big endian). Each read returns
// false instead of reading past the end, so parsers stay short and never overrun.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace unclip::imaging::detail {

struct Bytes {
    const uint8_t* data = nullptr;
    size_t size = 0;

    bool has(size_t offset, size_t n) const { return offset <= size && n <= size - offset; }
    bool be16(size_t o, uint32_t& v) const {
        if (!has(o, 2)) return false;
        v = (uint32_t(data[o]) << 8) | data[o + 1];
        return true;
    }
    bool be32(size_t o, uint32_t& v) const {
        if (!has(o, 4)) return false;
        v = (uint32_t(data[o]) << 24) | (uint32_t(data[o + 1]) << 16) | (uint32_t(data[o + 2]) << 8) | data[o + 3];
        return true;
    }
    bool le16(size_t o, uint32_t& v) const {
        if (!has(o, 2)) return false;
        v = uint32_t(data[o]) | (uint32_t(data[o + 1]) << 8);
        return true;
    }
    bool le24(size_t o, uint32_t& v) const {
        if (!has(o, 3)) return false;
        v = uint32_t(data[o]) | (uint32_t(data[o + 1]) << 8) | (uint32_t(data[o + 2]) << 16);
        return true;
    }
    bool le32(size_t o, uint32_t& v) const {
        if (!has(o, 4)) return false;
        v = uint32_t(data[o]) | (uint32_t(data[o + 1]) << 8) | (uint32_t(data[o + 2]) << 16) |
            (uint32_t(data[o + 3]) << 24);
        return true;
    }
    bool equals(size_t o, const char* tag, size_t n) const { return has(o, n) && std::memcmp(data + o, tag, n) == 0; }
};

}  // namespace unclip::imaging::detail
