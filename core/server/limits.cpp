// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/limits.h"

#include "core/common/error.h"

#include <string>

namespace unclip::server {
namespace {

using namespace pipeline;

[[noreturn]] void refuse(const std::string& field, const std::string& what) {
    throw RequestError("field '" + field + "' " + what);
}

void text(const std::string& field, const std::string& s, const Limits& l) {
    if (s.size() > l.max_prompt_chars)
        refuse(field, "is " + std::to_string(s.size()) + " bytes long, over this server's limit of " +
                          std::to_string(l.max_prompt_chars));
}

void count(const std::string& field, int64_t n, const Limits& l) {
    if (n > l.max_batch)
        refuse(field, "asks for " + std::to_string(n) + " images, over this server's limit of " + std::to_string(l.max_batch));
}

void sampling(const Sampling& s, const Limits& l) {
    auto steps = [&](const char* key, int v) {
        if (v > l.max_steps)
            refuse(std::string("sampling.") + key, "is " + std::to_string(v) + ", over this server's limit of " +
                                                      std::to_string(l.max_steps) + " steps");
    };
    steps("prior_steps", s.prior_steps);
    steps("decoder_steps", s.decoder_steps);
    steps("super_res_steps", s.super_res_steps);
}

void text_to_image(const TextToImageRequest& r, const Limits& l) {
    if (r.prompts.size() > static_cast<size_t>(l.max_batch))
        refuse("prompts", "holds " + std::to_string(r.prompts.size()) + " prompts, over this server's limit of " +
                              std::to_string(l.max_batch));
    for (size_t i = 0; i < r.prompts.size(); ++i) text("prompts[" + std::to_string(i) + "]", r.prompts[i], l);
    text("negative_prompt", r.negative_prompt, l);
    count("images_per_prompt", static_cast<int64_t>(r.prompts.size()) * r.images_per_prompt * std::max(1, r.best_of), l);
    sampling(r.sampling, l);
}

}  // namespace

void check_limits(const AnyRequest& request, const Limits& l) {
    struct Visitor {
        const Limits& l;
        void operator()(const TextToImageRequest& r) const { text_to_image(r, l); }
        void operator()(const UpscaleRequest& r) const {
            text_to_image(r.request, l);
            if (r.decoder_output.defined()) count("decoder_output", r.decoder_output.size(0), l);
        }
        void operator()(const VariationRequest& r) const {
            count("num_images", r.num_images, l);
            sampling(r.sampling, l);
        }
        void operator()(const InterpolationRequest& r) const {
            text("a.text", r.a.text, l);
            text("b.text", r.b.text, l);
            count("positions", static_cast<int64_t>(r.positions.size()), l);
            sampling(r.sampling, l);
        }
        void operator()(const TextDiffRequest& r) const {
            text("description", r.description, l);
            text("target", r.target, l);
            sampling(r.sampling, l);
        }
        void operator()(const InpaintRequest& r) const {
            text("prompt", r.prompt, l);
            count("num_images", r.num_images, l);
            sampling(r.sampling, l);
        }
        void operator()(const MixRequest& r) const {
            if (r.items.size() > static_cast<size_t>(l.max_texts))
                refuse("items", "holds " + std::to_string(r.items.size()) + " items, over this server's limit of " +
                                    std::to_string(l.max_texts));
            for (size_t i = 0; i < r.items.size(); ++i) text("items[" + std::to_string(i) + "].text", r.items[i].text, l);
            count("num_images", r.num_images, l);
            sampling(r.sampling, l);
        }
        void operator()(const ScoreRequest& r) const {
            if (r.images.size() > static_cast<size_t>(l.max_texts))
                refuse("images", "holds " + std::to_string(r.images.size()) + " pictures, over this server's limit of " +
                                     std::to_string(l.max_texts));
            if (r.texts.size() > static_cast<size_t>(l.max_texts))
                refuse("texts", "holds " + std::to_string(r.texts.size()) + " texts, over this server's limit of " +
                                    std::to_string(l.max_texts));
            for (size_t i = 0; i < r.texts.size(); ++i) text("texts[" + std::to_string(i) + "]", r.texts[i], l);
        }
    };
    std::visit(Visitor{l}, request);
}

}  // namespace unclip::server
