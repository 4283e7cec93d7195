// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/similarity.h"

#include "core/common/error.h"
#include "core/pipeline/stages.h"

namespace unclip::pipeline {

torch::Tensor image_similarity(UnclipPipeline& pipeline, const std::vector<torch::Tensor>& images,
                               const std::vector<torch::Tensor>& references) {
    if (images.empty() || references.empty()) throw RequestError("similarity needs at least one image on each side");
    for (const auto* list : {&images, &references})
        for (const auto& im : *list)
            if (!im.defined() || im.dim() != 3 || im.size(2) != 3 || im.scalar_type() != torch::kUInt8)
                throw RequestError("similarity images must be uint8 [H, W, 3]");
    c10::InferenceMode guard;
    std::vector<torch::Tensor> all = images;
    all.insert(all.end(), references.begin(), references.end());
    torch::Tensor e = encode_images(pipeline.impl(), all).to(torch::kFloat32);
    e = e / e.norm(2, -1, true);
    const int64_t n = static_cast<int64_t>(images.size());
    return torch::matmul(e.slice(0, 0, n), e.slice(0, n).t()).to(torch::kCPU);
}

}  // namespace unclip::pipeline
