// SPDX-License-Identifier: GPL-3.0-or-later
// unclip mix: new pictures from a weighted mix of pictures and texts (Kandinsky 2.2's image fusion,
// KandinskyV22PriorPipeline.interpolate; Karlo mixes its CLIP image embeddings the same way).
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <iostream>
#include <sstream>

namespace unclip::cli {
namespace {

constexpr unsigned kMixGroups = kModelOptions | kPriorOptions | kDecoderOptions | kCountOption | kOutputOptions;

void print_mix_help() {
    std::cout << "usage: unclip mix [--model DIR] (--image FILE | --text TEXT)... [--weights W,W,...] [options]\n\n"
                 "Mixes pictures and texts: each becomes a CLIP image embedding (pictures through the image\n"
                 "encoder, texts through the prior), their weighted sum is decoded into new pictures. On Kandinsky\n"
                 "2.2 this is the reference's KandinskyV22PriorPipeline.interpolate followed by the decoder, with\n"
                 "one generator (the same seed gives the reference's embedding).\n\n"
                 "options:\n"
                 "  --image FILE            a picture to mix (repeatable; " << input_formats() << ")\n"
                 "  --text TEXT             a text to mix (repeatable)\n"
                 "  --weights W,W,...       one weight per item, in the order: every --image, then every --text\n"
                 "                          (default: equal weights summing to 1); used as given, not normalised\n"
              << common_options_help(kMixGroups) << Backend::help()
              << "\n--images-per-prompt N makes N pictures of the mix. Exit codes: 0 ok, 1 model/runtime error,\n"
                 "2 bad arguments or inputs, 130 cancelled.\n\n"
                 "example:\n"
                 "  unclip mix -m kandinsky-2-2-prior --decoder kandinsky-2-2-decoder --image cat.png \\\n"
                 "             --text \"a starry night\" --weights 0.6,0.4 --width 768 --height 768 -s 3\n";
}

std::vector<float> parse_weights(const std::string& text, size_t count) {
    std::vector<float> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        size_t used = 0;
        float w = 0;
        try {
            w = std::stof(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != part.size())
            throw RequestError("option --weights: '" + part + "' is not a number (give W,W,... with one weight per item)");
        out.push_back(w);
    }
    if (out.size() != count)
        throw RequestError("option --weights holds " + std::to_string(out.size()) + " weight(s) for " + std::to_string(count) +
                           " item(s): give one per --image, then one per --text");
    return out;
}

}  // namespace

int cmd_mix(const Argv& argv) {
    Args args(argv, {"--help"},
              merge(merge(common_option_names(kMixGroups), {"--image", "--text", "--weights"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_mix_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kMixGroups);
    const std::vector<std::string> images = args.all("--image"), texts = args.all("--text");
    const size_t count = images.size() + texts.size();
    if (count < 1) throw RequestError("give the pictures and texts to mix with --image FILE and --text TEXT (see unclip mix --help)");
    if (count > 16) throw RequestError("at most 16 pictures and texts can be mixed (got " + std::to_string(count) + ")");
    pipeline::MixRequest r;
    for (const auto& path : images) r.items.push_back({read_input_image(path, "--image"), ""});
    for (const auto& t : texts) {
        if (t.empty()) throw RequestError("option --text needs a text");
        r.items.push_back({torch::Tensor(), t});
    }
    r.weights = args.has("--weights") ? parse_weights(args.get("--weights"), count)
                                      : std::vector<float>(count, 1.0f / static_cast<float>(count));
    r.num_images = o.images_per_prompt;
    r.sampling = o.sampling;

    OutputSpec spec;
    spec.command = "mix";
    spec.mode = "mix";
    spec.default_pattern = "unclip-{mode}-{seed}-{i}.png";
    spec.extra_recipe = {{"inputs", {{"images", images}}}};
    spec.describe = [&](int i) {
        std::string d = "unCLIP mix of";
        for (size_t k = 0; k < count; ++k)
            d += std::string(k ? "," : "") + " " + (k < images.size() ? "'" + images[k] + "'" : "\"" + texts[k - images.size()] + "\"") +
                 " x" + format_number(r.weights[k]);
        return d + "; " + describe_sampling(r.sampling, !texts.empty(), o.family) + "; index " + std::to_string(i) + " of " +
               std::to_string(r.num_images);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    if (!texts.empty())
        for (const auto& c : prior_components()) needed.push_back(c);
    if (!images.empty())
        for (const auto& c : image_encoder_components()) needed.push_back(c);
    Backend backend(args, o, "mix", "mix", needed);
    write_outputs(backend.run(r), o, spec);
    return 0;
}

}  // namespace unclip::cli
