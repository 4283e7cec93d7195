// SPDX-License-Identifier: GPL-3.0-or-later
// Decoder UNet (UNet2DConditionModel), super-res UNets (UNet2DModel) and the decoder -> super-res
// upscale: parity with the golden cases, strict loading, config errors, Karlo full-size counts.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/models/registry/model_registry.h"
#include "core/models/unet/cpu_kernels.h"
#include "core/models/unet/upscale.h"
#include "core/verify/verify_unet.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <cmath>
#include <iostream>
#include <regex>

using namespace unclip;
using namespace unclip::models;

namespace {

verify::VerifyOptions options(torch::ScalarType dtype = torch::kFloat32) {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
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

io::ModelFolder text2img() { return io::ModelFolder(test::golden_path("models/unclip-text2img")); }

nlohmann::json decoder_config() { return text2img().config("decoder"); }
nlohmann::json super_res_config() { return text2img().config("super_res_first"); }

UNet2DConditionModel decoder_from(const io::StateDict& sd) {
    UNet2DConditionModel m(UNet2DConditionConfig::from_json(decoder_config(), "decoder"));
    load_weights_strict(*m, sd, "decoder", {});
    return m;
}

UNet2DModel super_res_from(const io::StateDict& sd) {
    UNet2DModel m(UNet2DConfig::from_json(super_res_config(), "super_res_first"));
    load_weights_strict(*m, sd, "super_res_first", {});
    return m;
}

io::StateDict copy_of(const io::StateDict& sd) {
    io::StateDict out;
    for (const auto& [k, v] : sd) out[k] = v.clone();
    return out;
}

// The first weight whose name matches `pattern` (the golden UNets' depth and block counts vary).
std::string weight_matching(const io::StateDict& sd, const std::string& pattern) {
    const std::string k = test::first_key_matching(sd, pattern);
    if (k.empty()) test::report_and_stop(__FILE__, __LINE__, "no weight matches " + pattern);
    return k;
}

// The number of recorded calls of a UNet case: its "<prefix>callN.out" tensors.
size_t recorded_calls(const verify::GoldenCase& c) {
    size_t n = 0;
    for (const auto& [k, t] : c.tensors) n += std::regex_match(k, std::regex(R"((.*\.)?call\d+\.out)"));
    return n;
}

size_t levels(const nlohmann::json& config) { return config.at("block_out_channels").size(); }

}  // namespace

// ---- parity ----

TEST_CASE("decoder UNet matches the reference on every recorded call (float32)") {
    auto rows = verify_decoder_unet(options());
    print_rows(rows, "float32");
    const size_t calls = recorded_calls(test::load_case("decoder_unet"));  // one row per recorded call
    EXPECT(calls >= 1);
    EXPECT_EQ(rows.size(), calls);
    EXPECT_PARITY(rows);
}

TEST_CASE("super-res UNets (first and last) match the reference on every recorded call (float32)") {
    auto rows = verify_super_res_unet(options());
    print_rows(rows, "float32");
    const size_t calls = recorded_calls(test::load_case("super_res_unet"));
    EXPECT(calls >= 2);
    EXPECT_EQ(rows.size(), calls);
    bool first = false, last = false;
    for (const auto& r : rows) {
        first = first || r.check.find("first.") != std::string::npos;
        last = last || r.check.find("last.") != std::string::npos;
    }
    EXPECT(first && last);
    EXPECT_PARITY(rows);
}

TEST_CASE("bicubic antialias upscale matches the reference and differs from the non-antialiased one") {
    auto rows = verify_upscale(options());
    print_rows(rows, "float32");
    EXPECT_PARITY(rows);
    auto c = test::load_case("upscale");
    const auto& ref = c.at("image_upscaled");
    torch::Tensor got = upscale_bicubic_antialias(c.at("image_small"), ref.size(2), ref.size(3));
    // The two resamplers differ in the reference by more than its parity tolerance, and ours
    // differs from the non-antialiased one by about as much as the reference does.
    const double ref_gap = (ref - c.at("image_upscaled_no_antialias")).abs().max().item<double>();
    EXPECT_MSG(ref_gap > verify::case_tolerance(c, options(), 1e-4, 0.0).atol, "reference antialias vs not: " << ref_gap);
    auto vs_plain = verify::compare(got, c.at("image_upscaled_no_antialias"), 1e-3);
    EXPECT_MSG(vs_plain.max_abs > 0.5 * ref_gap, "antialias vs not: " << vs_plain.max_abs << ", reference " << ref_gap);
    // Not clamped: the overshoot of the cubic is kept.
    EXPECT_MSG(ref.abs().max().item<double>() <= 1.0 || got.abs().max().item<double>() > 1.0, "clamped?");
}

TEST_CASE("bfloat16 on CPU stays within the half-precision tolerance") {
    auto o = options(torch::kBFloat16);
    for (auto rows : {verify_decoder_unet(o), verify_super_res_unet(o), verify_upscale(o)}) {
        print_rows(rows, "bfloat16");
        EXPECT_PARITY(rows);
    }
}

TEST_CASE("float16: parity where this LibTorch has the CPU kernels") {
    auto o = options(torch::kFloat16);
    auto rows = verify_decoder_unet(o);
    bool missing_kernel = false;
    for (const auto& r : rows) missing_kernel = missing_kernel || r.note.find("Half") != std::string::npos;
    if (missing_kernel) {
        std::cerr << "    float16 on CPU not run: " << rows[0].note.substr(0, rows[0].note.find('\n'))
                  << " (float16 is for CUDA)\n";
        return;
    }
    print_rows(rows, "float16");
    EXPECT_PARITY(rows);
}

// ---- the checks can fail ----

TEST_CASE("a perturbed decoder weight anywhere on the path makes parity fail") {
    const io::StateDict sd = text2img().weights("decoder");
    auto c = test::load_case("decoder_unet");
    UNet2DConditionModel good = decoder_from(sd);
    EXPECT(all_pass(check_decoder_unet_calls(good, c, options())));
    for (const std::string pattern :
         {R"(mid_block\.attentions\.0\.add_k_proj\.weight)", R"(down_blocks\.\d+\.attentions\.0\.to_k\.weight)",
          R"(up_blocks\.\d+\.upsamplers\.0\.conv1\.weight)", R"(down_blocks\.\d+\.downsamplers\.0\.time_emb_proj\.bias)",
          R"(up_blocks\.\d+\.resnets\.\d+\.conv_shortcut\.weight)", R"(time_embedding\.linear_1\.weight)",
          R"(conv_norm_out\.bias)"}) {
        const std::string name = weight_matching(sd, pattern);
        io::StateDict bad = copy_of(sd);
        REQUIRE(bad.count(name));
        bad[name] = bad[name] + 0.05;
        UNet2DConditionModel m = decoder_from(bad);
        EXPECT_MSG(!all_pass(check_decoder_unet_calls(m, c, options())), name);
    }
}

TEST_CASE("a perturbed super-res weight makes parity fail") {
    const io::StateDict sd = text2img().weights("super_res_first");
    auto c = test::load_case("super_res_unet");
    UNet2DModel good = super_res_from(sd);
    EXPECT(all_pass(check_super_res_unet_calls(good, c, options(), "first")));
    // super_res_last's calls with super_res_first's weights must fail too.
    EXPECT(!all_pass(check_super_res_unet_calls(good, c, options(), "last")));
    for (const std::string pattern : {R"(mid_block\.resnets\.1\.conv2\.weight)", R"(up_blocks\.\d+\.upsamplers\.0\.norm1\.weight)",
                                      R"(down_blocks\.\d+\.downsamplers\.0\.conv1\.weight)"}) {
        const std::string name = weight_matching(sd, pattern);
        io::StateDict bad = copy_of(sd);
        REQUIRE(bad.count(name));
        bad[name] = bad[name] + 0.05;
        UNet2DModel m = super_res_from(bad);
        EXPECT_MSG(!all_pass(check_super_res_unet_calls(m, c, options(), "first")), name);
    }
}

TEST_CASE("the decoder uses the attention mask, the class labels and the timestep") {
    torch::NoGradGuard no_grad;
    auto c = test::load_case("decoder_unet");
    UNet2DConditionModel m = load_model_as<UNet2DConditionModel>(text2img(), "decoder");
    const auto& x = c.at("call0.sample");
    const auto& t = c.at("call0.timestep");
    const auto& ehs = c.at("call0.encoder_hidden_states");
    const auto& cl = c.at("call0.class_labels");
    const auto& mask = c.at("call0.attention_mask");
    const auto& ref = c.at("call0.out");
    const auto tol = verify::case_tolerance(c, options(), 1e-4, 1e-4);
    EXPECT_CLOSE(m->forward(x, t, ehs, cl, mask), ref, tol.atol, tol.rtol);
    EXPECT_CLOSE(m->forward(x, t, ehs, cl, mask.to(torch::kBool)), ref, tol.atol, tol.rtol);
    // Ignoring any of them would fail parity (the case's own tolerance), whatever the model's scale.
    REQUIRE(!mask.to(torch::kBool).all().item<bool>());  // the case masks some tokens
    EXPECT(!verify::compare(m->forward(x, t, ehs, cl, torch::ones_like(mask)), ref, tol.atol, tol.rtol).ok);
    EXPECT(!verify::compare(m->forward(x, t, ehs, cl * 1.1, mask), ref, tol.atol, tol.rtol).ok);
    EXPECT(!verify::compare(m->forward(x, t - 1, ehs, cl, mask), ref, tol.atol, tol.rtol).ok);
    // Timestep as 0-dim, [1] and [B] give the same result.
    torch::Tensor a = m->forward(x, t.reshape({}), ehs, cl, mask);
    torch::Tensor b = m->forward(x, t.expand({x.size(0)}).contiguous(), ehs, cl, mask);
    EXPECT(torch::equal(a, b));
    EXPECT_THROWS(RequestError, m->forward(x, t, ehs, torch::Tensor(), mask), "class_labels");
    REQUIRE(levels(decoder_config()) >= 2);  // else every size is a multiple
    EXPECT_THROWS(RequestError, m->forward(x.narrow(2, 0, x.size(2) - 1), t, ehs, cl, mask), "multiples");
}

// ---- strict loading ----

TEST_CASE("loading with a tensor removed, renamed or reshaped lists it") {
    const io::StateDict sd = text2img().weights("decoder");
    const std::string name = "mid_block.attentions.0.to_q.weight";
    std::string msg;
    {
        io::StateDict bad = copy_of(sd);
        bad.erase(name);
        EXPECT(test::throws_with<ModelError>([&] { decoder_from(bad); }, name, &msg));
        EXPECT_MSG(msg.find("missing (1)") != std::string::npos, msg);
    }
    {
        io::StateDict bad = copy_of(sd);
        bad["mid_block.attentions.0.to_query.weight"] = bad[name];
        bad.erase(name);
        EXPECT(test::throws_with<ModelError>([&] { decoder_from(bad); }, "to_query", &msg));
        EXPECT_MSG(msg.find("missing (1)") != std::string::npos && msg.find("unexpected (1)") != std::string::npos &&
                       msg.find(name) != std::string::npos,
                   msg);
    }
    {
        io::StateDict bad = copy_of(sd);
        const auto shape = sd.at(name).sizes().vec();
        const std::vector<int64_t> wrong = {shape[0], shape[1] - 1};  // one input column short
        bad[name] = torch::zeros(wrong);
        EXPECT(test::throws_with<ModelError>([&] { decoder_from(bad); }, "wrong shape", &msg));
        EXPECT_MSG(msg.find(name) != std::string::npos && msg.find(test::shape_text(wrong)) != std::string::npos, msg);
    }
    {
        io::StateDict bad = copy_of(text2img().weights("super_res_last"));
        const std::string gone = weight_matching(bad, R"(up_blocks\.\d+\.upsamplers\.0\.conv2\.bias)");
        bad.erase(gone);
        EXPECT_THROWS(ModelError, super_res_from(bad), gone);
    }
}

TEST_CASE("case model_dir with two components resolves both") {
    auto c = test::load_case("super_res_unet");
    CaseModels m = case_models(c);
    EXPECT_EQ(m.components.size(), size_t(2));
    EXPECT_EQ(m.component_for("first"), std::string("super_res_first"));
    EXPECT_EQ(m.component_for("last"), std::string("super_res_last"));
    EXPECT_EQ(case_models(test::load_case("decoder_unet")).component_for(""), std::string("decoder"));
}

// ---- config errors ----

TEST_CASE("unsupported decoder config values are errors naming the key") {
    auto expect_key = [](const std::string& key, const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = decoder_config();
        edit(j);
        std::string got;
        EXPECT_MSG(test::throws_with<ModelError>(
                       [&] { UNet2DConditionModel m(UNet2DConditionConfig::from_json(j, "decoder")); }, "'" + key + "'",
                       &got),
                   key << ": " << got);
    };
    // Lists are edited in place or grown by one entry: wrong whatever the golden UNet's depth.
    expect_key("down_block_types", [](auto& j) { j["down_block_types"].back() = "CrossAttnDownBlock2D"; });
    expect_key("down_block_types", [](auto& j) { j.erase("down_block_types"); });
    expect_key("up_block_types", [](auto& j) { j["up_block_types"][0] = "UpBlock2D"; });
    expect_key("up_block_types", [](auto& j) { j["up_block_types"].push_back("ResnetUpsampleBlock2D"); });
    expect_key("mid_block_type", [](auto& j) { j.erase("mid_block_type"); });
    expect_key("mid_block_type", [](auto& j) { j["mid_block_type"] = "UNetMidBlock2DCrossAttn"; });
    expect_key("resnet_time_scale_shift", [](auto& j) { j["resnet_time_scale_shift"] = "spatial"; });
    expect_key("num_attention_heads", [](auto& j) { j["num_attention_heads"] = 2; });
    expect_key("class_embed_type", [](auto& j) { j["class_embed_type"] = "timestep"; });
    expect_key("act_fn", [](auto& j) { j["act_fn"] = "gelu"; });
    expect_key("block_out_channels", [](auto& j) { j["block_out_channels"].push_back(j["block_out_channels"].back()); });
    expect_key("layers_per_block", [](auto& j) { j["layers_per_block"] = std::vector<int>(levels(j) + 1, 1); });
    expect_key("attention_head_dim", [](auto& j) { j["attention_head_dim"] = std::vector<int>(levels(j) + 1, 8); });
    expect_key("cross_attention_dim", [](auto& j) { j["cross_attention_dim"] = "wide"; });
    expect_key("addition_embed_type", [](auto& j) { j["addition_embed_type"] = "text"; });
    expect_key("encoder_hid_dim", [](auto& j) { j["encoder_hid_dim"] = 32; });
    expect_key("time_embedding_type", [](auto& j) { j["time_embedding_type"] = "fourier"; });
    expect_key("time_embedding_act_fn", [](auto& j) { j["time_embedding_act_fn"] = "silu"; });
    expect_key("class_embeddings_concat", [](auto& j) { j["class_embeddings_concat"] = true; });
    expect_key("cross_attention_norm", [](auto& j) { j["cross_attention_norm"] = "group_norm"; });
    expect_key("norm_num_groups", [](auto& j) { j["norm_num_groups"] = nullptr; });
    // More groups than the first level has channels: no multiple.
    expect_key("norm_num_groups", [](auto& j) { j["norm_num_groups"] = j["block_out_channels"][0].template get<int>() + 1; });
    expect_key("_class_name", [](auto& j) { j["_class_name"] = "UNet2DModel"; });
    expect_key("in_channels", [](auto& j) { j["in_channels"] = "three"; });
    // attention_head_dim that does not divide the channels is refused when the blocks are built.
    nlohmann::json j = decoder_config();
    j["attention_head_dim"] = j["block_out_channels"].back().get<int>() + 1;  // larger than the mid block's channels
    EXPECT_THROWS(ModelError, UNet2DConditionModel(UNet2DConditionConfig::from_json(j, "decoder")), "attention_head_dim");
}

TEST_CASE("unsupported super-res config values are errors naming the key") {
    auto expect_key = [](const std::string& key, const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = super_res_config();
        edit(j);
        std::string got;
        EXPECT_MSG(test::throws_with<ModelError>([&] { UNet2DModel m(UNet2DConfig::from_json(j, "super_res")); },
                                                 "'" + key + "'", &got),
                   key << ": " << got);
    };
    expect_key("down_block_types", [](auto& j) { j["down_block_types"][0] = "DownBlock2D"; });
    expect_key("down_block_types", [](auto& j) { j["down_block_types"][0] = "SimpleCrossAttnDownBlock2D"; });
    expect_key("up_block_types", [](auto& j) { j["up_block_types"].back() = "AttnUpBlock2D"; });
    expect_key("mid_block_type", [](auto& j) { j["mid_block_type"] = "UNetMidBlock2DCrossAttn"; });
    expect_key("class_embed_type", [](auto& j) { j["class_embed_type"] = "timestep"; });
    expect_key("num_class_embeds", [](auto& j) { j["num_class_embeds"] = 10; });
    expect_key("time_embedding_type", [](auto& j) { j["time_embedding_type"] = "fourier"; });
    expect_key("resnet_time_scale_shift", [](auto& j) { j["resnet_time_scale_shift"] = "ada_group"; });
    expect_key("layers_per_block", [](auto& j) { j["layers_per_block"] = 0; });
    expect_key("block_out_channels", [](auto& j) { j["block_out_channels"].push_back(j["block_out_channels"].back()); });
    expect_key("act_fn", [](auto& j) { j["act_fn"] = "mish"; });
}

// ---- building blocks ----

TEST_CASE("ResnetBlock2D down/up resample both the hidden state and the shortcut") {
    torch::NoGradGuard no_grad;
    torch::manual_seed(0);
    for (Resample rs : {Resample::Down, Resample::Up}) {
        ResnetBlock2DOptions o;
        o.in_channels = o.out_channels = 8;
        o.temb_channels = 4;
        o.groups = 4;
        o.resample = rs;
        ResnetBlock2D block(o);
        // With conv2 = 0 the block is its (resampled) shortcut.
        block->conv2->weight.zero_();
        block->conv2->bias.zero_();
        torch::Tensor x = torch::randn({2, 8, 6, 6});
        torch::Tensor y = block(x, torch::randn({2, 4}));
        torch::Tensor expect = rs == Resample::Down ? downsample_avg_2x2(x) : upsample_nearest_x2(x);
        EXPECT_CLOSE(y, expect, 0.0, 0.0);
        EXPECT_EQ(y.size(2), rs == Resample::Down ? int64_t(3) : int64_t(12));
    }
}

TEST_CASE("ResnetBlock2D scale_shift takes the scale first") {
    torch::NoGradGuard no_grad;
    torch::manual_seed(1);
    ResnetBlock2DOptions o;
    o.in_channels = 4;
    o.out_channels = 8;
    o.temb_channels = 3;
    o.groups = 2;
    o.time_embedding_norm = TimeEmbeddingNorm::ScaleShift;
    ResnetBlock2D block(o);
    EXPECT_EQ(block->time_emb_proj->weight.size(0), int64_t(16));
    torch::Tensor x = torch::randn({2, 4, 4, 4}), temb = torch::randn({2, 3});
    torch::Tensor ts = block->time_emb_proj(torch::silu(temb));
    torch::Tensor scale = ts.narrow(1, 0, 8).unsqueeze(-1).unsqueeze(-1), shift = ts.narrow(1, 8, 8).unsqueeze(-1).unsqueeze(-1);
    torch::Tensor h = block->conv1(torch::silu(block->norm1(x)));
    h = block->norm2(h) * (1 + scale) + shift;
    torch::Tensor expect = block->conv_shortcut(x) + block->conv2(torch::silu(h));
    EXPECT_CLOSE(block(x, temb), expect, 1e-6, 1e-6);
}

TEST_CASE("UNet2DModel with add_attention builds the mid-block self-attention with diffusers names") {
    torch::NoGradGuard no_grad;
    nlohmann::json j = super_res_config();
    const int64_t C = j["block_out_channels"].back().get<int64_t>();  // the mid block's channels
    REQUIRE(C % 2 == 0);
    const int64_t d = C / 2;  // head size: 2 heads
    j["add_attention"] = true;
    j["attention_head_dim"] = d;
    UNet2DModel m(UNet2DConfig::from_json(j, "super_res"));
    auto params = m->named_parameters();
    for (const char* k : {"mid_block.attentions.0.group_norm.weight", "mid_block.attentions.0.to_q.weight",
                          "mid_block.attentions.0.to_k.bias", "mid_block.attentions.0.to_v.weight",
                          "mid_block.attentions.0.to_out.0.weight", "mid_block.resnets.1.conv1.weight"})
        EXPECT_MSG(params.contains(k), k);
    // The attention = GroupNorm -> 2-head softmax attention -> to_out -> + x.
    auto* attn = m->mid_block->attentions->ptr(0)->as<SpatialSelfAttentionImpl>();
    REQUIRE(attn != nullptr);
    torch::manual_seed(2);
    for (auto& p : attn->parameters()) p.copy_(torch::randn_like(p) * 0.3);
    torch::Tensor x = torch::randn({2, C, 4, 4});
    torch::Tensor tok = attn->group_norm(x).reshape({2, C, 16}).transpose(1, 2);
    torch::Tensor q = attn->to_q(tok).view({2, 16, 2, d}).transpose(1, 2);
    torch::Tensor k = attn->to_k(tok).view({2, 16, 2, d}).transpose(1, 2);
    torch::Tensor v = attn->to_v(tok).view({2, 16, 2, d}).transpose(1, 2);
    torch::Tensor o = torch::softmax(torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(d)), -1).matmul(v);
    o = attn->to_out->ptr(0)->as<torch::nn::LinearImpl>()->forward(o.transpose(1, 2).reshape({2, 16, C}));
    EXPECT_CLOSE(attn->forward(x), o.transpose(1, 2).reshape({2, C, 4, 4}) + x, 1e-5, 1e-5);
    const int64_t side = int64_t(4) << levels(j);  // a multiple of every level's downsampling
    EXPECT_EQ(m->forward(torch::randn({1, j["in_channels"].get<int64_t>(), side, side}), torch::tensor(5)).size(1),
              j["out_channels"].get<int64_t>());
}

