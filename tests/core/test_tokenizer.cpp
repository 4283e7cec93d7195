// SPDX-License-Identifier: GPL-3.0-or-later
// CLIP BPE tokenizer: exact parity with transformers 5 CLIPTokenizer on every golden case (real and
// reduced vocabularies), padding/truncation, special tokens, bad input and bad tokenizer folders.
#include "core/common/error.h"
#include "core/text/clip_tokenizer.h"
#include "core/text/unicode.h"
#include "core/verify/verify_tokenizer.h"
#include "tests/support/golden.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace unclip;
using text::ClipTokenizer;
namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const fs::path& p) {
    std::ifstream in(p);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

void write_file(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A scratch folder removed at the end of the test case.
struct TempDir {
    fs::path path;
    TempDir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("unclip_tok_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// A tokenizer folder holding clip_bpe_small's files (optionally one of them replaced).
fs::path small_folder_copy(const TempDir& tmp, const std::string& name = "tok") {
    const fs::path dir = tmp.path / name;
    fs::create_directories(dir);
    for (const char* f : {"vocab.json", "merges.txt"})
        fs::copy_file(test::golden_path(std::string("clip_bpe_small/") + f), dir / f);
    return dir;
}

const ClipTokenizer& real_tokenizer() {
    static const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path("clip_bpe"));
    return tok;
}

std::string u8(const char32_t* s) { return text::utf8_encode(s); }

void check_case_file(const char* file) {
    const nlohmann::json doc = read_json(test::golden_path(std::string("cases/") + file));
    const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path(doc.at("vocab").get<std::string>()));
    EXPECT_EQ(tok.vocab_size(), doc.at("vocab_size").get<int64_t>());
    EXPECT_EQ(tok.bos_id(), doc.at("bos_token_id").get<int64_t>());
    EXPECT_EQ(tok.eos_id(), doc.at("eos_token_id").get<int64_t>());
    EXPECT_EQ(tok.pad_id(), doc.at("pad_token_id").get<int64_t>());
    int n = 0;
    for (const auto& c : doc.at("cases")) {
        const std::string t = c.at("text").get<std::string>();
        const auto want = c.at("input_ids").get<std::vector<int64_t>>();
        const auto enc = tok.encode(t, static_cast<int>(want.size()));
        EXPECT_MSG(enc.input_ids == want, file << ": input_ids of \"" << t << "\"");
        EXPECT_MSG(enc.attention_mask == c.at("attention_mask").get<std::vector<int64_t>>(),
                   file << ": attention_mask of \"" << t << "\"");
        EXPECT_MSG(tok.encode_untruncated(t) == c.at("untruncated_ids").get<std::vector<int64_t>>(),
                   file << ": untruncated ids of \"" << t << "\"");
        EXPECT_MSG(tok.bpe_pieces(t) == c.at("tokens").get<std::vector<std::string>>(),
                   file << ": BPE pieces of \"" << t << "\"");
        ++n;
    }
    EXPECT_EQ(n, doc.at("n_cases").get<int>());
}

}  // namespace

// ------------------------------------------------------------------ golden parity

TEST_CASE("every golden case matches with the real CLIP vocabulary") { check_case_file("tokenizer_cases.json"); }

TEST_CASE("every golden case matches with the reduced vocabulary") { check_case_file("tokenizer_cases_small.json"); }

TEST_CASE("verify_tokenizer passes on the golden folder and reports every check") {
    const auto rows = text::verify_tokenizer(test::golden_dir());
    EXPECT_EQ(rows.size(), size_t(10));
    for (const auto& r : rows) EXPECT_MSG(r.pass && r.mismatches == 0, r.check << ": " << r.note);
}

TEST_CASE("verify_tokenizer catches a perturbed golden id and a missing case file") {
    TempDir tmp;
    fs::create_directories(tmp.path / "cases");
    fs::create_symlink(fs::absolute(test::golden_path("clip_bpe")), tmp.path / "clip_bpe");
    nlohmann::json doc = read_json(test::golden_path("cases/tokenizer_cases.json"));
    doc["cases"][5]["input_ids"][1] = doc["cases"][5]["input_ids"][1].get<int64_t>() + 1;
    doc["cases"][6]["tokens"][1] = "nonsense";
    write_file(tmp.path / "cases/tokenizer_cases.json", doc.dump());
    const auto rows = text::verify_tokenizer(tmp.path.string());
    int failed = 0;
    for (const auto& r : rows) {
        if (r.check == "tokenizer[clip_bpe].input_ids") EXPECT_EQ(r.mismatches, int64_t(1));
        if (r.check == "tokenizer[clip_bpe].bpe_pieces") EXPECT_EQ(r.mismatches, int64_t(1));
        if (r.check == "tokenizer[clip_bpe].attention_mask") EXPECT(r.pass);
        failed += r.pass ? 0 : 1;
    }
    EXPECT_EQ(failed, 3);  // input_ids, bpe_pieces, and the missing small case file
}

// ------------------------------------------------------------------ encode behaviour

TEST_CASE("with_max_length pads to another length and leaves the original alone") {
    const ClipTokenizer& tok = real_tokenizer();
    const ClipTokenizer t24 = tok.with_max_length(24);
    EXPECT_EQ(t24.max_length(), 24);
    EXPECT_EQ(tok.max_length(), 77);
    EXPECT_EQ(t24.vocab_size(), tok.vocab_size());
    const auto a = tok.encode("a photo of a cat", 24), b = t24.encode("a photo of a cat", t24.max_length());
    EXPECT(a.input_ids == b.input_ids && a.attention_mask == b.attention_mask);
    EXPECT_THROWS(unclip::RequestError, tok.with_max_length(1), "at least 2");
}


TEST_CASE("padding and truncation give max_length ids with bos..eos masked in") {
    const ClipTokenizer& tok = real_tokenizer();
    EXPECT_EQ(tok.max_length(), 77);
    const auto e = tok.encode("a photo of a cat");
    REQUIRE(e.input_ids.size() == 77 && e.attention_mask.size() == 77);
    EXPECT_EQ(e.input_ids[0], tok.bos_id());
    EXPECT_EQ(e.input_ids[6], tok.eos_id());
    EXPECT_EQ(e.input_ids[7], tok.pad_id());
    EXPECT_EQ(std::count(e.attention_mask.begin(), e.attention_mask.end(), 1), 7);

    std::string long_text;
    for (int i = 0; i < 100; ++i) long_text += "red cube ";
    const auto full = tok.encode_untruncated(long_text);
    const size_t n_full = 2 + 100 * (tok.encode_untruncated("red cube").size() - 2);  // bos + 100 x the pair + eos
    EXPECT_EQ(full.size(), n_full);
    REQUIRE(n_full > 200);
    for (int len : {2, 3, 10, 77, 200}) {
        const auto t = tok.encode(long_text, len);
        REQUIRE(t.input_ids.size() == size_t(len));
        EXPECT_EQ(t.input_ids.front(), tok.bos_id());
        EXPECT_EQ(t.input_ids.back(), tok.eos_id());
        EXPECT(std::equal(t.input_ids.begin() + 1, t.input_ids.end() - 1, full.begin() + 1));
        EXPECT_EQ(std::count(t.attention_mask.begin(), t.attention_mask.end(), 1), len);
    }
    const int wide_len = static_cast<int>(n_full) + 98;
    const auto wide = tok.encode(long_text, wide_len);  // longer than the text: padded
    EXPECT_EQ(std::count(wide.attention_mask.begin(), wide.attention_mask.end(), 1), static_cast<std::ptrdiff_t>(n_full));
    EXPECT_EQ(wide.input_ids[n_full], tok.pad_id());
    EXPECT_THROWS(RequestError, tok.encode("x", 1), "max_length");
}

TEST_CASE("the empty prompt is bos, eos, then padding") {
    const nlohmann::json doc = read_json(test::golden_path("cases/tokenizer_cases.json"));  // the real vocabulary's ids
    const auto e = real_tokenizer().encode("");
    EXPECT_EQ(e.input_ids[0], doc.at("bos_token_id").get<int64_t>());
    EXPECT_EQ(e.input_ids[1], doc.at("eos_token_id").get<int64_t>());
    EXPECT_EQ(e.input_ids.back(), doc.at("pad_token_id").get<int64_t>());
    EXPECT_EQ(e.attention_mask[1], int64_t(1));
    EXPECT_EQ(e.attention_mask[2], int64_t(0));
}

TEST_CASE("special tokens in the text are matched literally, before normalisation") {
    const ClipTokenizer& tok = real_tokenizer();
    const auto a = tok.encode_untruncated("a<|endoftext|>b<|startoftext|>");
    EXPECT(a == (std::vector<int64_t>{tok.bos_id(), tok.token_to_id("a</w>"), tok.eos_id(),
                                      tok.token_to_id("b</w>"), tok.bos_id(), tok.eos_id()}));
    // Upper case is not the special token: after lowercasing it is ordinary text, which the
    // byte-level regex splits into "<|", "endoftext", "|>" (each its own word).
    auto inner = [&](const std::string& t) {
        auto ids = tok.encode_untruncated(t);
        return std::vector<int64_t>(ids.begin() + 1, ids.end() - 1);
    };
    std::vector<int64_t> want{tok.bos_id()};
    for (const char* part : {"<|", "endoftext", "|>"}) {
        const auto p = inner(part);
        want.insert(want.end(), p.begin(), p.end());
    }
    want.push_back(tok.eos_id());
    EXPECT(tok.encode_untruncated("<|ENDOFTEXT|>") == want);
    const auto up = tok.encode_untruncated("<|ENDOFTEXT|>");
    EXPECT_EQ(std::count(up.begin(), up.end(), tok.eos_id()), 1);  // only the final eos
}

TEST_CASE("normalisation: NFC, whitespace runs, per-code-point lowercase") {
    const ClipTokenizer& tok = real_tokenizer();
    EXPECT(tok.encode_untruncated(u8(U"e\u0301cole")) == tok.encode_untruncated(u8(U"\u00e9cole")));
    EXPECT(tok.encode_untruncated("A \t\n  B") == tok.encode_untruncated("a b"));
    // word-final capital sigma lowercases to U+03C3, not the final form U+03C2
    EXPECT(tok.encode_untruncated(u8(U"\u039f\u03a3")) == tok.encode_untruncated(u8(U"\u03bf\u03c3")));
    EXPECT(tok.encode_untruncated(u8(U"\u039f\u03a3")) != tok.encode_untruncated(u8(U"\u03bf\u03c2")));
}

TEST_CASE("invalid UTF-8 never crashes and reads as U+FFFD") {
    const ClipTokenizer& tok = real_tokenizer();
    const std::string bad = "cat \xff\xfe dog \xc3 \xed\xa0\x80 \xf4\x90\x80\x80 end\xe2\x82";
    const auto ids = tok.encode_untruncated(bad);
    EXPECT(ids.size() > 4);
    EXPECT(ids == tok.encode_untruncated(text::utf8_encode(text::utf8_decode(bad))));
    EXPECT(tok.encode(bad).input_ids.size() == 77);
    EXPECT_EQ(text::utf8_decode("\xff\xfe").size(), size_t(2));
    EXPECT(text::utf8_decode("a\xe2\x82z") == std::u32string(U"a\uFFFDz"));  // truncated sequence = one U+FFFD
    EXPECT(text::utf8_decode("\xc0\xaf") == std::u32string(U"\uFFFD\uFFFD"));  // overlong
    const std::string dec = tok.decode(ids);
    EXPECT(dec.find("cat") == 0);
    EXPECT(text::utf8_encode(text::utf8_decode(dec)) == dec);  // decode output is valid UTF-8
}

TEST_CASE("decode maps ids back to text") {
    const ClipTokenizer& tok = real_tokenizer();
    EXPECT_EQ(tok.decode(tok.encode("A Photo of a CAT!").input_ids), std::string("a photo of a cat !"));
    EXPECT_EQ(tok.decode(tok.encode_untruncated(u8(U"caf\u00e9 \U0001F642"))), u8(U"caf\u00e9 \U0001F642"));
    EXPECT_EQ(tok.decode({tok.bos_id(), tok.eos_id()}, false), std::string("<|startoftext|><|endoftext|>"));
    EXPECT_THROWS(RequestError, tok.decode({-1}), "unknown token id");
}

TEST_CASE("encoding from several threads gives the same ids") {
    const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path("clip_bpe"));
    const std::vector<std::string> prompts = {"a red cube on a blue table", "ancient castle, stormy sea",
                                              u8(U"Z\u00fcrich Stra\u00dfe"), "rock'n'roll 3.14159"};
    std::vector<std::vector<int64_t>> want;
    for (const auto& p : prompts) want.push_back(real_tokenizer().encode(p).input_ids);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i) {
                const size_t k = (i + t) % prompts.size();
                if (tok.encode(prompts[k]).input_ids != want[k]) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wrong.load(), 0);
}

