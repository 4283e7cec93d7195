// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/parameters_text.h"

#include <sstream>
#include <utility>
#include <vector>

namespace unclip::io {
namespace {

using nlohmann::json;

// A1111's quoting: plain unless the value would break the "key: value, ..." line.
std::string a1111_quote(const std::string& v) {
    if (v.find_first_of(",:\n\r") == std::string::npos) return v;
    return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string number(const json& v) {
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    if (v.is_number_float()) {
        std::ostringstream os;
        os.precision(6);
        os << v.get<double>();
        return os.str();
    }
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// A sampling value from "sampling", or from the top level (older recipes).
const json* sampling(const json& r, const char* key) {
    if (auto s = r.find("sampling"); s != r.end() && s->is_object())
        if (auto v = s->find(key); v != s->end()) return &*v;
    if (auto v = r.find(key); v != r.end()) return &*v;
    return nullptr;
}

std::string text_of(const json& r, const char* key) {
    auto v = r.find(key);
    return v != r.end() && v->is_string() ? v->get<std::string>() : std::string();
}

// The prompt the picture was made from: text2img's prompt for this picture (prompts[index /
// images_per_prompt]), inpaint's prompt, a text diff's target.
std::string prompt_of(const json& r, const std::string& mode) {
    if (mode == "textdiff") return text_of(r, "target");
    if (auto p = r.find("prompts"); p != r.end() && p->is_array() && !p->empty()) {
        size_t i = 0;
        if (auto idx = r.find("index"); idx != r.end() && idx->is_number_unsigned()) {
            const auto per = r.value("images_per_prompt", 1);
            i = per > 0 ? idx->get<size_t>() / static_cast<size_t>(per) : 0;
        }
        const json& one = (*p)[std::min(i, p->size() - 1)];
        return one.is_string() ? one.get<std::string>() : std::string();
    }
    return text_of(r, "prompt");
}

}  // namespace

std::string parameters_text(const json& r, int width, int height) {
    const std::string mode = text_of(r, "mode");
    std::vector<std::pair<std::string, std::string>> kv;
    auto add_sampling = [&](const char* label, const char* key) {
        if (const json* v = sampling(r, key)) kv.emplace_back(label, number(*v));
    };
    add_sampling("Steps", "decoder_steps");
    kv.emplace_back("Sampler", "unCLIP");
    add_sampling("CFG scale", "decoder_guidance");
    add_sampling("Seed", "seed");
    kv.emplace_back("Size", std::to_string(width) + "x" + std::to_string(height));
    if (auto m = text_of(r, "model"); !m.empty()) kv.emplace_back("Model", a1111_quote(m));
    if (auto h = text_of(r, "model_hash"); !h.empty()) kv.emplace_back("Model hash", h);
    add_sampling("Prior steps", "prior_steps");
    add_sampling("Prior CFG scale", "prior_guidance");
    add_sampling("Decoder steps", "decoder_steps");
    add_sampling("Decoder CFG scale", "decoder_guidance");
    add_sampling("Super-res steps", "super_res_steps");
    if (!mode.empty()) kv.emplace_back("Mode", a1111_quote(mode));
    // The mode's own settings.
    if (mode == "textdiff") {
        kv.emplace_back("Text diff from", a1111_quote(text_of(r, "description")));
        if (auto t = r.find("theta"); t != r.end()) kv.emplace_back("Text diff theta", number(*t));
    } else if (mode == "interpolate") {
        if (auto a = text_of(r, "a_text"); !a.empty()) kv.emplace_back("Interpolation A", a1111_quote(a));
        if (auto b = text_of(r, "b_text"); !b.empty()) kv.emplace_back("Interpolation B", a1111_quote(b));
        if (auto p = r.find("position"); p != r.end()) kv.emplace_back("Interpolation position", number(*p));
    } else if (mode == "variation") {
        if (auto s = r.find("structure_strength"); s != r.end()) kv.emplace_back("Variation structure", number(*s));
    }
    if (auto i = r.find("index"); i != r.end() && i->is_number()) kv.emplace_back("Batch pos", number(*i));

    std::string out;
    if (const std::string prompt = prompt_of(r, mode); !prompt.empty()) out += prompt + "\n";
    if (const std::string neg = text_of(r, "negative_prompt"); !neg.empty()) out += "Negative prompt: " + neg + "\n";
    for (size_t i = 0; i < kv.size(); ++i) out += (i ? ", " : "") + kv[i].first + ": " + kv[i].second;
    return out;
}

}  // namespace unclip::io
