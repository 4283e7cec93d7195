// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SHA-256 (FIPS 180-4), for content hashes such as a model's weights in recipes. Plain C++17.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace unclip {

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t size);
    void update(const std::string& s) { update(s.data(), s.size()); }
    std::array<uint8_t, 32> digest();  // finishes the hash; call once
    std::string hex_digest();          // 64 lower-case hex digits

private:
    void block(const uint8_t* p);
    std::array<uint32_t, 8> h_;
    std::array<uint8_t, 64> buf_{};
    size_t used_ = 0;
    uint64_t total_ = 0;
};

}  // namespace unclip
