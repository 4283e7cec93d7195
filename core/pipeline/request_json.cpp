// SPDX-License-Identifier: GPL-3.0-or-later
// The request vocabulary as JSON (requests.h): one writer and one reader per request type. The
// reader is strict for the API (types, unknown fields, pictures required) and lenient for recipes
// (older keys, extra keys, no pictures); every refusal names the field.
#include "core/common/error.h"
#include "core/io/base64.h"
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#include "core/pipeline/requests.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <set>

namespace unclip::pipeline {
namespace {

using nlohmann::json;

// Keys a recipe carries besides the request's own (where and how it ran); accepted by both
// readers so a recipe taken from any picture can be posted as a request.
const std::set<std::string>& informational_keys() {
    static const std::set<std::string> keys = {"version", "mode", "model", "model_hash", "image_encoder", "device", "dtype",
                                               "index", "stage", "candidate", "position", "family"};
    return keys;
}

std::string field_name(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// One JSON object being read: typed getters that name the field, and finish() refusing the keys no
// getter asked for (requests only).
class Fields {
public:
    Fields(const json& j, std::string path, const ParseOptions& options) : j_(j), path_(std::move(path)), options_(options) {
        if (!j.is_object())
            throw RequestError(path_.empty() ? "the request must be a JSON object" : "field '" + path_ + "' must be an object");
    }
    bool strict() const { return options_.mode == ParseMode::Request; }
    const ParseOptions& options() const { return options_; }
    std::string name(const std::string& key) const { return field_name(path_, key); }
    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw RequestError("field '" + name(key) + "' " + what);
    }

    const json* find(const std::string& key) {
        used_.insert(key);
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    bool has(const std::string& key) const { return j_.contains(key); }

    std::string str(const std::string& key, const std::string& fallback) {
        const json* v = find(key);
        if (!v || (v->is_null() && !strict())) return fallback;
        if (!v->is_string()) fail(key, "must be a string");
        return v->get<std::string>();
    }
    uint64_t u64(const std::string& key, uint64_t fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        if (v->is_number_unsigned()) return v->get<uint64_t>();
        if (v->is_number_integer() && v->get<int64_t>() >= 0) return static_cast<uint64_t>(v->get<int64_t>());
        if (!strict()) {  // the editor's older recipes stored seeds as doubles, some as strings
            if (v->is_number_float()) {
                const double d = v->get<double>();
                if (d >= 0 && d < 18446744073709551616.0 && std::floor(d) == d) return static_cast<uint64_t>(d);
            }
            if (v->is_string()) {
                const std::string s = v->get<std::string>();
                if (!s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos) {
                    try {
                        return std::stoull(s);
                    } catch (const std::exception&) {
                    }
                }
            }
        }
        fail(key, "must be an unsigned integer");
    }
    int integer(const std::string& key, int fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        int64_t x = 0;
        if (v->is_number_integer()) {
            if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
                fail(key, "is out of range");
            x = v->get<int64_t>();
        } else if (!strict() && v->is_number_float() && std::floor(v->get<double>()) == v->get<double>() &&
                   std::fabs(v->get<double>()) < 1e15) {
            x = static_cast<int64_t>(v->get<double>());
        } else if (!strict() && v->is_boolean()) {  // "candidate" was once a bool
            x = v->get<bool>() ? 1 : 0;
        } else {
            fail(key, "must be an integer");
        }
        if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max()) fail(key, "is out of range");
        return static_cast<int>(x);
    }
    float number(const std::string& key, float fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number()) fail(key, "must be a number");
        const double d = v->get<double>();
        if (!std::isfinite(d) || std::fabs(d) > 3.0e38) fail(key, "is out of range");
        return static_cast<float>(d);
    }
    bool boolean(const std::string& key, bool fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(key, "must be true or false");
        return v->get<bool>();
    }
    std::vector<std::string> strings(const std::string& key) {
        const json* v = find(key);
        if (!v) return {};
        if (!v->is_array()) fail(key, "must be an array of strings");
        std::vector<std::string> out;
        for (size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_string()) fail(key + "[" + std::to_string(i) + "]", "must be a string");
            out.push_back((*v)[i].get<std::string>());
        }
        return out;
    }
    std::vector<float> numbers(const std::string& key) {
        const json* v = find(key);
        if (!v) return {};
        if (!v->is_array()) fail(key, "must be an array of numbers");
        std::vector<float> out;
        for (size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_number()) fail(key + "[" + std::to_string(i) + "]", "must be a number");
            const double d = (*v)[i].get<double>();
            if (!std::isfinite(d) || std::fabs(d) > 3.0e38) fail(key + "[" + std::to_string(i) + "]", "is out of range");
            out.push_back(static_cast<float>(d));
        }
        return out;
    }
    // A base64 PNG as uint8 [H, W, 3]; undefined when absent and allowed (recipes).
    torch::Tensor picture(const std::string& key, bool required) {
        const json* v = find(key);
        if (!v || v->is_null()) {
            if (required && strict()) fail(key, v ? "must be a base64 PNG string" : "is required (a base64 PNG)");
            return {};
        }
        if (!v->is_string()) fail(key, "must be a base64 PNG string");
        return decode_picture(v->get<std::string>(), "field '" + name(key) + "'", options_.max_pixels);
    }
    void finish() const {
        if (!strict()) return;
        for (auto it = j_.begin(); it != j_.end(); ++it)
            if (!used_.count(it.key()) && !(path_.empty() && informational_keys().count(it.key())))
                throw RequestError("unknown field '" + name(it.key()) + "'");
    }

    static torch::Tensor decode_picture(const std::string& b64, const std::string& what, int64_t max_pixels) {
        const std::string bytes = io::base64_decode(b64, what);
        try {
            return io::decode_png(bytes, what, nullptr, max_pixels);
        } catch (const RequestError&) {
            throw;
        } catch (const Error& e) {
            throw RequestError(e.what());
        }
    }

