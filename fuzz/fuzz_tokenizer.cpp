// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the CLIP tokenizer (core/text/clip_tokenizer.h) on arbitrary prompt bytes, with the
// golden reduced vocabulary (clip_bpe_small) and the real one (clip_bpe). Checks the encoding's
// invariants: bos .. eos then padding, truncation = prefix of the untruncated ids, every id known,
// the BPE cache gives the same ids twice, decode never throws and returns valid UTF-8.
#include "core/common/error.h"
#include "core/text/clip_tokenizer.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/tokenizer_checks.h"

#include <string>
#include <vector>

namespace {

using unclip::text::ClipTokenizer;

const std::vector<ClipTokenizer>& tokenizers() {
    static const std::vector<ClipTokenizer> t = {
        ClipTokenizer::from_folder(unclip::fuzz::golden_dir() + "/clip_bpe_small"),
        ClipTokenizer::from_folder(unclip::fuzz::golden_dir() + "/clip_bpe"),
    };
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const int small_max = 2 + (size ? data[0] % 8 : 0);
    for (const auto& tok : tokenizers()) unclip::fuzz::check_encoding(tok, text, small_max);
    return 0;
}
