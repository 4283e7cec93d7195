// SPDX-License-Identifier: GPL-3.0-or-later
// CLIP BPE tokenizer (transformers 5 CLIPTokenizer / Rust tokenizers behaviour).
#include "core/text/clip_tokenizer.h"

#include "core/common/error.h"
#include "core/text/unicode.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace unclip::text {
namespace fs = std::filesystem;
namespace {

constexpr const char* kEndOfWord = "</w>";
constexpr int kDefaultMaxLength = 77;
constexpr std::size_t kCacheCapacity = 20000;  // words; cleared when full
constexpr std::size_t kMaxCachedWordBytes = 256;

// GPT-2 bytes_to_unicode: printable bytes map to themselves, the others to U+0100 + n in order.
std::array<char32_t, 256> bytes_to_unicode() {
    std::array<char32_t, 256> map{};
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        map[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
    }
    return map;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError("tokenizer: cannot open " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw ModelError("tokenizer: cannot read " + path.string());
    return ss.str();
}

nlohmann::json read_json(const fs::path& path) {
    try {
        return nlohmann::json::parse(read_file(path));
    } catch (const nlohmann::json::exception& e) {
        throw ModelError("tokenizer: " + path.string() + " is not valid JSON: " + e.what());
    }
}

// A token setting is "text" or {"content": "text", ...}; null means "not set".
bool token_setting(const nlohmann::json& cfg, const char* key, const fs::path& file, std::string& out) {
    auto it = cfg.find(key);
    if (it == cfg.end() || it->is_null()) return false;
    if (it->is_string()) {
        out = it->get<std::string>();
        return true;
    }
    if (it->is_object()) {
        auto c = it->find("content");
        if (c != it->end() && c->is_string()) {
            out = c->get<std::string>();
            return true;
        }
    }
    throw ModelError("tokenizer: " + file.string() + ": \"" + key +
                     "\" must be a string or an object with a string \"content\"");
}

struct PieceScanner {
    // Splits `t` (no whitespace handling needed by the caller) into the pieces of
    //   [specials|]'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]{1 or +}|[^\s\p{L}\p{N}]+
    // dropping whitespace. clip = true: the CLIP pattern (special token texts, single digits);
    // false: GPT-2's pattern as ByteLevel applies it to each CLIP piece (digit runs, no specials).
    template <typename Fn>
    static void scan(std::u32string_view t, bool clip, Fn&& emit) {
        static const std::u32string kSpecialTexts[] = {U"<|startoftext|>", U"<|endoftext|>"};
        const std::size_t n = t.size();
        std::size_t i = 0;
        while (i < n) {
            const char32_t c = t[i];
            if (clip && c == U'<') {
                bool hit = false;
                for (const auto& s : kSpecialTexts)
                    if (t.substr(i, s.size()) == s) {
                        emit(t.substr(i, s.size()));
                        i += s.size();
                        hit = true;
                        break;
                    }
                if (hit) continue;
            }
            if (c == U'\'' && i + 1 < n) {
                const char32_t a = t[i + 1];
                std::size_t len = 0;
                if (a == U's' || a == U't' || a == U'm' || a == U'd') {
                    len = 2;
                } else if (i + 2 < n) {
                    const char32_t b = t[i + 2];
                    if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) len = 3;
                }
                if (len) {
                    emit(t.substr(i, len));
                    i += len;
                    continue;
                }
            }
            std::size_t j = i + 1;
            if (is_letter(c)) {
                while (j < n && is_letter(t[j])) ++j;
            } else if (is_number(c)) {
                if (!clip)
                    while (j < n && is_number(t[j])) ++j;
            } else if (is_whitespace(c)) {
                i = j;  // removed
                continue;
            } else {
                while (j < n && !is_whitespace(t[j]) && !is_letter(t[j]) && !is_number(t[j])) ++j;
            }
            emit(t.substr(i, j - i));
            i = j;
        }
    }
};

// NFC -> every whitespace run becomes one space -> per-code-point lowercase.
std::u32string normalize(std::u32string_view segment) {
    const std::u32string composed = nfc(segment);
    std::u32string out;
    out.reserve(composed.size());
    bool in_space = false;
    for (char32_t c : composed) {
        if (is_whitespace(c)) {
            if (!in_space) out.push_back(U' ');
            in_space = true;
            continue;
        }
        in_space = false;
        append_lower(out, c);
    }
    return out;
}

}  // namespace

