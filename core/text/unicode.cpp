// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8, NFC, lowercase and character classes from the generated tables (unicode_tables.cpp).
#include "core/text/unicode.h"

#include "core/text/unicode_tables.h"

#include <algorithm>
#include <unordered_map>

namespace unclip::text {
namespace {

using namespace tables;

bool in_ranges(const Range* r, std::size_t n, char32_t cp) {
    // last range with lo <= cp
    const Range* end = r + n;
    const Range* it = std::upper_bound(r, end, static_cast<uint32_t>(cp),
                                       [](uint32_t v, const Range& x) { return v < x.lo; });
    return it != r && cp <= (it - 1)->hi;
}

// Hangul syllable constants (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

const Decomposition* find_decomposition(char32_t cp) {
    const Decomposition* end = kDecompositions + kDecompositionsCount;
    const Decomposition* it = std::lower_bound(kDecompositions, end, static_cast<uint32_t>(cp),
                                               [](const Decomposition& d, uint32_t v) { return d.cp < v; });
    return it != end && it->cp == cp ? it : nullptr;
}

void decompose_into(std::u32string& out, char32_t cp) {
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const char32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount) out.push_back(kTBase + s % kTCount);
        return;
    }
    const Decomposition* d = cp < 0xC0 ? nullptr : find_decomposition(cp);
    if (!d) {
        out.push_back(cp);
        return;
    }
    decompose_into(out, d->first);
    if (d->second) decompose_into(out, d->second);
}

using CompositionMap = std::unordered_map<uint64_t, char32_t>;
const CompositionMap& composition_map() {
    static const CompositionMap map = [] {
        CompositionMap m;
        m.reserve(kDecompositionsCount);
        for (std::size_t i = 0; i < kDecompositionsCount; ++i) {
            const Decomposition& d = kDecompositions[i];
            if (d.composable) m.emplace((uint64_t(d.first) << 32) | d.second, d.cp);
        }
        return m;
    }();
    return map;
}

// The primary composite of (a, b), or 0.
char32_t compose_pair(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
        return a + (b - kTBase);
    const CompositionMap& m = composition_map();
    auto it = m.find((uint64_t(a) << 32) | b);
    return it == m.end() ? 0 : it->second;
}

}  // namespace

// ---------------------------------------------------------------- UTF-8

std::u32string utf8_decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b0 = p[i];
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        int need;
        char32_t cp;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1, cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2, cp = b0 & 0x0F;
            if (b0 == 0xE0) lo = 0xA0;
            if (b0 == 0xED) hi = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3, cp = b0 & 0x07;
            if (b0 == 0xF0) lo = 0x90;
            if (b0 == 0xF4) hi = 0x8F;
        } else {  // stray continuation byte, C0/C1, F5..FF
            out.push_back(kReplacementChar);
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        bool ok = true;
        for (int k = 0; k < need; ++k, ++j) {
            const unsigned char lo_k = k == 0 ? lo : 0x80, hi_k = k == 0 ? hi : 0xBF;
            if (j >= n || p[j] < lo_k || p[j] > hi_k) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (p[j] & 0x3F);
        }
        out.push_back(ok ? cp : kReplacementChar);
        i = j;  // on error: resume at the offending byte (maximal subpart replaced by one U+FFFD)
    }
    return out;
}

void utf8_append(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string utf8_encode(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text) utf8_append(out, cp);
    return out;
}

// ---------------------------------------------------------------- classes

bool is_letter(char32_t cp) {
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return in_ranges(kLetters, kLettersCount, cp);
}

bool is_number(char32_t cp) {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return in_ranges(kNumbers, kNumbersCount, cp);
}

bool is_whitespace(char32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return in_ranges(kWhitespace, kWhitespaceCount, cp);
}

uint8_t combining_class(char32_t cp) {
    if (cp < 0x300) return 0;
    const CccRange* end = kCombiningClasses + kCombiningClassesCount;
    const CccRange* it = std::upper_bound(kCombiningClasses, end, static_cast<uint32_t>(cp),
                                          [](uint32_t v, const CccRange& x) { return v < x.lo; });
    return it != kCombiningClasses && cp <= (it - 1)->hi ? (it - 1)->ccc : 0;
}

const char* unicode_version() { return kUnicodeVersion; }

// ---------------------------------------------------------------- lowercase

void append_lower(std::u32string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return;
    }
    for (std::size_t i = 0; i < kLowerMultiCount; ++i)
        if (kLowerMulti[i].cp == cp) {
            out.append(kLowerMulti[i].out, kLowerMulti[i].out + kLowerMulti[i].n);
            return;
        }
    const LowerRun* end = kLowerRuns + kLowerRunsCount;
    const LowerRun* it = std::upper_bound(kLowerRuns, end, static_cast<uint32_t>(cp),
                                          [](uint32_t v, const LowerRun& r) { return v < r.first; });
    if (it != kLowerRuns) {
        const LowerRun& r = *(it - 1);
        const uint32_t off = cp - r.first;
        if (off % r.stride == 0 && off / r.stride < r.count) {
            out.push_back(static_cast<char32_t>(static_cast<int64_t>(cp) + r.delta));
            return;
        }
    }
    out.push_back(cp);
}

std::u32string to_lower(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t cp : text) append_lower(out, cp);
    return out;
}

// ---------------------------------------------------------------- normalisation

std::u32string nfd(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t cp : text) decompose_into(out, cp);
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (std::size_t i = 1; i < out.size(); ++i) {
        const uint8_t c = combining_class(out[i]);
        if (c == 0) continue;
        std::size_t j = i;
        while (j > 0) {
            const uint8_t prev = combining_class(out[j - 1]);
            if (prev <= c) break;  // also stops at starters (class 0)
            std::swap(out[j - 1], out[j]);
            --j;
        }
    }
    return out;
}

std::u32string nfc(std::u32string_view text) {
    // Below U+0300 every character is its own NFC and a starter that nothing composes onto.
    if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x300; }))
        return std::u32string(text);
    const std::u32string d = nfd(text);
    std::u32string out;
    out.reserve(d.size());
    std::ptrdiff_t starter = -1;  // index in `out` of the last starter
    uint8_t last_ccc = 0;         // class of the last character appended after that starter
    for (char32_t c : d) {
        const uint8_t ccc = combining_class(c);
        if (starter >= 0) {
            const bool adjacent = static_cast<std::size_t>(starter) + 1 == out.size();
            if (adjacent || (last_ccc != 0 && last_ccc < ccc)) {  // not blocked
                if (char32_t comp = compose_pair(out[starter], c)) {
                    out[starter] = comp;
                    continue;
                }
            }
        }
        if (ccc == 0) starter = static_cast<std::ptrdiff_t>(out.size());
        last_ccc = ccc;
        out.push_back(c);
    }
    return out;
}

}  // namespace unclip::text