TEST_CASE("the real vocabulary loads and tokenizes quickly") {
    const auto t0 = std::chrono::steady_clock::now();
    const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path("clip_bpe"));
    for (int i = 0; i < 1000; ++i) tok.encode("a highly detailed digital painting of an ancient castle " + std::to_string(i));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_MSG(s < 5.0, "load + 1000 encodes took " << s << " s");  // ~0.1 s on a laptop core
}

// ------------------------------------------------------------------ tokenizer folders

TEST_CASE("the golden model folders' tokenizer (with tokenizer_config.json) loads") {
    const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path("models/unclip-text2img/tokenizer"));
    const ClipTokenizer small = ClipTokenizer::from_folder(test::golden_path("clip_bpe_small"));
    // The reduced vocabulary's figures as the case file and the text encoder's config state them
    // (V entries = K merges + 514, bos = V - 2, eos = pad = V - 1).
    const nlohmann::json doc = read_json(test::golden_path("cases/tokenizer_cases_small.json"));
    const int64_t V = doc.at("vocab_size").get<int64_t>();
    EXPECT_EQ(V, test::golden_config("unclip-text2img", "text_encoder").at("vocab_size").get<int64_t>());
    EXPECT_EQ(V, doc.at("n_merges").get<int64_t>() + 514);
    EXPECT_EQ(tok.vocab_size(), V);
    EXPECT_EQ(tok.bos_id(), V - 2);
    EXPECT_EQ(tok.eos_id(), V - 1);
    EXPECT_EQ(tok.pad_id(), V - 1);
    EXPECT_EQ(tok.bos_id(), doc.at("bos_token_id").get<int64_t>());
    EXPECT_EQ(tok.pad_id(), doc.at("pad_token_id").get<int64_t>());
    EXPECT_EQ(tok.max_length(), doc.at("model_max_length").get<int>());
    EXPECT(tok.encode("a photo of a cat").input_ids == small.encode("a photo of a cat").input_ids);
}

