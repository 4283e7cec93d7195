// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/unclip_pipeline.h"

#include "core/common/error.h"
#include "core/common/heap_reuse.h"
#include "core/common/torch_setup.h"
#include "core/models/registry/model_registry.h"
#include "core/models/unet/channels_last.h"
#include "core/pipeline/slerp.h"
#include "core/pipeline/inversion.h"
#include "core/pipeline/stages.h"
#include "core/pipeline/component_check.h"
#include "core/pipeline/kandinsky/kandinsky_load.h"
#include "core/pipeline/kandinsky/kandinsky_modes.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace unclip::pipeline {

namespace {

// The classes model_index.json may name for each component the pipeline uses; anything else is
// refused before its files are read (a scheduler or tokenizer of another kind would otherwise be
// read with the wrong parser, or silently as ours).
const ComponentClasses& classes() {
    static const ComponentClasses table{"the unCLIP pipeline", {
        {"tokenizer", {"CLIPTokenizer", "CLIPTokenizerFast"}},
        {"text_encoder", {"CLIPTextModelWithProjection"}},
        {"image_encoder", {"CLIPVisionModelWithProjection"}},
        {"feature_extractor", {"CLIPImageProcessor", "CLIPFeatureExtractor"}},
        {"prior", {"PriorTransformer"}},
        {"text_proj", {"UnCLIPTextProjModel"}},
        {"decoder", {"UNet2DConditionModel"}},
        {"super_res_first", {"UNet2DModel"}},
        {"super_res_last", {"UNet2DModel"}},
        {"prior_scheduler", {"UnCLIPScheduler"}},
        {"decoder_scheduler", {"UnCLIPScheduler"}},
        {"super_res_scheduler", {"UnCLIPScheduler"}},
    }};
    return table;
}

void validate(const Sampling& s, bool uses_prior) { check_sampling(s, uses_prior, true); }


}  // namespace

UnclipPipeline::UnclipPipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UnclipPipeline::~UnclipPipeline() = default;