TEST_CASE("only_cross_attention drops to_k/to_v and attends to the context alone") {
    torch::NoGradGuard no_grad;
    nlohmann::json j = decoder_config();
    // The deepest down block with attention, and the up block that mirrors it.
    const auto types = j["down_block_types"].get<std::vector<std::string>>();
    int64_t a = -1;
    for (size_t i = 0; i < types.size(); ++i)
        if (types[i] == "SimpleCrossAttnDownBlock2D") a = static_cast<int64_t>(i);
    REQUIRE(a >= 0);
    const std::string down = "down_blocks." + std::to_string(a) + ".attentions.0.";
    const std::string up = "up_blocks." + std::to_string(static_cast<int64_t>(types.size()) - 1 - a) + ".attentions.0.";
    j["only_cross_attention"] = true;
    UNet2DConditionModel m(UNet2DConditionConfig::from_json(j, "decoder"));
    auto params = m->named_parameters();
    EXPECT(!params.contains("mid_block.attentions.0.to_k.weight"));
    EXPECT(!params.contains(down + "to_v.weight"));
    EXPECT(params.contains(down + "add_k_proj.weight"));
    auto c = test::load_case("decoder_unet");
    torch::Tensor out = m->forward(c.at("call1.sample"), c.at("call1.timestep"), c.at("call1.encoder_hidden_states"),
                                   c.at("call1.class_labels"), c.at("call1.attention_mask"));
    EXPECT_EQ(out.sizes(), c.at("call1.out").sizes());
    EXPECT(torch::isfinite(out).all().item<bool>());
    // A list of per-block values is read per block (mid block: false when the list is given).
    std::vector<bool> per_block(types.size(), false);
    per_block[static_cast<size_t>(a)] = true;
    j["only_cross_attention"] = per_block;
    UNet2DConditionModel m2(UNet2DConditionConfig::from_json(j, "decoder"));
    auto p2 = m2->named_parameters();
    EXPECT(!p2.contains(down + "to_k.weight"));
    EXPECT(!p2.contains(up + "to_k.weight"));  // the up block mirrors the down block
    EXPECT(p2.contains("mid_block.attentions.0.to_k.weight"));
}