TEST_CASE("Karlo-style special_tokens_map.json with pad_token '!' is honoured") {
    TempDir tmp;
    const fs::path dir = small_folder_copy(tmp);
    write_file(dir / "tokenizer_config.json",
               R"({"bos_token": {"content": "<|startoftext|>", "lstrip": false}, "eos_token": "<|endoftext|>",
                   "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "model_max_length": 77})");
    write_file(dir / "special_tokens_map.json",
               R"({"bos_token": {"content": "<|startoftext|>", "single_word": false}, "eos_token": {"content": "<|endoftext|>"},
                   "pad_token": "!", "unk_token": {"content": "<|endoftext|>"}})");
    const ClipTokenizer tok = ClipTokenizer::from_folder(dir.string());
    const int64_t bang = tok.token_to_id("!");
    EXPECT_EQ(bang, int64_t(0));
    EXPECT_EQ(tok.pad_id(), bang);
    const auto e = tok.encode("the!", 8);  // every literal "!" is the pad token, as in transformers
    EXPECT(e.input_ids == (std::vector<int64_t>{tok.bos_id(), tok.token_to_id("the</w>"), bang, tok.eos_id(), bang, bang, bang, bang}));
    EXPECT(e.attention_mask == (std::vector<int64_t>{1, 1, 1, 1, 0, 0, 0, 0}));

    // a huge model_max_length (transformers' "no limit" sentinel) keeps CLIP's 77
    write_file(dir / "tokenizer_config.json", R"({"model_max_length": 1e30})");
    EXPECT_EQ(ClipTokenizer::from_folder(dir.string()).max_length(), 77);
}

