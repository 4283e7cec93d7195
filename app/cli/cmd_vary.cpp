// SPDX-License-Identifier: GPL-3.0-or-later
// unclip vary: image variations (UnCLIPImageVariationPipeline), optionally structure-preserving.
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kVaryGroups = kModelOptions | kPriorOptions | kDecoderOptions | kCountOption | kOutputOptions;

void print_vary_help() {
    std::cout << "usage: unclip vary [--model DIR] --image FILE [options]\n\n"
                 "Image variations as diffusers' UnCLIPImageVariationPipeline (Karlo): the input's CLIP image\n"
                 "embedding conditions the decoder (no prior, no text), then super-resolution. Needs the image\n"
                 "encoder (karlo-v1-alpha-image-variations, or --image-encoder DIR). Kandinsky 2.2: the prior\n"
                 "folder's image encoder and the decoder folder; --structure S runs img2img from the input with\n"
                 "strength 1 - S.\n\n"
                 "options:\n"
                 "  --image FILE            the input image (" << input_formats() << ", any size)\n"
              << common_options_help(kVaryGroups) << Backend::help()
              << "  --structure S           0 (default): plain variations; 0 < S <= 1: start the decoder from\n"
                 "                          the input's DDIM-inverted noise mixed with fresh noise\n"
                 "                          (sqrt(S) inverted + sqrt(1 - S) fresh; 1 keeps the input's layout)\n"
                 "  --prompt TEXT           image to image: the content comes from TEXT through the prior, the\n"
                 "                          layout from the input (with --structure S > 0)\n\n"
                 "--images-per-prompt N makes N variations of the input. Ctrl+C cancels cleanly; nothing is\n"
                 "written then. Exit codes: 0 ok, 1 model/runtime error, 2 bad arguments or inputs, 130 cancelled.\n\n"
                 "example:\n"
                 "  unclip vary -m karlo-v1-alpha-image-variations --image cat.jpg --images-per-prompt 4 -s 7\n";
}

}  // namespace

int cmd_vary(const Argv& argv) {
    Args args(argv, {"--help"}, merge(merge(common_option_names(kVaryGroups), {"--image", "--structure", "--prompt"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_vary_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kVaryGroups);
    if (!args.has("--image")) throw RequestError("give the input image with --image FILE.png (see unclip vary --help)");
    pipeline::VariationRequest r;
    const std::string image_path = args.get("--image");
    r.structure_strength = static_cast<float>(number_option(args, "--structure", 0.0, 0.0, 1.0));
    r.num_images = o.images_per_prompt;
    r.sampling = o.sampling;
    r.prompt = args.get("--prompt");
    if (args.has("--prompt") && r.prompt.empty()) throw RequestError("option --prompt needs a text");
    r.image = read_input_image(image_path, "--image");

    OutputSpec spec;
    spec.command = "vary";
    spec.mode = pipeline::mode_name(pipeline::Mode::Variation);
    spec.default_pattern = "unclip-{mode}-{seed}-{i}.png";
    spec.extra_recipe = {{"inputs", {{"image", image_path}}}, {"structure_strength", r.structure_strength}};
    spec.describe = [&](int i) {
        std::string d = "unCLIP variation of '" + image_path + "'; " + describe_sampling(r.sampling, !r.prompt.empty(), o.family);
        if (r.structure_strength > 0) d += "; structure " + format_number(r.structure_strength);
        if (!r.prompt.empty()) d += "; toward \"" + r.prompt + "\"";
        return d + "; index " + std::to_string(i) + " of " + std::to_string(r.num_images);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    for (const auto& c : r.prompt.empty() ? image_encoder_components() : prior_components()) needed.push_back(c);
    Backend backend(args, o, "vary", "variation", needed);
    pipeline::Result result =
        backend.run(r);
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
