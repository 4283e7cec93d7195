// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Evaluation of an embedded-model folder through the real pipeline (UnclipPipeline): CLIP
// text->image retrieval on held-out data, the prior's cosine similarity to the true image
// embedding, and the rate at which the model's own CLIP matches each generated image to its own
// prompt among the held-out prompts; and the super-res stage's PSNR on real pictures shrunk to the
// decoder's size, beside the PSNR of a plain bicubic upscale of the same small pictures.
#include "core/pipeline/unclip_pipeline.h"
#include "core/training/emoji_dataset.h"

#include <nlohmann/json.hpp>

#include <string>

namespace unclip::training {

struct EvalOptions {
    int retrieval_pairs = 100;  // held-out (emoji, background) compositions
    int prior_samples = 100;
    int generated = 16;         // prompts generated for the generation metric
    int super_res_pictures = 32;  // held-out compositions shrunk to decoder size and super-resolved
    std::string super_res_images_dir;  // when set: truth / bicubic / model PNGs of the first 4 there
    pipeline::Sampling sampling;  // steps / guidance for the prior and generations
};

struct RetrievalScore {
    int n = 0;
    double top1 = 0, top5 = 0;
};

// Text->image retrieval: for each text, is its own image the most (top-5) similar among the n images?
RetrievalScore text_to_image_retrieval(const torch::Tensor& similarity_images_x_texts);

nlohmann::json evaluate(pipeline::UnclipPipeline& pipe, const Composer& composer, const EvalOptions& options);

}  // namespace unclip::training
