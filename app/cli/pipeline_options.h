// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the pipeline subcommands of `unclip` (generate, vary, interpolate, textdiff, inpaint, score)
// share: the common options and their help, loading the model folders with a clear error for a
// missing component, reading input PNGs and masks, the stderr progress bar, Ctrl+C cancellation and
// writing the results (PNGs with the recipe in text chunks, optional safetensors).
#include "app/cli/args.h"
#include "core/pipeline/unclip_pipeline.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace unclip::cli {

// Groups of common options; a subcommand accepts the union of the groups it names.
enum OptionGroup : unsigned {
    kModelOptions = 1u << 0,    // --model, --image-encoder, --decoder, --inpaint-decoder, --offload, --device, --dtype, --threads
    kPromptOption = 1u << 1,    // --prompt (repeatable)
    kNegativeOption = 1u << 2,  // --negative-prompt
    kPriorOptions = 1u << 3,    // --prior-steps, --prior-guidance
    kDecoderOptions = 1u << 4,  // --seed, --decoder-steps, --super-res-steps, --decoder-guidance, --width, --height
    kCountOption = 1u << 5,     // --images-per-prompt
    kOutputOptions = 1u << 6,   // -o, --save-tensors
};

struct CommonOptions {
    pipeline::PipelineOptions pipeline;  // model_dir resolved later by load_pipeline ("" = default)
    pipeline::ModelFamily family = pipeline::ModelFamily::Karlo;  // of the folders given (sampling defaults)
    int threads = 0;                     // 0: every core
    std::vector<std::string> prompts;
    std::string negative_prompt;
    pipeline::Sampling sampling;         // seed: --seed, else a random one
    int images_per_prompt = 1;
    std::string output;                  // -o pattern; "" = the subcommand's default
    std::string save_tensors;            // --save-tensors FILE.safetensors, "" = none
};

// Value-taking option names of the groups (for Args).
std::set<std::string> common_option_names(unsigned groups);
// Help lines for the groups (defaults included), two-space indented.
std::string common_options_help(unsigned groups);
// Parses and range-checks the groups' options (RequestError naming the option on a bad value).
// Also applies --threads.
CommonOptions parse_common_options(const Args& args, unsigned groups);
// `a` ∪ `b`, for building a subcommand's option set.
std::set<std::string> merge(std::set<std::string> a, const std::set<std::string>& b);

// Checks the model folder(s) hold `needed` before anything heavy is read (RequestError/ModelError
// naming the folder, the subcommand and every missing component, with a hint which Karlo folder has
// it), then loads the pipeline. `command` names the subcommand in messages.
std::unique_ptr<pipeline::UnclipPipeline> load_pipeline(const CommonOptions& options, const std::string& command,
                                                        const std::vector<std::string>& needed);
// Component lists for load_pipeline.
std::vector<std::string> base_components();          // tokenizer, text encoder, text_proj, decoder, super-res
std::vector<std::string> prior_components();         // prior, prior_scheduler
std::vector<std::string> image_encoder_components(); // image_encoder, feature_extractor

// The input formats this build reads: "PNG, JPEG, WebP or BMP" with the imaging layer (the editor's
// formats), "PNG" in builds without it (UNCLIP_WITH_UI=OFF).
std::string input_formats();
// An input image as uint8 [H, W, 3] (alpha dropped, as the reference's convert("RGB")); RequestError
// naming the file when missing, unreadable, or a format this build does not read.
torch::Tensor read_input_image(const std::string& path, const std::string& what);
// The same as uint8 [H, W, 4] RGBA (alpha 255 where the file has none).
torch::Tensor read_input_rgba(const std::string& path, const std::string& what);
// Whether any pixel of an RGBA image is less than opaque.
bool has_transparency(const torch::Tensor& rgba);
// float32 [H, W]: 1 (= regenerate) where alpha is below half, as OpenAI's image edit API reads a
// mask or an image with transparency.
torch::Tensor transparency_mask(const torch::Tensor& rgba);
// A mask file as float32 [H, W] of 0 / 1 (1 = regenerate). A mask with transparent pixels is read by
// its alpha (transparent = regenerate, the DALL-E edit convention; `from_alpha` set); an opaque one
// by brightness: pixels whose RGB mean is at least half white are 1, so anti-aliased or slightly
// noisy black never counts.
torch::Tensor read_mask_image(const std::string& path, bool* from_alpha = nullptr);

// Runs `fn` with progress on stderr (only when stderr is a terminal) and SIGINT wired to the
// pipeline's CancelToken; Ctrl+C makes the pipeline throw unclip::Cancelled (a second Ctrl+C
// kills the process). Nothing is written while the pipeline runs.
pipeline::Result run_with_progress(const std::function<pipeline::Result(const pipeline::RunControl&)>& fn);

// How to name and describe the images of a result.
struct OutputSpec {
    std::string command;           // "generate"
    std::string mode;              // {mode}: "text2img" (the recipe's mode)
    std::string default_pattern;   // "unclip-{mode}-{seed}-{i}.png"
    nlohmann::json extra_recipe;   // merged into the recipe (inputs, devices, ...)
    int first_index = 0;           // {i} of the first image
    // One-line human summary of image `i` (0-based within the result) for the "Description" chunk.
    std::function<std::string(int i)> describe;
    // What is written for image `i`: by default the result's image itself; inpainting puts its
    // frame into the whole canvas here (uint8 [H, W, 3] or float [3, H, W]).
    std::function<torch::Tensor(int i)> picture;
};

// Checks before a run that the output folder(s) exist and are writable and that the names end
// in .png / .safetensors (RequestError otherwise), so a long run never fails at the end.
void check_output_targets(const CommonOptions& options, const OutputSpec& spec);
// Writes every image as PNG (atomically) with text chunks "unclip-recipe" (the recipe JSON plus
// "index", "device", "dtype" and "image_encoder" when given), "Software" and "Description", and
// --save-tensors when asked. Prints the seed and one line per file on stdout. Returns the PNG paths.
std::vector<std::string> write_outputs(const pipeline::Result& result, const CommonOptions& options,
                                       const OutputSpec& spec);

// Range-checked numeric options (RequestError naming the option and the range).
int int_option(const Args& args, const std::string& name, int fallback, int lo, int hi);
double number_option(const Args& args, const std::string& name, double fallback, double lo, double hi);
// Positional arguments are not used by most pipeline subcommands: a stray word is an error.
void reject_positional(const Args& args);
// generate and inpaint: the words that are not options are the prompt (`unclip generate a red cube`),
// joined with spaces into one prompt; RequestError when --prompt is given too.
void positional_prompt(const Args& args, CommonOptions& options);

// "a,b,c" -> numbers in [lo, hi] (RequestError naming the option on a bad element, with the range
// when one does not fit).
std::vector<int> parse_int_list(const std::string& text, const std::string& option, int lo = -1000000, int hi = 1000000);
// Shortest readable form of a number ("0.5", "4", "0.333333").
std::string format_number(double v);
// The human summary of the sampling settings: "seed 0, prior 25 steps x4, decoder 25 steps x8, super-res 7 steps".
std::string describe_sampling(const pipeline::Sampling& s, bool with_prior,
                              pipeline::ModelFamily family = pipeline::ModelFamily::Karlo);

}  // namespace unclip::cli
