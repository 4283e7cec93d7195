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
