#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes core/text/unicode_tables.cpp (the data behind core/text/unicode_tables.h) from the Unicode
Character Database files of Debian's unicode-data package (Unicode 15.0 on Debian 12, the version
of the reference's Python 3.12 and of Debian's ICU), so the tokenizer needs no ICU.

  python3 tools/gen_unicode_tables.py [output.cpp] [--ucd DIR]     (DIR default /usr/share/unicode)

Reads UnicodeData.txt, SpecialCasing.txt and DerivedNormalizationProps.txt (whose header names the
version). Tables (all sorted by code point, looked up by binary search):
  letters     General_Category L*   (regex \\p{L})
  numbers     General_Category N*   (regex \\p{N})
  whitespace  Oniguruma's Unicode \\s: U+0009..U+000D, U+0085, Zs, Zl, Zp (= White_Space)
  lower       simple per-code-point lowercase (the full lowercase when it is one code point),
              run-length coded as (first, count, stride, delta)
  lower_multi code points whose full lowercase is several code points (U+0130 -> i + U+0307):
              SpecialCasing.txt's unconditional mappings, as Python's chr(c).lower() and Rust's
              char::to_lowercase
  ccc         canonical combining classes != 0, as ranges of equal class
  decomp      canonical decompositions (one level: cp -> first [, second]), Hangul excluded
              (algorithmic), with a flag saying whether the pair recomposes under NFC
              (i.e. cp is not a Full_Composition_Exclusion)