std::unique_ptr<UnclipPipeline> UnclipPipeline::load(const PipelineOptions& options) {
    torch::NoGradGuard no_grad;
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    const std::vector<std::string> dirs = options.folders();
    if (dirs.empty()) throw ModelError("no model folder given");
    // Each folder's family and role from its model_index.json; one family per pipeline.
    std::vector<std::pair<io::ModelFolder, FolderRole>> classified;
    for (const auto& d : dirs) {
        io::ModelFolder f(d);
        const FolderKind kind = classify_folder(f);
        if (!classified.empty()) {
            const FolderRole first = classified.front().second;
            if ((first == FolderRole::Karlo) != (kind.role == FolderRole::Karlo))
                throw ModelError("'" + classified.front().first.path() + "' and '" + d +
                                 "' are of different model families (Karlo and Kandinsky 2.2): load one family at a time");
        }
        classified.emplace_back(std::move(f), kind.role);
    }
    impl->model_id = io::model_identity(dirs.front());
    models::LoadOptions lo;
    lo.device = impl->home_device();
    lo.dtype = options.dtype;
    if (classified.front().second != FolderRole::Karlo) {
        kandinsky::load(*impl, classified, lo);
        return std::unique_ptr<UnclipPipeline>(new UnclipPipeline(std::move(impl)));
    }
    if (options.sequential_offload)
        throw RequestError("sequential offload is for Kandinsky 2.2; Karlo's stages are small enough to stay on the device");
    std::vector<io::ModelFolder> folders;
    for (auto& c : classified) folders.push_back(std::move(c.first));
    auto source = [&](const std::string& name) -> const io::ModelFolder* {
        for (const auto& f : folders)
            if (f.has(name)) return &f;
        return nullptr;
    };
    Impl& p = *impl;
    if (auto f = source("tokenizer")) {
        classes().check(*f, "tokenizer");
        p.tokenizer = text::ClipTokenizer::from_folder(f->component_dir("tokenizer"));
    }
    if (auto f = source("text_encoder")) p.text_encoder = classes().load<models::CLIPTextModelWithProjection>(*f, "text_encoder", lo);
    if (auto f = source("image_encoder")) p.image_encoder = classes().load<models::CLIPVisionModelWithProjection>(*f, "image_encoder", lo);
    if (auto f = source("feature_extractor")) {
        classes().check(*f, "feature_extractor");
        p.feature_extractor = models::CLIPImageProcessorConfig::from_json(f->config("feature_extractor"), f->config_path("feature_extractor"));
    }
    if (auto f = source("prior")) p.prior = classes().load<models::PriorTransformer>(*f, "prior", lo);
    if (auto f = source("text_proj")) p.text_proj = classes().load<models::UnCLIPTextProjModel>(*f, "text_proj", lo);
    if (auto f = source("decoder")) p.decoder = classes().load<models::UNet2DConditionModel>(*f, "decoder", lo);
    if (auto f = source("super_res_first")) p.super_res_first = classes().load<models::UNet2DModel>(*f, "super_res_first", lo);
    if (auto f = source("super_res_last")) p.super_res_last = classes().load<models::UNet2DModel>(*f, "super_res_last", lo);
    if (models::channels_last_pays(lo.device, lo.dtype)) {
        if (p.decoder) p.decoder->use_channels_last(true);
        if (p.super_res_first) p.super_res_first->use_channels_last(true);
        if (p.super_res_last) p.super_res_last->use_channels_last(true);
    }
    auto sched = [&](const char* name, std::optional<schedulers::UnCLIPSchedulerConfig>& out) {
        if (auto f = source(name)) {
            classes().check(*f, name);
            out = schedulers::UnCLIPSchedulerConfig::from_json(f->config(name), f->config_path(name));
        }
    };
    sched("prior_scheduler", p.prior_scheduler);
    sched("decoder_scheduler", p.decoder_scheduler);
    sched("super_res_scheduler", p.super_res_scheduler);
    for (const auto& f : folders)
        for (const auto& c : f.components())
            if (!p.sources.count(c.name)) p.sources[c.name] = f.path();
    if (!p.decoder && !p.prior && !p.text_encoder)
        throw ModelError("'" + options.model_dir + "' holds none of the unCLIP components (prior, decoder, text_encoder)");
    return std::unique_ptr<UnclipPipeline>(new UnclipPipeline(std::move(impl)));
}

const PipelineOptions& UnclipPipeline::options() const { return impl_->options; }
ModelFamily UnclipPipeline::family() const { return impl_->family; }

std::vector<std::string> PipelineOptions::folders() const {
    std::vector<std::string> out;
    for (const auto* d : {&model_dir, &image_encoder_dir, &decoder_dir, &inpaint_dir})
        if (!d->empty()) out.push_back(*d);
    return out;
}

std::pair<int, int> UnclipPipeline::output_size(const Sampling& s) const {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::output_size(*impl_, s);
    return {image_size(), image_size()};
}
const io::ModelIdentity& UnclipPipeline::model_identity() const { return impl_->model_id; }


int UnclipPipeline::image_size() const {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::default_size(*impl_);
    return impl_->super_res_first ? static_cast<int>(impl_->super_res_first->config().sample_size) : decoder_size();
}
int UnclipPipeline::decoder_size() const {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::default_size(*impl_);
    return impl_->decoder ? static_cast<int>(impl_->decoder->config().sample_size) : 0;
}

static void require(const std::string& missing, const char* what) {
    if (!missing.empty()) throw ModelError(std::string(what) + " needs components the loaded model folders lack: " + missing);
}

