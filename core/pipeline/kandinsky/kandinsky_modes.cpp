// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/kandinsky/kandinsky_modes.h"

#include "core/common/error.h"
#include "core/pipeline/kandinsky/kandinsky_stages.h"
#include "core/pipeline/slerp.h"

#include <torch/torch.h>

#include <algorithm>

namespace unclip::pipeline::kandinsky {
namespace {

// Kandinsky 2.2 has no super-resolution stage.
void validate(const Sampling& s, bool uses_prior) { check_sampling(s, uses_prior, false); }

int64_t scale_factor(const Impl& p) {
    if (p.movq) return p.movq->config().scale_factor();
    if (p.inpaint_movq) return p.inpaint_movq->config().scale_factor();
    return 8;
}

nlohmann::json recipe(const Impl& p, Mode mode, const Sampling& s, int width, int height) {
    Sampling recorded = s;
    recorded.width = width;
    recorded.height = height;
    return {{"mode", mode_name(mode)},
            {"family", family_name(p.family)},
            {"sampling", to_json(recorded)},
            {"model", p.model_id.name},
            {"model_hash", p.model_id.hash}};
}

DecoderArgs decoder_args(const Impl& p, const Sampling& s, const torch::Tensor& embeds, const torch::Tensor& negative) {
    DecoderArgs a;
    a.image_embeds = embeds;
    a.negative_image_embeds = negative;
    const auto [w, h] = output_size(p, s);
    a.width = w;
    a.height = h;
    a.steps = s.decoder_steps;
    a.guidance = s.decoder_guidance;
    return a;
}

Result finish(Impl& p, nlohmann::json recipe, const torch::Tensor& latents, const torch::Tensor& embeds) {
    Result result;
    result.images = decode(p, p.movq, latents);
    result.image_embeddings = embeds.to(torch::kCPU, torch::kFloat32);
    result.recipe = std::move(recipe);
    return result;
}

// The embedding of one interpolation endpoint: the image encoder for a picture, the prior (with
// its own generator from the seed, as Karlo's endpoints) for a text.
torch::Tensor endpoint_embedding(Impl& p, const Endpoint& e, const Sampling& s, const RunControl& control) {
    if (e.image.defined()) return image_embeds(p, {e.image});
    Generator gen(s.seed);
    return run_prior(p, {e.text}, nullptr, 1, s.prior_steps, s.prior_guidance, gen, control).image_embeds;
}

}  // namespace

int default_size(const Impl& p) {
    const models::UNet2DConditionModel& unet = p.unet ? p.unet : p.inpaint_unet;
    return static_cast<int>(default_side(unet ? unet->config().sample_size : 0, scale_factor(p)));
}

std::pair<int, int> output_size(const Impl& p, const Sampling& s) {
    const int64_t f = scale_factor(p);
    const int w = s.width > 0 ? s.width : default_size(p), h = s.height > 0 ? s.height : default_size(p);
    return {static_cast<int>(output_side(w, f)), static_cast<int>(output_side(h, f))};
}

Result text_to_image(Impl& p, const TextToImageRequest& r, const RunControl& control) {
    validate(r.sampling, true);
    if (r.prompts.empty()) throw RequestError("no prompt given");
    if (r.images_per_prompt < 1 || r.images_per_prompt > 64) throw RequestError("images per prompt must be 1..64");
    if (r.best_of < 1 || r.best_of > 16) throw RequestError("best-of must be 1..16");
    c10::InferenceMode guard;
    const auto& s = r.sampling;
    Generator gen(s.seed);
    const std::string* negative = r.negative_prompt.empty() ? nullptr : &r.negative_prompt;
    const int64_t batch = static_cast<int64_t>(r.prompts.size()) * r.images_per_prompt;
    PriorOutput prior = run_prior(p, r.prompts, negative, r.images_per_prompt * r.best_of, s.prior_steps,
                                  s.prior_guidance, gen, control);
    if (r.best_of > 1) {
        // DALL-E 2's "best of K": K prior samples per picture, keep the one closest to its text.
        const int64_t k = r.best_of;
        TextConditioning text;
        {
            OnDevice on(p, *p.text_encoder);
            text = encode_text(p, r.prompts, r.images_per_prompt, false);
        }
        torch::Tensor all = prior.image_embeds.view({batch, k, -1});
        torch::Tensor sim = torch::cosine_similarity(all, text.prompt_embeds.to(torch::kFloat32).unsqueeze(1).to(all.device()), -1);
        torch::Tensor rows = torch::arange(batch, torch::TensorOptions().dtype(torch::kLong).device(all.device()));
        torch::Tensor best = sim.argmax(1);
        prior.image_embeds = all.index({rows, best});
        prior.negative_image_embeds = prior.negative_image_embeds.view({batch, k, -1}).index({rows, best});
    }
    DecoderArgs a = decoder_args(p, s, prior.image_embeds, prior.negative_image_embeds);
    torch::Tensor latents = kandinsky::text_to_image(p, a, gen, control);
    nlohmann::json rec = recipe(p, Mode::TextToImage, s, static_cast<int>(a.width), static_cast<int>(a.height));
    rec["prompts"] = r.prompts;
    rec["negative_prompt"] = r.negative_prompt;
    rec["images_per_prompt"] = r.images_per_prompt;
    rec["best_of"] = r.best_of;
    return finish(p, std::move(rec), latents, prior.image_embeds);
}

Result variations(Impl& p, const VariationRequest& r, const RunControl& control) {
    validate(r.sampling, !r.prompt.empty());
    check_image(r.image, "the input image");
    if (r.num_images < 1 || r.num_images > 64) throw RequestError("number of variations must be 1..64");
    if (!(r.structure_strength >= 0.0f && r.structure_strength <= 1.0f))
        throw RequestError("structure strength must lie in [0, 1]");
    c10::InferenceMode guard;
    const auto& s = r.sampling;
    Generator gen(s.seed);
    torch::Tensor embeds, negative;
    if (r.prompt.empty()) {
        embeds = image_embeds(p, {r.image}).repeat({r.num_images, 1});
        negative = zero_image_embeds(p, r.num_images);
    } else {
        // Image to image (KandinskyV22Img2ImgPipeline after the prior): the prompt's embedding.
        PriorOutput prior = run_prior(p, {r.prompt}, nullptr, r.num_images, s.prior_steps, s.prior_guidance, gen, control);
        embeds = prior.image_embeds;
        negative = prior.negative_image_embeds;
    }
    DecoderArgs a = decoder_args(p, s, embeds, negative);
    torch::Tensor latents;
    if (r.structure_strength == 0.0f) {
        latents = kandinsky::text_to_image(p, a, gen, control);
    } else {
        const float strength = std::max(1.0f - r.structure_strength, 1.0f / static_cast<float>(s.decoder_steps));
        latents = image_to_image(p, a, r.image, strength, gen, control);
    }
    nlohmann::json rec = recipe(p, Mode::Variation, s, static_cast<int>(a.width), static_cast<int>(a.height));
    rec["num_images"] = r.num_images;
    rec["structure_strength"] = r.structure_strength;
    if (!r.prompt.empty()) rec["prompt"] = r.prompt;
    return finish(p, std::move(rec), latents, embeds);
}

Result interpolate(Impl& p, const InterpolationRequest& r, const RunControl& control) {
    if (!r.a.image.defined() && r.a.text.empty()) throw RequestError("interpolation endpoint A is empty");
    if (!r.b.image.defined() && r.b.text.empty()) throw RequestError("interpolation endpoint B is empty");
    if (r.a.image.defined()) check_image(r.a.image, "image A");
    if (r.b.image.defined()) check_image(r.b.image, "image B");
    if (r.positions.empty() || r.positions.size() > 256) throw RequestError("give 1..256 interpolation positions");
    for (float t : r.positions)
        if (!(t >= 0.0f && t <= 1.0f)) throw RequestError("interpolation positions must lie in [0, 1]");
    const bool images_only = r.a.image.defined() && r.b.image.defined();
    validate(r.sampling, !images_only);
    c10::InferenceMode guard;
    const auto& s = r.sampling;
    const int64_t n = static_cast<int64_t>(r.positions.size());
    torch::Tensor e0 = endpoint_embedding(p, r.a, s, control).to(torch::kCPU);
    torch::Tensor e1 = endpoint_embedding(p, r.b, s, control).to(torch::kCPU);
    torch::Tensor t = torch::tensor(r.positions, torch::kFloat32).unsqueeze(1);
    torch::Tensor embeds = r.smooth ? slerp(e0, e1, t.squeeze(1)) : (1 - t) * e0 + t * e1;
    torch::Tensor negative = zero_image_embeds(p, n);
    DecoderArgs a = decoder_args(p, s, embeds, negative);
    Generator gen(s.seed);
    torch::Tensor latents;
    if (r.smooth) {
        // One start and one draw per step for every frame: frames differ by their embedding alone,
        // and a frame rendered alone equals the same frame in a batch.
        const int64_t f = p.movq ? p.movq->config().scale_factor() : 8;
        const int64_t c = p.movq ? p.movq->config().latent_channels : 4;
        torch::Tensor start = gen.randn({1, c, latent_side(a.height, f), latent_side(a.width, f)}).repeat({n, 1, 1, 1});
        latents = kandinsky::text_to_image(p, a, gen, control, start, shared_noise(gen));
    } else {
        latents = kandinsky::text_to_image(p, a, gen, control);
    }
    nlohmann::json rec = recipe(p, Mode::Interpolation, s, static_cast<int>(a.width), static_cast<int>(a.height));
    rec["positions"] = r.positions;
    rec["smooth"] = r.smooth;
    rec["a_text"] = r.a.text;
    rec["b_text"] = r.b.text;
    return finish(p, std::move(rec), latents, embeds);
}

Result text_diff(Impl& p, const TextDiffRequest& r, const RunControl& control) {
    check_image(r.image, "the input image");
    if (r.target.empty()) throw RequestError("text diff needs a target description");
    if (!(r.theta >= 0.0f && r.theta <= 1.0f)) throw RequestError("text diff angle must lie in [0, 1]");
    validate(r.sampling, false);
    if (!p.text_encoder || !p.tokenizer) throw ModelError("text diffs need the Kandinsky 2.2 prior folder's text encoder");
    c10::InferenceMode guard;
    const auto& s = r.sampling;
    torch::Tensor e_img = image_embeds(p, {r.image}).to(torch::kCPU);
    TextConditioning texts;
    {
        OnDevice on(p, *p.text_encoder);
        texts = encode_text(p, {r.description, r.target}, 1, false);
    }
    torch::Tensor t = texts.prompt_embeds.to(torch::kCPU, torch::kFloat32);
    t = t / t.norm(2, -1, true);
    torch::Tensor diff = t[1] - t[0];
    if (diff.norm().item<float>() < 1e-6f) throw RequestError("the description and the target give the same text embedding");
    diff = diff / diff.norm();
    torch::Tensor e_new = r.theta == 0.0f ? e_img : slerp(e_img, (diff * e_img.norm()).unsqueeze(0), torch::tensor({r.theta}));
    torch::Tensor negative = zero_image_embeds(p, 1);
    DecoderArgs in = decoder_args(p, s, e_img, negative);
    DecoderArgs out = decoder_args(p, s, e_new, negative);
    torch::Tensor x0 = encode_picture(p, r.image, in.width, in.height);
    torch::Tensor latents = ddim_decode(p, out, ddim_invert(p, in, x0, control), control);
    nlohmann::json rec = recipe(p, Mode::TextDiff, s, static_cast<int>(in.width), static_cast<int>(in.height));
    rec["description"] = r.description;
    rec["target"] = r.target;
    rec["theta"] = r.theta;
    return finish(p, std::move(rec), latents, e_new);
}

Result mix(Impl& p, const MixRequest& r, const RunControl& control) {
    bool texts = false;
    for (const auto& e : r.items) texts = texts || !e.image.defined();
    validate(r.sampling, texts);
    c10::InferenceMode guard;
    const auto& s = r.sampling;
    std::vector<MixItem> items;
    for (size_t i = 0; i < r.items.size(); ++i) items.push_back({r.items[i].image, r.items[i].text, r.weights[i]});
    Generator gen(s.seed);
    // Every picture gets its own draws: the mixed embedding repeated per picture.
    PriorOutput mixed = interpolate(p, items, r.num_images, s.prior_steps, s.prior_guidance, gen, control);
    DecoderArgs a = decoder_args(p, s, mixed.image_embeds, mixed.negative_image_embeds);
    torch::Tensor latents = kandinsky::text_to_image(p, a, gen, control);
    // The request itself (pictures left out) with where it ran: a recipe that parses back.
    nlohmann::json rec = recipe(p, Mode::Interpolation, s, static_cast<int>(a.width), static_cast<int>(a.height));
    nlohmann::json request = to_json(r, Pictures::Omit);
    request["sampling"] = rec["sampling"];
    request.update({{"family", rec["family"]}, {"model", rec["model"]}, {"model_hash", rec["model_hash"]}});
    return finish(p, std::move(request), latents, mixed.image_embeds);
}

CropResult inpaint_crop(Impl& p, const InpaintRequest& r, const torch::Tensor& image, const torch::Tensor& mask,
                        const RunControl& control) {
    validate(r.sampling, !r.prompt.empty());
    const auto& s = r.sampling;
    const int64_t n = r.num_images;
    // A square frame drawn at the model's size (or the size asked for); every mask pixel with any
    // coverage is repainted.
    const int64_t side = output_size(p, s).first;
    namespace F = torch::nn::functional;
    torch::Tensor m = mask.to(torch::kCPU, torch::kFloat32).unsqueeze(0).unsqueeze(0);
    m = m.size(2) > side || m.size(3) > side
            ? F::adaptive_max_pool2d(m, F::AdaptiveMaxPool2dFuncOptions({side, side}))
            : F::interpolate(m, F::InterpolateFuncOptions().size(std::vector<int64_t>{side, side}).mode(torch::kNearest));
    m = (m > 0.0f).to(torch::kFloat32).squeeze(0).squeeze(0);
    Generator gen(s.seed);
    PriorOutput cond;
    if (!r.prompt.empty()) {
        cond = run_prior(p, {r.prompt}, nullptr, static_cast<int>(n), s.prior_steps, s.prior_guidance, gen, control);
    } else {
        cond.image_embeds = image_embeds(p, {image}).repeat({n, 1});
        cond.negative_image_embeds = zero_image_embeds(p, n);
    }
    DecoderArgs a;
    a.image_embeds = cond.image_embeds;
    a.negative_image_embeds = cond.negative_image_embeds;
    a.width = a.height = side;
    a.steps = s.decoder_steps;
    a.guidance = s.decoder_guidance;
    torch::Tensor latents = kandinsky::inpaint(p, a, image, m, gen, control);
    return {decode(p, p.inpaint_movq, latents), cond.image_embeds};
}

}  // namespace unclip::pipeline::kandinsky
