#pragma once
// Trains the embedded emoji unCLIP, stage by stage, on the CPU (or CUDA), and exports a diffusers
// folder: (1) CLIP text + vision towers with a contrastive loss, (2) the prior (x0 prediction of
// the normalised CLIP image embedding from the text), (3) the decoder UNet + text_proj (epsilon
// prediction, fixed variance, classifier-free-guidance dropout of image embedding and text),
// (4) the super-res UNet (epsilon prediction from noise + the bicubic-upscaled small image).
// Every stage resumes from its checkpoint (<work_dir>/ckpt_<stage>.safetensors, model + EMA
// weights, step; optimizer state beside it), logs a progress line and appends loss_<stage>.csv.
#include "core/training/emoji_dataset.h"
#include "core/training/model_configs.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include <functional>
#include <map>
#include <memory>
#include <ostream>
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
    TrainConfig config_;
    std::ostream* log_;
    std::unique_ptr<EmojiTiles> tiles_;
    std::unique_ptr<Composer> composer_;
    std::unique_ptr<State> state_;
};

}  // namespace unclip::training
