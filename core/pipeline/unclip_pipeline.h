// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The loaded unCLIP models and everything a user can ask of them. Mirrors diffusers'
// UnCLIPPipeline / UnCLIPImageVariationPipeline (random numbers drawn in the same order from a CPU
// generator), plus interpolation, text diffs and inpainting. One instance is used by one thread at
// a time; load it on the thread that will run it.
#include "core/io/model_identity.h"
#include "core/pipeline/model_family.h"
#include "core/pipeline/requests.h"

#include <memory>
#include <string>

namespace unclip::pipeline {

// The model folders. Karlo: model_dir (karlo-v1-alpha or the embedded model) and optionally
// image_encoder_dir (the image-variations folder with image_encoder + feature_extractor).
// Kandinsky 2.2: its prior, decoder and inpainting-decoder folders, any of them missing (the
// features needing it say so). Each folder's role is read from its model_index.json, so a folder
// given in another slot still serves as what it is.
struct PipelineOptions {
    std::string model_dir;
    std::string image_encoder_dir;
    std::string decoder_dir;
    std::string inpaint_dir;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
    // Keep every model on the CPU and move each to the device only while its stage runs, so a
    // card holding one stage's weights runs the whole pipeline (Kandinsky 2.2: about 12 GB at 768 px).
    bool sequential_offload = false;
    // The folders given, in slot order (empty slots left out).
    std::vector<std::string> folders() const;
};

class UnclipPipeline {
public:
    // Loads every component the folders have. Throws ModelError naming the folder/component/file.
    static std::unique_ptr<UnclipPipeline> load(const PipelineOptions& options);
    virtual ~UnclipPipeline();

    // Whether a mode can run with the loaded components, and if not, which component is missing.
    // What runs with the loaded components (core/pipeline/requirements.cpp: the one rule core
    // refuses by and the editor greys out by). For a mode: the components every request of it
    // needs ("prior or image_encoder" where either serves), "" when some request can run; for a
    // request: exactly what it needs (a text endpoint the prior, an image one the image encoder).
    bool supports(Mode mode) const;
    std::string missing_for(Mode mode) const;
    std::string missing_for(const TextToImageRequest& request) const;
    std::string missing_for(const VariationRequest& request) const;
    std::string missing_for(const InterpolationRequest& request) const;
    std::string missing_for(const TextDiffRequest& request) const;
    std::string missing_for(const InpaintRequest& request) const;
    std::string missing_for(const MixRequest& request) const;
    const PipelineOptions& options() const;
    ModelFamily family() const;
    // The output size a request's sampling gives (Kandinsky 2.2: width/height rounded up as the
    // reference rounds, the model's size when 0; Karlo: its fixed size). {width, height}.
    std::pair<int, int> output_size(const Sampling& sampling) const;
    // The model folder's name and weights hash, as recipes record it (never the path).
    const io::ModelIdentity& model_identity() const;
    // Size of the final images (Karlo: super-res sample_size; Kandinsky 2.2: the default, UNet
    // sample_size x MoVQ factor) and of the decoder stage.
    int image_size() const;
    int decoder_size() const;

    Result text_to_image(const TextToImageRequest& request, const RunControl& control = {});
    // Staged runs: super-resolves candidate `index` of a stop_after_decoder result of `request`,
    // re-using exactly the noise the full run would have used for it (same image as a full run).
    Result upscale_candidate(const TextToImageRequest& request, const Result& candidates, int index,
                             const RunControl& control = {});
    Result variations(const VariationRequest& request, const RunControl& control = {});
    Result interpolate(const InterpolationRequest& request, const RunControl& control = {});
    // The weighted sum of the items' image embeddings, decoded (requests.h: MixRequest).
    Result mix(const MixRequest& request, const RunControl& control = {});
    Result text_diff(const TextDiffRequest& request, const RunControl& control = {});
    Result inpaint(const InpaintRequest& request, const RunControl& control = {});

    // CLIP cosine similarity matrix [images x texts].
    torch::Tensor score(const std::vector<torch::Tensor>& images_uint8, const std::vector<std::string>& texts);

    // The loaded components, for the stage-level code in core/pipeline (verification, tools).
    struct Impl;
    Impl& impl() { return *impl_; }

private:
    explicit UnclipPipeline(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace unclip::pipeline