private:
    const json& j_;
    std::string path_;
    const ParseOptions& options_;
    std::set<std::string> used_;
};

json picture_json(const torch::Tensor& image, Pictures pictures) {
    if (pictures == Pictures::Omit || !image.defined()) return nullptr;
    return io::base64_encode(io::encode_png(image));
}

// Masks travel as 8-bit gray PNGs: value round(m * 255), read back as round(mean(R, G, B)) / 255.
json mask_json(const torch::Tensor& mask, Pictures pictures) {
    if (pictures == Pictures::Omit || !mask.defined()) return nullptr;
    torch::Tensor gray = (mask.to(torch::kFloat32).clamp(0, 1) * 255.0f).round().to(torch::kUInt8);
    return io::base64_encode(io::encode_png(gray.unsqueeze(-1).expand({-1, -1, 3}).contiguous()));
}

torch::Tensor mask_from_picture(const torch::Tensor& rgb) {
    // Rounded to the 8-bit grid, so a mask written back is the same PNG.
    return rgb.to(torch::kFloat32).mean(-1).round() / 255.0f;
}

json header(const char* kind) { return {{"version", kRequestFormatVersion}, {"mode", kind}}; }

Sampling read_sampling_fields(Fields& f) {
    Sampling s;
    s.seed = f.u64("seed", s.seed);
    s.prior_steps = f.integer("prior_steps", s.prior_steps);
    s.decoder_steps = f.integer("decoder_steps", s.decoder_steps);
    s.super_res_steps = f.integer("super_res_steps", s.super_res_steps);
    s.prior_guidance = f.number("prior_guidance", s.prior_guidance);
    s.decoder_guidance = f.number("decoder_guidance", s.decoder_guidance);
    s.width = f.integer("width", s.width);
    s.height = f.integer("height", s.height);
    return s;
}

Sampling read_sampling(Fields& top) {
    // Current files nest the settings under "sampling"; older recipes kept them at the top level.
    if (!top.has("sampling") && !top.strict()) return read_sampling_fields(top);
    const json* v = top.find("sampling");
    if (!v) return Sampling{};
    Fields f(*v, top.name("sampling"), top.options());
    const Sampling s = read_sampling_fields(f);
    f.finish();
    return s;
}

