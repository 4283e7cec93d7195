// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A reduced CLIP BPE vocabulary for the embedded model, learned from its caption corpus:
// the 256 byte symbols, the same + "</w>", the learned merges in order, then <|startoftext|> and
// <|endoftext|> as the last two ids (the construction of golden/clip_bpe_small). Written as
// vocab.json + merges.txt + tokenizer_config.json, which core/text/ClipTokenizer (and
// transformers' CLIPTokenizer) load.
#include <string>
#include <utility>
#include <vector>

namespace unclip::training {

struct BpeVocab {
    std::vector<std::string> tokens;                          // id -> token
    std::vector<std::pair<std::string, std::string>> merges;  // rank order
};

// The CLIP pre-tokenizer on ASCII text: lower case, 's 't 're 've 'm 'll 'd, letter runs, single
// digits, runs of other non-space characters.
std::vector<std::string> clip_words(const std::string& text);

// Greedy BPE merge learning (most frequent pair; ties: smallest pair) over the words of `texts`,
// at most max_merges merges. Deterministic.
BpeVocab learn_bpe(const std::vector<std::string>& texts, int max_merges);

// Writes vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json into dir.
void write_tokenizer_folder(const std::string& dir, const BpeVocab& vocab, int model_max_length);

}  // namespace unclip::training
