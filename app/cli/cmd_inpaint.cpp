// SPDX-License-Identifier: GPL-3.0-or-later
// unclip inpaint: regenerate the masked part of an image; --expand outpaints (grows the canvas).
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "app/cli/remote.h"
#include "core/common/error.h"
#include "core/pipeline/frame.h"

#include <torch/torch.h>

#include <cmath>
#include <iostream>

namespace unclip::cli {
namespace {

constexpr unsigned kInpaintGroups = kModelOptions | kPromptOption | kPriorOptions | kDecoderOptions | kCountOption | kOutputOptions;
constexpr int kMaxSide = 16384;

void print_inpaint_help() {
    std::cout << std::string("usage: unclip inpaint --model DIR --image FILE.png (--mask MASK.png | --expand L,T,R,B |\n"
                 "                      --frame X,Y,W,H) [--prompt TEXT] [--feather R] [--resample J] [options]\n\n"
                 "Inpainting: inside a generation frame around the mask (see --frame), drawn at the model's\n"
                 "size, the masked region is generated while the rest is replaced at every decoder and\n"
                 "super-resolution step by the input noised to that step; the result is composited back into\n"
                 "the frame, so unmasked pixels stay exactly the input's. Conditioning: the --prompt through the\n"
                 "prior, or without a prompt the frame's own CLIP image embedding (needs the image encoder).\n"
                 "Kandinsky 2.2 draws the frame with its inpainting decoder (--inpaint-decoder DIR), masking\n"
                 "in latent space as KandinskyV22InpaintPipeline does.\n\n"
                 "options:\n"
                 "  --image FILE            the image (") + input_formats() + "); without --mask, its\n"
                 "                          transparent pixels (alpha below 50%) are regenerated\n"
                 "  --mask MASK             same size as the image; white = regenerate, black = keep (pixels\n"
                 "                          whose RGB mean is at least 50% gray count as white). A mask with\n"
                 "                          transparent pixels is read by its alpha instead: transparent =\n"
                 "                          regenerate, as OpenAI's image edit API\n" + std::string(
                 "  --expand L,T,R,B        outpainting: add L/T/R/B pixels on the left/top/right/bottom (one\n"
                 "                          number = all four sides); the new area is filled with the edge\n"
                 "                          pixels replicated, then masked (added to --mask when both are given)\n"
                 "  -p, --prompt TEXT       condition the fill on this text through the prior (one prompt, or\n"
                 "                          the words after the options; default: the image's own CLIP embedding)\n"
                 "  --feather R             blend the result into the input over a Gaussian edge of radius R\n"
                 "                          pixels inside the mask's edge (default 0: hard edge)\n"
                 "  --resample J            RePaint-style resampling: each step is redone J more times after\n"
                 "                          re-noising (default 0, at most 20)\n"
                 "  --frame X,Y,W,H|auto    where the model draws, in image pixels: image and mask are cropped to\n"
                 "                          this frame, generated at the model's size and put back, so a small\n"
                 "                          region of a large picture keeps the model's full resolution. A frame\n"
                 "                          reaching outside the image outpaints (the output grows to hold it;\n"
                 "                          the part outside is regenerated). Default auto: the mask's bounds\n"
                 "                          plus --context, squared, at least the model's size where the image\n"
                 "                          allows. The whole image: --frame 0,0,WIDTH,HEIGHT\n"
                 "  --context N             pixels of context around the mask in the automatic frame (default ") +
                     std::to_string(pipeline::kDefaultFrameContext) + ")\n"
              << common_options_help(kInpaintGroups & ~kPromptOption) << Backend::help()
              << "\n--images-per-prompt N gives N results (at most 16). Ctrl+C cancels\n"
                 "cleanly; nothing is written then. Exit codes: 0 ok, 1 model/runtime error, 2 bad arguments or\n"
                 "inputs, 130 cancelled.\n\n"
                 "examples:\n"
                 "  unclip inpaint -m karlo-v1-alpha --image photo.png --mask mask.png -p \"a wooden bench\"\n"
                 "  unclip inpaint --image cut-out.png a sunny beach   (transparent pixels are regenerated)\n"
                 "  unclip inpaint --image photo.png --expand 64 -o wider.png\n"
                 "  unclip inpaint --image photo.png --frame 896,0,256,256 -p \"blue sky\"   (outpaints 128 px to the\n"
                 "                          right of a 1024 px photo)\n";
}

std::string size_str(const torch::Tensor& t) { return std::to_string(t.size(1)) + "x" + std::to_string(t.size(0)); }

}  // namespace

int cmd_inpaint(const Argv& argv) {
    Args args(argv, {"--help"},
              merge(merge(common_option_names(kInpaintGroups), {"--image", "--mask", "--expand", "--feather", "--resample", "--frame", "--context"}), Backend::option_names()));
    if (args.flag("--help")) {
        print_inpaint_help();
        return 0;
    }
    CommonOptions o = parse_common_options(args, kInpaintGroups);
    positional_prompt(args, o);
    if (!args.has("--image")) throw RequestError("give the image with --image FILE.png (see unclip inpaint --help)");
    if (!args.has("--mask") && !args.has("--expand") && !args.has("--frame") &&
        !has_transparency(read_input_rgba(args.get("--image"), "--image")))
        throw RequestError("give the region to regenerate with --mask MASK.png, --expand L,T,R,B, a --frame reaching "
                           "outside the image, or an --image with transparent pixels");
    if (o.prompts.size() > 1) throw RequestError("inpaint takes one --prompt (got " + std::to_string(o.prompts.size()) + ")");
    if (o.images_per_prompt > 16) throw RequestError("option --images-per-prompt must be between 1 and 16 for inpaint");

    pipeline::InpaintRequest r;
    r.prompt = o.prompts.empty() ? std::string() : o.prompts[0];
    r.feather = static_cast<float>(number_option(args, "--feather", 0.0, 0.0, 512.0));
    r.resample_jumps = int_option(args, "--resample", 0, 0, 20);
    r.num_images = o.images_per_prompt;
    r.sampling = o.sampling;
    r.context = int_option(args, "--context", pipeline::kDefaultFrameContext, 0, static_cast<int>(pipeline::kMaxFrameSide));
    const std::string frame_text = args.has("--frame") ? args.get("--frame") : std::string("auto");
    if (frame_text != "auto") {
        const std::vector<int> f = parse_int_list(frame_text, "--frame");
        if (f.size() != 4) throw RequestError("option --frame expects X,Y,WIDTH,HEIGHT (four numbers) or auto, got '" + frame_text + "'");
        r.frame = pipeline::Frame{f[0], f[1], f[2], f[3]};
    }
    std::vector<int> expand = {0, 0, 0, 0};
    if (args.has("--expand")) {
        expand = parse_int_list(args.get("--expand"), "--expand", 0, kMaxSide);
        if (expand.size() == 1) expand.assign(4, expand[0]);
        if (expand.size() != 4) throw RequestError("option --expand expects L,T,R,B (four numbers) or one number");
        for (int e : expand)
            if (e < 0 || e > kMaxSide) throw RequestError("option --expand values must be between 0 and " + std::to_string(kMaxSide));
    }
    const std::string image_path = args.get("--image"), mask_path = args.get("--mask");
    torch::Tensor image = read_input_image(image_path, "--image");
    torch::Tensor mask;
    std::string mask_from = "mask brightness";  // how the region was given (printed and in the recipe)
    if (!mask_path.empty()) {
        bool from_alpha = false;
        mask = read_mask_image(mask_path, &from_alpha);
        if (from_alpha) mask_from = "mask alpha";
        if (mask.size(0) != image.size(0) || mask.size(1) != image.size(1))
            throw RequestError("--mask '" + mask_path + "' is " + size_str(mask) + " but --image '" + image_path + "' is " +
                               size_str(image) + ": resize the mask to " + size_str(image));
    } else {
        // As OpenAI's edit API: without a mask, the image's own transparent pixels are regenerated.
        const torch::Tensor rgba = read_input_rgba(image_path, "--image");
        const bool transparent = has_transparency(rgba);
        mask = transparent ? transparency_mask(rgba) : torch::zeros({image.size(0), image.size(1)}, torch::kFloat32);
        mask_from = transparent ? "image alpha" : "none";
    }
    if (mask_from == "mask alpha" || mask_from == "image alpha")
        std::cout << "mask: the " << (mask_from == "mask alpha" ? "--mask" : "--image")
                  << "'s transparent pixels are regenerated\n";
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
    // Frames are given in the input image's pixels; --expand shifts the canvas under them. A frame
    // reaching outside the image outpaints: its outside part is regenerated even without a mask.
    bool frame_outpaints = false;
    if (r.frame) {
        r.frame->x += left;
        r.frame->y += top;
        pipeline::check_frame(*r.frame, image.size(0), image.size(1));
        frame_outpaints = pipeline::canvas_union(*r.frame, image.size(0), image.size(1)) !=
                          pipeline::Frame{0, 0, image.size(1), image.size(0)};
        if (!frame_outpaints && pipeline::crop_mask(mask, *r.frame).max().item<float>() <= 0.0f)
            throw RequestError("the --frame " + frame_text + " holds none of the mask: move it over the region to regenerate");
    }
    if (mask.max().item<float>() <= 0.0f && !frame_outpaints)
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
    inputs["mask_from"] = mask_from;
    spec.extra_recipe = {{"inputs", inputs}, {"expand", expand}};
    spec.describe = [&](int i) {
        std::string d = std::string("unCLIP ") + (left + top + right + bottom > 0 ? "outpainting" : "inpainting") + " of '" +
                        image_path + "'";
        d += r.prompt.empty() ? " (conditioned on the image itself)" : ": \"" + r.prompt + "\"";
        d += "; " + describe_sampling(r.sampling, !r.prompt.empty(), o.family);
        if (r.feather > 0) d += "; feather " + format_number(r.feather);
        if (r.resample_jumps > 0) d += "; resample " + std::to_string(r.resample_jumps);
        return d + "; index " + std::to_string(i) + " of " + std::to_string(r.num_images);
    };
    check_output_targets(o, spec);

    auto needed = base_components();
    for (const auto& c : r.prompt.empty() ? image_encoder_components() : prior_components()) needed.push_back(c);
    Backend backend(args, o, "inpaint", "inpaint", needed);
    pipeline::Result result = backend.run(r);
    const pipeline::Frame frame = result.frame.value_or(pipeline::Frame{0, 0, image.size(1), image.size(0)});
    std::cout << "frame " << pipeline::frame_to_string(frame) << ": drawn at " << backend.image_size() << " px";
    if (result.frame_scale > 1.0) std::cout << ", enlarged " << format_number(std::round(result.frame_scale * 100) / 100) << "x";
    std::cout << "\n";
    // The whole picture with the frame's result put in (grown when the frame reaches outside it).
    spec.picture = [&](int i) { return pipeline::place_in_canvas(image, result.images[i], frame).image; };
    write_outputs(result, o, spec);
    return 0;
}

}  // namespace unclip::cli
