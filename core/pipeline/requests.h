// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a user asks the pipeline for: plain value types (no widgets, no Qt), so the editor, the
// CLI and the tests build the same requests. Images cross this boundary as CPU tensors:
// inputs uint8 [H, W, 3] RGB, masks float32 [H, W] in [0, 1] (1 = regenerate), outputs float32
// [N, 3, H, W] in [0, 1].
#include "core/pipeline/mode.h"
#include "core/pipeline/sampling.h"
#include "core/pipeline/stage.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace unclip::pipeline {

struct TextToImageRequest {
    std::vector<std::string> prompts;  // one batch entry per prompt
    std::string negative_prompt;       // replaces "" as the unconditional branch when non-empty
    int images_per_prompt = 1;
    int best_of = 1;                   // >1: sample K prior embeddings, keep the most text-similar
    bool stop_after_decoder = false;   // staged run: return the 64 px candidates only
    Sampling sampling;
};

struct VariationRequest {
    torch::Tensor image;               // uint8 [H, W, 3]
    int num_images = 1;
    float structure_strength = 0.0f;   // 0: plain variations; >0: start from the DDIM-inverted noise
    // Image to image: when set, the content comes from this text through the prior instead of the
    // picture's own embedding, and the picture gives the layout (structure_strength > 0; the
    // reference's KandinskyV22Img2ImgPipeline on Kandinsky 2.2).
    std::string prompt;
    Sampling sampling;
};

// One slot of an interpolation: an image or a text.
struct Endpoint {
    torch::Tensor image;  // uint8 [H, W, 3], or undefined when text is used
    std::string text;
};

struct InterpolationRequest {
    Endpoint a, b;
    std::vector<float> positions;  // slider values in [0, 1], one frame each
    bool smooth = true;            // shared noise for every frame (editor default); false = reference mode
    Sampling sampling;
};

struct TextDiffRequest {
    torch::Tensor image;      // uint8 [H, W, 3]
    std::string description;  // what the image shows now
    std::string target;       // what it should show
    float theta = 0.5f;       // slerp angle fraction toward the text difference
    Sampling sampling;
};

// Mixing any number of pictures and texts (Kandinsky 2.2's "image fusion", the reference's
// KandinskyV22PriorPipeline.interpolate): the weighted sum of their CLIP image embeddings
// (pictures through the image encoder, texts through the prior) is decoded into new pictures.
// Weights are used as given (the reference does not normalise them).
struct MixRequest {
    std::vector<Endpoint> items;  // each a picture or a text
    std::vector<float> weights;   // one per item
    int num_images = 1;
    Sampling sampling;
};

// A rectangle in canvas pixels (x, y: top-left corner). It may reach outside the picture: that part
// is outpainted, and the canvas grows to include it (core/pipeline/frame.h).
struct Frame {
    int64_t x = 0, y = 0, width = 0, height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    bool operator==(const Frame& o) const { return x == o.x && y == o.y && width == o.width && height == o.height; }
    bool operator!=(const Frame& o) const { return !(*this == o); }
};

// Context padding around the mask of an automatic frame, in canvas pixels.
constexpr int kDefaultFrameContext = 32;

struct InpaintRequest {
    torch::Tensor image;      // uint8 [H, W, 3] full resolution
    torch::Tensor mask;       // float32 [H, W], 1 = regenerate
    std::string prompt;       // conditions through the prior; empty -> image embedding of the input
    float feather = 0.0f;     // mask feather radius in output pixels
    int resample_jumps = 0;   // RePaint-style resampling per step (0 = off)
    int num_images = 1;
    // Where the model draws: the image and mask are cropped to this frame, generated at the model's
    // size and the result covers the frame only. nullopt = automatic: the mask's bounds grown by
    // `context`, squared, at least the model's size where the canvas allows (frame.h: auto_frame).
    std::optional<Frame> frame;
    int context = kDefaultFrameContext;
    Sampling sampling;
};

struct Progress {
    Stage stage = Stage::Prior;
    int step = 0;          // 1-based step within the stage
    int total = 0;
    torch::Tensor preview; // optional float32 [N, 3, h, w] in [0, 1]: predicted clean image
};

class CancelToken {
public:
    void cancel() { flag_ = true; }
    void reset() { flag_ = false; }
    bool cancelled() const { return flag_; }

private:
    std::atomic<bool> flag_{false};
};

