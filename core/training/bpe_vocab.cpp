// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/bpe_vocab.h"

#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace unclip::training {

namespace {

// GPT-2/CLIP bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 + n.
std::vector<std::string> byte_symbols() {
    std::vector<int> bs;
    for (int b = '!'; b <= '~'; ++b) bs.push_back(b);
    for (int b = 0xA1; b <= 0xAC; ++b) bs.push_back(b);
    for (int b = 0xAE; b <= 0xFF; ++b) bs.push_back(b);
    std::vector<int> cs = bs;
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        if (std::find(bs.begin(), bs.end(), b) == bs.end()) {
            bs.push_back(b);
            cs.push_back(256 + n++);
        }
    }
    auto utf8 = [](int cp) {
        std::string s;
        if (cp < 0x80) s += static_cast<char>(cp);
        else {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return s;
    };
    std::vector<std::string> out;  // in bytes_to_unicode order (as CLIP's vocab.json)
    for (size_t i = 0; i < bs.size(); ++i) out.push_back(utf8(cs[i]));
    return out;
}

}  // namespace

std::vector<std::string> clip_words(const std::string& text_in) {
    std::string text;
    for (char c : text_in) text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<std::string> out;
    size_t i = 0;
    auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (i < text.size()) {
        if (is_space(text[i])) { ++i; continue; }
        if (text[i] == '\'') {
            bool matched = false;
            for (const char* con : {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"}) {
                const std::string c(con);
                if (text.compare(i, c.size(), c) == 0) {
                    out.push_back(c);
                    i += c.size();
                    matched = true;
                    break;
                }
            }
            if (matched) continue;
        }
        size_t j = i;
        if (is_letter(text[i])) {
            while (j < text.size() && is_letter(text[j])) ++j;
        } else if (is_digit(text[i])) {
            j = i + 1;
        } else {
            while (j < text.size() && !is_space(text[j]) && !is_letter(text[j]) && !is_digit(text[j])) ++j;
        }
        out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

BpeVocab learn_bpe(const std::vector<std::string>& texts, int max_merges) {
    std::map<std::string, int64_t> counts;
    for (const auto& t : texts)
        for (const auto& w : clip_words(t)) ++counts[w];
    // Words as symbol sequences; the last symbol carries "</w>".
    std::vector<std::pair<std::vector<std::string>, int64_t>> words;
    for (const auto& [w, n] : counts) {
        std::vector<std::string> syms;
        for (size_t i = 0; i < w.size(); ++i) syms.push_back(std::string(1, w[i]) + (i + 1 == w.size() ? "</w>" : ""));
        words.push_back({syms, n});
    }
    BpeVocab v;
    for (const auto& s : byte_symbols()) v.tokens.push_back(s);
    for (const auto& s : byte_symbols()) v.tokens.push_back(s + "</w>");
    for (int m = 0; m < max_merges; ++m) {
        std::map<std::pair<std::string, std::string>, int64_t> pairs;
        for (const auto& [syms, n] : words)
            for (size_t i = 0; i + 1 < syms.size(); ++i) pairs[{syms[i], syms[i + 1]}] += n;
        if (pairs.empty()) break;
        auto best = pairs.begin();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second) best = it;  // map order: ties keep the smallest pair
        const auto [a, b] = best->first;
        v.merges.push_back({a, b});
        v.tokens.push_back(a + b);
        for (auto& [syms, n] : words) {
            std::vector<std::string> next;
            for (size_t i = 0; i < syms.size(); ++i) {
                if (i + 1 < syms.size() && syms[i] == a && syms[i + 1] == b) {
                    next.push_back(a + b);
                    ++i;
                } else {
                    next.push_back(syms[i]);
                }
            }
            syms.swap(next);
        }
    }
    v.tokens.push_back("<|startoftext|>");
    v.tokens.push_back("<|endoftext|>");
    return v;
}

void write_tokenizer_folder(const std::string& dir, const BpeVocab& vocab, int model_max_length) {
    std::filesystem::create_directories(dir);
    nlohmann::ordered_json vj;
    for (size_t i = 0; i < vocab.tokens.size(); ++i) vj[vocab.tokens[i]] = i;
    if (vj.size() != vocab.tokens.size()) throw ModelError("tokenizer: duplicate tokens in the learned vocabulary");
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream f(dir + "/" + name, std::ios::binary);
        f << text;
        if (!f) throw ModelError("cannot write " + dir + "/" + name);
    };
    write("vocab.json", vj.dump());
    std::string merges = "#version: 0.2\n";
    for (const auto& [a, b] : vocab.merges) merges += a + " " + b + "\n";
    write("merges.txt", merges);
    nlohmann::ordered_json cfg = {{"add_prefix_space", false},
                                  {"bos_token", "<|startoftext|>"},
                                  {"clean_up_tokenization_spaces", false},
                                  {"do_lower_case", true},
                                  {"eos_token", "<|endoftext|>"},
                                  {"errors", "replace"},
                                  {"model_max_length", model_max_length},
                                  {"pad_token", "<|endoftext|>"},
                                  {"tokenizer_class", "CLIPTokenizer"},
                                  {"unk_token", "<|endoftext|>"}};
    write("tokenizer_config.json", cfg.dump(2));
    nlohmann::ordered_json sp = {{"bos_token", "<|startoftext|>"}, {"eos_token", "<|endoftext|>"},
                                 {"pad_token", "<|endoftext|>"}, {"unk_token", "<|endoftext|>"}};
    write("special_tokens_map.json", sp.dump(2));
}

}  // namespace unclip::training