TEST_CASE("a missing file is an error naming it") {
    TempDir tmp;
    const fs::path dir = small_folder_copy(tmp);
    fs::remove(dir / "merges.txt");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "merges.txt");
    fs::remove(dir / "vocab.json");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "vocab.json");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder((tmp.path / "nowhere").string()), "nowhere");
}

TEST_CASE("a corrupted vocabulary is an error naming the file") {
    TempDir tmp;
    const fs::path dir = small_folder_copy(tmp);
    const std::string good_vocab = read_text(dir / "vocab.json");
    write_file(dir / "vocab.json", good_vocab.substr(0, good_vocab.size() / 2));  // truncated JSON
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "vocab.json");
    write_file(dir / "vocab.json", R"(["a", "b"])");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "vocab.json");
    nlohmann::json v = nlohmann::json::parse(good_vocab);
    v["cat</w>"] = "seven";
    write_file(dir / "vocab.json", v.dump());
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "cat</w>");
    v["cat</w>"] = 3;  // duplicate id
    write_file(dir / "vocab.json", v.dump());
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "vocab.json");
    // a vocabulary without the eos token the config names
    v = nlohmann::json::parse(good_vocab);
    v.erase("<|endoftext|>");
    write_file(dir / "vocab.json", v.dump());
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "<|endoftext|>");
}