// ---- Karlo full size ----

TEST_CASE("Karlo's full-size decoder and super-res configs build with the reference parameter counts") {
    torch::NoGradGuard no_grad;
    {
        nlohmann::json j = {
            {"_class_name", "UNet2DConditionModel"},
            {"sample_size", 64},
            {"in_channels", 3},
            {"out_channels", 6},
            {"down_block_types",
             {"ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D", "SimpleCrossAttnDownBlock2D",
              "SimpleCrossAttnDownBlock2D"}},
            {"up_block_types",
             {"SimpleCrossAttnUpBlock2D", "SimpleCrossAttnUpBlock2D", "SimpleCrossAttnUpBlock2D",
              "ResnetUpsampleBlock2D"}},
            {"mid_block_type", "UNetMidBlock2DSimpleCrossAttn"},
            {"block_out_channels", {320, 640, 960, 1280}},
            {"layers_per_block", 3},
            {"cross_attention_dim", 1536},
            {"attention_head_dim", 64},
            {"class_embed_type", "identity"},
            {"resnet_time_scale_shift", "scale_shift"}};
        UNet2DConditionModel m(UNet2DConditionConfig::from_json(j, "karlo decoder"));
        EXPECT_EQ(m->num_parameters(), int64_t(885439686));
        EXPECT_EQ(m->config().time_embed_dim(), int64_t(1280));
        auto heads = [&](const std::string& prefix) {
            for (auto& item : m->named_modules())
                if (item.key() == prefix) {
                    auto* a = item.value()->as<AttentionAddedKVImpl>();
                    return a ? a->heads() : int64_t(-2);
                }
            return int64_t(-1);
        };
        EXPECT_EQ(heads("down_blocks.1.attentions.0"), int64_t(10));
        EXPECT_EQ(heads("down_blocks.2.attentions.2"), int64_t(15));
        EXPECT_EQ(heads("down_blocks.3.attentions.0"), int64_t(20));
        EXPECT_EQ(heads("mid_block.attentions.0"), int64_t(20));
        EXPECT_EQ(heads("up_blocks.2.attentions.3"), int64_t(10));
    }
    {
        nlohmann::json j = {{"_class_name", "UNet2DModel"},
                            {"sample_size", 256},
                            {"in_channels", 6},
                            {"out_channels", 3},
                            {"down_block_types",
                             {"ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D",
                              "ResnetDownsampleBlock2D"}},
                            {"up_block_types",
                             {"ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D",
                              "ResnetUpsampleBlock2D"}},
                            {"block_out_channels", {320, 640, 960, 1280}},
                            {"layers_per_block", 3},
                            {"add_attention", false}};
        UNet2DModel m(UNet2DConfig::from_json(j, "karlo super_res"));
        EXPECT_EQ(m->num_parameters(), int64_t(691579523));
    }
}

UNCLIP_TEST_MAIN()
