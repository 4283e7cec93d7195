// unclip inpaint: regenerate the masked part of an image; --expand outpaints (grows the canvas).
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "core/common/error.h"

#include <torch/torch.h>

#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kGroups = kModelOptions | kPromptOption | kPriorOptions | kDecoderOptions | kCountOption | kOutputOptions;
constexpr int kMaxSide = 16384;

void print_help() {
    std::cout << "usage: unclip inpaint --model DIR --image FILE.png (--mask MASK.png | --expand L,T,R,B)\n"
                 "                      [--prompt TEXT] [--feather R] [--resample J] [options]\n\n"
                 "Inpainting: the masked region is generated while the rest is replaced at every decoder and\n"
                 "super-resolution step by the input noised to that step; the result is composited back at the\n"
                 "input's size, so unmasked pixels stay exactly the input's. Conditioning: the --prompt through\n"
                 "the prior, or without a prompt the input's own CLIP image embedding (needs the image encoder).\n\n"
                 "options:\n"
                 "  --image FILE.png        the image (PNG)\n"
                 "  --mask MASK.png         same size as the image; white = regenerate, black = keep (pixels\n"
                 "                          whose RGB mean is at least 50% gray count as white)\n"
                 "  --expand L,T,R,B        outpainting: add L/T/R/B pixels on the left/top/right/bottom (one\n"
                 "                          number = all four sides); the new area is filled with the edge\n"
                 "                          pixels replicated, then masked (added to --mask when both are given)\n"
                 "  --prompt TEXT           condition the fill on this text through the prior (one prompt;\n"
                 "                          default: the image's own CLIP embedding)\n"
                 "  --feather R             blend the result into the input over a Gaussian edge of radius R\n"
                 "                          pixels (default 0: hard edge)\n"
                 "  --resample J            RePaint-style resampling: each step is redone J more times after\n"
                 "                          re-noising (default 0, at most 20)\n"
              << common_options_help(kGroups & ~kPromptOption)
              << "\n--images-per-prompt N gives N results (at most 16). Ctrl+C cancels\n"
                 "cleanly; nothing is written then. Exit codes: 0 ok, 1 model/runtime error, 2 bad arguments or\n"
                 "inputs, 130 cancelled.\n";
}

std::string size_str(const torch::Tensor& t) { return std::to_string(t.size(1)) + "x" + std::to_string(t.size(0)); }

}  // namespace

int cmd_inpaint(const Argv& argv) {
    Args args(argv, {"--help"},
              merge(common_option_names(kGroups), {"--image", "--mask", "--expand", "--feather", "--resample"}));
    if (args.flag("--help")) {
        print_help();
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kGroups);
    if (!args.has("--image")) throw RequestError("give the image with --image FILE.png (see unclip inpaint --help)");
    if (!args.has("--mask") && !args.has("--expand"))
        throw RequestError("give the region to regenerate with --mask MASK.png or --expand L,T,R,B");
    if (o.prompts.size() > 1) throw RequestError("inpaint takes one --prompt (got " + std::to_string(o.prompts.size()) + ")");
    if (o.images_per_prompt > 16) throw RequestError("option --images-per-prompt must be between 1 and 16 for inpaint");

    pipeline::InpaintRequest r;
    r.prompt = o.prompts.empty() ? std::string() : o.prompts[0];
    r.feather = static_cast<float>(number_option(args, "--feather", 0.0, 0.0, 512.0));
    r.resample_jumps = int_option(args, "--resample", 0, 0, 20);
    r.num_images = o.images_per_prompt;
    r.sampling = o.sampling;
    std::vector<int> expand = {0, 0, 0, 0};
    if (args.has("--expand")) {
        expand = parse_int_list(args.get("--expand"), "--expand");
        if (expand.size() == 1) expand.assign(4, expand[0]);
        if (expand.size() != 4) throw RequestError("option --expand expects L,T,R,B (four numbers) or one number");
        for (int e : expand)
            if (e < 0 || e > kMaxSide) throw RequestError("option --expand values must be between 0 and " + std::to_string(kMaxSide));
    }
    const std::string image_path = args.get("--image"), mask_path = args.get("--mask");
    torch::Tensor image = read_input_image(image_path, "--image");
    torch::Tensor mask;
    if (!mask_path.empty()) {
        mask = read_mask_image(mask_path);
        if (mask.size(0) != image.size(0) || mask.size(1) != image.size(1))
            throw RequestError("--mask '" + mask_path + "' is " + size_str(mask) + " but --image '" + image_path + "' is " +
                               size_str(image) + ": resize the mask to " + size_str(image));
    } else {
        mask = torch::zeros({image.size(0), image.size(1)}, torch::kFloat32);
    }
    const int64_t left = expand[0], top = expand[1], right = expand[2], bottom = expand[3];
    if (left + top + right + bottom > 0) {
        if (image.size(1) + left + right > kMaxSide || image.size(0) + top + bottom > kMaxSide)
            throw RequestError("the expanded canvas would exceed " + std::to_string(kMaxSide) + " pixels per side");
        namespace F = torch::nn::functional;
        // Edge-replicated pixels in the new area give the decoder a neutral start to paint over.
        torch::Tensor x = image.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32);
        x = F::pad(x, F::PadFuncOptions({left, right, top, bottom}).mode(torch::kReplicate));
        image = x.squeeze(0).permute({1, 2, 0}).round().clamp(0, 255).to(torch::kUInt8).contiguous();
        mask = F::pad(mask.unsqueeze(0).unsqueeze(0), F::PadFuncOptions({left, right, top, bottom}).mode(torch::kConstant).value(1.0))
                   .squeeze(0)
                   .squeeze(0)
                   .contiguous();
    }
    if (mask.max().item<float>() <= 0.0f)
        throw RequestError(mask_path.empty() ? "nothing to regenerate: --expand adds no pixels"
                                             : "--mask '" + mask_path + "' is all black: paint the region to regenerate white");
    r.image = image;
    r.mask = mask;

    OutputSpec spec;
    spec.command = "inpaint";
    spec.mode = pipeline::mode_name(pipeline::Mode::Inpaint);
    spec.default_pattern = "unclip-{mode}-{seed}-{i}.png";
    nlohmann::json inputs = {{"image", image_path}};
    if (!mask_path.empty()) inputs["mask"] = mask_path;
    spec.extra_recipe = {{"inputs", inputs}, {"expand", expand}};
    spec.describe = [&](int i) {
        std::string d = std::string("unCLIP ") + (left + top + right + bottom > 0 ? "outpainting" : "inpainting") + " of '" +
                        image_path + "'";
        d += r.prompt.empty() ? " (conditioned on the image itself)" : ": \"" + r.prompt + "\"";
        d += "; " + describe_sampling(r.sampling, !r.prompt.empty());
        if (r.feather > 0) d += "; feather " + format_number(r.feather);
        if (r.resample_jumps > 0) d += "; resample " + std::to_string(r.resample_jumps);
        return d + "; index " + std::to_string(i) + " of " + std::to_string(r.num_images);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    for (const auto& c : r.prompt.empty() ? image_encoder_components() : prior_components()) needed.push_back(c);
    auto pl = load_pipeline(o, "inpaint", needed);
    pipeline::Result result = run_with_progress([&](const pipeline::RunControl& control) { return pl->inpaint(r, control); });
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