struct ClipTokenizer::Model {
    std::unordered_map<std::string, int32_t> vocab;
    std::vector<std::string> id_to_token;  // "" for ids that vocab.json does not use
    std::vector<bool> id_used;
    struct Merge {
        int32_t rank;
        int32_t new_id;
    };
    std::unordered_map<uint64_t, Merge> merges;  // (left id << 32 | right id) -> merge
    std::array<int32_t, 256> byte_id{};          // id of the byte's symbol
    std::array<int32_t, 256> byte_end_id{};      // id of the byte's symbol + "</w>"
    std::array<char32_t, 256> byte_char{};
    std::unordered_map<char32_t, uint8_t> char_byte;
    int32_t bos = -1, eos = -1, pad = -1, unk = -1;
    int max_length = kDefaultMaxLength;
    std::vector<std::u32string> specials;  // literal special token texts, longest first

    mutable std::mutex cache_mutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>> cache;

    static uint64_t key(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

    std::vector<int32_t> bpe(const std::string& bytes) const;
    void word_ids(const std::string& bytes, std::vector<int64_t>& out) const;
};

std::vector<int32_t> ClipTokenizer::Model::bpe(const std::string& bytes) const {
    struct Sym {
        int32_t id;
        int prev, next;
        bool alive;
    };
    const int n = static_cast<int>(bytes.size());
    std::vector<Sym> syms(n);
    for (int i = 0; i < n; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        syms[i] = {i == n - 1 ? byte_end_id[b] : byte_id[b], i - 1, i + 1 < n ? i + 1 : -1, true};
    }
    struct Cand {
        int32_t rank;
        int pos;
        int32_t new_id;
        bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
    auto push = [&](int pos) {
        const int nx = syms[pos].next;
        if (nx < 0) return;
        auto it = merges.find(key(syms[pos].id, syms[nx].id));
        if (it != merges.end()) heap.push({it->second.rank, pos, it->second.new_id});
    };
    for (int i = 0; i + 1 < n; ++i) push(i);
    while (!heap.empty()) {
        const Cand top = heap.top();
        heap.pop();
        Sym& s = syms[top.pos];
        if (!s.alive || s.next < 0) continue;
        auto it = merges.find(key(s.id, syms[s.next].id));
        if (it == merges.end() || it->second.new_id != top.new_id || it->second.rank != top.rank) continue;  // stale
        Sym& right = syms[s.next];
        right.alive = false;
        s.id = top.new_id;
        s.next = right.next;
        if (s.next >= 0) syms[s.next].prev = top.pos;
        if (s.prev >= 0) push(s.prev);
        push(top.pos);
    }
    std::vector<int32_t> ids;
    for (int i = n > 0 ? 0 : -1; i >= 0; i = syms[i].next) ids.push_back(syms[i].id);
    return ids;
}

void ClipTokenizer::Model::word_ids(const std::string& bytes, std::vector<int64_t>& out) const {
    if (bytes.empty()) return;
    const bool cacheable = bytes.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cache_mutex);
        auto it = cache.find(bytes);
        if (it != cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids = bpe(bytes);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cache_mutex);
        if (cache.size() >= kCacheCapacity) cache.clear();
        cache.emplace(bytes, std::move(ids));
    }
}

ClipTokenizer::ClipTokenizer(std::shared_ptr<const Model> model) : model_(std::move(model)) {}