void text_to_image_fields(json& j, const TextToImageRequest& r) {
    j["prompts"] = r.prompts;
    j["negative_prompt"] = r.negative_prompt;
    j["images_per_prompt"] = r.images_per_prompt;
    j["best_of"] = r.best_of;
    j["stop_after_decoder"] = r.stop_after_decoder;
    j["sampling"] = to_json(r.sampling);
}

TextToImageRequest read_text_to_image(Fields& f) {
    TextToImageRequest r;
    r.prompts = f.strings("prompts");
    if (!f.strict() && r.prompts.empty()) {
        const std::string one = f.str("prompt", "");
        if (!one.empty()) r.prompts = {one};
    }
    r.negative_prompt = f.str("negative_prompt", r.negative_prompt);
    r.images_per_prompt = f.integer("images_per_prompt", r.images_per_prompt);
    r.best_of = f.integer("best_of", r.best_of);
    // Recipes of staged runs say "stage": "decoder" instead.
    if (!f.has("stop_after_decoder") && f.has("stage")) r.stop_after_decoder = f.str("stage", "") == "decoder";
    r.stop_after_decoder = f.boolean("stop_after_decoder", r.stop_after_decoder);
    r.sampling = read_sampling(f);
    return r;
}

UpscaleRequest read_upscale(Fields& f) {
    UpscaleRequest u;
    u.request = read_text_to_image(f);
    u.request.stop_after_decoder = true;
    u.candidate = f.integer("candidate", 0);
    const json* v = f.find("decoder_output");
    if (!v || v->is_null()) {
        if (f.strict()) f.fail("decoder_output", "is required (base64 safetensors holding 'decoder_output')");
        return u;
    }
    if (!v->is_string()) f.fail("decoder_output", "must be a base64 safetensors string");
    std::string bytes = io::base64_decode(v->get<std::string>(), "field 'decoder_output'");
    try {
        auto file = io::SafetensorsFile::from_bytes(std::vector<uint8_t>(bytes.begin(), bytes.end()), "field 'decoder_output'");
        if (!file->contains("decoder_output")) f.fail("decoder_output", "holds no tensor named 'decoder_output'");
        u.decoder_output = file->tensor("decoder_output").to(torch::kFloat32).clone();
    } catch (const RequestError&) {
        throw;
    } catch (const Error& e) {
        f.fail("decoder_output", std::string("is not valid safetensors: ") + e.what());
    }
    const torch::Tensor& t = u.decoder_output;
    if (t.dim() != 4 || t.size(1) != 3 || t.size(0) < 1) f.fail("decoder_output", "must be a float tensor [N, 3, h, w]");
    if (u.candidate < 0 || u.candidate >= t.size(0))
        f.fail("candidate", "is " + std::to_string(u.candidate) + " but the decoder output holds " + std::to_string(t.size(0)) +
                                " candidate(s)");
    return u;
}

Endpoint read_endpoint(Fields& top, const std::string& key, const std::string& old_text_key) {
    Endpoint e;
    const json* v = top.find(key);
    if (!v || (v->is_null() && !top.strict())) {
        if (top.strict()) top.fail(key, "is required ({\"image\": base64 PNG} or {\"text\": \"...\"})");
        e.text = top.str(old_text_key, "");
        return e;
    }
    Fields f(*v, top.name(key), top.options());
    e.text = f.str("text", "");
    e.image = f.picture("image", false);
    f.finish();
    if (top.strict() && e.image.defined() == !e.text.empty())
        top.fail(key, "must hold exactly one of \"image\" and \"text\"");
    return e;
}

json endpoint_json(const Endpoint& e, Pictures pictures) {
    if (e.image.defined()) return {{"image", picture_json(e.image, pictures)}};
    return {{"text", e.text}};
}

