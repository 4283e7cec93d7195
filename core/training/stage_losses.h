// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One training step's loss for each stage of the embedded model, on a fresh batch drawn with the
// step's generator: CLIP (contrastive), prior (x0 of the normalised image embedding), decoder
// (epsilon, classifier-free-guidance dropout of image embedding and text), super-res (the clean
// picture or epsilon, optionally on random crops). Used by Trainer::train (trainer.cpp).
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/text/clip_tokenizer.h"
#include "core/training/emoji_dataset.h"
#include "core/training/train_config.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace unclip::training {

// CLIP's learnable temperature (trained with the towers, not exported).
struct ClipHeadImpl : torch::nn::Module {
    ClipHeadImpl() { logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07))); }
    torch::Tensor logit_scale;
};
TORCH_MODULE(ClipHead);

// Captions -> ids [B, L] int64 and attention mask [B, L] bool, at the tokenizer's training length.
std::pair<torch::Tensor, torch::Tensor> tokenize_batch(const text::ClipTokenizer& tokenizer, const std::vector<std::string>& texts,
                                                       int length);
// Pictures [B, 3, H, W] in [-1, 1] -> CLIP pixel values, as the feature extractor prepares them.
torch::Tensor clip_pixels(const models::CLIPImageProcessor& processor, const torch::Tensor& images);

// What every stage's loss reads: the batch source, the settings and the frozen CLIP towers the
// prior and decoder stages condition on (null for the CLIP and super-res stages).
struct LossContext {
    const Composer& composer;
    const TrainConfig& config;
    const StageOptions& options;
    const ModelSizes& sizes;
    const text::ClipTokenizer& tokenizer;
    const models::CLIPImageProcessor& processor;
    torch::Device device;
    torch::Tensor alphas_cumprod;  // [1000], on `device`
    mutable models::CLIPTextModelWithProjection text_encoder{nullptr};  // holders: forward is not const
    mutable models::CLIPVisionModelWithProjection image_encoder{nullptr};
};

using LossFn = std::function<torch::Tensor(std::mt19937_64& rng)>;

// The loss of `stage` over the modules being trained (component name -> module). The context must
// outlive the returned function.
LossFn stage_loss(const std::string& stage, const LossContext& context,
                  const std::map<std::string, std::shared_ptr<torch::nn::Module>>& modules);

// The super-res stage's crop side for these settings (0: whole pictures).
int super_res_crop_side(const std::string& stage, const TrainConfig& config);

}  // namespace unclip::training
