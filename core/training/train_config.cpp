// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/train_config.h"

#include "core/common/error.h"

namespace unclip::training {

using json = nlohmann::json;


json TrainConfig::to_json() const {
    auto st = [](const StageOptions& s) {
        return json{{"steps", s.steps}, {"batch", s.batch}, {"lr", s.lr}, {"max_minutes", s.max_minutes}};
    };
    return {{"dataset", dataset},
            {"work_dir", work_dir},
            {"sizes", sizes.to_json()},
            {"seed", seed},
            {"merges", merges},
            {"clip", st(clip)},
            {"prior", st(prior)},
            {"decoder", st(decoder)},
            {"super_res", st(super_res)},
            {"checkpoint_every", checkpoint_every},
            {"warmup_steps", warmup_steps},
            {"log_every", log_every},
            {"ema_decay", ema_decay},
            {"prior_text_drop", prior_text_drop},
            {"decoder_text_drop", decoder_text_drop},
            {"decoder_image_drop", decoder_image_drop},
            {"super_res_crop", super_res_crop},
            {"super_res_prediction", super_res_prediction},
            {"threads", threads}};
}

TrainConfig TrainConfig::from_json(const json& j) {
    TrainConfig c;
    auto st = [&](const char* k, StageOptions& s) {
        if (!j.contains(k)) return;
        const auto& o = j.at(k);
        s.steps = o.value("steps", s.steps);
        s.batch = o.value("batch", s.batch);
        s.lr = o.value("lr", s.lr);
        s.max_minutes = o.value("max_minutes", s.max_minutes);
    };
    c.dataset = j.value("dataset", c.dataset);
    c.work_dir = j.value("work_dir", c.work_dir);
    if (j.contains("sizes")) c.sizes = ModelSizes::from_json(j.at("sizes"));
    c.seed = j.value("seed", c.seed);
    c.merges = j.value("merges", c.merges);
    st("clip", c.clip);
    st("prior", c.prior);
    st("decoder", c.decoder);
    st("super_res", c.super_res);
    c.checkpoint_every = j.value("checkpoint_every", c.checkpoint_every);
    c.warmup_steps = j.value("warmup_steps", c.warmup_steps);
    c.log_every = j.value("log_every", c.log_every);
    c.ema_decay = j.value("ema_decay", c.ema_decay);
    c.prior_text_drop = j.value("prior_text_drop", c.prior_text_drop);
    c.decoder_text_drop = j.value("decoder_text_drop", c.decoder_text_drop);
    c.decoder_image_drop = j.value("decoder_image_drop", c.decoder_image_drop);
    c.super_res_crop = j.value("super_res_crop", c.super_res_crop);
    if (c.super_res_crop < 0 || c.super_res_crop > c.sizes.canvas || (c.super_res_crop > 0 && c.super_res_crop % 8 != 0))
        throw RequestError("super_res_crop must be 0 (whole pictures) or a multiple of 8 up to the canvas (" +
                           std::to_string(c.sizes.canvas) + "), not " + std::to_string(c.super_res_crop));
    c.super_res_prediction = j.value("super_res_prediction", c.super_res_prediction);
    if (c.super_res_prediction != "sample" && c.super_res_prediction != "epsilon")
        throw RequestError("super_res_prediction must be \"sample\" or \"epsilon\", not \"" + c.super_res_prediction + "\"");
    c.threads = j.value("threads", c.threads);
    return c;
}

StageOptions& TrainConfig::stage(const std::string& name) {
    if (name == "clip") return clip;
    if (name == "prior") return prior;
    if (name == "decoder") return decoder;
    if (name == "super_res") return super_res;
    throw RequestError("unknown training stage \"" + name + "\" (clip, prior, decoder, super_res)");
}

const std::vector<std::string>& stage_names() {
    static const std::vector<std::string> s = {"clip", "prior", "decoder", "super_res"};
    return s;
}

}  // namespace unclip::training
