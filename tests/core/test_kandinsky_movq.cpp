// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 MoVQ (VQModel, norm_type "spatial"): parity with the golden case `movq`, strict
// loading, config errors, the plain (norm_type "group") VQModel's layout, and that the parity check
// catches a perturbed weight.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/models/movq/vq_model.h"
#include "core/models/registry/model_registry.h"
#include "core/verify/verify_kandinsky_movq.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <functional>
#include <iostream>
#include <regex>

using namespace unclip;
using namespace unclip::models;

namespace {

verify::VerifyOptions options(torch::ScalarType dtype = torch::kFloat32) {
    verify::VerifyOptions o;
    o.golden_dir = test::kandinsky_golden_dir();
    o.dtype = dtype;
    return o;
}

void print_rows(const std::vector<verify::ParityResult>& rows, const char* what) {
    for (const auto& r : rows)
        std::cerr << "    " << what << " " << r.check << ": max abs error " << r.max_abs_error << " (tolerance "
                  << r.tolerance << ")" << (r.note.empty() ? "" : " note: " + r.note) << "\n";
}

bool all_pass(const std::vector<verify::ParityResult>& rows) {
    if (rows.empty()) return false;
    for (const auto& r : rows)
        if (!r.pass) return false;
    return true;
}

// The folder and component the case names first.
std::pair<io::ModelFolder, std::string> movq_folder() {
    const auto folders = movq_case_folders(test::load_kandinsky_case("movq"));
    return {io::ModelFolder(folders[0].first), folders[0].second};
}

nlohmann::json movq_config() {
    auto [folder, name] = movq_folder();
    return folder.config(name);
}

VQModel movq_from(const io::StateDict& sd) {
    VQModel m(VQModelConfig::from_json(movq_config(), "movq"));
    load_weights_strict(*m, sd, "movq", {});
    return m;
}

io::StateDict copy_of(const io::StateDict& sd) {
    io::StateDict out;
    for (const auto& [k, v] : sd) out[k] = v.clone();
    return out;
}

size_t count_keys(const verify::GoldenCase& c, const std::string& pattern) {
    const std::regex re(pattern);
    size_t n = 0;
    for (const auto& [key, t] : c.tensors) n += std::regex_match(key, re) ? 1 : 0;
    return n;
}

}  // namespace

// ---- parity ----

TEST_CASE("MoVQ matches the reference on every recorded decode and encode (float32)") {
    auto rows = verify_movq(options());
    print_rows(rows, "float32");
    const auto c = test::load_kandinsky_case("movq");
    // One row per decode / encode call, three for the quantized decode, one per further folder.
    const size_t expected = count_keys(c, R"(decode\d+\.latents)") + count_keys(c, R"(encode\d+\.image)") +
                            3 * count_keys(c, R"(decode_quantized\.latents)") + movq_case_folders(c).size() - 1;
    EXPECT_EQ(rows.size(), expected);
    EXPECT_PARITY(rows);
    for (const auto& r : rows) EXPECT_MSG(!r.skipped, r.check);
}

TEST_CASE("MoVQ loads from every folder the case names, and sizes follow the config") {
    torch::NoGradGuard no_grad;
    const auto c = test::load_kandinsky_case("movq");
    for (const auto& [path, component] : movq_case_folders(c)) {
        const io::ModelFolder folder(path);
        VQModel m = load_model_as<VQModel>(folder, component);
        const nlohmann::json j = folder.config(component);
        const int64_t f = int64_t{1} << (j["block_out_channels"].size() - 1);
        EXPECT_EQ(m->config().scale_factor(), f);
        const torch::Tensor& latents = c.at("decode00.latents");
        torch::Tensor out = m->decode(latents);
        EXPECT_EQ(out.size(1), j.value("out_channels", int64_t(3)));
        EXPECT_EQ(out.size(2), latents.size(2) * f);
        EXPECT_EQ(out.size(3), latents.size(3) * f);
        // Encoding is the inverse in size (floor for sizes that are not multiples of f: each
        // downsampler pads one row / column and convolves 3x3 with stride 2).
        torch::Tensor odd = torch::zeros({1, 3, 3 * f + 1, 2 * f});
        torch::Tensor z = m->encode(odd);
        EXPECT_EQ(z.size(1), j.value("latent_channels", int64_t(3)));
        EXPECT_EQ(z.size(2), int64_t(3));
        EXPECT_EQ(z.size(3), int64_t(2));
    }
}