TEST_CASE("corrupted merges are an error naming the file and line") {
    TempDir tmp;
    const fs::path dir = small_folder_copy(tmp);
    const std::string good = read_text(dir / "merges.txt");
    // The line after the last: the header + K merges (K from the case file), one more line.
    const int64_t k_merges = read_json(test::golden_path("cases/tokenizer_cases_small.json")).at("n_merges").get<int64_t>();
    REQUIRE(std::count(good.begin(), good.end(), '\n') == k_merges + 1);
    const std::string next_line = "merges.txt line " + std::to_string(k_merges + 2);
    write_file(dir / "merges.txt", good + "qqqq zzzz\n");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), next_line);
    write_file(dir / "merges.txt", good + "threeparts a b\n");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), next_line);
    write_file(dir / "merges.txt", "#version: 0.2\n");
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "merges.txt");
    write_file(dir / "tokenizer_config.json", "{\"pad_token\": 5}");
    write_file(dir / "merges.txt", good);
    EXPECT_THROWS(ModelError, ClipTokenizer::from_folder(dir.string()), "tokenizer_config.json");
}

TEST_CASE("merge ranks decide the BPE result") {
    // Swapping the rank of two merges must change the pieces of a word that uses both.
    TempDir tmp;
    const fs::path dir = small_folder_copy(tmp);
    const ClipTokenizer base = ClipTokenizer::from_folder(dir.string());
    const auto before = base.bpe_pieces("the");
    // keep only the header and "t h": "the" can then only become "th" + "e</w>"
    write_file(dir / "merges.txt", "#version: 0.2\nt h\n");
    const auto after = ClipTokenizer::from_folder(dir.string()).bpe_pieces("the");
    EXPECT(after == (std::vector<std::string>{"<|startoftext|>", "th", "e</w>", "<|endoftext|>"}));
    // With the golden set's merges "the" is merged further (how far depends on its K merges).
    EXPECT(before != after);
    EXPECT(before.size() <= after.size());
}

