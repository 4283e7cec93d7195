// SPDX-License-Identifier: GPL-3.0-or-later
// Which loaded components each request needs: the one rule the pipeline refuses by (ModelError
// naming the missing components) and the editor and the server report by, so every feature the
// loaded folders can run is offered and nothing else.
#include "core/pipeline/pipeline_impl.h"
#include "core/pipeline/unclip_pipeline.h"

#include <string>
#include <vector>

namespace unclip::pipeline {
namespace {

// Builds the list of missing components for one request.
class Needs {
public:
    explicit Needs(const UnclipPipeline::Impl& p) : p_(p) {
        if (p.family == ModelFamily::Kandinsky22) return;  // each request names its decoder (decoder() / inpaint_decoder())
        // Every request decodes: text conditioning (the empty text at least), decoder, super-res.
        need(p.tokenizer.has_value(), "tokenizer");
        need(static_cast<bool>(p.text_encoder), "text_encoder");
        need(static_cast<bool>(p.text_proj), "text_proj");
        need(static_cast<bool>(p.decoder), "decoder");
        need(p.decoder_scheduler.has_value(), "decoder_scheduler");
        need(static_cast<bool>(p.super_res_first), "super_res_first");
        need(p.super_res_scheduler.has_value(), "super_res_scheduler");
    }
    bool has_prior() const { return p_.prior && p_.prior_scheduler.has_value(); }
    bool has_image_encoder() const { return p_.image_encoder && p_.feature_extractor.has_value(); }
    bool kandinsky() const { return p_.family == ModelFamily::Kandinsky22; }
    Needs& prior() {
        need(static_cast<bool>(p_.prior), "prior");
        need(p_.prior_scheduler.has_value(), "prior_scheduler");
        if (kandinsky()) text();
        return *this;
    }
    // Kandinsky 2.2: the texts' CLIP embeddings (the prior folder's tokenizer and text encoder).
    Needs& text() {
        need(p_.tokenizer.has_value(), "tokenizer");
        need(static_cast<bool>(p_.text_encoder), "text_encoder");
        return *this;
    }
    // Kandinsky 2.2: the decoder folder (UNet + MoVQ), or the inpainting decoder folder.
    Needs& decoder() {
        if (kandinsky()) need(p_.unet && p_.movq && p_.unet_scheduler.has_value(), "decoder (kandinsky-2-2-decoder folder)");
        return *this;
    }
    Needs& inpaint_decoder() {
        if (kandinsky())
            need(p_.inpaint_unet && p_.inpaint_movq && p_.inpaint_scheduler.has_value(),
                 "inpainting decoder (kandinsky-2-2-decoder-inpaint folder)");
        return *this;
    }
    Needs& image_encoder() {
        need(static_cast<bool>(p_.image_encoder), "image_encoder");
        need(p_.feature_extractor.has_value(), "feature_extractor");
        return *this;
    }
    Needs& prior_or_image_encoder() {
        if (!has_prior() && !has_image_encoder()) missing_.push_back("prior or image_encoder");
        return *this;
    }
    std::string str() const {
        std::string s;
        for (const auto& m : missing_) s += (s.empty() ? "" : ", ") + m;
        return s;
    }

private:
    void need(bool have, const char* name) {
        if (!have) missing_.push_back(name);
    }
    const UnclipPipeline::Impl& p_;
    std::vector<std::string> missing_;
};

}  // namespace

std::string UnclipPipeline::missing_for(Mode mode) const {
    Needs n(*impl_);
    switch (mode) {
    case Mode::TextToImage: return n.decoder().prior().str();
    case Mode::Variation: return n.decoder().image_encoder().str();
    case Mode::TextDiff:  // the texts enter as CLIP text embeddings: no prior
        if (n.kandinsky()) n.text();
        return n.decoder().image_encoder().str();
    case Mode::Interpolation:  // texts through the prior, images through the image encoder
        return n.decoder().prior_or_image_encoder().str();
    case Mode::Inpaint:  // a prompt through the prior, else the picture's own embedding
        return n.inpaint_decoder().prior_or_image_encoder().str();
    }
    return n.str();
}

bool UnclipPipeline::supports(Mode mode) const { return missing_for(mode).empty(); }

std::string UnclipPipeline::missing_for(const TextToImageRequest&) const { return Needs(*impl_).decoder().prior().str(); }

std::string UnclipPipeline::missing_for(const VariationRequest& r) const {
    Needs n(*impl_);
    n.decoder();
    // Image to image with a prompt needs the prior (and, on Karlo, the image encoder only to invert
    // the picture, which the decoder does itself): the picture's embedding is not used.
    return (r.prompt.empty() ? n.image_encoder() : n.prior()).str();
}

std::string UnclipPipeline::missing_for(const InterpolationRequest& r) const {
    Needs n(*impl_);
    n.decoder();
    const bool image = r.a.image.defined() || r.b.image.defined();
    const bool text = !r.a.image.defined() || !r.b.image.defined();
    if (text) n.prior();
    if (image) n.image_encoder();
    return n.str();
}

std::string UnclipPipeline::missing_for(const MixRequest& r) const {
    Needs n(*impl_);
    n.decoder();
    bool image = false, text = false;
    for (const auto& e : r.items) (e.image.defined() ? image : text) = true;
    if (text) n.prior();
    if (image) n.image_encoder();
    return n.str();
}

std::string UnclipPipeline::missing_for(const TextDiffRequest&) const {
    Needs n(*impl_);
    if (n.kandinsky()) n.text();
    return n.decoder().image_encoder().str();
}

std::string UnclipPipeline::missing_for(const InpaintRequest& r) const {
    Needs n(*impl_);
    n.inpaint_decoder();
    return (r.prompt.empty() ? n.image_encoder() : n.prior()).str();
}

}  // namespace unclip::pipeline
