// SPDX-License-Identifier: GPL-3.0-or-later
// unclip score: CLIP cosine similarity of images and texts, as JSON.
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <iostream>

namespace unclip::cli {
namespace {

void print_score_help() {
    std::cout << "usage: unclip score [--model DIR] --image FILE [FILE ...] --text TEXT [TEXT ...]\n\n"
                 "Prints the CLIP cosine similarity of every image with every text as JSON:\n"
                 "  {\"images\": [paths], \"texts\": [texts], \"similarity\": [[...]]}\n"
                 "with one row per image and one column per text (the image and text encoders' projected\n"
                 "embeddings, L2-normalised). Needs the text encoder, tokenizer, image encoder and feature\n"
                 "extractor (karlo-v1-alpha-image-variations has all four). --image and --text take several\n"
                 "values each, or can be repeated. Images: " << input_formats() << ".\n\n"
                 "options:\n"
              << common_options_help(kModelOptions) << Backend::help()
              << "\nexample:\n"
                 "  unclip score -m karlo-v1-alpha-image-variations --image a.png b.jpg --text \"a cat\" \"a dog\"\n";
}

// "--image a b --text x y" -> "--image a --image b --text x --text y".
Argv expand_lists(const Argv& argv) {
    Argv out;
    std::string current;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--image" || a == "--text") {
            current = a;
            continue;
        }
        if (a.rfind("--image=", 0) == 0 || a.rfind("--text=", 0) == 0) {
            current = a.substr(0, a.find('='));
            out.push_back(current);
            out.push_back(a.substr(a.find('=') + 1));
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            current.clear();
            out.push_back(a);
            // Options of the model group take one value.
            if (a.find('=') == std::string::npos && a != "--help" && i + 1 < argv.size()) out.push_back(argv[++i]);
            continue;
        }
        if (!current.empty()) out.push_back(current);
        out.push_back(a);
    }
    if (!current.empty() && (argv.empty() || argv.back() == current)) out.push_back(current);  // "--text" with no value
    return out;
}

}  // namespace

int cmd_score(const Argv& argv) {
    Args args(expand_lists(argv), {"--help"}, merge(merge(common_option_names(kModelOptions), {"--image", "--text"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_score_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kModelOptions);
    const auto paths = args.all("--image");
    const auto texts = args.all("--text");
    if (paths.empty()) throw RequestError("give at least one --image FILE.png (see unclip score --help)");
    if (texts.empty()) throw RequestError("give at least one --text TEXT (see unclip score --help)");
    std::vector<torch::Tensor> images;
    for (const auto& p : paths) images.push_back(read_input_image(p, "--image"));
    Backend backend(args, o, "score", "score", {"tokenizer", "text_encoder", "image_encoder", "feature_extractor"});
    torch::Tensor sim = backend.score(images, texts).to(torch::kFloat64).contiguous();

    auto str = [](const std::string& s) { return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
    std::string out = "{\n  \"images\": [";
    for (size_t i = 0; i < paths.size(); ++i) out += (i ? ", " : "") + str(paths[i]);
    out += "],\n  \"texts\": [";
    for (size_t i = 0; i < texts.size(); ++i) out += (i ? ", " : "") + str(texts[i]);
    out += "],\n  \"similarity\": [\n";
    char buf[64];
    for (int64_t i = 0; i < sim.size(0); ++i) {
        out += "    [";
        for (int64_t j = 0; j < sim.size(1); ++j) {
            std::snprintf(buf, sizeof buf, "%s%.6f", j ? ", " : "", sim[i][j].item<double>());
            out += buf;
        }
        out += i + 1 < sim.size(0) ? "],\n" : "]\n";
    }
    out += "  ]\n}\n";
    std::cout << out;
    return 0;
}

}  // namespace unclip::cli