// ------------------------------------------------------------------ unicode helpers

TEST_CASE("unicode helpers: NFC, lowercase and classes") {
    using namespace text;
    EXPECT(nfc(U"e\u0301") == std::u32string(U"\u00e9"));
    EXPECT(nfc(U"\u1100\u1161\u11a8") == std::u32string(U"\uac01"));    // Hangul L V T
    EXPECT(nfc(U"a\u0328\u0301") == std::u32string(U"\u0105\u0301"));  // ogonek composes first
    EXPECT(nfc(U"\u212b") == std::u32string(U"\u00c5"));                // singleton (Angstrom)
    EXPECT(nfc(U"\u0344") == std::u32string(U"\u0308\u0301"));          // composition exclusion
    EXPECT(to_lower(U"\u0130") == std::u32string(U"i\u0307"));
    EXPECT(to_lower(U"\u03a3\u216b\u0041\u00c0\u0410") == std::u32string(U"\u03c3\u217b\u0061\u00e0\u0430"));
    EXPECT(is_letter(U'\u00e9') && is_letter(U'\u65e5') && !is_letter(U'1') && !is_letter(U'\u0301'));
    EXPECT(is_number(U'\u216b') && is_number(U'\u00bd') && is_number(U'\u0663') && !is_number(U'x'));
    EXPECT(is_whitespace(U'\u00a0') && is_whitespace(U'\u3000') && is_whitespace(U'\n') && !is_whitespace(U'\u200b'));
    EXPECT_EQ(int(combining_class(U'\u0301')), 230);
}

// Unicode 15.0 (Debian's unicode-data; the reference's Python 3.12 and Rust tokenizers): characters
// new in 15.0 have their classes. The CLIP pattern ([\p{L}]+ | [\p{N}] | [^\s\p{L}\p{N}]+), as
// the reference's regex engine applies it, splits "a\U0001E030b \U00011F51\U00011F52" into
// ['a\U0001E030b', '\U00011F51', '\U00011F52']: U+1E030 MODIFIER LETTER CYRILLIC SMALL A is a
// letter inside the word, and the two KAWI DIGITs are one number each. With 14.0 tables both were
// unassigned: "a", "\U0001E030", "b" and one run of two "other" characters.
TEST_CASE("unicode 15.0: new letters, digits and marks, and how the tokenizer splits them") {
    using namespace text;
    EXPECT_EQ(std::string(unicode_version()), std::string("15.0.0"));
    EXPECT(is_letter(U'\U0001E030') && !is_number(U'\U0001E030'));
    EXPECT(is_number(U'\U00011F51') && !is_letter(U'\U00011F51'));
    EXPECT_EQ(int(combining_class(U'\U0001E4EC')), 232);  // NAG MUNDARI SIGN MUHOR
    EXPECT(!is_letter(U'\U0001E4EC'));
    static const ClipTokenizer tok = ClipTokenizer::from_folder(test::golden_path("clip_bpe"));
    auto words = [&](const std::string& text) {  // pieces ending a word
        int n = 0;
        for (const auto& p : tok.bpe_pieces(text)) n += p.size() >= 4 && p.compare(p.size() - 4, 4, "</w>") == 0;
        return n;
    };
    EXPECT_EQ(words("a\xF0\x9E\x80\xB0" "b"), 1);                    // one word: a U+1E030 b
    EXPECT_EQ(words("\xF0\x91\xBD\x91\xF0\x91\xBD\x92"), 2);        // two digits
    EXPECT_EQ(words("a\xF0\x9E\x80\xB0" "b \xF0\x91\xBD\x91\xF0\x91\xBD\x92"), 3);
}

UNCLIP_TEST_MAIN()
