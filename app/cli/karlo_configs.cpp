// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/karlo_configs.h"

#include "app/cli/config_table.h"

namespace unclip::cli {
namespace {

// Keys a Karlo config.json may lack take the constructor defaults (listed here explicitly anyway).
const ConfigTable& karlo_table() {
    static const ConfigTable t = {
        {"text_encoder", {R"({
            "_class_name": "CLIPTextModelWithProjection", "architectures": ["CLIPTextModelWithProjection"],
            "vocab_size": 49408, "hidden_size": 768, "intermediate_size": 3072, "projection_dim": 768,
            "num_hidden_layers": 12, "num_attention_heads": 12, "max_position_embeddings": 77,
            "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05, "attention_dropout": 0.0,
            "bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1})",
                          123650304}},
        {"image_encoder", {R"({
            "_class_name": "CLIPVisionModelWithProjection", "architectures": ["CLIPVisionModelWithProjection"],
            "hidden_size": 1024, "intermediate_size": 4096, "projection_dim": 768, "num_hidden_layers": 24,
            "num_attention_heads": 16, "patch_size": 14, "image_size": 224, "num_channels": 3,
            "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05, "attention_dropout": 0.0})",
                           303966208}},
        {"prior", {R"({
            "_class_name": "PriorTransformer", "num_attention_heads": 32, "attention_head_dim": 64,
            "num_layers": 20, "embedding_dim": 768, "num_embeddings": 77, "additional_embeddings": 4,
            "dropout": 0.0, "time_embed_act_fn": "silu", "norm_in_type": null, "embedding_proj_norm_type": null,
            "encoder_hid_proj_type": "linear", "added_emb_type": "prd", "time_embed_dim": null,
            "embedding_proj_dim": null, "clip_embed_dim": null})",
                   1022030080}},
        {"text_proj", {R"({
            "_class_name": "UnCLIPTextProjModel", "clip_extra_context_tokens": 4, "clip_embeddings_dim": 768,
            "time_embed_dim": 1280, "cross_attention_dim": 1536})",
                       7878400}},
        {"decoder", {R"({
            "_class_name": "UNet2DConditionModel", "sample_size": 64, "in_channels": 3, "out_channels": 6,
            "down_block_types": ["ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D",
                                 "SimpleCrossAttnDownBlock2D", "SimpleCrossAttnDownBlock2D"],
            "up_block_types": ["SimpleCrossAttnUpBlock2D", "SimpleCrossAttnUpBlock2D",
                               "SimpleCrossAttnUpBlock2D", "ResnetUpsampleBlock2D"],
            "mid_block_type": "UNetMidBlock2DSimpleCrossAttn", "block_out_channels": [320, 640, 960, 1280],
            "layers_per_block": 3, "cross_attention_dim": 1536, "attention_head_dim": 64,
            "class_embed_type": "identity", "resnet_time_scale_shift": "scale_shift",
            "act_fn": "silu", "norm_num_groups": 32, "norm_eps": 1e-05, "flip_sin_to_cos": true, "freq_shift": 0,
            "downsample_padding": 1, "mid_block_scale_factor": 1, "center_input_sample": false,
            "time_embedding_type": "positional", "time_embedding_dim": null, "only_cross_attention": false,
            "upcast_attention": false, "dual_cross_attention": false, "use_linear_projection": false,
            "resnet_out_scale_factor": 1.0, "resnet_skip_time_act": false, "conv_in_kernel": 3,
            "conv_out_kernel": 3, "addition_embed_type": null, "encoder_hid_dim": null})",
                     885439686}},
        {"super_res_first", {R"({
            "_class_name": "UNet2DModel", "sample_size": 256, "in_channels": 6, "out_channels": 3,
            "down_block_types": ["ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D",
                                 "ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D"],
            "up_block_types": ["ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D",
                               "ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D"],
            "block_out_channels": [320, 640, 960, 1280], "layers_per_block": 3, "add_attention": false,
            "mid_block_type": "UNetMidBlock2D", "act_fn": "silu", "norm_num_groups": 32, "norm_eps": 1e-05,
            "resnet_time_scale_shift": "default", "time_embedding_type": "positional",
            "time_embedding_dim": null, "flip_sin_to_cos": true, "freq_shift": 0, "downsample_padding": 1,
            "mid_block_scale_factor": 1, "center_input_sample": false, "class_embed_type": null,
            "attention_head_dim": 8, "downsample_type": "conv", "upsample_type": "conv"})",
                             691579523}},
        {"prior_scheduler", {R"({
            "_class_name": "UnCLIPScheduler", "num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2",
            "clip_sample": true, "variance_type": "fixed_small_log", "prediction_type": "sample",
            "clip_sample_range": 5.0})",
                             0}},
        {"decoder_scheduler", {R"({
            "_class_name": "UnCLIPScheduler", "num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2",
            "clip_sample": true, "variance_type": "learned_range", "prediction_type": "epsilon",
            "clip_sample_range": 1.0})",
                               0}},
        {"super_res_scheduler", {R"({
            "_class_name": "UnCLIPScheduler", "num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2",
            "clip_sample": true, "variance_type": "fixed_small_log", "prediction_type": "epsilon",
            "clip_sample_range": 1.0})",
                                 0}},
        {"feature_extractor", {R"({
            "_class_name": "CLIPFeatureExtractor", "feature_extractor_type": "CLIPFeatureExtractor",
            "size": 224, "crop_size": 224, "do_resize": true, "do_center_crop": true, "do_normalize": true,
            "resample": 3, "image_mean": [0.48145466, 0.4578275, 0.40821073],
            "image_std": [0.26862954, 0.26130258, 0.27577711]})",
                               0}},
    };
    return t;
}

}  // namespace

const std::vector<std::string>& karlo_components() {
    static const std::vector<std::string> names = {
        "text_encoder",    "image_encoder",  "prior",           "text_proj",         "decoder",
        "super_res_first", "super_res_last", "prior_scheduler", "decoder_scheduler", "super_res_scheduler",
        "feature_extractor"};
    return names;
}

const nlohmann::json& karlo_config(const std::string& component) {
    // super_res_last has super_res_first's config (its own weights).
    return table_config(karlo_table(), component == "super_res_last" ? "super_res_first" : component, "Karlo");
}

int64_t karlo_parameter_count(const std::string& component) {
    return table_parameters(karlo_table(), component == "super_res_last" ? "super_res_first" : component);
}

}  // namespace unclip::cli