ClipTokenizer ClipTokenizer::from_folder(const std::string& dir) {
    const fs::path root(dir);
    if (!fs::is_directory(root)) throw ModelError("tokenizer: folder not found: " + dir);
    auto m = std::make_shared<Model>();

    // ---- vocab.json: {"token": id, ...}
    const fs::path vocab_path = root / "vocab.json";
    const nlohmann::json vocab = read_json(vocab_path);
    if (!vocab.is_object() || vocab.empty())
        throw ModelError("tokenizer: " + vocab_path.string() + " must be a non-empty JSON object {token: id}");
    m->vocab.reserve(vocab.size());
    int64_t max_id = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const auto& v = it.value();
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= (int64_t(1) << 24))
            throw ModelError("tokenizer: " + vocab_path.string() + ": token \"" + it.key() +
                             "\" has no valid id (expected an integer in [0, 2^24))");
        const int64_t id = v.get<int64_t>();
        m->vocab.emplace(it.key(), static_cast<int32_t>(id));
        max_id = std::max(max_id, id);
    }
    // The id tables are indexed by id: a few entries with huge ids would cost gigabytes
    // ({"a": 16777215} alone is 0.5 GB). Real vocabularies are dense (0 .. N-1).
    if (max_id >= 2 * static_cast<int64_t>(vocab.size()) + 1024)
        throw ModelError("tokenizer: " + vocab_path.string() + ": ids are implausibly sparse (largest id " +
                         std::to_string(max_id) + " for " + std::to_string(vocab.size()) + " tokens)");
    m->id_to_token.assign(static_cast<std::size_t>(max_id + 1), std::string());
    m->id_used.assign(static_cast<std::size_t>(max_id + 1), false);
    for (const auto& [tok, id] : m->vocab) {
        if (m->id_used[id])
            throw ModelError("tokenizer: " + vocab_path.string() + ": id " + std::to_string(id) +
                             " is used by two tokens (\"" + m->id_to_token[id] + "\" and \"" + tok + "\")");
        m->id_used[id] = true;
        m->id_to_token[id] = tok;
    }

    // ---- byte symbols
    m->byte_char = bytes_to_unicode();
    for (int b = 0; b < 256; ++b) {
        std::string sym;
        utf8_append(sym, m->byte_char[b]);
        m->char_byte.emplace(m->byte_char[b], static_cast<uint8_t>(b));
        auto plain = m->vocab.find(sym);
        auto end = m->vocab.find(sym + kEndOfWord);
        m->byte_id[b] = plain == m->vocab.end() ? -1 : plain->second;
        m->byte_end_id[b] = end == m->vocab.end() ? -1 : end->second;
    }

    // ---- merges.txt: optional "#version" line, then "left right" per line; rank = line order
    const fs::path merges_path = root / "merges.txt";
    {
        const std::string text = read_file(merges_path);
        std::size_t pos = 0, line_no = 0;
        int32_t rank = 0;
        m->merges.reserve(65536);
        while (pos < text.size()) {
            std::size_t eol = text.find('\n', pos);
            if (eol == std::string::npos) eol = text.size();
            std::string line = text.substr(pos, eol - pos);
            pos = eol + 1;
            ++line_no;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty() || line.rfind("#version", 0) == 0) continue;
            const std::size_t sp = line.find(' ');
            if (sp == std::string::npos || sp == 0 || sp + 1 == line.size() || line.find(' ', sp + 1) != std::string::npos)
                throw ModelError("tokenizer: " + merges_path.string() + " line " + std::to_string(line_no) +
                                 ": expected two symbols separated by one space, got \"" + line + "\"");
            const std::string a = line.substr(0, sp), b = line.substr(sp + 1);
            auto find = [&](const std::string& s) {
                auto it = m->vocab.find(s);
                if (it == m->vocab.end())
                    throw ModelError("tokenizer: " + merges_path.string() + " line " + std::to_string(line_no) +
                                     ": merge \"" + line + "\" uses \"" + s + "\", which is not in vocab.json");
                return it->second;
            };
            const int32_t ia = find(a), ib = find(b), inew = find(a + b);
            m->merges[Model::key(ia, ib)] = {rank++, inew};  // a repeated pair keeps its last rank
        }
        if (m->merges.empty()) throw ModelError("tokenizer: " + merges_path.string() + " holds no merges");
    }

    // ---- special tokens: defaults, tokenizer_config.json, then special_tokens_map.json (wins)
    std::string bos = "<|startoftext|>", eos = "<|endoftext|>", pad = "<|endoftext|>", unk = "<|endoftext|>";
    std::string bos_src = "default", eos_src = "default", pad_src = "default", unk_src = "default";
    for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
        const fs::path p = root / name;
        if (!fs::exists(p)) continue;
        const nlohmann::json cfg = read_json(p);
        if (!cfg.is_object()) throw ModelError("tokenizer: " + p.string() + " must be a JSON object");
        if (token_setting(cfg, "bos_token", p, bos)) bos_src = p.string();
        if (token_setting(cfg, "eos_token", p, eos)) eos_src = p.string();
        if (token_setting(cfg, "pad_token", p, pad)) pad_src = p.string();
        if (token_setting(cfg, "unk_token", p, unk)) unk_src = p.string();
        auto ml = cfg.find("model_max_length");
        if (ml != cfg.end() && !ml->is_null()) {
            if (!ml->is_number())
                throw ModelError("tokenizer: " + p.string() + ": \"model_max_length\" must be a number");
            const double v = ml->get<double>();
            // transformers writes a huge sentinel (1e30) when there is no limit: keep the CLIP 77.
            if (v >= 2 && v <= 1e6) m->max_length = static_cast<int>(v);
        }
    }
    auto special_id = [&](const std::string& tok, const char* what, const std::string& src) {
        auto it = m->vocab.find(tok);
        if (it == m->vocab.end())
            throw ModelError("tokenizer: " + std::string(what) + " \"" + tok + "\" (" + src + ") is not in " +
                             vocab_path.string());
        return it->second;
    };
    m->bos = special_id(bos, "bos_token", bos_src);
    m->eos = special_id(eos, "eos_token", eos_src);
    m->pad = special_id(pad, "pad_token", pad_src);
    m->unk = special_id(unk, "unk_token", unk_src);
    for (int b = 0; b < 256; ++b) {  // a byte symbol missing from the vocabulary reads as unk (like tokenizers)
        if (m->byte_id[b] < 0) m->byte_id[b] = m->unk;
        if (m->byte_end_id[b] < 0) m->byte_end_id[b] = m->unk;
    }
    // Every special token is matched literally in the raw text (tokenizers' added vocabulary;
    // with Karlo's pad_token "!" every "!" becomes id 0, as transformers does).
    for (const std::string& s : {bos, eos, pad, unk}) {
        std::u32string u = utf8_decode(s);
        if (!u.empty() && std::find(m->specials.begin(), m->specials.end(), u) == m->specials.end())
            m->specials.push_back(std::move(u));
    }
    std::stable_sort(m->specials.begin(), m->specials.end(),
                     [](const std::u32string& a, const std::u32string& b) { return a.size() > b.size(); });
    return ClipTokenizer(std::move(m));
}