// Progress callback and cancellation for one run; both optional.
struct RunControl {
    std::function<void(const Progress&)> on_progress;
    const CancelToken* cancel = nullptr;
    bool want_previews = false;
    // With want_previews: asked for every step that could carry a preview, with the step's
    // stage, step and total (no preview yet), before the preview is computed; false = this step
    // is reported without one and no preview work is done for it. Empty = every step (the CLI,
    // the server). The editor answers from its progress throttle, so a preview it would drop
    // costs nothing.
    std::function<bool(const Progress& step)> preview_due;
};

struct Result {
    torch::Tensor images;    // float32 [N, 3, H, W] in [0, 1], CPU
    nlohmann::json recipe;   // everything needed to re-run it exactly (mode, prompts, seeds, steps...)
    torch::Tensor decoder_output;  // the raw decoder images [N, 3, h, w] in [-1, 1] (staged runs upscale these)
    torch::Tensor image_embeddings;  // the CLIP image embeddings the decoder was conditioned on [N, E]
    // Inpaint: `images` cover this frame of the canvas only ([N, 3, frame.height, frame.width],
    // already composited with the input), and frame_scale is how much the model's picture was
    // enlarged to fill it (frame side / model side; <= 1 means full resolution).
    std::optional<Frame> frame;
    double frame_scale = 1.0;
};

// ---- One request vocabulary: recipes, the HTTP API (core/server) and its client speak this JSON.
// Implemented in request_json.cpp; docs/api.md describes every field.

// Super-resolves one candidate of a staged text-to-image run (UnclipPipeline::upscale_candidate).
struct UpscaleRequest {
    TextToImageRequest request;    // the staged run's request (stop_after_decoder is implied)
    torch::Tensor decoder_output;  // float32 [N, 3, h, w]: the candidates' Result::decoder_output
    int candidate = 0;             // 0-based index into decoder_output
};

// CLIP similarity of images and texts (UnclipPipeline::score).
struct ScoreRequest {
    std::vector<torch::Tensor> images;  // uint8 [H, W, 3]
    std::vector<std::string> texts;
};

using AnyRequest = std::variant<TextToImageRequest, UpscaleRequest, VariationRequest, InterpolationRequest,
                                TextDiffRequest, InpaintRequest, ScoreRequest, MixRequest>;

// The "mode" a request's JSON carries: mode_name() of the five modes, "upscale", "score" or "mix".
std::string request_kind(const AnyRequest& request);
const std::vector<std::string>& request_kinds();

// Version written into every request and recipe ("version"); readers accept it and older files
// without one.
constexpr int kRequestFormatVersion = 1;

// Pictures inside requests: base64 PNG (masks as gray, 1 = white, at 8-bit precision). Recipes omit
// them (the picture is the file itself); upscale's decoder output is base64 safetensors.
enum class Pictures { Embed, Omit };
nlohmann::json to_json(const TextToImageRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const UpscaleRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const VariationRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const InterpolationRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const TextDiffRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const InpaintRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const ScoreRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const MixRequest& r, Pictures pictures = Pictures::Embed);
nlohmann::json to_json(const AnyRequest& r, Pictures pictures = Pictures::Embed);

// Request: every field typed strictly, unknown fields refused, pictures required (the API).
// Recipe: also the keys older recipes used (sampling at the top level, "a_text"/"b_text",
// "prompt" for text2img, seeds stored as integral doubles), unknown keys ignored, pictures optional.
// Both throw RequestError naming the field: "field 'sampling.seed' must be an unsigned integer".
enum class ParseMode { Request, Recipe };
struct ParseOptions {
    ParseMode mode = ParseMode::Request;
    int64_t max_pixels = 100'000'000;  // per picture, as for image files
};
AnyRequest request_from_json(const nlohmann::json& j, const ParseOptions& options = {});
// Text -> JSON -> request; malformed JSON and nesting deeper than 64 levels are RequestErrors.
AnyRequest parse_request(const std::string& text, const ParseOptions& options = {});
nlohmann::json parse_json_text(const std::string& text);

// PNG text chunk holding a picture's recipe (the CLI and the editor write this key).
inline constexpr const char* kRecipeKey = "unclip-recipe";
// The recipe of a PNG's text chunks: "unclip-recipe" (one object), else the first of the editor's
// older "unclip-recipes" (an array); nullopt when neither holds valid JSON.
std::optional<nlohmann::json> recipe_from_png_text(const std::map<std::string, std::string>& text);

}  // namespace unclip::pipeline