Result UnclipPipeline::text_to_image(const TextToImageRequest& r, const RunControl& control) {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::text_to_image(*impl_, r, control);
    require(missing_for(r), mode_name(Mode::TextToImage));
    validate(r.sampling, true);
    if (r.prompts.empty()) throw RequestError("no prompt given");
    if (r.images_per_prompt < 1 || r.images_per_prompt > 64) throw RequestError("images per prompt must be 1..64");
    if (r.best_of < 1 || r.best_of > 16) throw RequestError("best-of must be 1..16");
    c10::InferenceMode guard;
    HeapReuse heap;  // one for the whole call: no trim between its stages
    Impl& p = *impl_;
    const auto& s = r.sampling;
    const bool cfg = s.prior_guidance > 1.0f || s.decoder_guidance > 1.0f;
    const int64_t batch = static_cast<int64_t>(r.prompts.size()) * r.images_per_prompt;
    Generator gen(s.seed);
    NoiseSource noise = generator_noise(gen);

    TextConditioning text = encode_text(p, r.prompts, r.images_per_prompt, cfg, r.negative_prompt);
    torch::Tensor embeddings;
    if (r.best_of == 1) {
        embeddings = run_prior(p, text, batch, s.prior_steps, s.prior_guidance, noise, control);
    } else {
        // DALL-E 2's "best of K": K prior samples per image, keep the one closest to its text.
        const int k = r.best_of;
        TextConditioning many = encode_text(p, r.prompts, r.images_per_prompt * k, cfg, r.negative_prompt);
        torch::Tensor all = run_prior(p, many, batch * k, s.prior_steps, s.prior_guidance, noise, control);
        torch::Tensor text_embeds = text.prompt_embeds.slice(0, cfg ? batch : 0);
        all = all.view({batch, k, -1});
        torch::Tensor sim = torch::cosine_similarity(all, text_embeds.unsqueeze(1).to(all.scalar_type()), -1);
        torch::Tensor best = sim.argmax(1);
        embeddings = all.index({torch::arange(batch, best.options()), best});
    }
    DecoderConditioning cond = condition_decoder(p, embeddings, text);
    torch::Tensor small = run_decoder(p, cond, batch, s.decoder_steps, s.decoder_guidance, noise, control);

    Result result;
    result.image_embeddings = embeddings.to(torch::kCPU, torch::kFloat32);
    result.recipe = {{"mode", mode_name(Mode::TextToImage)},
                     {"prompts", r.prompts},
                     {"negative_prompt", r.negative_prompt},
                     {"images_per_prompt", r.images_per_prompt},
                     {"best_of", r.best_of},
                     {"sampling", to_json(s)},
                     {"model", p.model_id.name},
                     {"model_hash", p.model_id.hash},
                     {"family", family_name(p.family)}};
    result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    if (r.stop_after_decoder) {
        result.images = to_output_image(small);
        result.recipe["stage"] = "decoder";
        return result;
    }
    torch::Tensor up = upscale_for_super_res(p, small);
    torch::Tensor image = run_super_res(p, up, s.super_res_steps, noise, control);
    result.images = to_output_image(image);
    return result;
}

Result UnclipPipeline::upscale_candidate(const TextToImageRequest& r, const Result& candidates, int index,
                                         const RunControl& control) {
    if (impl_->family != ModelFamily::Karlo)
        throw RequestError(std::string(family_title(impl_->family)) +
                           " has no super-resolution stage: its pictures come out at full size, nothing to upscale");
    require(missing_for(r), mode_name(Mode::TextToImage));
    if (!candidates.decoder_output.defined()) throw RequestError("the candidates hold no decoder output to upscale");
    const int64_t batch = candidates.decoder_output.size(0);
    if (index < 0 || index >= batch) throw RequestError("candidate index out of range");
    c10::InferenceMode guard;
    HeapReuse heap;  // one for the whole call: no trim between its stages
    Impl& p = *impl_;
    const auto& s = r.sampling;
    // Replay the generator past the prior and decoder draws the full run made...
    Generator gen(s.seed);
    const int64_t prior_batch = batch * r.best_of;
    schedulers::UnCLIPScheduler prior_sched(*p.prior_scheduler), dec_sched(*p.decoder_scheduler);
    prior_sched.set_timesteps(s.prior_steps);
    dec_sched.set_timesteps(s.decoder_steps);
    const int64_t e = p.prior->config().resolved_clip_embed_dim();
    gen.skip({prior_batch, e});
    for (int64_t t : prior_sched.timesteps())
        if (t > 0) gen.skip({prior_batch, e});
    const auto& dc = p.decoder->config();
    gen.skip({batch, dc.in_channels, dc.sample_size, dc.sample_size});
    for (int64_t t : dec_sched.timesteps())
        if (t > 0) gen.skip({batch, dc.in_channels, dc.sample_size, dc.sample_size});
    // ...then draw the super-res noise for the whole batch and keep this candidate's row.
    NoiseSource row = [&gen, batch, index](torch::IntArrayRef shape) {
        std::vector<int64_t> full = shape.vec();
        full[0] = batch;
        return gen.randn(full).slice(0, index, index + 1);
    };
    torch::Tensor small = candidates.decoder_output.slice(0, index, index + 1).to(p.device(), torch::kFloat32);
    torch::Tensor image = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, row, control);
    Result result;
    result.images = to_output_image(image);
    result.recipe = candidates.recipe;
    result.recipe["stage"] = "full";
    result.recipe["candidate"] = index;
    if (candidates.image_embeddings.defined()) result.image_embeddings = candidates.image_embeddings.slice(0, index, index + 1);
    return result;
}