TEST_CASE("MoVQ inputs move to the model dtype and bad shapes are request errors") {
    torch::NoGradGuard no_grad;
    auto [folder, name] = movq_folder();
    VQModel m = load_model_as<VQModel>(folder, name);
    const auto c = test::load_kandinsky_case("movq");
    const auto tol = verify::case_tolerance(c, options(), 1e-4, 1e-4);
    EXPECT_CLOSE(m->decode(c.at("decode00.latents").to(torch::kFloat64)), c.at("decode00.sample"), tol.atol, tol.rtol);
    EXPECT_THROWS(RequestError, m->decode(c.at("decode00.latents").narrow(1, 0, 3)), "latents to decode");
    EXPECT_THROWS(RequestError, m->decode(torch::zeros({4, 8, 8})), "latents to decode");
    EXPECT_THROWS(RequestError, m->encode(c.at("encode00.image").narrow(1, 0, 1)), "image to encode");
    // The decode is conditioned on its input through every SpatialNorm: the latents given to the
    // norms matter, not only post_quant_conv's output.
    const torch::Tensor& latents = c.at("decode00.latents");
    torch::Tensor z = m->post_quant_conv(latents);
    EXPECT_CLOSE(m->decoder->forward(z, latents), c.at("decode00.sample"), tol.atol, tol.rtol);
    // (beyond the case's own parity tolerance, whatever the model's scale)
    EXPECT(!verify::compare(m->decoder->forward(z, latents * 0.5), c.at("decode00.sample"), tol.atol, tol.rtol).ok);
}

TEST_CASE("bfloat16 on CPU stays within the half-precision tolerance") {
    auto rows = verify_movq(options(torch::kBFloat16));
    print_rows(rows, "bfloat16");
    EXPECT_PARITY(rows);
}

// ---- the checks can fail ----

TEST_CASE("a perturbed MoVQ weight anywhere on the path makes parity fail") {
    auto [folder, name] = movq_folder();
    const io::StateDict sd = folder.weights(name);
    const auto c = test::load_kandinsky_case("movq");
    VQModel good = movq_from(sd);
    EXPECT(all_pass(check_movq_calls(good, c, options())));
    for (const std::string w :
         {"decoder.up_blocks.0.attentions.1.spatial_norm.conv_y.weight", "decoder.mid_block.resnets.1.norm2.conv_b.bias",
          "decoder.conv_norm_out.norm_layer.weight", "decoder.up_blocks.1.upsamplers.0.conv.weight", "post_quant_conv.weight",
          "encoder.down_blocks.2.attentions.0.to_k.weight", "encoder.down_blocks.0.downsamplers.0.conv.bias",
          "encoder.mid_block.attentions.0.group_norm.bias", "quant_conv.bias", "quantize.embedding.weight"}) {
        io::StateDict bad = copy_of(sd);
        REQUIRE(bad.count(w));
        bad[w] = bad[w] + 0.05;
        VQModel m = movq_from(bad);
        EXPECT_MSG(!all_pass(check_movq_calls(m, c, options())), w);
    }
}

// ---- strict loading ----

TEST_CASE("loading MoVQ with a tensor removed, added or reshaped names it") {
    auto [folder, name] = movq_folder();
    const io::StateDict sd = folder.weights(name);
    const std::string w = "decoder.mid_block.attentions.0.spatial_norm.conv_y.weight";
    std::string msg;
    {
        io::StateDict bad = copy_of(sd);
        bad.erase(w);
        EXPECT(test::throws_with<ModelError>([&] { movq_from(bad); }, w, &msg));
        EXPECT_MSG(msg.find("missing (1)") != std::string::npos, msg);
    }
    {
        io::StateDict bad = copy_of(sd);
        bad["decoder.mid_block.attentions.0.group_norm.weight"] = torch::ones({bad.at(w).size(0)});
        EXPECT(test::throws_with<ModelError>([&] { movq_from(bad); }, "decoder.mid_block.attentions.0.group_norm.weight",
                                             &msg));
        EXPECT_MSG(msg.find("unexpected (1)") != std::string::npos, msg);
    }
    {
        io::StateDict bad = copy_of(sd);
        bad[w] = torch::zeros({bad.at(w).size(0), bad.at(w).size(1) + 1, 1, 1});
        EXPECT(test::throws_with<ModelError>([&] { movq_from(bad); }, "wrong shape", &msg));
        EXPECT_MSG(msg.find(w) != std::string::npos, msg);
    }
    {
        io::StateDict bad = copy_of(sd);
        bad["quantize.embedding.weight"] = torch::zeros({bad.at("quantize.embedding.weight").size(0) + 1,
                                                         bad.at("quantize.embedding.weight").size(1)});
        EXPECT_THROWS(ModelError, movq_from(bad), "quantize.embedding.weight");
    }
}

// ---- config errors ----

