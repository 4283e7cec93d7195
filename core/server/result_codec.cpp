// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/result_codec.h"

#include "core/common/error.h"
#include "core/io/base64.h"
#include "core/io/png_io.h"
#include "core/io/safetensors.h"

#include <torch/torch.h>

namespace unclip::server {
namespace {

std::string dump_ascii(const nlohmann::json& j) { return j.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace); }

}  // namespace

std::string result_png(const Output& out, int64_t i) {
    nlohmann::json recipe = out.result.recipe;
    recipe["index"] = i;
    return io::encode_png(out.result.images[i], {{pipeline::kRecipeKey, dump_ascii(recipe)}});
}

nlohmann::json result_to_json(const Output& out) {
    nlohmann::json j;
    j["recipe"] = out.result.recipe;
    j["images"] = nlohmann::json::array();
    if (out.result.images.defined())
        for (int64_t i = 0; i < out.result.images.size(0); ++i) j["images"].push_back(io::base64_encode(result_png(out, i)));
    if (out.result.frame) {
        const auto& f = *out.result.frame;
        j["frame"] = {f.x, f.y, f.width, f.height};
        j["frame_scale"] = out.result.frame_scale;
    }
    if (out.scores.defined()) {
        torch::Tensor s = out.scores.to(torch::kFloat32).contiguous();
        nlohmann::json rows = nlohmann::json::array();
        for (int64_t r = 0; r < s.size(0); ++r) {
            nlohmann::json row = nlohmann::json::array();
            for (int64_t c = 0; c < s.size(1); ++c) row.push_back(s[r][c].item<float>());
            rows.push_back(row);
        }
        j["scores"] = rows;
    }
    return j;
}

std::string result_to_safetensors(const Output& out) {
    io::StateDict d;
    const auto& r = out.result;
    if (r.images.defined()) d["images"] = r.images;
    if (r.decoder_output.defined()) d["decoder_output"] = r.decoder_output;
    if (r.image_embeddings.defined()) d["image_embeddings"] = r.image_embeddings;
    if (out.scores.defined()) d["scores"] = out.scores;
    std::map<std::string, std::string> meta{{"recipe", dump_ascii(r.recipe)}};
    if (r.frame) {
        meta["frame"] = dump_ascii(nlohmann::json{r.frame->x, r.frame->y, r.frame->width, r.frame->height});
        meta["frame_scale"] = dump_ascii(nlohmann::json(r.frame_scale));
    }
    const std::vector<uint8_t> bytes = io::serialize_safetensors(d, meta);
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Output result_from_safetensors(const std::string& bytes) {
    auto file = io::SafetensorsFile::from_bytes(std::vector<uint8_t>(bytes.begin(), bytes.end()), "the server's result");
    Output out;
    auto get = [&](const char* name) { return file->contains(name) ? file->tensor(name).clone() : torch::Tensor(); };
    out.result.images = get("images");
    out.result.decoder_output = get("decoder_output");
    out.result.image_embeddings = get("image_embeddings");
    out.scores = get("scores");
    const auto& meta = file->metadata();
    auto json_of = [&](const char* key) {
        auto it = meta.find(key);
        if (it == meta.end()) return nlohmann::json();
        nlohmann::json j = nlohmann::json::parse(it->second, nullptr, false);
        if (j.is_discarded()) throw Error(std::string("the server's result has malformed metadata '") + key + "'");
        return j;
    };
    out.result.recipe = json_of("recipe");
    const nlohmann::json frame = json_of("frame");
    if (frame.is_array() && frame.size() == 4) {
        pipeline::Frame f;
        f.x = frame[0].get<int64_t>();
        f.y = frame[1].get<int64_t>();
        f.width = frame[2].get<int64_t>();
        f.height = frame[3].get<int64_t>();
        out.result.frame = f;
        const nlohmann::json scale = json_of("frame_scale");
        if (scale.is_number()) out.result.frame_scale = scale.get<double>();
    }
    return out;
}

}  // namespace unclip::server