Result UnclipPipeline::variations(const VariationRequest& r, const RunControl& control) {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::variations(*impl_, r, control);
    require(missing_for(r), mode_name(Mode::Variation));
    validate(r.sampling, !r.prompt.empty());
    check_image(r.image, "the input image");
    if (r.num_images < 1 || r.num_images > 64) throw RequestError("number of variations must be 1..64");
    if (!(r.structure_strength >= 0.0f && r.structure_strength <= 1.0f))
        throw RequestError("structure strength must lie in [0, 1]");
    c10::InferenceMode guard;
    HeapReuse heap;  // one for the whole call: no trim between its stages
    Impl& p = *impl_;
    const auto& s = r.sampling;
    const bool cfg = s.decoder_guidance > 1.0f;
    Generator gen(s.seed);
    NoiseSource noise = generator_noise(gen);
    torch::Tensor embeddings;
    TextConditioning text;
    if (r.prompt.empty()) {
        embeddings = encode_images(p, {r.image}).repeat_interleave(r.num_images, 0);
        text = encode_text(p, {""}, r.num_images, cfg);
    } else {
        // Image to image: the prompt's content (prior), the picture's layout (structure).
        const bool prior_cfg = s.prior_guidance > 1.0f || cfg;
        text = encode_text(p, {r.prompt}, r.num_images, prior_cfg);
        embeddings = run_prior(p, text, r.num_images, s.prior_steps, s.prior_guidance, noise, control);
    }
    DecoderConditioning cond = condition_decoder(p, embeddings, text);
    torch::Tensor small;
    if (r.structure_strength == 0.0f) {
        small = run_decoder(p, cond, r.num_images, s.decoder_steps, s.decoder_guidance, noise, control);
    } else {
        // Structure-preserving: start the deterministic sampler from the input's DDIM-inverted noise,
        // mixed with fresh noise (strength 1 = the inversion itself, i.e. the input's layout exactly).
        torch::Tensor x0 = image_to_model(r.image, p.decoder->config().sample_size);
        // Inverted under the embedding the decoder then draws with (the picture's, or the prompt's).
        torch::Tensor inverted = ddim_invert(p, condition_decoder(p, embeddings.slice(0, 0, 1), encode_text(p, {r.prompt}, 1, cfg)),
                                             x0, s.decoder_steps, s.decoder_guidance, control);
        const float a = r.structure_strength;
        torch::Tensor start = inverted.expand({static_cast<int64_t>(r.num_images), -1, -1, -1});
        if (a < 1.0f) {
            torch::Tensor fresh = noise({static_cast<int64_t>(r.num_images), inverted.size(1), inverted.size(2), inverted.size(3)})
                                      .to(inverted.device(), inverted.scalar_type());
            start = std::sqrt(a) * inverted + std::sqrt(1.0f - a) * fresh;
        }
        small = ddim_decode(p, cond, start, s.decoder_steps, s.decoder_guidance, control);
    }
    torch::Tensor image = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, noise, control);
    Result result;
    result.images = to_output_image(image);
    result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    result.image_embeddings = embeddings.to(torch::kCPU, torch::kFloat32);
    result.recipe = {{"mode", mode_name(Mode::Variation)},
                     {"num_images", r.num_images},
                     {"sampling", to_json(s)},
                     {"model", p.model_id.name},
                     {"model_hash", p.model_id.hash},
                     {"family", family_name(p.family)}};
    if (!r.prompt.empty()) result.recipe["prompt"] = r.prompt;
    return result;
}