void ClipTokenizer::tokenize(const std::string& utf8, std::vector<int64_t>& out, std::size_t limit) const {
    const Model& m = *model_;
    const std::u32string text = utf8_decode(utf8);

    auto process_segment = [&](std::u32string_view segment) {
        if (segment.empty() || out.size() >= limit) return;
        const std::u32string norm = normalize(segment);
        std::string bytes;
        PieceScanner::scan(norm, /*clip=*/true, [&](std::u32string_view clip_piece) {
            PieceScanner::scan(clip_piece, /*clip=*/false, [&](std::u32string_view piece) {
                if (out.size() >= limit) return;
                bytes = utf8_encode(piece);
                m.word_ids(bytes, out);
            });
        });
    };

    // Split the raw text on the literal special tokens (leftmost, longest first).
    std::size_t seg_start = 0, i = 0;
    while (i < text.size() && out.size() < limit) {
        const std::u32string* hit = nullptr;
        for (const auto& s : m.specials)
            if (text.compare(i, s.size(), s) == 0) {
                hit = &s;
                break;
            }
        if (!hit) {
            ++i;
            continue;
        }
        process_segment(std::u32string_view(text).substr(seg_start, i - seg_start));
        if (out.size() >= limit) return;
        out.push_back(m.vocab.at(utf8_encode(*hit)));
        i += hit->size();
        seg_start = i;
    }
    if (seg_start < text.size()) process_segment(std::u32string_view(text).substr(seg_start));
}

