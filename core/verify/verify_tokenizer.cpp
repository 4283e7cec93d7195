// SPDX-License-Identifier: GPL-3.0-or-later
// Exact tokenizer parity against the golden tokenizer case files.
#include "core/verify/verify_tokenizer.h"

#include "core/text/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace unclip::text {
namespace {

namespace fs = std::filesystem;
const char* const kDefaultCaseFiles[] = {"tokenizer_cases.json", "tokenizer_cases_small.json"};

// The tokenizer case files the golden set lists in manifest.json "extra" ("cases/tokenizer_cases*.json");
// without a manifest (or a list), the two files of the first golden set.
std::vector<std::string> case_files(const fs::path& golden) {
    std::vector<std::string> out;
    std::ifstream f(golden / "manifest.json");
    const nlohmann::json m = f ? nlohmann::json::parse(f, nullptr, /*allow_exceptions=*/false) : nlohmann::json();
    if (m.is_object() && m.contains("extra") && m["extra"].is_array())
        for (const auto& e : m["extra"]) {
            if (!e.is_object() || !e.contains("file") || !e["file"].is_string()) continue;
            const std::string file = e["file"].get<std::string>();
            const std::string prefix = "cases/tokenizer_cases";
            if (file.compare(0, prefix.size(), prefix) == 0 && file.size() > 5 &&
                file.compare(file.size() - 5, 5, ".json") == 0)
                out.push_back(file.substr(6));
        }
    if (out.empty()) out.assign(std::begin(kDefaultCaseFiles), std::end(kDefaultCaseFiles));
    return out;
}

std::string shorten(const std::string& s) {
    std::string out = s.size() > 60 ? s.substr(0, 57) + "..." : s;
    for (char& c : out)
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    return out;
}

struct Tally {
    int64_t mismatches = 0;
    std::string first;
    void add(bool ok, const std::string& text) {
        if (ok) return;
        if (mismatches++ == 0) first = shorten(text);
    }
};

void verify_file(const fs::path& golden, const std::string& file, std::vector<VerifyRow>& rows) {
    const fs::path path = golden / "cases" / file;
    std::string label = "tokenizer[" + file + "]";
    auto fail = [&](const std::string& what) { rows.push_back({label, 1, false, what}); };

    nlohmann::json doc;
    try {
        std::ifstream in(path);
        if (!in) return fail("cannot open " + path.string());
        doc = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        return fail(path.string() + ": " + e.what());
    }
    try {
        const std::string vocab = doc.at("vocab").get<std::string>();
        label = "tokenizer[" + vocab + "]";
        const ClipTokenizer tok = ClipTokenizer::from_folder((golden / vocab).string());

        // Header: special ids and vocabulary size.
        Tally header;
        auto check_header = [&](const char* key, int64_t got) {
            if (doc.contains(key)) header.add(doc[key].get<int64_t>() == got, key);
        };
        check_header("vocab_size", tok.vocab_size());
        check_header("bos_token_id", tok.bos_id());
        check_header("eos_token_id", tok.eos_id());
        check_header("pad_token_id", tok.pad_id());
        check_header("model_max_length", tok.max_length());
        rows.push_back({label + ".special_ids", header.mismatches, header.mismatches == 0,
                        header.mismatches ? "differs: " + header.first : "vocab_size, bos, eos, pad, max_length"});

        Tally ids, mask, untrunc, pieces;
        const auto& cases = doc.at("cases");
        for (const auto& c : cases) {
            const std::string text = c.at("text").get<std::string>();
            const auto want_ids = c.at("input_ids").get<std::vector<int64_t>>();
            const auto enc = tok.encode(text, static_cast<int>(want_ids.size()));
            ids.add(enc.input_ids == want_ids, text);
            mask.add(enc.attention_mask == c.at("attention_mask").get<std::vector<int64_t>>(), text);
            if (c.contains("untruncated_ids"))
                untrunc.add(tok.encode_untruncated(text) == c["untruncated_ids"].get<std::vector<int64_t>>(), text);
            else if (c.contains("untruncated_len"))  // sets that record the length only
                untrunc.add(static_cast<int64_t>(tok.encode_untruncated(text).size()) ==
                                c["untruncated_len"].get<int64_t>(),
                            text);
            if (c.contains("tokens"))
                pieces.add(tok.bpe_pieces(text) == c["tokens"].get<std::vector<std::string>>(), text);
        }
        const std::string n = std::to_string(cases.size()) + " cases";
        auto row = [&](const char* what, const Tally& t) {
            rows.push_back({label + "." + what, t.mismatches, t.mismatches == 0 && !cases.empty(),
                            cases.empty() ? "no cases"
                            : t.mismatches ? n + ", first mismatch: \"" + t.first + "\""
                                           : n + " exact"});
        };
        row("input_ids", ids);
        row("attention_mask", mask);
        row("untruncated_ids", untrunc);
        row("bpe_pieces", pieces);
    } catch (const std::exception& e) {
        fail(path.string() + ": " + e.what());
    }
}

}  // namespace

std::vector<VerifyRow> verify_tokenizer(const std::string& golden_dir) {
    std::vector<VerifyRow> rows;
    for (const auto& file : case_files(fs::path(golden_dir))) verify_file(fs::path(golden_dir), file, rows);
    return rows;
}

}  // namespace unclip::text