std::optional<Frame> read_frame(Fields& f) {
    const json* v = f.find("frame");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_array() || v->size() != 4) f.fail("frame", "must be [x, y, width, height] in canvas pixels, or absent");
    int64_t xs[4];
    for (size_t i = 0; i < 4; ++i) {
        const json& e = (*v)[i];
        constexpr int64_t kLimit = int64_t(1) << 40;  // far beyond any canvas; keeps the arithmetic safe
        if (!e.is_number_integer() || (e.is_number_unsigned() && e.get<uint64_t>() > uint64_t(kLimit)) ||
            e.get<int64_t>() < -kLimit || e.get<int64_t>() > kLimit)
            f.fail("frame[" + std::to_string(i) + "]", "must be an integer of at most 2^40 in size");
        xs[i] = e.get<int64_t>();
    }
    return Frame{xs[0], xs[1], xs[2], xs[3]};
}

}  // namespace

// ---- writers ----

json to_json(const TextToImageRequest& r, Pictures) {
    json j = header(mode_name(Mode::TextToImage));
    text_to_image_fields(j, r);
    return j;
}

json to_json(const UpscaleRequest& r, Pictures pictures) {
    json j = header("upscale");
    text_to_image_fields(j, r.request);
    j.erase("stop_after_decoder");
    j["candidate"] = r.candidate;
    if (pictures == Pictures::Embed && r.decoder_output.defined()) {
        const std::vector<uint8_t> bytes = io::serialize_safetensors({{"decoder_output", r.decoder_output.to(torch::kFloat32)}});
        j["decoder_output"] = io::base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }
    return j;
}

json to_json(const VariationRequest& r, Pictures pictures) {
    json j = header(mode_name(Mode::Variation));
    if (pictures == Pictures::Embed) j["image"] = picture_json(r.image, pictures);
    j["num_images"] = r.num_images;
    j["structure_strength"] = r.structure_strength;
    if (!r.prompt.empty()) j["prompt"] = r.prompt;
    j["sampling"] = to_json(r.sampling);
    return j;
}

json to_json(const InterpolationRequest& r, Pictures pictures) {
    json j = header(mode_name(Mode::Interpolation));
    j["a"] = endpoint_json(r.a, pictures);
    j["b"] = endpoint_json(r.b, pictures);
    j["positions"] = r.positions;
    j["smooth"] = r.smooth;
    j["sampling"] = to_json(r.sampling);
    return j;
}

json to_json(const TextDiffRequest& r, Pictures pictures) {
    json j = header(mode_name(Mode::TextDiff));
    if (pictures == Pictures::Embed) j["image"] = picture_json(r.image, pictures);
    j["description"] = r.description;
    j["target"] = r.target;
    j["theta"] = r.theta;
    j["sampling"] = to_json(r.sampling);
    return j;
}

json to_json(const InpaintRequest& r, Pictures pictures) {
    json j = header(mode_name(Mode::Inpaint));
    if (pictures == Pictures::Embed) {
        j["image"] = picture_json(r.image, pictures);
        j["mask"] = mask_json(r.mask, pictures);
    }
    j["prompt"] = r.prompt;
    j["feather"] = r.feather;
    j["resample_jumps"] = r.resample_jumps;
    j["num_images"] = r.num_images;
    if (r.frame) j["frame"] = {r.frame->x, r.frame->y, r.frame->width, r.frame->height};
    j["context"] = r.context;
    j["sampling"] = to_json(r.sampling);
    return j;
}

json to_json(const ScoreRequest& r, Pictures pictures) {
    json j = header("score");
    if (pictures == Pictures::Embed) {
        j["images"] = json::array();
        for (const auto& im : r.images) j["images"].push_back(picture_json(im, pictures));
    }
    j["texts"] = r.texts;
    return j;
}

json to_json(const MixRequest& r, Pictures pictures) {
    json j = header("mix");
    j["items"] = json::array();
    for (const auto& e : r.items) j["items"].push_back(endpoint_json(e, pictures));
    j["weights"] = r.weights;
    j["num_images"] = r.num_images;
    j["sampling"] = to_json(r.sampling);
    return j;
}

json to_json(const AnyRequest& r, Pictures pictures) {
    return std::visit([pictures](const auto& x) { return to_json(x, pictures); }, r);
}

