#pragma once
// What a user asks the pipeline for: plain value types (no widgets, no Qt), so the editor, the
// CLI and the tests build the same requests. Images cross this boundary as CPU tensors:
// inputs uint8 [H, W, 3] RGB, masks float32 [H, W] in [0, 1] (1 = regenerate), outputs float32
// [N, 3, H, W] in [0, 1].
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace unclip::pipeline {

enum class Mode { TextToImage, Variation, Interpolation, TextDiff, Inpaint };
const char* mode_name(Mode m);  // "text2img", "variation", "interpolate", "textdiff", "inpaint"

// Karlo's defaults (UnCLIPPipeline / UnCLIPImageVariationPipeline).
struct Sampling {
    uint64_t seed = 0;
    int prior_steps = 25;
    int decoder_steps = 25;
    int super_res_steps = 7;
    float prior_guidance = 4.0f;
    float decoder_guidance = 8.0f;
};

// Recipes store Sampling as {"seed", "prior_steps", ..., "decoder_guidance"}.
nlohmann::json to_json(const Sampling& s);
Sampling sampling_from_json(const nlohmann::json& j);

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

struct InpaintRequest {
    torch::Tensor image;      // uint8 [H, W, 3] full resolution
    torch::Tensor mask;       // float32 [H, W], 1 = regenerate
    std::string prompt;       // conditions through the prior; empty -> image embedding of the input
    float feather = 0.0f;     // mask feather radius in output pixels
    int resample_jumps = 0;   // RePaint-style resampling per step (0 = off)
    int num_images = 1;
    Sampling sampling;
};

struct Progress {
    std::string stage;     // "prior", "decoder", "super_res", "encode", "invert"
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
};

struct Result {
    torch::Tensor images;    // float32 [N, 3, H, W] in [0, 1], CPU
    nlohmann::json recipe;   // everything needed to re-run it exactly (mode, prompts, seeds, steps...)
    torch::Tensor decoder_output;  // the raw decoder images [N, 3, h, w] in [-1, 1] (staged runs upscale these)
    torch::Tensor image_embeddings;  // the CLIP image embeddings the decoder was conditioned on [N, E]
};

}  // namespace unclip::pipeline