TEST_CASE("unsupported MoVQ config values are errors naming the key") {
    auto expect_key = [](const std::string& key, const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = movq_config();
        edit(j);
        std::string got;
        EXPECT_MSG(test::throws_with<ModelError>([&] { VQModel m(VQModelConfig::from_json(j, "movq/config.json")); },
                                                 "'" + key + "'", &got),
                   key << ": " << got);
        EXPECT_MSG(got.find("movq/config.json") != std::string::npos, got);
    };
    expect_key("norm_type", [](auto& j) { j["norm_type"] = "layer"; });
    expect_key("vq_embed_dim", [](auto& j) { j["vq_embed_dim"] = j["latent_channels"].template get<int>() + 1; });
    expect_key("vq_embed_dim", [](auto& j) { j["vq_embed_dim"] = 0; });
    expect_key("block_out_channels", [](auto& j) {  // spatial norms: multiples of 32
        for (auto& w : j["block_out_channels"]) w = 48;
        j["norm_num_groups"] = 8;
    });
    expect_key("norm_num_groups", [](auto& j) { j["norm_num_groups"] = 5; });
    expect_key("down_block_types", [](auto& j) { j["down_block_types"][0] = "CrossAttnDownBlock2D"; });
    expect_key("down_block_types", [](auto& j) { j["down_block_types"].erase(0); });
    expect_key("up_block_types", [](auto& j) { j["up_block_types"][1] = "UpBlock2D"; });
    expect_key("up_block_types", [](auto& j) { j["up_block_types"] = "UpDecoderBlock2D"; });
    expect_key("act_fn", [](auto& j) { j["act_fn"] = "tanh"; });
    expect_key("lookup_from_codebook", [](auto& j) { j["lookup_from_codebook"] = true; });
    expect_key("latent_channels", [](auto& j) { j["latent_channels"] = 0; });
    expect_key("layers_per_block", [](auto& j) { j["layers_per_block"] = -1; });
    expect_key("block_out_channels", [](auto& j) { j["block_out_channels"] = nlohmann::json::array(); });
    expect_key("_class_name", [](auto& j) { j["_class_name"] = "AutoencoderKL"; });
    expect_key("in_channels", [](auto& j) { j["in_channels"] = "three"; });
    // With the plain group norm the decoder widths need not be multiples of 32, nor vq_embed_dim latent_channels.
    nlohmann::json j = movq_config();
    j["norm_type"] = "group";
    j["vq_embed_dim"] = 6;
    for (auto& w : j["block_out_channels"]) w = 24;
    EXPECT_EQ(VQModel(VQModelConfig::from_json(j, "movq"))->quantize->embedding->weight.size(1), int64_t(6));
}

// ---- the plain VQModel ----

TEST_CASE("norm_type group builds the plain VQModel with diffusers' tensor names") {
    torch::NoGradGuard no_grad;
    VQModelConfig c;
    c.block_out_channels = {16, 24};
    c.norm_num_groups = 8;
    c.layers_per_block = 1;
    c.latent_channels = 3;
    c.vq_embed_dim = 5;
    c.num_vq_embeddings = 7;
    c.down_block_types = {VQDownBlockType::DownEncoder, VQDownBlockType::AttnDownEncoder};
    c.up_block_types = {VQUpBlockType::AttnUpDecoder, VQUpBlockType::UpDecoder};
    c.mid_block_add_attention = false;
    VQModel m(c);
    const auto params = m->named_parameters();
    for (const std::string key :
         {"encoder.down_blocks.1.resnets.0.conv_shortcut.weight", "encoder.down_blocks.1.attentions.0.group_norm.weight",
          "decoder.up_blocks.0.attentions.1.group_norm.bias", "decoder.up_blocks.1.resnets.0.conv_shortcut.weight",
          "decoder.up_blocks.0.upsamplers.0.conv.weight", "decoder.conv_norm_out.weight", "quantize.embedding.weight"})
        EXPECT_MSG(params.contains(key), key);
    for (const auto& p : params) {
        EXPECT_MSG(p.key().find("spatial_norm") == std::string::npos && p.key().find("mid_block.attentions") == std::string::npos,
                   p.key());
        EXPECT_MSG(p.key().find("up_blocks.1.upsamplers") == std::string::npos, p.key());
    }
    EXPECT_EQ(m->quant_conv->weight.size(0), int64_t(5));
    EXPECT_EQ(m->post_quant_conv->weight.size(0), int64_t(3));
    torch::manual_seed(0);
    torch::Tensor x = torch::randn({2, 3, 10, 6});
    torch::Tensor z = m->encode(x);
    EXPECT_EQ(z.sizes(), (std::vector<int64_t>{2, 5, 5, 3}));
    torch::Tensor y = m->decode(z);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 3, 10, 6}));
    // Quantized decode = decode of the nearest codebook entries.
    const VQQuantized q = m->quantize_latents(z);
    EXPECT_EQ(q.indices.sizes(), (std::vector<int64_t>{2, 5, 3}));
    torch::Tensor entries = m->quantize->embedding->weight.index_select(0, q.indices.flatten())
                                .view({2, 5, 3, 5})
                                .permute({0, 3, 1, 2});
    EXPECT_CLOSE(q.quant, entries, 1e-6, 0.0);
    EXPECT_CLOSE(m->decode(z, false), m->decode(q.quant), 1e-5, 1e-5);
}

UNCLIP_TEST_MAIN()