std::string request_kind(const AnyRequest& r) {
    struct Visitor {
        std::string operator()(const TextToImageRequest&) const { return mode_name(Mode::TextToImage); }
        std::string operator()(const UpscaleRequest&) const { return "upscale"; }
        std::string operator()(const VariationRequest&) const { return mode_name(Mode::Variation); }
        std::string operator()(const InterpolationRequest&) const { return mode_name(Mode::Interpolation); }
        std::string operator()(const TextDiffRequest&) const { return mode_name(Mode::TextDiff); }
        std::string operator()(const InpaintRequest&) const { return mode_name(Mode::Inpaint); }
        std::string operator()(const ScoreRequest&) const { return "score"; }
        std::string operator()(const MixRequest&) const { return "mix"; }
    };
    return std::visit(Visitor{}, r);
}

const std::vector<std::string>& request_kinds() {
    static const std::vector<std::string> kinds = [] {
        std::vector<std::string> k;
        for (Mode m : all_modes()) k.push_back(mode_name(m));
        k.push_back("upscale");
        k.push_back("score");
        k.push_back("mix");
        return k;
    }();
    return kinds;
}

// ---- readers ----

AnyRequest request_from_json(const json& j, const ParseOptions& options) {
    Fields f(j, "", options);
    const json* mode_v = f.find("mode");
    if (!mode_v) f.fail("mode", "is required (one of text2img, variation, interpolate, textdiff, inpaint, upscale, score, mix)");
    if (!mode_v->is_string()) f.fail("mode", "must be a string");
    const std::string kind = mode_v->get<std::string>();
    if (const json* v = f.find("version")) {
        if (!v->is_number_integer() || v->get<int64_t>() < 1) f.fail("version", "must be a positive integer");
        if (v->get<int64_t>() > kRequestFormatVersion)
            f.fail("version", "is " + std::to_string(v->get<int64_t>()) + " but this program reads up to version " +
                                  std::to_string(kRequestFormatVersion) + ": update unclip-studio");
    }
    AnyRequest out;
    if (kind == "upscale") {
        out = read_upscale(f);
    } else if (kind == "mix") {
        MixRequest r;
        const json* v = f.find("items");
        if (!v || !v->is_array() || v->empty())
            f.fail("items", "must be a non-empty array of {\"image\": base64 PNG} or {\"text\": \"...\"}");
        for (size_t i = 0; i < v->size(); ++i) {
            const std::string key = "items[" + std::to_string(i) + "]";
            Fields item((*v)[i], f.name(key), f.options());
            Endpoint e;
            e.text = item.str("text", "");
            e.image = item.picture("image", false);
            item.finish();
            if (f.strict() && e.image.defined() == !e.text.empty()) f.fail(key, "must hold exactly one of \"image\" and \"text\"");
            r.items.push_back(std::move(e));
        }
        r.weights = f.numbers("weights");
        if (r.weights.size() != r.items.size())
            f.fail("weights", "must hold one weight per item (" + std::to_string(r.items.size()) + "), not " +
                                  std::to_string(r.weights.size()));
        r.num_images = f.integer("num_images", r.num_images);
        r.sampling = read_sampling(f);
        out = std::move(r);
    } else if (kind == "score") {
        ScoreRequest r;
        const json* v = f.find("images");
        if (v) {
            if (!v->is_array()) f.fail("images", "must be an array of base64 PNG strings");
            for (size_t i = 0; i < v->size(); ++i) {
                const std::string key = "images[" + std::to_string(i) + "]";
                if (!(*v)[i].is_string()) f.fail(key, "must be a base64 PNG string");
                r.images.push_back(Fields::decode_picture((*v)[i].get<std::string>(), "field '" + key + "'", options.max_pixels));
            }
        } else if (f.strict()) {
            f.fail("images", "is required (an array of base64 PNG strings)");
        }
        r.texts = f.strings("texts");
        out = std::move(r);
    } else {
        const auto mode = parse_mode(kind);
        if (!mode)
            f.fail("mode", "is '" + kind + "', not one of text2img, variation, interpolate, textdiff, inpaint, upscale, score, mix");
        switch (*mode) {
        case Mode::TextToImage:
            out = read_text_to_image(f);
            break;
        case Mode::Variation: {
            VariationRequest r;
            r.image = f.picture("image", true);
            r.num_images = f.integer("num_images", r.num_images);
            r.structure_strength = f.number("structure_strength", r.structure_strength);
            r.prompt = f.str("prompt", "");
            r.sampling = read_sampling(f);
            out = std::move(r);
            break;
        }
        case Mode::Interpolation: {
            InterpolationRequest r;
            r.a = read_endpoint(f, "a", "a_text");
            r.b = read_endpoint(f, "b", "b_text");
            r.positions = f.numbers("positions");
            r.smooth = f.boolean("smooth", r.smooth);
            r.sampling = read_sampling(f);
            out = std::move(r);
            break;
        }
        case Mode::TextDiff: {
            TextDiffRequest r;
            r.image = f.picture("image", true);
            r.description = f.str("description", "");
            r.target = f.str("target", "");
            r.theta = f.number("theta", r.theta);
            r.sampling = read_sampling(f);
            out = std::move(r);
            break;
        }
        case Mode::Inpaint: {
            InpaintRequest r;
            r.image = f.picture("image", true);
            torch::Tensor mask = f.picture("mask", true);
            if (mask.defined()) {
                if (r.image.defined() && (mask.size(0) != r.image.size(0) || mask.size(1) != r.image.size(1)))
                    f.fail("mask", "is " + std::to_string(mask.size(1)) + "x" + std::to_string(mask.size(0)) +
                                       " pixels but field 'image' is " + std::to_string(r.image.size(1)) + "x" +
                                       std::to_string(r.image.size(0)) + ": give a mask of the image's size");
                r.mask = mask_from_picture(mask);
            }
            r.prompt = f.str("prompt", "");
            r.feather = f.number("feather", r.feather);
            r.resample_jumps = f.integer("resample_jumps", r.resample_jumps);
            r.num_images = f.integer("num_images", r.num_images);
            // A recipe whose frame was found automatically re-runs with the automatic frame (the
            // mask may have moved); its "frame" says where it was.
            const std::optional<Frame> frame = read_frame(f);
            if (!f.boolean("frame_auto", false)) r.frame = frame;
            r.context = f.integer("context", r.context);
            r.sampling = read_sampling(f);
            out = std::move(r);
            break;
        }
        }
    }
    f.finish();
    return out;
}