ClipTokenizer::Encoding ClipTokenizer::encode(const std::string& utf8, int max_length) const {
    if (max_length < 2)
        throw RequestError("tokenizer: max_length must be at least 2 (bos + eos), got " + std::to_string(max_length));
    const std::size_t keep = static_cast<std::size_t>(max_length) - 2;
    std::vector<int64_t> ids;
    tokenize(utf8, ids, keep);
    if (ids.size() > keep) ids.resize(keep);
    Encoding e;
    e.input_ids.reserve(max_length);
    e.input_ids.push_back(model_->bos);
    e.input_ids.insert(e.input_ids.end(), ids.begin(), ids.end());
    e.input_ids.push_back(model_->eos);
    e.attention_mask.assign(e.input_ids.size(), 1);
    e.input_ids.resize(max_length, model_->pad);
    e.attention_mask.resize(max_length, 0);
    return e;
}

std::vector<int64_t> ClipTokenizer::encode_untruncated(const std::string& utf8) const {
    std::vector<int64_t> ids{model_->bos};
    tokenize(utf8, ids, static_cast<std::size_t>(-1));
    ids.push_back(model_->eos);
    return ids;
}

std::vector<std::string> ClipTokenizer::bpe_pieces(const std::string& utf8) const {
    std::vector<std::string> pieces;
    for (int64_t id : encode_untruncated(utf8)) pieces.push_back(model_->id_to_token[id]);
    return pieces;
}

std::string ClipTokenizer::decode(const std::vector<int64_t>& ids, bool skip_special_tokens) const {
    const Model& m = *model_;
    std::string bytes;
    const std::string suffix = kEndOfWord;
    for (int64_t id : ids) {
        if (id < 0 || id >= static_cast<int64_t>(m.id_used.size()) || !m.id_used[id])
            throw RequestError("tokenizer: cannot decode unknown token id " + std::to_string(id));
        if (skip_special_tokens && (id == m.bos || id == m.eos || id == m.pad || id == m.unk)) continue;
        std::string tok = m.id_to_token[id];
        const bool word_end = tok.size() >= suffix.size() && tok.compare(tok.size() - suffix.size(), suffix.size(), suffix) == 0;
        if (word_end) tok.resize(tok.size() - suffix.size());
        for (char32_t c : utf8_decode(tok)) {
            auto it = m.char_byte.find(c);
            if (it != m.char_byte.end())
                bytes.push_back(static_cast<char>(it->second));
            else
                utf8_append(bytes, c);
        }
        if (word_end) bytes.push_back(' ');
    }
    std::string text = utf8_encode(utf8_decode(bytes));  // invalid byte sequences -> U+FFFD
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) return std::string();
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

int64_t ClipTokenizer::bos_id() const { return model_->bos; }
int64_t ClipTokenizer::eos_id() const { return model_->eos; }
int64_t ClipTokenizer::pad_id() const { return model_->pad; }
int64_t ClipTokenizer::unk_id() const { return model_->unk; }
int64_t ClipTokenizer::vocab_size() const { return static_cast<int64_t>(model_->vocab.size()); }
int ClipTokenizer::max_length() const { return max_length_override_ > 0 ? max_length_override_ : model_->max_length; }

ClipTokenizer ClipTokenizer::with_max_length(int n) const {
    if (n < 2) throw RequestError("a tokenizer's max length must be at least 2");
    ClipTokenizer t = *this;
    t.max_length_override_ = n;
    return t;
}

int64_t ClipTokenizer::token_to_id(const std::string& token) const {
    auto it = model_->vocab.find(token);
    return it == model_->vocab.end() ? -1 : it->second;
}

std::string ClipTokenizer::id_to_token(int64_t id) const {
    if (id < 0 || id >= static_cast<int64_t>(model_->id_to_token.size())) return std::string();
    return model_->id_to_token[id];
}

}  // namespace unclip::text
