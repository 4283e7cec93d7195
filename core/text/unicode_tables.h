// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Unicode data for the tokenizer (no ICU): written by tools/gen_unicode_tables.py into
// unicode_tables.cpp from the Unicode Character Database of Debian's unicode-data (15.0). Every
// table is sorted by code point.
// Use the functions in core/text/unicode.h rather than these arrays directly.
#include <cstddef>
#include <cstdint>

namespace unclip::text::tables {

struct Range {  // inclusive code point range
    uint32_t lo, hi;
};
// Simple lowercase for `count` code points first, first + stride, ...: cp -> cp + delta.
struct LowerRun {
    uint32_t first;
    uint16_t count;
    uint16_t stride;
    int32_t delta;
};
// A code point whose lowercase is several code points (U+0130 -> U+0069 U+0307).
struct LowerMulti {
    uint32_t cp;
    uint8_t n;
    uint32_t out[3];
};
struct CccRange {  // canonical combining class (only classes != 0 are listed)
    uint32_t lo, hi;
    uint8_t ccc;
};
// One level of a canonical decomposition: cp -> first [second] (second 0 = singleton).
// composable: the pair (first, second) composes back to cp under NFC (not an exclusion).
// Hangul syllables are not listed (handled algorithmically).
struct Decomposition {
    uint32_t cp, first, second;
    uint8_t composable;
};

extern const char* const kUnicodeVersion;
extern const Range kLetters[];       // General_Category L*
extern const std::size_t kLettersCount;
extern const Range kNumbers[];       // General_Category N*
extern const std::size_t kNumbersCount;
extern const Range kWhitespace[];    // \s: U+0009..U+000D, U+0085, Zs, Zl, Zp
extern const std::size_t kWhitespaceCount;
extern const LowerRun kLowerRuns[];
extern const std::size_t kLowerRunsCount;
extern const LowerMulti kLowerMulti[];
extern const std::size_t kLowerMultiCount;
extern const CccRange kCombiningClasses[];
extern const std::size_t kCombiningClassesCount;
extern const Decomposition kDecompositions[];
extern const std::size_t kDecompositionsCount;

}  // namespace unclip::text::tables