json parse_json_text(const std::string& text) {
    // Deeply nested input would only waste the parser's time and stack: no request nests so deep.
    constexpr int kMaxDepth = 64;
    auto limit = [](int depth, json::parse_event_t, json&) {
        if (depth > kMaxDepth) throw RequestError("the JSON is nested deeper than " + std::to_string(kMaxDepth) + " levels");
        return true;
    };
    try {
        return json::parse(text, limit);
    } catch (const json::exception& e) {
        std::string msg = e.what();
        if (msg.rfind("[json.exception.", 0) == 0)
            if (auto close = msg.find("] "); close != std::string::npos) msg = msg.substr(close + 2);
        throw RequestError("malformed JSON: " + msg);
    }
}

AnyRequest parse_request(const std::string& text, const ParseOptions& options) {
    return request_from_json(parse_json_text(text), options);
}

std::optional<json> recipe_from_png_text(const std::map<std::string, std::string>& text) {
    auto parse = [](const std::string& s) -> std::optional<json> {
        json j = json::parse(s, nullptr, false);
        if (j.is_discarded()) return std::nullopt;
        return j;
    };
    if (auto it = text.find(kRecipeKey); it != text.end())
        if (auto j = parse(it->second); j && j->is_object()) return j;
    if (auto it = text.find("unclip-recipes"); it != text.end())
        if (auto j = parse(it->second); j && j->is_array() && !j->empty() && (*j)[0].is_object()) return (*j)[0];
    return std::nullopt;
}

}  // namespace unclip::pipeline
