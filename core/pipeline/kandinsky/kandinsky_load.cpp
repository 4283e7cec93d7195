// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/kandinsky/kandinsky_load.h"

#include "core/common/error.h"
#include "core/pipeline/component_check.h"
#include "core/models/registry/model_registry.h"

#include <algorithm>
#include <map>

namespace unclip::pipeline::kandinsky {
namespace {

// The classes each component of each folder may have (model_index.json).
const ComponentClasses& classes() {
    static const ComponentClasses table{"Kandinsky 2.2", {
        {"tokenizer", {"CLIPTokenizer", "CLIPTokenizerFast"}},
        {"text_encoder", {"CLIPTextModelWithProjection"}},
        {"image_encoder", {"CLIPVisionModelWithProjection"}},
        {"image_processor", {"CLIPImageProcessor", "CLIPFeatureExtractor"}},
        {"prior", {"PriorTransformer"}},
        {"unet", {"UNet2DConditionModel"}},
        {"movq", {"VQModel"}},
    }};
    return table;
}

void need(const io::ModelFolder& folder, const std::string& component, const char* role) {
    if (!folder.has(component))
        throw ModelError("the Kandinsky 2.2 " + std::string(role) + " folder '" + folder.path() + "' has no '" + component +
                         "' component (model_index.json): it is incomplete or not a " + role + " folder");
}

schedulers::DDPMSchedulerConfig ddpm(const io::ModelFolder& folder) {
    const std::string& cls = folder.component("scheduler").class_name;
    if (cls != "DDPMScheduler")
        throw ModelError("the scheduler of '" + folder.path() + "' is a " + cls +
                         "; the Kandinsky 2.2 decoders run with DDPMScheduler (their released configuration)");
    return schedulers::DDPMSchedulerConfig::from_json(folder.config("scheduler"), folder.config_path("scheduler"));
}

// An integer of a component's config.json (its reference default when absent).
int64_t config_int(const io::ModelFolder& f, const std::string& component, const char* key, int64_t fallback) {
    const nlohmann::json c = f.config(component);
    if (!c.contains(key) || c[key].is_null()) return fallback;
    if (!c[key].is_number_integer())
        throw ModelError("'" + f.config_path(component) + "': " + key + " must be an integer");
    return c[key].get<int64_t>();
}

// The checks that need only the config files, so a wrong folder is named before gigabytes of
// weights are read.
void check_decoder_configs(const io::ModelFolder& f, bool inpaint) {
    const char* role = inpaint ? "inpainting decoder" : "decoder";
    need(f, "unet", role);
    need(f, "movq", role);
    need(f, "scheduler", role);
    classes().check(f, "unet");
    classes().check(f, "movq");
    const int64_t latent = config_int(f, "movq", "latent_channels", 3);
    const int64_t want = inpaint ? 2 * latent + 1 : latent;
    const int64_t in = config_int(f, "unet", "in_channels", 4);
    if (in != want)
        throw ModelError("the UNet of '" + f.path() + "' takes " + std::to_string(in) + " input channels; a Kandinsky 2.2 " +
                         role + " takes " + std::to_string(want) +
                         (inpaint ? " (latents, masked picture latents and the mask)" : " (the MoVQ latents)") +
                         (in == 2 * latent + 1 ? ": this is the inpainting decoder, give it as the inpainting folder"
                          : in == latent      ? ": this is the plain decoder, give it as the decoder folder"
                                              : ""));
    const int64_t out = config_int(f, "unet", "out_channels", 4);
    if (out != latent && out != 2 * latent)
        throw ModelError("the UNet of '" + f.path() + "' predicts " + std::to_string(out) + " channels but its MoVQ has " +
                         std::to_string(latent) + " latent channels");
}

void load_decoder(const io::ModelFolder& f, bool inpaint, models::UNet2DConditionModel& unet, models::VQModel& movq,
                  std::optional<schedulers::DDPMSchedulerConfig>& scheduler, const models::LoadOptions& lo) {
    scheduler = ddpm(f);
    unet = classes().load<models::UNet2DConditionModel>(f, "unet", lo);
    movq = classes().load<models::VQModel>(f, "movq", lo);
}

// Every embedding width must agree: the prior's samples and the image encoder's embeddings are
// what the UNets take as image_embeds. Read from the config files, before any weights.
void check_widths(const std::vector<std::pair<io::ModelFolder, FolderRole>>& folders) {
    std::vector<std::pair<std::string, int64_t>> widths;
    for (const auto& [f, role] : folders) {
        const std::string where = " ('" + f.path() + "')";
        if (role == FolderRole::KandinskyPrior) {
            const int64_t e = config_int(f, "prior", "embedding_dim", 768);
            widths.emplace_back("the prior's embedding_dim" + where, config_int(f, "prior", "clip_embed_dim", e));
            if (f.has("image_encoder"))
                widths.emplace_back("the image encoder's projection_dim" + where,
                                    config_int(f, "image_encoder", "projection_dim", 512));
            if (f.has("text_encoder"))
                widths.emplace_back("the text encoder's projection_dim" + where,
                                    config_int(f, "text_encoder", "projection_dim", 512));
        } else if (role == FolderRole::KandinskyDecoder || role == FolderRole::KandinskyInpaint) {
            widths.emplace_back(std::string(role == FolderRole::KandinskyDecoder ? "the decoder" : "the inpainting decoder") +
                                    " UNet's encoder_hid_dim" + where,
                                config_int(f, "unet", "encoder_hid_dim", 0));
        }
    }
    for (size_t i = 1; i < widths.size(); ++i)
        if (widths[i].second != widths[0].second)
            throw ModelError("the Kandinsky 2.2 folders do not belong together: " + widths[0].first + " is " +
                             std::to_string(widths[0].second) + " but " + widths[i].first + " is " +
                             std::to_string(widths[i].second) + " (all must be the same image-embedding width)");
}

}  // namespace

void load(UnclipPipeline::Impl& p, const std::vector<std::pair<io::ModelFolder, FolderRole>>& folders,
          const models::LoadOptions& lo) {
    p.family = ModelFamily::Kandinsky22;
    int roles[4] = {0, 0, 0, 0};
    for (const auto& [f, role] : folders) {
        if (++roles[static_cast<int>(role)] > 1)
            throw ModelError("two Kandinsky 2.2 " + std::string(role_name(role)) + " folders were given ('" + f.path() +
                             "' is the second)");
        if (role == FolderRole::KandinskyDecoder || role == FolderRole::KandinskyInpaint)
            check_decoder_configs(f, role == FolderRole::KandinskyInpaint);
        if (role == FolderRole::KandinskyPrior) {
            need(f, "prior", "prior");
            need(f, "scheduler", "prior");
        }
        if (role == FolderRole::Karlo) throw ModelError("'" + f.path() + "' is a Karlo folder, not a Kandinsky 2.2 one");
    }
    check_widths(folders);
    for (const auto& [f, role] : folders) {
        switch (role) {
        case FolderRole::KandinskyPrior:
            if (f.has("tokenizer")) {
                classes().check(f, "tokenizer");
                p.tokenizer = text::ClipTokenizer::from_folder(f.component_dir("tokenizer"));
            }
            if (f.has("text_encoder")) p.text_encoder = classes().load<models::CLIPTextModelWithProjection>(f, "text_encoder", lo);
            if (f.has("image_encoder")) p.image_encoder = classes().load<models::CLIPVisionModelWithProjection>(f, "image_encoder", lo);
            if (f.has("image_processor")) {
                classes().check(f, "image_processor");
                p.feature_extractor = models::CLIPImageProcessorConfig::from_json(f.config("image_processor"),
                                                                                  f.config_path("image_processor"));
                // The reference's Kandinsky pipelines preprocess with transformers 4's PIL path.
                p.feature_extractor->backend = models::CLIPImageBackend::Pil;
            }
            p.prior = classes().load<models::PriorTransformer>(f, "prior", lo);
            if (f.component("scheduler").class_name != "UnCLIPScheduler")
                throw ModelError("the scheduler of '" + f.path() + "' is a " + f.component("scheduler").class_name +
                                 "; the Kandinsky 2.2 prior runs with UnCLIPScheduler");
            p.prior_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(f.config("scheduler"), f.config_path("scheduler"));
            break;
        case FolderRole::KandinskyDecoder:
            load_decoder(f, false, p.unet, p.movq, p.unet_scheduler, lo);
            break;
        case FolderRole::KandinskyInpaint:
            load_decoder(f, true, p.inpaint_unet, p.inpaint_movq, p.inpaint_scheduler, lo);
            break;
        case FolderRole::Karlo: break;  // refused above
        }
        for (const auto& c : f.components())
            if (!p.sources.count(c.name)) p.sources[c.name] = f.path();
    }
}

}  // namespace unclip::pipeline::kandinsky
