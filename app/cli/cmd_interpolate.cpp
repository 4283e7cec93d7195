// SPDX-License-Identifier: GPL-3.0-or-later
// unclip interpolate: frames between two images and/or texts (slerp of CLIP image embeddings).
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"

#include <torch/torch.h>

#include <cctype>
#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kInterpolateGroups = kModelOptions | kPriorOptions | kDecoderOptions | kOutputOptions;

void print_interpolate_help() {
    std::cout << "usage: unclip interpolate [--model DIR] (--a IMG | --a-text TEXT) (--b IMG | --b-text TEXT)\n"
                 "                          [--frames N] [--reference-noise] [options]\n\n"
                 "Interpolation between two endpoints (diffusers' community unclip_image_interpolation, with a\n"
                 "correct per-row slerp): each endpoint becomes a CLIP image embedding (images through the image\n"
                 "encoder, texts through the prior), frame i is decoded from slerp(a, b, t_i) with\n"
                 "t_i = linspace(0, 1, N)[i], so frame 0 is A and frame N-1 is B. Kandinsky 2.2: the same\n"
                 "slerp; with --reference-noise the reference's linear mix (1 - t) A + t B with fresh draws per\n"
                 "frame (for mixes of more than two pictures and texts see unclip mix).\n\n"
                 "options:\n"
                 "  --a IMG / --a-text TEXT endpoint A (exactly one of the two; images: " << input_formats() << ")\n"
                 "  --b IMG / --b-text TEXT endpoint B (exactly one of the two)\n"
                 "  --frames N              number of frames (default 5, at most 256)\n"
                 "  --reference-noise       the reference pipeline's noise: every frame starts from the same\n"
                 "                          decoder noise but later draws differ per frame (matches the\n"
                 "                          reference's output). Default: smooth, every draw shared across\n"
                 "                          frames, so frames differ only by the embedding\n"
              << common_options_help(kInterpolateGroups) << Backend::help()
              << "\n--prior-steps / --prior-guidance apply to text endpoints only. Images need the image\n"
                 "encoder, texts the prior. Ctrl+C cancels cleanly; nothing is written then. Exit codes: 0 ok,\n"
                 "1 model/runtime error, 2 bad arguments or inputs, 130 cancelled.\n\n"
                 "example:\n"
                 "  unclip interpolate -m karlo-v1-alpha-image-variations --a cat.png --b dog.png --frames 8\n"
                 "                     -s 3 -o morph-{i}.png\n";
}

pipeline::Endpoint endpoint(const Args& args, const std::string& name, std::string* path) {
    const std::string img = "--" + name, txt = "--" + name + "-text";
    if (args.has(img) == args.has(txt))
        throw RequestError("give endpoint " + std::string(1, static_cast<char>(std::toupper(name[0]))) + " with exactly one of " +
                           img + " IMG.png or " + txt + " TEXT");
    pipeline::Endpoint e;
    if (args.has(img)) {
        *path = args.get(img);
        e.image = read_input_image(*path, img);
    } else {
        e.text = args.get(txt);
        if (e.text.empty()) throw RequestError("option " + txt + " needs a non-empty text");
    }
    return e;
}

}  // namespace

int cmd_interpolate(const Argv& argv) {
    Args args(argv, {"--help", "--reference-noise"},
              merge(merge(common_option_names(kInterpolateGroups), {"--a", "--a-text", "--b", "--b-text", "--frames"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_interpolate_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kInterpolateGroups);
    pipeline::InterpolationRequest r;
    std::string a_path, b_path;
    const int frames = int_option(args, "--frames", 5, 1, 256);
    r.a = endpoint(args, "a", &a_path);
    r.b = endpoint(args, "b", &b_path);
    torch::Tensor lin = torch::linspace(0, 1, frames, torch::kFloat32);
    r.positions.assign(lin.data_ptr<float>(), lin.data_ptr<float>() + frames);
    r.smooth = !args.flag("--reference-noise");
    r.sampling = o.sampling;

    OutputSpec spec;
    spec.command = "interpolate";
    spec.mode = pipeline::mode_name(pipeline::Mode::Interpolation);
    spec.default_pattern = "unclip-{mode}-{seed}-{i}.png";
    nlohmann::json inputs = nlohmann::json::object();
    if (!a_path.empty()) inputs["a"] = a_path;
    if (!b_path.empty()) inputs["b"] = b_path;
    spec.extra_recipe = {{"inputs", inputs}};
    auto label = [](const std::string& path, const pipeline::Endpoint& e) {
        return path.empty() ? "\"" + e.text + "\"" : "'" + path + "'";
    };
    const bool texts = !r.a.text.empty() || !r.b.text.empty();
    spec.describe = [&](int i) {
        return "unCLIP interpolation " + label(a_path, r.a) + " -> " + label(b_path, r.b) + "; frame index " +
               std::to_string(i) + " of " + std::to_string(frames) + " (t = " + format_number(r.positions[i]) + ", " +
               (r.smooth ? "smooth" : "reference") + " noise); " + describe_sampling(r.sampling, texts, o.family);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    if (!a_path.empty() || !b_path.empty())
        for (const auto& c : image_encoder_components()) needed.push_back(c);
    if (texts)
        for (const auto& c : prior_components()) needed.push_back(c);
    Backend backend(args, o, "interpolate", "interpolate", needed);
    pipeline::Result result =
        backend.run(r);
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
