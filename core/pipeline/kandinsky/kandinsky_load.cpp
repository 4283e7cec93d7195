// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/kandinsky/kandinsky_load.h"

#include "core/common/error.h"
#include "core/models/registry/model_registry.h"

#include <algorithm>
#include <map>

namespace unclip::pipeline::kandinsky {
namespace {

// The classes each component of each folder may have (model_index.json).
const std::map<std::string, std::vector<std::string>>& expected_classes() {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"tokenizer", {"CLIPTokenizer", "CLIPTokenizerFast"}},
        {"text_encoder", {"CLIPTextModelWithProjection"}},
        {"image_encoder", {"CLIPVisionModelWithProjection"}},
        {"image_processor", {"CLIPImageProcessor", "CLIPFeatureExtractor"}},
        {"prior", {"PriorTransformer"}},
        {"unet", {"UNet2DConditionModel"}},
        {"movq", {"VQModel"}},
    };
    return table;
}

void check_class(const io::ModelFolder& folder, const std::string& name) {
    const auto it = expected_classes().find(name);
    if (it == expected_classes().end()) return;
    const std::string& cls = folder.component(name).class_name;
    if (std::find(it->second.begin(), it->second.end(), cls) != it->second.end()) return;
    throw ModelError("component '" + name + "' in '" + folder.path() + "' has class '" + cls +
                     "' (model_index.json); Kandinsky 2.2 needs " + it->second.front() + " there");
}

template <typename Holder>
Holder load_as(const io::ModelFolder& folder, const std::string& name, const models::LoadOptions& opts) {
    check_class(folder, name);
    return models::load_model_as<Holder>(folder, name, opts);
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

void load_decoder(const io::ModelFolder& f, bool inpaint, models::UNet2DConditionModel& unet, models::VQModel& movq,
                  std::optional<schedulers::DDPMSchedulerConfig>& scheduler, const models::LoadOptions& lo) {
    const char* role = inpaint ? "inpainting decoder" : "decoder";
    need(f, "unet", role);
    need(f, "movq", role);
    need(f, "scheduler", role);
    unet = load_as<models::UNet2DConditionModel>(f, "unet", lo);
    movq = load_as<models::VQModel>(f, "movq", lo);
    scheduler = ddpm(f);
    const int64_t latent = movq->config().latent_channels;
    const int64_t want = inpaint ? 2 * latent + 1 : latent;
    const int64_t in = unet->config().in_channels;
    if (in != want)
        throw ModelError("the UNet of '" + f.path() + "' takes " + std::to_string(in) + " input channels; a Kandinsky 2.2 " +
                         role + " takes " + std::to_string(want) +
                         (inpaint ? " (latents, masked picture latents and the mask)" : " (the MoVQ latents)") +
                         (in == 2 * latent + 1 ? ": this is the inpainting decoder, give it as the inpainting folder"
                          : in == latent      ? ": this is the plain decoder, give it as the decoder folder"
                                              : ""));
    if (unet->config().out_channels != latent && unet->config().out_channels != 2 * latent)
        throw ModelError("the UNet of '" + f.path() + "' predicts " + std::to_string(unet->config().out_channels) +
                         " channels but its MoVQ has " + std::to_string(latent) + " latent channels");
}

}  // namespace

void load(UnclipPipeline::Impl& p, const std::vector<std::pair<io::ModelFolder, FolderRole>>& folders,
          const models::LoadOptions& lo) {
    p.family = ModelFamily::Kandinsky22;
    for (const auto& [f, role] : folders) {
        switch (role) {
        case FolderRole::KandinskyPrior:
            if (p.prior) throw ModelError("two Kandinsky 2.2 prior folders were given");
            need(f, "prior", "prior");
            need(f, "scheduler", "prior");
            if (f.has("tokenizer")) {
                check_class(f, "tokenizer");
                p.tokenizer = text::ClipTokenizer::from_folder(f.component_dir("tokenizer"));
            }
            if (f.has("text_encoder")) p.text_encoder = load_as<models::CLIPTextModelWithProjection>(f, "text_encoder", lo);
            if (f.has("image_encoder")) p.image_encoder = load_as<models::CLIPVisionModelWithProjection>(f, "image_encoder", lo);
            if (f.has("image_processor")) {
                check_class(f, "image_processor");
                p.feature_extractor = models::CLIPImageProcessorConfig::from_json(f.config("image_processor"),
                                                                                  f.config_path("image_processor"));
            }
            p.prior = load_as<models::PriorTransformer>(f, "prior", lo);
            if (f.component("scheduler").class_name != "UnCLIPScheduler")
                throw ModelError("the scheduler of '" + f.path() + "' is a " + f.component("scheduler").class_name +
                                 "; the Kandinsky 2.2 prior runs with UnCLIPScheduler");
            p.prior_scheduler = schedulers::UnCLIPSchedulerConfig::from_json(f.config("scheduler"), f.config_path("scheduler"));
            break;
        case FolderRole::KandinskyDecoder:
            if (p.unet) throw ModelError("two Kandinsky 2.2 decoder folders were given");
            load_decoder(f, false, p.unet, p.movq, p.unet_scheduler, lo);
            break;
        case FolderRole::KandinskyInpaint:
            if (p.inpaint_unet) throw ModelError("two Kandinsky 2.2 inpainting folders were given");
            load_decoder(f, true, p.inpaint_unet, p.inpaint_movq, p.inpaint_scheduler, lo);
            break;
        case FolderRole::Karlo: throw ModelError("'" + f.path() + "' is a Karlo folder, not a Kandinsky 2.2 one");
        }
        for (const auto& c : f.components())
            if (!p.sources.count(c.name)) p.sources[c.name] = f.path();
    }
    // Every embedding width must agree: the prior's samples and the image encoder's embeddings are
    // what the UNets take as image_embeds.
    std::vector<std::pair<std::string, int64_t>> widths;
    if (p.prior) widths.emplace_back("the prior's embedding_dim", p.prior->config().resolved_clip_embed_dim());
    if (p.image_encoder) widths.emplace_back("the image encoder's projection_dim", p.image_encoder->config.projection_dim);
    if (p.text_encoder && p.prior)
        widths.emplace_back("the text encoder's projection_dim", p.text_encoder->config.projection_dim);
    auto unet_width = [](models::UNet2DConditionModel& u) { return u->config().encoder_hid_dim; };
    if (p.unet) widths.emplace_back("the decoder UNet's encoder_hid_dim", unet_width(p.unet));
    if (p.inpaint_unet) widths.emplace_back("the inpainting UNet's encoder_hid_dim", unet_width(p.inpaint_unet));
    for (size_t i = 1; i < widths.size(); ++i)
        if (widths[i].second != widths[0].second)
            throw ModelError("the Kandinsky 2.2 folders do not belong together: " + widths[0].first + " is " +
                             std::to_string(widths[0].second) + " but " + widths[i].first + " is " +
                             std::to_string(widths[i].second));
}

}  // namespace unclip::pipeline::kandinsky
