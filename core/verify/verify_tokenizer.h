// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Tokenizer parity check for `unclip verify` (no LibTorch): runs every case of the tokenizer case
// files the golden set's manifest.json lists ("extra": cases/tokenizer_cases*.json; without a list,
// tokenizer_cases.json and tokenizer_cases_small.json) with the vocabulary folder each file names in
// "vocab" (relative to the golden root) and compares input_ids, attention_mask, untruncated ids and
// BPE pieces exactly.
#include <cstdint>
#include <string>
#include <vector>

namespace unclip::text {

struct VerifyRow {
    std::string check;       // e.g. "tokenizer[clip_bpe].input_ids"
    int64_t mismatches = 0;  // cases (or header values) that differ
    bool pass = false;
    std::string note;        // cases run, first mismatching text, or the load error
};

// Never throws for bad golden data: a missing/unreadable file or vocabulary becomes a failed row.
std::vector<VerifyRow> verify_tokenizer(const std::string& golden_dir);

}  // namespace unclip::text
