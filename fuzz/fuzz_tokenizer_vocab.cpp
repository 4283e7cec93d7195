// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: loading a tokenizer folder (ClipTokenizer::from_folder) from fuzzed vocab.json,
// merges.txt and tokenizer_config.json. The input holds the three files separated by lines
// "#~~" (a missing third part means no tokenizer_config.json). A folder must either be refused
// with unclip::ModelError or give a tokenizer whose encodings hold the usual invariants.
#include "core/common/error.h"
#include "core/text/clip_tokenizer.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/tokenizer_checks.h"

#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip;
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> parts;
    const std::string sep = "\n#~~\n";
    size_t pos = 0;
    while (parts.size() < 2) {
        const size_t at = input.find(sep, pos);
        if (at == std::string::npos) break;
        parts.push_back(input.substr(pos, at - pos));
        pos = at + sep.size();
    }
    parts.push_back(input.substr(pos));

    static const fs::path dir = fuzz::scratch_dir() / "tokenizer";
    fs::create_directories(dir);
    fuzz::write_file(dir / "vocab.json", parts[0]);
    if (parts.size() > 1) fuzz::write_file(dir / "merges.txt", parts[1]);
    else fs::remove(dir / "merges.txt");
    if (parts.size() > 2) fuzz::write_file(dir / "tokenizer_config.json", parts[2]);
    else fs::remove(dir / "tokenizer_config.json");

    std::optional<text::ClipTokenizer> tok;
    try {
        tok.emplace(text::ClipTokenizer::from_folder(dir.string()));
    } catch (const ModelError&) {
        return 0;  // refused with a message: fine
    }
    FUZZ_CHECK(tok->vocab_size() > 0);
    FUZZ_CHECK(tok->max_length() >= 2);
    for (int64_t id : {tok->bos_id(), tok->eos_id(), tok->pad_id(), tok->unk_id()})
        FUZZ_CHECK(tok->token_to_id(tok->id_to_token(id)) == id);
    // Prompts that walk the usual paths, plus the special token texts and every vocabulary entry
    // of the (small) fuzzed vocabulary glued together.
    std::vector<std::string> texts = {"", "a photo of a cat", "<|startoftext|>Hi!<|endoftext|> it's 2024",
                                      "h\xc3\xa9llo  W\xc3\xb6RLD\t\n123 \xf0\x9f\x98\x80 \xff\xfe"};
    std::string all;
    for (int64_t id = 0; id < 4096 && all.size() < 4096; ++id) all += tok->id_to_token(id) + " ";
    texts.push_back(all);
    texts.push_back(tok->id_to_token(tok->bos_id()) + "x" + tok->id_to_token(tok->pad_id()));
    for (const auto& t : texts) fuzz::check_encoding(*tok, t, 5);
    return 0;
}
