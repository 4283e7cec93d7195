// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a training run does: the model sizes, the data and work folders, and per stage the steps,
// batch, learning rate and time cap. Saved as <work_dir>/train_config.json (which a later run
// resumes from); `device` and `init_dir` belong to one run and are not saved.
#include "core/training/model_configs.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace unclip::training {

struct StageOptions {
    int steps = 1000;
    int batch = 32;
    double lr = 1e-3;
    double max_minutes = 0;  // > 0: stop (and checkpoint) after this much wall time
};

struct TrainConfig {
    std::string dataset;   // unclip-dataset render output
    std::string work_dir;  // tokenizer, checkpoints, loss CSVs, train_config.json
    ModelSizes sizes;
    uint64_t seed = 0;
    int merges = 2000;
    StageOptions clip{3000, 64, 1e-3}, prior{3000, 64, 5e-4}, decoder{3000, 32, 5e-4}, super_res{2000, 16, 5e-4};
    int checkpoint_every = 200;
    int warmup_steps = 200;  // linear learning-rate warm-up, then constant
    int log_every = 25;
    double ema_decay = 0.999;
    double prior_text_drop = 0.1, decoder_text_drop = 0.5, decoder_image_drop = 0.1;
    // > 0: the super-res stage trains on random square crops of this side (of the picture and of its
    // upscaled low-resolution input), as unCLIP's upsamplers did: the UNet is convolutional, so it
    // samples whole pictures afterwards, and a 256 px stage trains 16x cheaper on 64 px crops.
    int super_res_crop = 0;
    // What the super-res UNet predicts: "sample" (the clean picture) or "epsilon" (the noise, as
    // Karlo's). Written into the exported super_res_scheduler's prediction_type. "sample" because an
    // epsilon model that is not nearly perfect gets the colours wrong within 7 steps: at t = 999 its
    // picture estimate is its noise error divided by sqrt(alpha_bar) = 5e-5 (measured on the first
    // GPU super-res: PSNR 16.5 dB after 7 steps where a plain bicubic upscale reaches 29.9 dB).
    std::string super_res_prediction = "sample";
    int threads = 0;  // 0: leave LibTorch's default
    // Where the models train ("cpu", "cuda", "cuda:N"). A property of the run, not of the model:
    // not written to train_config.json, so a run on the GPU machine resumes on a CPU and back.
    std::string device = "cpu";
    // A stage without a checkpoint starts from this diffusers folder's weights of its components
    // (e.g. the shipped model, to continue training it) instead of fresh ones. Run property too.
    std::string init_dir;

    nlohmann::json to_json() const;
    static TrainConfig from_json(const nlohmann::json& j);
    StageOptions& stage(const std::string& name);
};

const std::vector<std::string>& stage_names();  // clip, prior, decoder, super_res

}  // namespace unclip::training
