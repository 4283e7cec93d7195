// SPDX-License-Identifier: GPL-3.0-or-later
// unclip textdiff: DALL-E 2 text diffs (move an image's CLIP embedding toward a text change).
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kTextdiffGroups = kModelOptions | kDecoderOptions | kOutputOptions;

void print_textdiff_help() {
    std::cout << "usage: unclip textdiff [--model DIR] --image FILE --target TEXT [--description TEXT]\n"
                 "                       [--theta X] [options]\n\n"
                 "Text diff (DALL-E 2): the image's CLIP embedding is slerped toward the normalised difference\n"
                 "of the CLIP text embeddings of TARGET and DESCRIPTION by the angle fraction X; the decoder\n"
                 "starts from the input's DDIM-inverted noise (so the layout is kept), then super-resolution.\n"
                 "Needs the image encoder (not the prior). Kandinsky 2.2: the same in its ViT-bigG space, the\n"
                 "inversion running on the MoVQ latents with the decoder's schedule.\n\n"
                 "options:\n"
                 "  --image FILE            the input image (" << input_formats() << ", any size)\n"
                 "  --description TEXT      what the image shows now (default: the empty text)\n"
                 "  --target TEXT           what it should show\n"
                 "  --theta X               slerp angle fraction in [0, 1] (default 0.5; 0 = the input's embedding)\n"
              << common_options_help(kTextdiffGroups) << Backend::help()
              << "\n--decoder-steps sets both the inversion and the decoding steps; the seed only affects the\n"
                 "super-resolution noise. Ctrl+C cancels cleanly; nothing is written then. Exit codes: 0 ok,\n"
                 "1 model/runtime error, 2 bad arguments or inputs, 130 cancelled.\n\n"
                 "example:\n"
                 "  unclip textdiff -m karlo-v1-alpha-image-variations --image cat.png --description \"a cat\"\n"
                 "                  --target \"a tiger\" --theta 0.4 -o tiger.png\n";
}

}  // namespace

int cmd_textdiff(const Argv& argv) {
    Args args(argv, {"--help"}, merge(merge(common_option_names(kTextdiffGroups), {"--image", "--description", "--target", "--theta"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_textdiff_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kTextdiffGroups);
    if (!args.has("--image")) throw RequestError("give the input image with --image FILE.png (see unclip textdiff --help)");
    if (args.get("--target").empty()) throw RequestError("give the change with --target TEXT (see unclip textdiff --help)");
    pipeline::TextDiffRequest r;
    const std::string image_path = args.get("--image");
    r.description = args.get("--description");
    r.target = args.get("--target");
    r.theta = static_cast<float>(number_option(args, "--theta", 0.5, 0.0, 1.0));
    r.sampling = o.sampling;
    r.image = read_input_image(image_path, "--image");

    OutputSpec spec;
    spec.command = "textdiff";
    spec.mode = pipeline::mode_name(pipeline::Mode::TextDiff);
    spec.default_pattern = "unclip-{mode}-{seed}-{i}.png";
    spec.extra_recipe = {{"inputs", {{"image", image_path}}}};
    spec.describe = [&](int) {
        return "unCLIP text diff of '" + image_path + "': \"" + r.description + "\" -> \"" + r.target +
               "\", theta " + format_number(r.theta) + "; " + describe_sampling(r.sampling, false, o.family);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    for (const auto& c : image_encoder_components()) needed.push_back(c);
    Backend backend(args, o, "textdiff", "textdiff", needed);
    pipeline::Result result =
        backend.run(r);
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
