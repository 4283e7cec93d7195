// SPDX-License-Identifier: GPL-3.0-or-later
// unclip tokenize --model DIR TEXT...: token ids and attention masks as JSON, one line per text.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/common/install_paths.h"
#include "core/io/model_folder.h"
#include "core/text/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace unclip::cli {

int cmd_tokenize(const Argv& argv) {
    Args args(argv, {"--help", "--pieces"}, {"--model", "--max-length"});
    if (args.flag("--help")) {
        std::cout << "usage: unclip tokenize [--model DIR] [--max-length N] [--pieces] TEXT...\n\n"
                     "Tokenizes each TEXT with the model folder's CLIP tokenizer exactly as the unCLIP pipelines do\n"
                     "(padded and truncated to N, default the tokenizer's model_max_length, usually 77) and prints\n"
                     "one JSON object per line: {\"text\", \"input_ids\", \"attention_mask\"} (+ \"pieces\" with --pieces).\n"
                     "DIR is a diffusers model folder or its tokenizer/ folder (default: the embedded model).\n\n"
                     "example:\n"
                     "  unclip tokenize --pieces \"a photo of a cat\" \"an astronaut\"\n";
        return 0;
    }
    if (args.positional().empty()) throw RequestError("give at least one TEXT to tokenize (see unclip tokenize --help)");
    std::string dir = args.get("--model", default_model_dir());
    if (dir.empty()) throw RequestError("no model folder given and no embedded model found (use --model DIR)");
    if (std::filesystem::exists(std::filesystem::path(dir) / "model_index.json")) dir = io::ModelFolder(dir).component_dir("tokenizer");
    auto tok = text::ClipTokenizer::from_folder(dir);
    const int max_length = static_cast<int>(args.get_integer("--max-length", tok.max_length(), 2, 4096));
    for (const auto& t : args.positional()) {
        auto enc = tok.encode(t, max_length);
        nlohmann::json j = {{"text", t}, {"input_ids", enc.input_ids}, {"attention_mask", enc.attention_mask}};
        if (args.flag("--pieces")) j["pieces"] = tok.bpe_pieces(t);
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return 0;
}

}  // namespace unclip::cli
