// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Invariants every CLIP tokenizer encoding must hold, whatever the vocabulary and the text
// (shared by fuzz_tokenizer and fuzz_tokenizer_vocab).
#include "core/text/clip_tokenizer.h"
#include "core/text/unicode.h"
#include "fuzz/fuzz_support.h"

#include <algorithm>
#include <string>

namespace unclip::fuzz {

using unclip::text::ClipTokenizer;

inline void check_encoding(const ClipTokenizer& tok, const std::string& text, int small_max) {
    const auto full = tok.encode_untruncated(text);
    FUZZ_CHECK(full.size() >= 2 && full.front() == tok.bos_id() && full.back() == tok.eos_id());
    for (int64_t id : full) FUZZ_CHECK(tok.token_to_id(tok.id_to_token(id)) == id);  // a known id
    FUZZ_CHECK(tok.encode_untruncated(text) == full);  // second run goes through the BPE cache
    FUZZ_CHECK(tok.bpe_pieces(text).size() == full.size());

    for (int max_length : {77, small_max}) {
        const auto e = tok.encode(text, max_length);
        FUZZ_CHECK(e.input_ids.size() == static_cast<size_t>(max_length));
        FUZZ_CHECK(e.attention_mask.size() == static_cast<size_t>(max_length));
        size_t k = 0;  // bos .. eos
        while (k < e.attention_mask.size() && e.attention_mask[k] == 1) ++k;
        for (size_t i = k; i < e.attention_mask.size(); ++i) FUZZ_CHECK(e.attention_mask[i] == 0);
        FUZZ_CHECK(k >= 2 && e.input_ids[0] == tok.bos_id() && e.input_ids[k - 1] == tok.eos_id());
        const size_t tokens = k - 2;
        FUZZ_CHECK(tokens == std::min(full.size() - 2, static_cast<size_t>(max_length) - 2));
        for (size_t i = 0; i < tokens; ++i) FUZZ_CHECK(e.input_ids[1 + i] == full[1 + i]);
        for (size_t i = k; i < e.input_ids.size(); ++i) FUZZ_CHECK(e.input_ids[i] == tok.pad_id());
    }
    for (bool skip : {true, false}) {
        const std::string back = tok.decode(full, skip);
        FUZZ_CHECK(unclip::text::utf8_encode(unclip::text::utf8_decode(back)) == back);
    }
}

}  // namespace unclip::fuzz
