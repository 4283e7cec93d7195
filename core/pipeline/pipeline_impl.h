// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal: the loaded components of an UnclipPipeline, shared by the files that implement its
// capabilities. Not part of the public API.
#include "core/io/model_folder.h"
#include "core/io/model_identity.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/models/movq/vq_model.h"
#include "core/schedulers/ddpm_scheduler.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/text/clip_tokenizer.h"

#include <optional>

namespace unclip::pipeline {

struct UnclipPipeline::Impl {
    PipelineOptions options;
    std::optional<text::ClipTokenizer> tokenizer;
    models::CLIPTextModelWithProjection text_encoder{nullptr};
    models::CLIPVisionModelWithProjection image_encoder{nullptr};
    std::optional<models::CLIPImageProcessorConfig> feature_extractor;
    models::PriorTransformer prior{nullptr};
    models::UnCLIPTextProjModel text_proj{nullptr};
    models::UNet2DConditionModel decoder{nullptr};
    models::UNet2DModel super_res_first{nullptr};
    models::UNet2DModel super_res_last{nullptr};
    std::optional<schedulers::UnCLIPSchedulerConfig> prior_scheduler, decoder_scheduler, super_res_scheduler;
    // Kandinsky 2.2 (family Kandinsky22): the prior folder fills tokenizer, text_encoder,
    // image_encoder, feature_extractor (its image_processor), prior and prior_scheduler above; the
    // decoder and inpainting-decoder folders these.
    ModelFamily family = ModelFamily::Karlo;
    models::UNet2DConditionModel unet{nullptr}, inpaint_unet{nullptr};
    models::VQModel movq{nullptr}, inpaint_movq{nullptr};
    std::optional<schedulers::DDPMSchedulerConfig> unet_scheduler, inpaint_scheduler;
    // Which folder each component came from, for messages and recipes.
    std::map<std::string, std::string> sources;
    // How recipes name the model: folder name + weights hash, never the path.
    io::ModelIdentity model_id;

    torch::Device device() const { return options.device; }
    // Where models live between stages (the CPU with sequential offload).
    torch::Device home_device() const { return options.sequential_offload ? torch::Device(torch::kCPU) : options.device; }
    torch::ScalarType dtype() const { return options.dtype; }
};

}  // namespace unclip::pipeline
