// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs any request of the vocabulary (core/pipeline/requests.h) on a loaded pipeline, and says
// which kinds a pipeline can run: what the server, its tests and in-process callers share.
#include "core/pipeline/unclip_pipeline.h"

#include <nlohmann/json.hpp>

namespace unclip::server {

struct Output {
    pipeline::Result result;
    torch::Tensor scores;  // score requests: float32 [images, texts]; undefined otherwise
};

Output run_request(pipeline::UnclipPipeline& pipeline, const pipeline::AnyRequest& request,
                   const pipeline::RunControl& control);

// Components `kind` (request_kinds()) needs that the pipeline lacks; "" when it can run.
std::string missing_for_kind(const pipeline::UnclipPipeline& pipeline, const std::string& kind);

// {"text2img": {"available": true}, "score": {"available": false, "missing": "image_encoder, ..."}, ...}
nlohmann::json capabilities(const pipeline::UnclipPipeline& pipeline);

}  // namespace unclip::server
