// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/run_request.h"

#include "core/common/error.h"

namespace unclip::server {

Output run_request(pipeline::UnclipPipeline& pl, const pipeline::AnyRequest& request, const pipeline::RunControl& control) {
    using namespace pipeline;
    struct Visitor {
        UnclipPipeline& pl;
        const RunControl& control;
        Output operator()(const TextToImageRequest& r) const { return {pl.text_to_image(r, control), {}}; }
        Output operator()(const UpscaleRequest& r) const {
            Result candidates;
            candidates.decoder_output = r.decoder_output;
            // The staged run's recipe, as text_to_image writes it ("stage" says what it made).
            candidates.recipe = to_json(r.request, Pictures::Omit);
            candidates.recipe.erase("stop_after_decoder");
            candidates.recipe["stage"] = "decoder";
            candidates.recipe["model"] = pl.model_identity().name;
            candidates.recipe["model_hash"] = pl.model_identity().hash;
            return {pl.upscale_candidate(r.request, candidates, r.candidate, control), {}};
        }
        Output operator()(const VariationRequest& r) const { return {pl.variations(r, control), {}}; }
        Output operator()(const InterpolationRequest& r) const { return {pl.interpolate(r, control), {}}; }
        Output operator()(const TextDiffRequest& r) const { return {pl.text_diff(r, control), {}}; }
        Output operator()(const InpaintRequest& r) const { return {pl.inpaint(r, control), {}}; }
        Output operator()(const MixRequest& r) const { return {pl.mix(r, control), {}}; }
        Output operator()(const ScoreRequest& r) const {
            if (control.cancel && control.cancel->cancelled()) throw Cancelled();
            Output out;
            out.scores = pl.score(r.images, r.texts);
            out.result.recipe = to_json(r, Pictures::Omit);
            return out;
        }
    };
    return std::visit(Visitor{pl, control}, request);
}

std::string missing_for_kind(const pipeline::UnclipPipeline& pl, const std::string& kind) {
    using pipeline::Mode;
    if (kind == "upscale") return pl.missing_for(Mode::TextToImage);
    // Scoring encodes images and texts: what variations need (image encoder, text encoder).
    if (kind == "score") return pl.missing_for(Mode::Variation);
    // Mixing pictures and texts needs what interpolating between them does.
    if (kind == "mix") return pl.missing_for(Mode::Interpolation);
    if (auto mode = pipeline::parse_mode(kind)) return pl.missing_for(*mode);
    return "unknown mode";
}

nlohmann::json capabilities(const pipeline::UnclipPipeline& pl) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kind : pipeline::request_kinds()) {
        const std::string missing = missing_for_kind(pl, kind);
        out[kind] = missing.empty() ? nlohmann::json{{"available", true}}
                                    : nlohmann::json{{"available", false}, {"missing", missing}};
    }
    return out;
}

}  // namespace unclip::server
