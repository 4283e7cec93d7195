// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/kandinsky_configs.h"

#include "app/cli/config_table.h"

namespace unclip::cli {
namespace {

// Parameter counts: worked out per layer from the architectures (diffusers 0.25.1 / transformers
// 4.33.3 module structure), with the same arithmetic reproducing the counts known elsewhere:
// Karlo's CLIP towers, prior and decoder UNet (karlo_configs.cpp) exactly, and the golden set's
// tiny Kandinsky UNet, inpainting UNet and MoVQ (their safetensors) exactly. Approximate totals
// in the golden README: prior 1.0 B, ViT-bigG vision 1.8 B, text 0.7 B, UNet 1.2 B.
const ConfigTable& kandinsky_table() {
    static const ConfigTable t = {
        {"text_encoder", {R"({
            "_class_name": "CLIPTextModelWithProjection", "architectures": ["CLIPTextModelWithProjection"],
            "vocab_size": 49408, "hidden_size": 1280, "intermediate_size": 5120, "projection_dim": 1280,
            "num_hidden_layers": 32, "num_attention_heads": 20, "max_position_embeddings": 77,
            "hidden_act": "gelu", "layer_norm_eps": 1e-05, "attention_dropout": 0.0, "dropout": 0.0,
            "bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1, "model_type": "clip_text_model"})",
                          694659840}},
        {"image_encoder", {R"({
            "_class_name": "CLIPVisionModelWithProjection", "architectures": ["CLIPVisionModelWithProjection"],
            "hidden_size": 1664, "intermediate_size": 8192, "projection_dim": 1280, "num_hidden_layers": 48,
            "num_attention_heads": 16, "patch_size": 14, "image_size": 224, "num_channels": 3,
            "hidden_act": "gelu", "layer_norm_eps": 1e-05, "attention_dropout": 0.0, "dropout": 0.0,
            "model_type": "clip_vision_model"})",
                           1844907264}},
        {"prior", {R"({
            "_class_name": "PriorTransformer", "num_attention_heads": 32, "attention_head_dim": 64,
            "num_layers": 20, "embedding_dim": 1280, "num_embeddings": 77, "additional_embeddings": 4,
            "dropout": 0.0, "time_embed_act_fn": "silu", "norm_in_type": null, "embedding_proj_norm_type": null,
            "encoder_hid_proj_type": "linear", "added_emb_type": "prd", "time_embed_dim": null,
            "embedding_proj_dim": null, "clip_embed_dim": null})",
                   1026225920}},
        {"unet", {R"({
            "_class_name": "UNet2DConditionModel", "sample_size": 64, "in_channels": 4, "out_channels": 8,
            "down_block_types": ["ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D",
                                 "SimpleCrossAttnDownBlock2D", "SimpleCrossAttnDownBlock2D"],
            "up_block_types": ["SimpleCrossAttnUpBlock2D", "SimpleCrossAttnUpBlock2D",
                               "SimpleCrossAttnUpBlock2D", "ResnetUpsampleBlock2D"],
            "mid_block_type": "UNetMidBlock2DSimpleCrossAttn", "block_out_channels": [384, 768, 1152, 1536],
            "layers_per_block": 3, "cross_attention_dim": 768, "attention_head_dim": 64,
            "encoder_hid_dim": 1280, "encoder_hid_dim_type": "image_proj", "addition_embed_type": "image",
            "addition_embed_type_num_heads": 64, "addition_time_embed_dim": null,
            "class_embed_type": null, "resnet_time_scale_shift": "scale_shift", "act_fn": "silu",
            "norm_num_groups": 32, "norm_eps": 1e-05, "flip_sin_to_cos": true, "freq_shift": 0,
            "downsample_padding": 1, "mid_block_scale_factor": 1, "center_input_sample": false,
            "time_embedding_type": "positional", "time_embedding_dim": null, "only_cross_attention": false,
            "upcast_attention": false, "dual_cross_attention": false, "use_linear_projection": false,
            "resnet_out_scale_factor": 1.0, "resnet_skip_time_act": false, "conv_in_kernel": 3,
            "conv_out_kernel": 3, "num_class_embeds": null, "class_embeddings_concat": false,
            "projection_class_embeddings_input_dim": null, "time_cond_proj_dim": null,
            "time_embedding_act_fn": null, "timestep_post_act": null, "cross_attention_norm": null,
            "mid_block_only_cross_attention": null, "transformer_layers_per_block": 1})",
                  1253057288}},
        {"movq", {R"({
            "_class_name": "VQModel", "in_channels": 3, "out_channels": 3, "act_fn": "silu",
            "block_out_channels": [128, 256, 256, 512], "layers_per_block": 2,
            "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D",
                                 "AttnDownEncoderBlock2D"],
            "up_block_types": ["AttnUpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D",
                               "UpDecoderBlock2D"],
            "latent_channels": 4, "vq_embed_dim": 4, "num_vq_embeddings": 16384, "norm_num_groups": 32,
            "norm_type": "spatial", "scaling_factor": 0.18215, "sample_size": 32})",
                  67832495}},
        {"prior_scheduler", {R"({
            "_class_name": "UnCLIPScheduler", "_diffusers_version": "0.17.0.dev0", "clip_sample": true,
            "clip_sample_range": 10.0, "num_train_timesteps": 1000, "prediction_type": "sample",
            "variance_type": "fixed_small_log"})",
                             0}},
        {"decoder_scheduler", {R"({
            "_class_name": "DDPMScheduler", "_diffusers_version": "0.17.0.dev0", "num_train_timesteps": 1000,
            "beta_schedule": "linear", "beta_start": 0.00085, "beta_end": 0.012, "clip_sample": false,
            "set_alpha_to_one": false, "steps_offset": 1, "prediction_type": "epsilon", "thresholding": false})",
                               0}},
        {"image_processor", {R"({
            "_class_name": "CLIPImageProcessor", "feature_extractor_type": "CLIPFeatureExtractor",
            "size": 224, "crop_size": 224, "do_resize": true, "do_center_crop": true, "do_normalize": true,
            "resample": 3, "image_mean": [0.48145466, 0.4578275, 0.40821073],
            "image_std": [0.26862954, 0.26130258, 0.27577711]})",
                             0}},
    };
    return t;
}

// The inpainting decoder's UNet is the decoder's with 9 input channels (latents, masked picture
// latents, mask): 5 x 384 x 9 more conv_in weights.
const nlohmann::json& unet_inpaint() {
    static const nlohmann::json j = [] {
        nlohmann::json u = table_config(kandinsky_table(), "unet", "Kandinsky 2.2");
        u["in_channels"] = 9;
        return u;
    }();
    return j;
}

}  // namespace

const std::vector<std::string>& kandinsky_components() {
    static const std::vector<std::string> names = {"text_encoder",    "image_encoder",     "prior",
                                                   "unet",            "unet_inpaint",      "movq",
                                                   "prior_scheduler", "decoder_scheduler", "image_processor"};
    return names;
}

const nlohmann::json& kandinsky_config(const std::string& component) {
    if (component == "unet_inpaint") return unet_inpaint();
    return table_config(kandinsky_table(), component, "Kandinsky 2.2");
}

int64_t kandinsky_parameter_count(const std::string& component) {
    if (component == "unet_inpaint") return table_parameters(kandinsky_table(), "unet") + 5 * 384 * 9;
    return table_parameters(kandinsky_table(), component);
}

}  // namespace unclip::cli