namespace {

// The CLIP image embedding of an endpoint: the image encoder for images, the prior for texts.
torch::Tensor endpoint_embedding(UnclipPipeline::Impl& p, const Endpoint& e, const Sampling& s,
                                 const RunControl& control) {
    if (e.image.defined()) return encode_images(p, {e.image});
    if (!p.prior) throw ModelError("interpolating from a text needs the prior (karlo-v1-alpha folder)");
    const bool cfg = s.prior_guidance > 1.0f;
    Generator gen(s.seed);
    TextConditioning text = encode_text(p, {e.text}, 1, cfg);
    return run_prior(p, text, 1, s.prior_steps, s.prior_guidance, generator_noise(gen), control);
}

}  // namespace

Result UnclipPipeline::interpolate(const InterpolationRequest& r, const RunControl& control) {
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::interpolate(*impl_, r, control);
    if (!r.a.image.defined() && r.a.text.empty()) throw RequestError("interpolation endpoint A is empty");
    if (!r.b.image.defined() && r.b.text.empty()) throw RequestError("interpolation endpoint B is empty");
    if (r.a.image.defined()) check_image(r.a.image, "image A");
    if (r.b.image.defined()) check_image(r.b.image, "image B");
    if (r.positions.empty() || r.positions.size() > 256) throw RequestError("give 1..256 interpolation positions");
    for (float t : r.positions)
        if (!(t >= 0.0f && t <= 1.0f)) throw RequestError("interpolation positions must lie in [0, 1]");
    require(missing_for(r), "interpolation");
    const bool images_only = r.a.image.defined() && r.b.image.defined();
    validate(r.sampling, !images_only);
    c10::InferenceMode guard;
    HeapReuse heap;  // one for the whole call: no trim between its stages
    Impl& p = *impl_;
    const auto& s = r.sampling;
    const int64_t n = static_cast<int64_t>(r.positions.size());
    torch::Tensor e0 = endpoint_embedding(p, r.a, s, control);
    torch::Tensor e1 = endpoint_embedding(p, r.b, s, control);
    torch::Tensor positions = torch::tensor(r.positions, torch::kFloat32);
    torch::Tensor embeddings = slerp(e0.to(torch::kCPU), e1.to(torch::kCPU), positions).to(p.device(), p.dtype());

    const bool cfg = s.decoder_guidance > 1.0f;
    Generator gen(s.seed);
    TextConditioning text = encode_text(p, std::vector<std::string>(static_cast<size_t>(n), ""), 1, cfg);
    DecoderConditioning cond = condition_decoder(p, embeddings, text);
    const auto& dc = p.decoder->config();
    // Every frame starts from the same decoder noise (the community pipeline draws it once).
    torch::Tensor latents = gen.randn({1, dc.in_channels, dc.sample_size, dc.sample_size}).repeat({n, 1, 1, 1});
    // Smooth mode shares every later draw across frames too, so frames differ only by the embedding
    // and one frame rendered alone equals the same frame in a batch.
    NoiseSource noise = r.smooth ? shared_noise(gen) : generator_noise(gen);
    torch::Tensor small = run_decoder(p, cond, n, s.decoder_steps, s.decoder_guidance, noise, control, latents);
    torch::Tensor image = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, noise, control);
    Result result;
    result.images = to_output_image(image);
    result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    result.image_embeddings = embeddings.to(torch::kCPU, torch::kFloat32);
    result.recipe = {{"mode", mode_name(Mode::Interpolation)},
                     {"positions", r.positions},
                     {"smooth", r.smooth},
                     {"a_text", r.a.text},
                     {"b_text", r.b.text},
                     {"sampling", to_json(s)},
                     {"model", p.model_id.name},
                     {"model_hash", p.model_id.hash},
                     {"family", family_name(p.family)}};
    return result;
}

