// SPDX-License-Identifier: GPL-3.0-or-later
// unclip generate: text -> image (UnCLIPPipeline), with best-of-K prior sampling and staged runs.
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kGenerateGroups =
    kModelOptions | kPromptOption | kNegativeOption | kPriorOptions | kDecoderOptions | kCountOption | kOutputOptions;

void print_generate_help() {
    std::cout << "usage: unclip generate [--model DIR] (--prompt TEXT [--prompt TEXT ...] | TEXT...) [options]\n\n"
                 "Text to image as diffusers' UnCLIPPipeline (Karlo): CLIP text encoder -> prior -> decoder ->\n"
                 "super-resolution. The same seed and settings on the same weights give the reference's image.\n"
                 "Each image is written as a PNG whose text chunks hold the recipe (\"unclip-recipe\"). The words\n"
                 "after the options, if any, are the prompt (one prompt, instead of --prompt).\n"
                 "Kandinsky 2.2 (--model kandinsky-2-2-prior --decoder kandinsky-2-2-decoder): its prior, then\n"
                 "KandinskyV22Pipeline at --width x --height, as KandinskyV22CombinedPipeline (one generator).\n\n"
                 "options:\n"
              << common_options_help(kGenerateGroups) << Backend::help()
              << "  --best-of K             sample K prior embeddings per image and keep the one closest to its\n"
                 "                          text in CLIP space (default 1, at most 16)\n"
                 "  --candidates            stop after the decoder: write the small decoder images (default name\n"
                 "                          unclip-{mode}-{seed}-candidate-{i}.png)\n"
                 "  --upscale-candidate I   super-resolve candidate I (0-based) of the same command's candidates;\n"
                 "                          re-runs the prior and decoder (same seed, same result), then\n"
                 "                          super-resolves that one with the noise a full run would use, so\n"
                 "                          the image equals image I of a full run\n\n"
                 "  -h, --help              this text\n\n"
                 "Ctrl+C cancels cleanly; nothing is written then. Exit codes: 0 ok, 1 model/runtime error,\n"
                 "2 bad arguments or inputs, 130 cancelled.\n\n"
                 "examples:\n"
                 "  unclip generate -m karlo-v1-alpha -p \"a photo of a red fox\" -s 42 -o fox.png\n"
                 "  unclip generate a red fox in the snow --best-of 4 --seed -1\n";
}

}  // namespace

int cmd_generate(const Argv& argv) {
    Args args(argv, {"--help", "--candidates"}, merge(merge(common_option_names(kGenerateGroups), {"--best-of", "--upscale-candidate"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_generate_help();
        return 0;
    }
    CommonOptions o = parse_common_options(args, kGenerateGroups);
    positional_prompt(args, o);
    if (o.prompts.empty()) throw RequestError("give at least one --prompt TEXT (see unclip generate --help)");

    pipeline::TextToImageRequest r;
    r.prompts = o.prompts;
    r.negative_prompt = o.negative_prompt;
    r.images_per_prompt = o.images_per_prompt;
    r.best_of = int_option(args, "--best-of", 1, 1, 16);
    r.sampling = o.sampling;
    const int batch = static_cast<int>(r.prompts.size()) * r.images_per_prompt;
    if (batch > 64) throw RequestError("at most 64 images per run (prompts x --images-per-prompt = " + std::to_string(batch) + ")");
    const bool upscale = args.has("--upscale-candidate");
    const int candidate = upscale ? int_option(args, "--upscale-candidate", 0, 0, 63) : -1;
    if (upscale && (candidate < 0 || candidate >= batch))
        throw RequestError("option --upscale-candidate " + std::to_string(candidate) + " is out of range: this run makes " +
                           std::to_string(batch) + " candidate(s), numbered 0.." + std::to_string(batch - 1));
    if ((upscale || args.flag("--candidates")) && o.family != pipeline::ModelFamily::Karlo)
        throw RequestError("--candidates and --upscale-candidate are for Karlo's super-resolution stage; " +
                           std::string(pipeline::family_title(o.family)) + " draws its pictures at full size in one pass");
    const bool candidates_only = args.flag("--candidates") && !upscale;
    r.stop_after_decoder = args.flag("--candidates") || upscale;

    OutputSpec spec;
    spec.command = "generate";
    spec.mode = pipeline::mode_name(pipeline::Mode::TextToImage);
    spec.default_pattern = candidates_only ? "unclip-{mode}-{seed}-candidate-{i}.png" : "unclip-{mode}-{seed}-{i}.png";
    spec.first_index = upscale ? candidate : 0;
    spec.describe = [&](int i) {
        const int index = spec.first_index + i;
        std::string d = "unCLIP text-to-image: \"" + r.prompts.at(static_cast<size_t>(index / r.images_per_prompt)) + "\"";
        if (!r.negative_prompt.empty()) d += " (negative: \"" + r.negative_prompt + "\")";
        d += "; " + describe_sampling(r.sampling, true, o.family);
        if (r.best_of > 1) d += "; best of " + std::to_string(r.best_of);
        d += "; index " + std::to_string(index) + " of " + std::to_string(batch);
        if (candidates_only) d += "; decoder candidate (not super-resolved)";
        return d;
    };
    check_output_targets(o, spec);

    Backend backend(args, o, "generate", "text2img", [] {
        auto c = base_components();
        for (const auto& p : prior_components()) c.push_back(p);
        return c;
    }());
    pipeline::Result result = backend.run(r);
    if (upscale) result = backend.run(pipeline::UpscaleRequest{r, result.decoder_output, candidate});
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
