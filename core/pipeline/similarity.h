// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CLIP image-to-image similarity: the cosine of the image encoder's embeddings, the counterpart
// of UnclipPipeline::score() (images x texts) used by the editor's interpolation plots.
#include "core/pipeline/unclip_pipeline.h"

#include <vector>

namespace unclip::pipeline {

// images, references: uint8 [H, W, 3]. Returns float32 [images x references] on the CPU.
// Needs the image encoder; throws RequestError / ModelError otherwise.
torch::Tensor image_similarity(UnclipPipeline& pipeline, const std::vector<torch::Tensor>& images,
                               const std::vector<torch::Tensor>& references);

}  // namespace unclip::pipeline
