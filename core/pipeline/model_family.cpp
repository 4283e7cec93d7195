// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/model_family.h"

#include "core/common/error.h"
#include "core/models/movq/vq_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/pipeline/kandinsky/kandinsky_stages.h"

#include <map>

namespace unclip::pipeline {

const char* family_name(ModelFamily f) {
    switch (f) {
    case ModelFamily::Karlo: return "karlo";
    case ModelFamily::Kandinsky22: return "kandinsky-2.2";
    }
    return "?";
}

const char* family_title(ModelFamily f) {
    switch (f) {
    case ModelFamily::Karlo: return "Karlo (unCLIP)";
    case ModelFamily::Kandinsky22: return "Kandinsky 2.2";
    }
    return "?";
}

std::optional<ModelFamily> parse_family(const std::string& name) {
    for (ModelFamily f : {ModelFamily::Karlo, ModelFamily::Kandinsky22})
        if (name == family_name(f)) return f;
    return std::nullopt;
}

const char* role_name(FolderRole r) {
    switch (r) {
    case FolderRole::Karlo: return "karlo";
    case FolderRole::KandinskyPrior: return "prior";
    case FolderRole::KandinskyDecoder: return "decoder";
    case FolderRole::KandinskyInpaint: return "inpaint decoder";
    }
    return "?";
}

FolderKind classify_folder(const io::ModelFolder& folder) {
    static const std::map<std::string, FolderKind> kinds = {
        {"UnCLIPPipeline", {ModelFamily::Karlo, FolderRole::Karlo}},
        {"UnCLIPImageVariationPipeline", {ModelFamily::Karlo, FolderRole::Karlo}},
        {"KandinskyV22PriorPipeline", {ModelFamily::Kandinsky22, FolderRole::KandinskyPrior}},
        {"KandinskyV22PriorEmb2EmbPipeline", {ModelFamily::Kandinsky22, FolderRole::KandinskyPrior}},
        {"KandinskyV22Pipeline", {ModelFamily::Kandinsky22, FolderRole::KandinskyDecoder}},
        {"KandinskyV22Img2ImgPipeline", {ModelFamily::Kandinsky22, FolderRole::KandinskyDecoder}},
        {"KandinskyV22InpaintPipeline", {ModelFamily::Kandinsky22, FolderRole::KandinskyInpaint}},
    };
    const std::string& cls = folder.pipeline_class();
    if (auto it = kinds.find(cls); it != kinds.end()) return it->second;
    // Folders written by hand or by older tools may name no pipeline class: judge by the components.
    if (cls.empty() || cls == "DiffusionPipeline") {
        if (folder.has("super_res_first") || folder.has("text_proj")) return {ModelFamily::Karlo, FolderRole::Karlo};
        if (folder.has("movq") && folder.has("unet")) {
            const auto c = folder.config("unet");
            const bool inpaint = c.contains("in_channels") && c["in_channels"].is_number_integer() && c["in_channels"].get<int64_t>() == 9;
            return {ModelFamily::Kandinsky22, inpaint ? FolderRole::KandinskyInpaint : FolderRole::KandinskyDecoder};
        }
        if (folder.has("prior") && !folder.has("decoder")) return {ModelFamily::Kandinsky22, FolderRole::KandinskyPrior};
        if (folder.has("prior") || folder.has("decoder")) return {ModelFamily::Karlo, FolderRole::Karlo};
    }
    if (cls.rfind("Kandinsky", 0) == 0)
        throw ModelError("'" + folder.path() + "' is a " + cls +
                         " folder; unclip-studio runs Kandinsky 2.2 from its three folders: kandinsky-2-2-prior, "
                         "kandinsky-2-2-decoder and kandinsky-2-2-decoder-inpaint");
    throw ModelError("'" + folder.path() + "' holds a " + cls +
                     " (model_index.json); unclip-studio runs unCLIP models: Karlo (UnCLIPPipeline) and Kandinsky 2.2 "
                     "(KandinskyV22PriorPipeline, KandinskyV22Pipeline, KandinskyV22InpaintPipeline)");
}

std::pair<int, int> kandinsky_sizes(const io::ModelFolder& folder) {
    const auto movq = models::VQModelConfig::from_json(folder.config("movq"), folder.config_path("movq"));
    const auto unet = models::UNet2DConditionConfig::from_json(folder.config("unet"), folder.config_path("unet"));
    const int64_t f = movq.scale_factor();
    return {static_cast<int>(kandinsky::default_side(unet.sample_size, f)), static_cast<int>(kandinsky::output_side(1, f))};
}

Sampling default_sampling(ModelFamily f) {
    Sampling s;
    if (f == ModelFamily::Kandinsky22) {
        s.prior_steps = 25;
        s.prior_guidance = 4.0f;
        s.decoder_steps = 100;
        s.decoder_guidance = 4.0f;
    }
    return s;
}

}  // namespace unclip::pipeline
