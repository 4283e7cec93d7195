// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CLIP image preprocessing: convert RGB -> resize shortest edge (antialiased bicubic on uint8) ->
// centre crop -> rescale -> normalise, as transformers 5 CLIPImageProcessor (torchvision backend:
// Karlo's reference) or transformers 4.x (PIL: Kandinsky 2.2's reference) computes it.
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <array>
#include <string>
#include <vector>

namespace unclip::models {

enum class ResampleFilter { Bilinear, Bicubic };  // PIL codes 2 and 3

// Which reference implementation the arithmetic reproduces (not a config.json key: the same file
// is read by both; the pipeline family decides).
enum class CLIPImageBackend {
    // transformers 5 (torchvision): torch's uint8 antialiased resize; mean and std scaled by
    // 1 / rescale_factor, then (x - mean) / std in float32.
    Torchvision,
    // transformers 4.x (PIL): Pillow's resize (core/models/clip/pil_resample.h); x * rescale_factor
    // in float64 cast to float32, then (x - mean) / std in float32.
    Pil,
};

// preprocessor_config.json. Both forms are read: transformers 5 (`size: {shortest_edge}` or `{height, width}`,
// `crop_size: {height, width}`) and the legacy CLIPFeatureExtractor form (`size: 224`, `crop_size: 224`).
struct CLIPImageProcessorConfig {
    bool do_convert_rgb = true;
    bool do_resize = true;
    int64_t shortest_edge = 224;                  // used when resize_height/width are 0
    int64_t resize_height = 0, resize_width = 0;  // size {height, width}: exact resize
    ResampleFilter resample = ResampleFilter::Bicubic;
    bool do_center_crop = true;
    int64_t crop_height = 224, crop_width = 224;
    bool do_rescale = true;
    double rescale_factor = 1.0 / 255.0;
    bool do_normalize = true;
    std::array<double, 3> image_mean{0.48145466, 0.4578275, 0.40821073};
    std::array<double, 3> image_std{0.26862954, 0.26130258, 0.27577711};
    CLIPImageBackend backend = CLIPImageBackend::Torchvision;

    static CLIPImageProcessorConfig from_json(const nlohmann::json& j, const std::string& label);
};

// Resize of an image [H, W, C] uint8 (any C >= 1) to [out_h, out_w, C] uint8, bit-exact with
// torch.nn.functional.interpolate(uint8, mode="bicubic", antialias=True, align_corners=False) (= Pillow's
// resampler): separable Keys cubic (a = -0.5) whose support is widened by the downscale factor, weights
// normalised per output pixel and quantised to int16 fixed point; horizontal pass, rounding + clamping to
// uint8, then vertical pass. A dimension whose size does not change is not filtered.
torch::Tensor resize_bicubic_antialias_uint8(const torch::Tensor& image_hwc, int64_t out_h, int64_t out_w);
// Same with the triangle filter (mode="bilinear", antialias=True).
torch::Tensor resize_bilinear_antialias_uint8(const torch::Tensor& image_hwc, int64_t out_h, int64_t out_w);

// Size after the shortest-edge resize: the short side becomes `shortest_edge`, the long side
// int(shortest_edge * long / short). Returns {height, width}.
std::array<int64_t, 2> shortest_edge_size(int64_t height, int64_t width, int64_t shortest_edge);

class CLIPImageProcessor {
public:
    explicit CLIPImageProcessor(CLIPImageProcessorConfig config = {}) : config_(std::move(config)) {}
    const CLIPImageProcessorConfig& config() const { return config_; }

    // images: each [H, W, C] uint8 with C = 1 (grey, replicated), 2 (grey + alpha), 3 (RGB) or 4 (RGBA);
    // alpha is dropped, not composited. Returns pixel_values [B, 3, crop_h, crop_w] float32 on the CPU.
    // RequestError for an unusable image (wrong dtype/rank/channels, empty, smaller than the crop).
    torch::Tensor preprocess(const std::vector<torch::Tensor>& images_uint8_hwc_rgb) const;

    // The steps of preprocess() on one image, all [H, W, C] uint8 on the CPU:
    // convert("RGB") (grey replicated, alpha dropped) -> [H, W, 3]
    static torch::Tensor convert_rgb(const torch::Tensor& image_uint8_hwc);
    // shortest-edge (or exact height/width) resize of an RGB image, identity when do_resize is false
    torch::Tensor resize(const torch::Tensor& rgb) const;
    // centre crop with top = (h - crop_h) / 2, left = (w - crop_w) / 2 (floor), identity when do_center_crop is false
    torch::Tensor center_crop(const torch::Tensor& rgb) const;
    // convert_rgb -> resize -> center_crop: [crop_h, crop_w, 3]
    torch::Tensor resize_and_crop(const torch::Tensor& image_uint8_hwc) const;

private:
    CLIPImageProcessorConfig config_;
};

}  // namespace unclip::models
