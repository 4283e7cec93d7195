// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Trains the embedded emoji unCLIP, stage by stage, on the CPU (or CUDA), and exports a diffusers
// folder: (1) CLIP text + vision towers with a contrastive loss, (2) the prior (x0 prediction of
// the normalised CLIP image embedding from the text), (3) the decoder UNet + text_proj (epsilon
// prediction, fixed variance, classifier-free-guidance dropout of image embedding and text),
// (4) the super-res UNet (epsilon prediction from noise + the bicubic-upscaled small image).
// Every stage resumes from its checkpoint (<work_dir>/ckpt_<stage>.safetensors, model + EMA
// weights, step; optimizer state beside it), logs a progress line and appends loss_<stage>.csv.
#include "core/training/emoji_dataset.h"
#include "core/training/train_config.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace unclip::training {

struct StageReport {
    int start_step = 0, end_step = 0;
    double seconds = 0;
    double first_loss = 0, last_loss = 0;  // mean of the first / last quarter (at most 50 steps) of this run
};

class Trainer {
public:
    // Loads the dataset and the tokenizer of work_dir (learning and writing it the first time).
    explicit Trainer(TrainConfig config, std::ostream* log = nullptr);
    ~Trainer();

    const TrainConfig& config() const { return config_; }
    const Composer& composer() const { return *composer_; }

    StageReport train(const std::string& stage);

    // Writes a complete diffusers folder from the EMA weights of every trained stage (float16 or
    // float32). Components of untrained stages are left out (model_index.json lists what is there).
    void export_model(const std::string& out_dir, torch::ScalarType dtype = torch::kHalf) const;

    // The checkpointed weights ("model" or "ema") of a stage: component -> name -> tensor.
    std::map<std::string, std::map<std::string, torch::Tensor>> checkpoint(const std::string& stage,
                                                                           const std::string& which = "ema") const;
    std::string checkpoint_path(const std::string& stage) const;

private:
    struct State;
    struct StageRun;
    void build_stage(StageRun& run) const;
    void resume_or_start(StageRun& run) const;
    void init_prior_statistics(StageRun& run) const;
    void save_stage(const StageRun& run) const;
    StageReport loop(StageRun& run, const std::function<torch::Tensor(std::mt19937_64&)>& loss);

    TrainConfig config_;
    std::ostream* log_;
    std::unique_ptr<EmojiTiles> tiles_;
    std::unique_ptr<Composer> composer_;
    std::unique_ptr<State> state_;
};

}  // namespace unclip::training