"""
import os
import re
import sys

MAX = 0x110000
HANGUL_S = range(0xAC00, 0xAC00 + 11172)


class Ucd:
    """The properties the tables need, for every code point, from the UCD text files."""

    def __init__(self, folder):
        self.category = {}     # cp -> "Lu", ... (absent: Cn)
        self.ccc = {}          # cp -> class != 0
        self.decomp = {}       # cp -> decomposition field (canonical or "<tag> ...")
        self.simple_lower = {} # cp -> cp
        first = None
        with open(os.path.join(folder, "UnicodeData.txt"), encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split(";")
                cp, name, gc = int(fields[0], 16), fields[1], fields[2]
                if name.endswith(", First>"):
                    first = cp
                    continue
                cps = range(first, cp + 1) if name.endswith(", Last>") else (cp,)
                first = None
                for c in cps:
                    self.category[c] = gc
                    if int(fields[3]):
                        self.ccc[c] = int(fields[3])
                    if fields[5]:
                        self.decomp[c] = fields[5]
                    if fields[13]:
                        self.simple_lower[c] = int(fields[13], 16)
        self.full_lower = {}   # cp -> [cp, ...] from SpecialCasing.txt, unconditional entries only
        with open(os.path.join(folder, "SpecialCasing.txt"), encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                fields = [x.strip() for x in line.split(";")]
                if len(fields) > 4 and fields[4]:
                    continue  # conditional (Final_Sigma, language-specific)
                self.full_lower[int(fields[0], 16)] = [int(x, 16) for x in fields[1].split()]
        self.composition_exclusions = set()
        with open(os.path.join(folder, "DerivedNormalizationProps.txt"), encoding="utf-8") as f:
            header = f.readline()
            m = re.search(r"DerivedNormalizationProps-(\d+\.\d+\.\d+)\.txt", header)
            if not m:
                sys.exit(f"cannot read the Unicode version from {f.name}: {header.strip()}")
            self.version = m.group(1)
            for line in f:
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                cps, prop = [x.strip() for x in line.split(";")[:2]]
                if prop != "Full_Composition_Exclusion":
                    continue
                lo, _, hi = cps.partition("..")
                self.composition_exclusions.update(range(int(lo, 16), int(hi or lo, 16) + 1))

    def cat(self, cp):
        return self.category.get(cp, "Cn")

    def lower(self, cp):
        if cp in self.full_lower:
            return self.full_lower[cp]
        return [self.simple_lower.get(cp, cp)]


def ranges(pred):
    out, start = [], None
    for cp in range(MAX):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, MAX - 1))
    return out


def is_whitespace(ucd, cp):
    return cp in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85) or ucd.cat(cp) in ("Zs", "Zl", "Zp")


def lower_tables(ucd):
    single, multi = [], []
    for cp in range(MAX):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = ucd.lower(cp)
        if low == [cp]:
            continue
        if len(low) == 1:
            single.append((cp, low[0] - cp))
        else:
            multi.append((cp, low))
    # run-length code: consecutive entries with the same delta and the same stride
    runs, i = [], 0
    while i < len(single):
        cp, delta = single[i]
        count, stride = 1, 0
        if i + 1 < len(single) and single[i + 1][1] == delta and single[i + 1][0] - cp <= 255:
            stride = single[i + 1][0] - cp
            count = 2
            while (i + count < len(single) and single[i + count][1] == delta
                   and single[i + count][0] - single[i + count - 1][0] == stride):
                count += 1
        runs.append((cp, count, stride if count > 1 else 1, delta))
        i += count
    return runs, multi


def ccc_ranges(ucd):
    out = []
    for cp in sorted(ucd.ccc):
        c = ucd.ccc[cp]
        if out and out[-1][1] == cp - 1 and out[-1][2] == c:
            out[-1] = (out[-1][0], cp, c)
        else:
            out.append((cp, cp, c))
    return out


def decompositions(ucd):
    out = []
    for cp in sorted(ucd.decomp):
        d = ucd.decomp[cp]
        if cp in HANGUL_S or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        assert 1 <= len(parts) <= 2, hex(cp)
        first = parts[0]
        second = parts[1] if len(parts) == 2 else 0
        # A pair recomposes iff the character is not a full composition exclusion.
        composable = len(parts) == 2 and cp not in ucd.composition_exclusions
        out.append((cp, first, second, 1 if composable else 0))
    return out


def emit(f, name, ctype, rows, fmt, per_line):
    f.write(f"const {ctype} {name}[] = {{\n")
    for i in range(0, len(rows), per_line):
        f.write("    " + " ".join(fmt(r) + "," for r in rows[i:i + per_line]) + "\n")
    f.write("};\n")
    f.write(f"const std::size_t {name}Count = sizeof({name}) / sizeof({name}[0]);\n\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    folder = "/usr/share/unicode"
    if "--ucd" in args:
        i = args.index("--ucd")
        folder = args[i + 1]
        del args[i:i + 2]
    out_path = args[0] if args else os.path.join(here, "..", "core", "text", "unicode_tables.cpp")
    if not os.path.isfile(os.path.join(folder, "UnicodeData.txt")):
        sys.exit(f"no UnicodeData.txt in {folder}: install Debian's unicode-data (apt-get install unicode-data) or pass --ucd DIR")
    ucd = Ucd(folder)
    letters = ranges(lambda cp: ucd.cat(cp).startswith("L"))
    numbers = ranges(lambda cp: ucd.cat(cp).startswith("N"))
    spaces = ranges(lambda cp: is_whitespace(ucd, cp))
    lower_runs, lower_multi = lower_tables(ucd)
    assert all(len(v) <= 3 for _, v in lower_multi)
    ccc = ccc_ranges(ucd)
    dec = decompositions(ucd)

    rng = lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}}}"
    with open(out_path, "w", encoding="ascii", newline="\n") as f:
        f.write("// SPDX-License-Identifier: GPL-3.0-or-later AND Unicode-DFS-2016\n")
        f.write("// GENERATED by tools/gen_unicode_tables.py from the Unicode Character Database "
                f"(Unicode {ucd.version}, Debian's unicode-data; data (c) Unicode, Inc., Unicode-DFS-2016). "
                "Do not edit by hand.\n")
        f.write('#include "core/text/unicode_tables.h"\n\n')
        f.write("namespace unclip::text::tables {\n\n")
        f.write(f'const char* const kUnicodeVersion = "{ucd.version}";\n\n')
        emit(f, "kLetters", "Range", letters, rng, 6)
        emit(f, "kNumbers", "Range", numbers, rng, 6)
        emit(f, "kWhitespace", "Range", spaces, rng, 6)
        emit(f, "kLowerRuns", "LowerRun", lower_runs,
             lambda r: f"{{0x{r[0]:X}, {r[1]}, {r[2]}, {r[3]}}}", 5)
        emit(f, "kLowerMulti", "LowerMulti", lower_multi,
             lambda r: "{0x%X, %d, {%s}}" % (r[0], len(r[1]), ", ".join("0x%X" % c for c in r[1])), 3)
        emit(f, "kCombiningClasses", "CccRange", ccc,
             lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, {r[2]}}}", 5)
        emit(f, "kDecompositions", "Decomposition", dec,
             lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, 0x{r[2]:X}, {r[3]}}}", 4)
        f.write("}  // namespace unclip::text::tables\n")
    print(f"wrote {out_path}: {len(letters)} letter ranges, {len(numbers)} number ranges, "
          f"{len(spaces)} whitespace ranges, {len(lower_runs)} lowercase runs (+{len(lower_multi)} multi), "
          f"{len(ccc)} ccc ranges, {len(dec)} decompositions")


if __name__ == "__main__":
    main()
