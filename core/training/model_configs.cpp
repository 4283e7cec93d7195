// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/model_configs.h"

namespace unclip::training {

using json = nlohmann::json;

json ModelSizes::to_json() const {
    return {{"canvas", canvas},           {"decoder_size", decoder_size},   {"clip_image", clip_image},
            {"clip_patch", clip_patch},   {"text_len", text_len},           {"vocab_size", vocab_size},
            {"bos_id", bos_id},           {"eos_id", eos_id},               {"clip_width", clip_width},
            {"clip_heads", clip_heads},   {"text_layers", text_layers},     {"vision_layers", vision_layers},
            {"embed_dim", embed_dim},     {"prior_layers", prior_layers},   {"prior_heads", prior_heads},
            {"prior_head_dim", prior_head_dim}, {"decoder_channels", decoder_channels},
            {"decoder_layers", decoder_layers}, {"decoder_head_dim", decoder_head_dim}, {"cross_dim", cross_dim},
            {"extra_tokens", extra_tokens}, {"sr_channels", sr_channels},   {"sr_layers", sr_layers},
            {"norm_groups", norm_groups}};
}

ModelSizes ModelSizes::from_json(const json& j) {
    ModelSizes s;
#define GET(k) if (j.contains(#k)) j.at(#k).get_to(s.k)
    GET(canvas); GET(decoder_size); GET(clip_image); GET(clip_patch); GET(text_len); GET(vocab_size);
    GET(bos_id); GET(eos_id); GET(clip_width); GET(clip_heads); GET(text_layers); GET(vision_layers);
    GET(embed_dim); GET(prior_layers); GET(prior_heads); GET(prior_head_dim); GET(decoder_channels);
    GET(decoder_layers); GET(decoder_head_dim); GET(cross_dim); GET(extra_tokens); GET(sr_channels);
    GET(sr_layers); GET(norm_groups);
#undef GET
    return s;
}

json text_encoder_config(const ModelSizes& s) {
    return {{"architectures", {"CLIPTextModelWithProjection"}},
            {"attention_dropout", 0.0},
            {"bos_token_id", s.bos_id},
            {"eos_token_id", s.eos_id},
            {"pad_token_id", s.eos_id},
            {"hidden_act", "quick_gelu"},
            {"hidden_size", s.clip_width},
            {"initializer_factor", 1.0},
            {"initializer_range", 0.02},
            {"intermediate_size", 4 * s.clip_width},
            {"layer_norm_eps", 1e-5},
            {"max_position_embeddings", s.text_len},
            {"model_type", "clip_text_model"},
            {"num_attention_heads", s.clip_heads},
            {"num_hidden_layers", s.text_layers},
            {"projection_dim", s.embed_dim},
            {"dtype", "float16"},
            {"vocab_size", s.vocab_size}};
}

json image_encoder_config(const ModelSizes& s) {
    return {{"architectures", {"CLIPVisionModelWithProjection"}},
            {"attention_dropout", 0.0},
            {"hidden_act", "quick_gelu"},
            {"hidden_size", s.clip_width},
            {"image_size", s.clip_image},
            {"initializer_factor", 1.0},
            {"initializer_range", 0.02},
            {"intermediate_size", 4 * s.clip_width},
            {"layer_norm_eps", 1e-5},
            {"model_type", "clip_vision_model"},
            {"num_attention_heads", s.clip_heads},
            {"num_channels", 3},
            {"num_hidden_layers", s.vision_layers},
            {"patch_size", s.clip_patch},
            {"dtype", "float16"},
            {"projection_dim", s.embed_dim}};
}

json feature_extractor_config(const ModelSizes& s) {
    return {{"crop_size", {{"height", s.clip_image}, {"width", s.clip_image}}},
            {"do_center_crop", true},
            {"do_convert_rgb", true},
            {"do_normalize", true},
            {"do_rescale", true},
            {"do_resize", true},
            {"image_mean", {0.48145466, 0.4578275, 0.40821073}},
            {"image_processor_type", "CLIPImageProcessor"},
            {"image_std", {0.26862954, 0.26130258, 0.27577711}},
            {"resample", 3},
            {"rescale_factor", 0.00392156862745098},
            {"size", {{"shortest_edge", s.clip_image}}}};
}

json prior_config(const ModelSizes& s) {
    return {{"_class_name", "PriorTransformer"},
            {"added_emb_type", "prd"},
            {"additional_embeddings", 4},
            {"attention_head_dim", s.prior_head_dim},
            {"clip_embed_dim", nullptr},
            {"dropout", 0.0},
            {"embedding_dim", s.embed_dim},
            {"embedding_proj_dim", nullptr},
            {"embedding_proj_norm_type", nullptr},
            {"encoder_hid_proj_type", "linear"},
            {"norm_in_type", nullptr},
            {"num_attention_heads", s.prior_heads},
            {"num_embeddings", s.text_len},
            {"num_layers", s.prior_layers},
            {"time_embed_act_fn", "silu"},
            {"time_embed_dim", nullptr}};
}

json text_proj_config(const ModelSizes& s) {
    return {{"_class_name", "UnCLIPTextProjModel"},
            {"clip_embeddings_dim", s.embed_dim},
            {"clip_extra_context_tokens", s.extra_tokens},
            {"cross_attention_dim", s.cross_dim},
            {"time_embed_dim", 4 * s.decoder_channels.at(0)}};
}

json decoder_config(const ModelSizes& s) {
    json down = json::array(), up = json::array();
    for (size_t i = 0; i < s.decoder_channels.size(); ++i) {
        down.push_back(i == 0 ? "ResnetDownsampleBlock2D" : "SimpleCrossAttnDownBlock2D");
        up.push_back(i + 1 == s.decoder_channels.size() ? "ResnetUpsampleBlock2D" : "SimpleCrossAttnUpBlock2D");
    }
    return {{"_class_name", "UNet2DConditionModel"},
            {"act_fn", "silu"},
            {"attention_head_dim", s.decoder_head_dim},
            {"block_out_channels", s.decoder_channels},
            {"center_input_sample", false},
            {"class_embed_type", "identity"},
            {"cross_attention_dim", s.cross_dim},
            {"down_block_types", down},
            {"downsample_padding", 1},
            {"dropout", 0.0},
            {"flip_sin_to_cos", true},
            {"freq_shift", 0},
            {"in_channels", 3},
            {"layers_per_block", s.decoder_layers},
            {"mid_block_scale_factor", 1},
            {"mid_block_type", "UNetMidBlock2DSimpleCrossAttn"},
            {"norm_eps", 1e-5},
            {"norm_num_groups", s.norm_groups},
            {"only_cross_attention", false},
            {"out_channels", 3},
            {"resnet_time_scale_shift", "scale_shift"},
            {"sample_size", s.decoder_size},
            {"time_embedding_type", "positional"},
            {"up_block_types", up},
            {"upcast_attention", false},
            {"use_linear_projection", false}};
}

json super_res_config(const ModelSizes& s) {
    json down = json::array(), up = json::array();
    for (size_t i = 0; i < s.sr_channels.size(); ++i) {
        down.push_back("ResnetDownsampleBlock2D");
        up.push_back("ResnetUpsampleBlock2D");
    }
    return {{"_class_name", "UNet2DModel"},
            {"act_fn", "silu"},
            {"add_attention", false},
            {"attention_head_dim", 8},
            {"block_out_channels", s.sr_channels},
            {"center_input_sample", false},
            {"down_block_types", down},
            {"downsample_padding", 1},
            {"dropout", 0.0},
            {"flip_sin_to_cos", true},
            {"freq_shift", 0},
            {"in_channels", 6},
            {"layers_per_block", s.sr_layers},
            {"mid_block_scale_factor", 1},
            {"mid_block_type", "UNetMidBlock2D"},
            {"norm_eps", 1e-5},
            {"norm_num_groups", s.norm_groups},
            {"out_channels", 3},
            {"resnet_time_scale_shift", "default"},
            {"sample_size", s.canvas},
            {"time_embedding_type", "positional"},
            {"up_block_types", up}};
}

json scheduler_config(const std::string& kind, const std::string& prediction) {
    const bool prior = kind == "prior";
    const std::string predicts = !prediction.empty() ? prediction : (prior ? "sample" : "epsilon");
    return {{"_class_name", "UnCLIPScheduler"},
            {"beta_schedule", "squaredcos_cap_v2"},
            {"clip_sample", true},
            {"clip_sample_range", prior ? 5.0 : 1.0},
            {"num_train_timesteps", 1000},
            {"prediction_type", predicts},
            {"variance_type", "fixed_small_log"}};
}

}  // namespace unclip::training