Result UnclipPipeline::mix(const MixRequest& r, const RunControl& control) {
    if (r.items.empty() || r.items.size() > 16) throw RequestError("give 1..16 pictures or texts to mix");
    if (r.weights.size() != r.items.size())
        throw RequestError("give one weight per item to mix (" + std::to_string(r.items.size()) + " items, " +
                           std::to_string(r.weights.size()) + " weights)");
    for (size_t i = 0; i < r.items.size(); ++i) {
        const auto& e = r.items[i];
        if (e.image.defined()) check_image(e.image, "a picture to mix");
        else if (e.text.empty()) throw RequestError("item " + std::to_string(i + 1) + " to mix is neither a picture nor a text");
        if (!std::isfinite(r.weights[i]) || std::abs(r.weights[i]) > 100.0f)
            throw RequestError("mixing weights must be finite numbers between -100 and 100");
    }
    if (r.num_images < 1 || r.num_images > 64) throw RequestError("number of pictures must be 1..64");
    require(missing_for(r), "mixing");
    if (impl_->family == ModelFamily::Kandinsky22) return kandinsky::mix(*impl_, r, control);
    bool texts = false;
    for (const auto& e : r.items) texts = texts || !e.image.defined();
    validate(r.sampling, texts);
    c10::InferenceMode guard;
    HeapReuse heap;  // one for the whole call: no trim between its stages
    Impl& p = *impl_;
    const auto& s = r.sampling;
    torch::Tensor mixed;
    for (size_t i = 0; i < r.items.size(); ++i) {
        torch::Tensor e = endpoint_embedding(p, r.items[i], s, control).to(torch::kFloat32) * r.weights[i];
        mixed = mixed.defined() ? mixed + e : e;
    }
    const int64_t n = r.num_images;
    torch::Tensor embeddings = mixed.repeat({n, 1}).to(p.device(), p.dtype());
    const bool cfg = s.decoder_guidance > 1.0f;
    Generator gen(s.seed);
    NoiseSource noise = generator_noise(gen);
    TextConditioning text = encode_text(p, std::vector<std::string>(static_cast<size_t>(n), ""), 1, cfg);
    torch::Tensor small = run_decoder(p, condition_decoder(p, embeddings, text), n, s.decoder_steps, s.decoder_guidance,
                                      noise, control);
    torch::Tensor image = run_super_res(p, upscale_for_super_res(p, small), s.super_res_steps, noise, control);
    Result result;
    result.images = to_output_image(image);
    result.decoder_output = small.to(torch::kCPU, torch::kFloat32);
    result.image_embeddings = embeddings.to(torch::kCPU, torch::kFloat32);
    // The request itself (pictures left out) with where it ran: a recipe that parses back.
    result.recipe = to_json(r, Pictures::Omit);
    result.recipe.update({{"model", p.model_id.name}, {"model_hash", p.model_id.hash}, {"family", family_name(p.family)}});
    return result;
}

torch::Tensor UnclipPipeline::score(const std::vector<torch::Tensor>& images, const std::vector<std::string>& texts) {
    if (images.empty() || texts.empty()) throw RequestError("score needs at least one image and one text");
    for (const auto& im : images) check_image(im, "an image to score");
    c10::InferenceMode guard;
    Impl& p = *impl_;
    torch::Tensor ie = encode_images(p, images).to(torch::kFloat32);
    TextConditioning t = encode_text(p, texts, 1, false);
    torch::Tensor te = t.prompt_embeds.to(torch::kFloat32);
    ie = ie / ie.norm(2, -1, true);
    te = te / te.norm(2, -1, true);
    return torch::matmul(ie, te.t()).to(torch::kCPU);
}

}  // namespace unclip::pipeline
