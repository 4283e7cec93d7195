// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sizes of the embedded emoji unCLIP and the diffusers / transformers config.json of each of its
// components, built from them (the same json constructs the modules for training and is written
// into the exported folder, so the two can never disagree).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace unclip::training {

struct ModelSizes {
    int canvas = 64;          // super-res output size (the composed training pictures)
    int decoder_size = 32;    // decoder output size
    int clip_image = 32;      // CLIP vision input size
    int clip_patch = 4;
    int text_len = 32;        // tokenizer model_max_length = text max_position_embeddings = prior num_embeddings
    int64_t vocab_size = 0;   // filled from the tokenizer
    int64_t bos_id = 0, eos_id = 0;
    int clip_width = 64;      // text and vision transformer width
    int clip_heads = 4;
    int text_layers = 3, vision_layers = 3;
    int embed_dim = 64;       // CLIP projection dim = image embedding size
    int prior_layers = 4, prior_heads = 4, prior_head_dim = 32;
    std::vector<int64_t> decoder_channels = {32, 64};
    int decoder_layers = 1;
    int decoder_head_dim = 32;
    int cross_dim = 64;
    int extra_tokens = 4;
    std::vector<int64_t> sr_channels = {16, 32};
    int sr_layers = 1;
    int norm_groups = 8;

    nlohmann::json to_json() const;
    static ModelSizes from_json(const nlohmann::json& j);
};

nlohmann::json text_encoder_config(const ModelSizes& s);
nlohmann::json image_encoder_config(const ModelSizes& s);
nlohmann::json feature_extractor_config(const ModelSizes& s);
nlohmann::json prior_config(const ModelSizes& s);
nlohmann::json text_proj_config(const ModelSizes& s);
nlohmann::json decoder_config(const ModelSizes& s);
nlohmann::json super_res_config(const ModelSizes& s);
// kind: "prior", "decoder", "super_res"; prediction: the model's prediction_type ("" = the kind's
// default: sample for the prior, epsilon otherwise).
nlohmann::json scheduler_config(const std::string& kind, const std::string& prediction = "");

}  // namespace unclip::training
