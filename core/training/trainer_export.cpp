// SPDX-License-Identifier: GPL-3.0-or-later
// Trainer::export_model: the EMA weights of every trained stage as a diffusers folder.
#include "core/training/trainer.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace unclip::training {

namespace fs = std::filesystem;
using json = nlohmann::json;

void Trainer::export_model(const std::string& out_dir, torch::ScalarType dtype) const {
    fs::create_directories(out_dir);
    const std::string tokenizer_dir = config_.work_dir + "/tokenizer";
    auto write_json = [](const std::string& path, const json& j) {
        fs::create_directories(fs::path(path).parent_path());
        std::ofstream f(path);
        f << j.dump(2) << "\n";
        if (!f) throw ModelError("cannot write " + path);
    };
    auto write_weights = [&](const std::string& path, const std::map<std::string, torch::Tensor>& w) {
        fs::create_directories(fs::path(path).parent_path());
        io::StateDict sd;
        for (const auto& [n, v] : w) sd[n] = v.is_floating_point() ? v.to(dtype) : v;
        io::save_safetensors(path, sd, {{"format", "pt"}});
    };
    const ModelSizes& sz = config_.sizes;  // tokenizer ids filled in by the constructor
    json index = {{"_class_name", "UnCLIPPipeline"}, {"_diffusers_version", "0.40.0.dev0"}};
    // Tokenizer (always) + schedulers.
    fs::create_directories(out_dir + "/tokenizer");
    for (const char* f : {"vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"})
        fs::copy_file(tokenizer_dir + "/" + f, out_dir + "/tokenizer/" + f, fs::copy_options::overwrite_existing);
    index["tokenizer"] = {"transformers", "CLIPTokenizer"};
    auto has = [&](const std::string& st) { return fs::exists(checkpoint_path(st)); };
    if (has("clip")) {
        auto c = checkpoint("clip", "ema");
        write_json(out_dir + "/text_encoder/config.json", text_encoder_config(sz));
        write_weights(out_dir + "/text_encoder/model.safetensors", c.at("text_encoder"));
        write_json(out_dir + "/image_encoder/config.json", image_encoder_config(sz));
        write_weights(out_dir + "/image_encoder/model.safetensors", c.at("image_encoder"));
        write_json(out_dir + "/feature_extractor/preprocessor_config.json", feature_extractor_config(sz));
        index["text_encoder"] = {"transformers", "CLIPTextModelWithProjection"};
        index["image_encoder"] = {"transformers", "CLIPVisionModelWithProjection"};
        index["feature_extractor"] = {"transformers", "CLIPImageProcessor"};
    }
    if (has("prior")) {
        auto c = checkpoint("prior", "ema");
        write_json(out_dir + "/prior/config.json", prior_config(sz));
        write_weights(out_dir + "/prior/diffusion_pytorch_model.safetensors", c.at("prior"));
        write_json(out_dir + "/prior_scheduler/scheduler_config.json", scheduler_config("prior"));
        index["prior"] = {"diffusers", "PriorTransformer"};
        index["prior_scheduler"] = {"diffusers", "UnCLIPScheduler"};
    }
    if (has("decoder")) {
        auto c = checkpoint("decoder", "ema");
        write_json(out_dir + "/decoder/config.json", decoder_config(sz));
        write_weights(out_dir + "/decoder/diffusion_pytorch_model.safetensors", c.at("decoder"));
        write_json(out_dir + "/text_proj/config.json", text_proj_config(sz));
        write_weights(out_dir + "/text_proj/diffusion_pytorch_model.safetensors", c.at("text_proj"));
        write_json(out_dir + "/decoder_scheduler/scheduler_config.json", scheduler_config("decoder"));
        index["decoder"] = {"diffusers", "UNet2DConditionModel"};
        index["text_proj"] = {"unclip", "UnCLIPTextProjModel"};
        index["decoder_scheduler"] = {"diffusers", "UnCLIPScheduler"};
    }
    if (has("super_res")) {
        auto c = checkpoint("super_res", "ema");
        for (const char* name : {"super_res_first", "super_res_last"}) {
            write_json(out_dir + "/" + name + "/config.json", super_res_config(sz));
            write_weights(out_dir + "/" + name + "/diffusion_pytorch_model.safetensors", c.at("super_res_first"));
            index[name] = {"diffusers", "UNet2DModel"};
        }
        write_json(out_dir + "/super_res_scheduler/scheduler_config.json", scheduler_config("super_res", config_.super_res_prediction));
        index["super_res_scheduler"] = {"diffusers", "UnCLIPScheduler"};
    }
    write_json(out_dir + "/model_index.json", index);
    *log_ << "exported " << out_dir << "\n";
}

}  // namespace unclip::training
