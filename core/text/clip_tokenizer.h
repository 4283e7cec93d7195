// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CLIP byte-level BPE tokenizer, equal to transformers 5 `CLIPTokenizer` (Rust `tokenizers`
// backend, no ftfy): special tokens matched literally -> NFC -> `\s+` to one space -> per-code-point
// lowercase -> CLIP split regex -> bytes_to_unicode -> BPE by merge rank with the `</w>` suffix.
// Plain C++17 + nlohmann/json (no LibTorch). See /work/shared/golden/README.md "Tokenizer".
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace unclip::text {

// Thread-safe: the vocabulary is immutable after loading and the per-word BPE cache is guarded by a
// mutex, so one tokenizer (or copies of it, which share everything) may be used from many threads.
class ClipTokenizer {
public:
    struct Encoding {
        std::vector<int64_t> input_ids;       // max_length ids: bos, tokens, eos, then pad ids
        std::vector<int64_t> attention_mask;  // 1 for bos..eos, 0 for padding
    };

    // Loads vocab.json + merges.txt (+ optional tokenizer_config.json / special_tokens_map.json,
    // which name the bos/eos/pad/unk token strings and model_max_length). Throws unclip::ModelError
    // naming the file on a missing or malformed file.
    static ClipTokenizer from_folder(const std::string& dir);

    // Exactly what UnCLIPPipeline gets from tokenizer(text, padding="max_length",
    // max_length=max_length, truncation=True): bos + the first max_length - 2 tokens + eos, padded
    // with pad_id. Invalid UTF-8 bytes are read as U+FFFD. max_length < 2 throws unclip::RequestError.
    Encoding encode(const std::string& utf8, int max_length = 77) const;
    // bos + every token + eos (no truncation, no padding).
    std::vector<int64_t> encode_untruncated(const std::string& utf8) const;
    // The vocabulary strings of encode_untruncated(utf8), bos and eos included.
    std::vector<std::string> bpe_pieces(const std::string& utf8) const;
    // ids -> text: `</w>` becomes a space, bytes are mapped back (invalid UTF-8 -> U+FFFD), special
    // tokens (bos/eos/pad/unk) are skipped unless skip_special_tokens is false; trailing space trimmed.
    // Unknown ids throw unclip::RequestError.
    std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = true) const;

    int64_t bos_id() const;
    int64_t eos_id() const;
    int64_t pad_id() const;
    int64_t unk_id() const;
    int64_t vocab_size() const;  // number of vocab.json entries
    int max_length() const;      // model_max_length (77 when the folder does not say)
    // The same vocabulary padding to another length (a small vocabulary driving a full-size text
    // encoder in benchmarks). n < 2 throws unclip::RequestError.
    ClipTokenizer with_max_length(int n) const;
    int64_t token_to_id(const std::string& token) const;  // -1 when absent
    std::string id_to_token(int64_t id) const;            // "" when absent

private:
    struct Model;
    explicit ClipTokenizer(std::shared_ptr<const Model> model);
    // Appends the token ids of `utf8` (no bos/eos); stops once out holds at least `limit` ids.
    void tokenize(const std::string& utf8, std::vector<int64_t>& out, std::size_t limit) const;
    std::shared_ptr<const Model> model_;  // immutable after loading; copies share it
    int max_length_override_ = 0;         // > 0: replaces the folder's model_max_length
};

}  // namespace unclip::text
