// SPDX-License-Identifier: GPL-3.0-or-later
// CLIP text / vision towers and the image processor: golden parity, half precision, strict loading
// errors, a perturbed weight failing parity, config errors naming the key, Karlo's full-size configs.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/io/png_io.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_load.h"
#include "core/models/registry/model_registry.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/verify/verify_clip.h"
#include "core/models/common/load_weights.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>  // getpid

using namespace unclip;
using namespace unclip::models;
using nlohmann::json;

namespace {

verify::VerifyOptions options(torch::ScalarType dtype = torch::kFloat32, torch::Device device = torch::kCPU) {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
    o.dtype = dtype;
    o.device = device;
    return o;
}

void print_max(const std::string& title, const std::vector<verify::ParityResult>& rows) {
    std::map<std::string, double> worst;  // check name without the [row] suffix
    for (const auto& r : rows) {
        const std::string key = r.check.substr(0, r.check.find('['));
        worst[key] = std::max(worst[key], r.max_abs_error);
    }
    std::cerr << "  " << title << " (" << rows.size() << " rows)\n";
    for (const auto& [k, v] : worst) std::cerr << "    " << k << ": max abs error " << v << "\n";
}

io::ModelFolder text_folder() { return io::ModelFolder(test::golden_path("models/unclip-text2img")); }
io::ModelFolder variations_folder() { return io::ModelFolder(test::golden_path("models/unclip-variations")); }

bool all_pass(const std::vector<verify::ParityResult>& rows) {
    if (rows.empty()) return false;
    for (const auto& r : rows)
        if (!r.pass) return false;
    return true;
}

int64_t parameter_count(const torch::nn::Module& m) {
    int64_t n = 0;
    for (const auto& p : m.parameters()) n += p.numel();
    return n;
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

// A preprocessor_config.json size: the transformers-5 object ({"shortest_edge": S} or
// {"height": H, "width": W}: `key` of it) or the legacy plain number.
int64_t size_value(const json& size, const char* key) { return size.is_number() ? size.get<int64_t>() : size.at(key).get<int64_t>(); }

// How many of `keys` the case holds.
size_t keys_present(const verify::GoldenCase& c, std::initializer_list<std::string> keys) {
    size_t n = 0;
    for (const auto& k : keys) n += c.has(k);
    return n;
}

}  // namespace

// ---- parity ------------------------------------------------------------------------------------

TEST_CASE("clip_text: every prompt row matches the reference (float32)") {
    auto rows = verify_clip_text(options());
    print_max("clip_text float32", rows);
    EXPECT_PARITY(rows);
    // One row per prompt row and recorded output (unmasked, and masked where the case has those).
    const auto c = test::load_case("clip_text");
    size_t outputs = keys_present(c, {"text_embeds", "last_hidden_state", "pooler_output"});
    if (c.has("attention_mask") && c.has("text_embeds_masked"))
        outputs += keys_present(c, {"text_embeds_masked", "last_hidden_state_masked", "pooler_output_masked"});
    EXPECT(outputs >= 2);
    EXPECT_EQ(rows.size(), static_cast<size_t>(c.at("input_ids").size(0)) * outputs);
}

TEST_CASE("clip_vision: every image row matches the reference (float32)") {
    auto rows = verify_clip_vision(options());
    print_max("clip_vision float32", rows);
    EXPECT_PARITY(rows);
    const auto c = test::load_case("clip_vision");
    const size_t outputs = keys_present(c, {"image_embeds", "last_hidden_state", "pooler_output"});
    EXPECT(outputs >= 1);
    EXPECT_EQ(rows.size(), static_cast<size_t>(c.at("pixel_values").size(0)) * outputs);
}

TEST_CASE("image_processor: resampler, crop and pixel_values are bit-exact for every golden image") {
    auto rows = verify_image_processor(options());
    print_max("image_processor", rows);
    EXPECT_PARITY(rows);
    // Per golden image: resized and cropped uint8 (where recorded) and pixel_values; then the batch.
    const auto c = test::load_case("image_processor");
    size_t expected = c.has("batch.pixel_values") ? 1 : 0;
    for (const auto& [name, info] : c.meta.at("images").items())
        expected += 1 + keys_present(c, {name + ".resized_u8", name + ".resized_best_u8"}) +
                    keys_present(c, {name + ".cropped_u8", name + ".cropped_best_u8"});
    EXPECT(c.meta.at("images").size() >= 1);
    EXPECT_EQ(rows.size(), expected);
    for (const auto& r : rows) {
        // Stricter than the case tolerance: the uint8 stages exactly, pixel_values to float rounding.
        if (contains(r.check, "_u8")) EXPECT_MSG(r.max_abs_error == 0.0, r.check << " " << r.max_abs_error);
        else EXPECT_MSG(r.max_abs_error <= 1e-6, r.check << " " << r.max_abs_error);
    }
}

TEST_CASE("half precision: bfloat16 on the CPU (and float16 where supported) within the looser tolerance") {
    for (auto* fn : {&verify_clip_text, &verify_clip_vision}) {
        auto rows = fn(options(torch::kBFloat16));
        print_max("bfloat16 cpu", rows);
        EXPECT_PARITY(rows);
    }
    // float16 on the CPU: LibTorch 1.13 has no Half matmul kernels on the CPU, so it is checked only where it runs.
    bool cpu_half = true;
    try {
        torch::NoGradGuard g;
        auto x = torch::ones({2, 2}, torch::kFloat16);
        (void)torch::nn::functional::linear(x, x);
        (void)torch::layer_norm(x, {2});
    } catch (const std::exception&) {
        cpu_half = false;
    }
    if (cpu_half) {
        for (auto* fn : {&verify_clip_text, &verify_clip_vision}) {
            auto rows = fn(options(torch::kFloat16));
            print_max("float16 cpu", rows);
            EXPECT_PARITY(rows);
        }
    } else {
        std::cerr << "  float16 on the CPU not supported by this LibTorch: skipped (checked on CUDA)\n";
    }
    if (torch::cuda::is_available()) {
        for (auto dtype : {torch::kFloat32, torch::kFloat16, torch::kBFloat16})
            for (auto* fn : {&verify_clip_text, &verify_clip_vision}) {
                auto rows = fn(options(dtype, torch::kCUDA));
                print_max(std::string("cuda ") + c10::toString(dtype), rows);
                EXPECT_PARITY(rows);
            }
    }
}

// ---- the checks can fail -------------------------------------------------------------------------

TEST_CASE("a perturbed weight makes text and vision parity fail") {
    torch::NoGradGuard no_grad;
    {
        auto folder = text_folder();
        auto c = test::load_case("clip_text");
        auto cfg = CLIPTextConfig::from_json(folder.config("text_encoder"), "text_encoder");
        for (bool perturb : {false, true}) {
            io::StateDict sd = folder.weights("text_encoder");
            if (perturb) {  // the last encoder layer
                auto& w = sd.at("text_model.encoder.layers." + std::to_string(cfg.encoder.num_hidden_layers - 1) +
                                ".mlp.fc1.weight");
                w = w.clone();
                w[0][0] += 0.05;
            }
            CLIPTextModelWithProjection m(cfg);
            load_weights_strict(*m, sd, "text_encoder", {});
            auto out = m(c.at("input_ids"));
            auto cmp = verify::compare(out.last_hidden_state, c.at("last_hidden_state"), 1e-4, 1e-4);
            EXPECT_MSG(cmp.ok != perturb, "text perturbed=" << perturb << " max " << cmp.max_abs);
        }
    }
    {
        auto folder = variations_folder();
        auto c = test::load_case("clip_vision");
        auto cfg = CLIPVisionConfig::from_json(folder.config("image_encoder"), "image_encoder");
        for (bool perturb : {false, true}) {
            io::StateDict sd = folder.weights("image_encoder");
            if (perturb) {
                auto& w = sd.at("vision_model.embeddings.class_embedding");
                w = w.clone();
                w[3] += 0.05;
            }
            CLIPVisionModelWithProjection m(cfg);
            load_weights_strict(*m, sd, "image_encoder", {});
            auto out = m(c.at("pixel_values"));
            auto cmp = verify::compare(out.image_embeds, c.at("image_embeds"), 1e-4, 1e-4);
            EXPECT_MSG(cmp.ok != perturb, "vision perturbed=" << perturb << " max " << cmp.max_abs);
        }
    }
}

TEST_CASE("processor output for the golden PNGs equals the clip_vision case inputs (rows 0..2)") {
    auto ip = test::load_case("image_processor");
    CLIPImageProcessor p(CLIPImageProcessorConfig::from_json(ip.meta["feature_extractor_config"], "fe"));
    std::vector<torch::Tensor> imgs;
    for (const char* n : {"img_a", "img_b", "img_c"}) imgs.push_back(io::read_png(test::golden_path(std::string("cases/") + n + ".png")));
    auto cv = test::load_case("clip_vision");
    REQUIRE(cv.at("pixel_values").size(0) >= 3);
    EXPECT_CLOSE(p.preprocess(imgs), cv.at("pixel_values").narrow(0, 0, 3), 1e-6, 0.0);
}

TEST_CASE("a perturbed pixel or a different resampler breaks image_processor parity") {
    auto c = test::load_case("image_processor");
    auto cfg = CLIPImageProcessorConfig::from_json(c.meta["feature_extractor_config"], "fe");
    CLIPImageProcessor p(cfg);
    torch::Tensor img = io::read_png(test::golden_path("cases/img_a.png"));
    EXPECT(torch::equal(p.resize(CLIPImageProcessor::convert_rgb(img)), c.at("img_a.resized_best_u8")));
    torch::Tensor bad = img.clone();
    const int64_t y = img.size(0) / 2, x = img.size(1) / 2;  // a pixel in the middle (inside any crop)
    bad[y][x][1] = static_cast<uint8_t>(255 - bad[y][x][1].item<int>());
    EXPECT(!torch::equal(p.resize(CLIPImageProcessor::convert_rgb(bad)), c.at("img_a.resized_best_u8")));
    // Bilinear instead of bicubic is another resampler: visibly different.
    CLIPImageProcessorConfig bil = cfg;
    bil.resample = ResampleFilter::Bilinear;
    auto cmp = verify::compare(CLIPImageProcessor(bil).preprocess({img}), c.at("img_a.pixel_values"), 0.02);
    EXPECT(!cmp.ok);
}

// ---- strict loading ------------------------------------------------------------------------------

TEST_CASE("weights with a tensor removed, renamed or reshaped are rejected with the listing") {
    auto folder = text_folder();
    auto cfg = CLIPTextConfig::from_json(folder.config("text_encoder"), "text_encoder");
    const io::StateDict good = folder.weights("text_encoder");
    auto load = [&](const io::StateDict& sd, LoadOptions o = {}) {
        CLIPTextModelWithProjection m(cfg);
        load_weights_strict(*m, sd, "text_encoder (test)", o);
    };
    load(good);  // loads

    const std::string layer = "text_model.encoder.layers." + std::to_string(cfg.encoder.num_hidden_layers - 1);
    const std::string key = layer + ".self_attn.k_proj.weight";
    io::StateDict removed = good;
    removed.erase(key);
    std::string msg = error_of([&] { load(removed); });
    EXPECT_MSG(contains(msg, "missing (1)") && contains(msg, key), msg);

    io::StateDict renamed = good;
    renamed[layer + ".self_attn.key.weight"] = renamed.at(key);
    renamed.erase(key);
    msg = error_of([&] { load(renamed); });
    EXPECT_MSG(contains(msg, "missing (1)") && contains(msg, key) && contains(msg, "unexpected (1)") &&
                   contains(msg, "self_attn.key.weight"),
               msg);

    io::StateDict reshaped = good;
    const std::vector<int64_t> model_shape = good.at("text_projection.weight").sizes().vec();
    const std::vector<int64_t> file_shape = {model_shape[0] - 1, model_shape[1]};  // one row short
    reshaped["text_projection.weight"] = torch::zeros(file_shape);
    msg = error_of([&] { load(reshaped); });
    EXPECT_MSG(contains(msg, "wrong shape (1)") &&
                   contains(msg, "text_projection.weight (file " + test::shape_text(file_shape) + ", model " +
                                     test::shape_text(model_shape) + ")"),
               msg);

    // Older checkpoints carry position_ids: unexpected unless ignored (the model registry ignores it for CLIP text models).
    io::StateDict older = good;
    older[kCLIPTextIgnoredKey] = torch::arange(cfg.max_position_embeddings).unsqueeze(0);
    msg = error_of([&] { load(older); });
    EXPECT_MSG(contains(msg, "unexpected (1)") && contains(msg, kCLIPTextIgnoredKey), msg);
    LoadOptions ignore;
    ignore.ignore_unexpected_suffixes = {kCLIPTextIgnoredKey};
    EXPECT(error_of([&] { load(older, ignore); }).empty());

    // The vision tower too (and its misspelt pre_layrnorm is required by that name).
    auto vfolder = variations_folder();
    auto vcfg = CLIPVisionConfig::from_json(vfolder.config("image_encoder"), "image_encoder");
    io::StateDict v = vfolder.weights("image_encoder");
    v["vision_model.pre_layernorm.weight"] = v.at("vision_model.pre_layrnorm.weight");
    v.erase("vision_model.pre_layrnorm.weight");
    msg = error_of([&] {
        CLIPVisionModelWithProjection m(vcfg);
        load_weights_strict(*m, v, "image_encoder (test)", {});
    });
    EXPECT_MSG(contains(msg, "vision_model.pre_layrnorm.weight") && contains(msg, "vision_model.pre_layernorm.weight"),
               msg);
}

TEST_CASE("load helpers read the golden folders (text, vision, feature extractor)") {
    const json tj = text_folder().config("text_encoder"), vj = variations_folder().config("image_encoder");
    const json pj = variations_folder().config("feature_extractor");
    auto t = load_model_as<CLIPTextModelWithProjection>(text_folder(), "text_encoder");
    EXPECT_EQ(t->config.encoder.num_hidden_layers, tj.at("num_hidden_layers").get<int64_t>());
    EXPECT(t->config.legacy_argmax_pooling());  // Karlo's text encoder config has eos_token_id 2
    auto v = load_model_as<CLIPVisionModelWithProjection>(variations_folder(), "image_encoder");
    const int64_t side = vj.at("image_size").get<int64_t>() / vj.at("patch_size").get<int64_t>();
    EXPECT_EQ(v->config.num_patches(), side * side);
    auto p = load_clip_image_processor(variations_folder(), "feature_extractor");
    EXPECT_EQ(p.config().shortest_edge, size_value(pj.at("size"), "shortest_edge"));
    EXPECT_EQ(p.config().crop_height, size_value(pj.at("crop_size"), "height"));
    EXPECT(p.config().resample == ResampleFilter::Bicubic);
}

// ---- text model behaviour -------------------------------------------------------------------------

TEST_CASE("pooling: legacy argmax for eos_token_id 2, else the first eos_token_id") {
    torch::NoGradGuard no_grad;
    auto folder = text_folder();
    auto c = test::load_case("clip_text");
    const torch::Tensor ids = c.at("input_ids");
    json j = folder.config("text_encoder");
    auto legacy = load_model_as<CLIPTextModelWithProjection>(folder, "text_encoder");
    auto out = legacy(ids);
    EXPECT(torch::equal(ids.argmax(-1), c.at("pooled_index")));
    // Newer rule with an id that occurs at position 1 of prompt 1 (not where argmax points).
    const int64_t tok = ids[1][1].item<int64_t>();
    j["eos_token_id"] = tok;
    CLIPTextModelWithProjection newer(CLIPTextConfig::from_json(j, "text_encoder"));
    load_weights_strict(*newer, folder.weights("text_encoder"), "text_encoder", {});
    auto out2 = newer(ids);
    EXPECT(torch::equal(out.last_hidden_state, out2.last_hidden_state));
    EXPECT(torch::equal(out2.pooler_output[1], out2.last_hidden_state[1][1]));
    EXPECT(!torch::equal(out2.pooler_output[1], out.pooler_output[1]));
    // Rows without that id pool at position 0.
    for (int64_t b = 0; b < ids.size(0); ++b) {
        auto hits = ids[b].eq(tok).nonzero();
        const int64_t pos = hits.size(0) ? hits[0][0].item<int64_t>() : 0;
        EXPECT(torch::equal(out2.pooler_output[b], out2.last_hidden_state[b][pos]));
    }
    // Shorter sequences work (positions 0..L-1); longer than max_position_embeddings is a RequestError.
    auto short_out = legacy(ids.narrow(1, 0, 10));
    EXPECT_EQ(short_out.last_hidden_state.size(1), int64_t{10});
    const int64_t too_long = j.at("max_position_embeddings").get<int64_t>() + 1;
    EXPECT_THROWS(RequestError, legacy(torch::zeros({1, too_long}, torch::kLong)), "sequence length " + std::to_string(too_long));
}

// ---- configs ------------------------------------------------------------------------------------

TEST_CASE("config errors name the key") {
    json t = text_folder().config("text_encoder");
    auto bad_text = [&](const char* key, json value) {
        json j = t;
        j[key] = value;
        return error_of([&] { CLIPTextConfig::from_json(j, "text_encoder (config.json)"); });
    };
    std::string m = bad_text("hidden_act", "relu");
    EXPECT_MSG(contains(m, "'hidden_act'") && contains(m, "text_encoder (config.json)"), m);
    m = bad_text("num_attention_heads", 5);
    EXPECT_MSG(contains(m, "'num_attention_heads'"), m);
    m = bad_text("hidden_size", "wide");
    EXPECT_MSG(contains(m, "'hidden_size'"), m);
    m = bad_text("eos_token_id", 99999);
    EXPECT_MSG(contains(m, "'eos_token_id'"), m);
    EXPECT_EQ(CLIPTextConfig::from_json(json::object(), "x").encoder.hidden_size, int64_t{512});  // defaults
    json gelu = t;
    gelu["hidden_act"] = "gelu";
    EXPECT(CLIPTextConfig::from_json(gelu, "x").encoder.hidden_act == CLIPActivation::Gelu);

    json v = variations_folder().config("image_encoder");
    v["image_size"] = v.at("patch_size").get<int64_t>() * 4 + 1;  // not a multiple of patch_size
    m = error_of([&] { CLIPVisionConfig::from_json(v, "image_encoder"); });
    EXPECT_MSG(contains(m, "'image_size'"), m);

    json p = variations_folder().config("feature_extractor");
    auto bad_proc = [&](const char* key, json value) {
        json j = p;
        j[key] = value;
        return error_of([&] { CLIPImageProcessorConfig::from_json(j, "feature_extractor"); });
    };
    m = bad_proc("size", json{{"longest_edge", 32}});
    EXPECT_MSG(contains(m, "'size'"), m);
    m = bad_proc("resample", 1);
    EXPECT_MSG(contains(m, "'resample'"), m);
    const int64_t over = size_value(p.at("size"), "shortest_edge") + 8;  // larger than the resized image
    m = bad_proc("crop_size", json{{"height", over}, {"width", over}});
    EXPECT_MSG(contains(m, "'crop_size'"), m);
    m = bad_proc("image_mean", json::array({0.5, 0.5}));
    EXPECT_MSG(contains(m, "'image_mean'"), m);
}

TEST_CASE("preprocessor_config.json: transformers-5 and legacy forms") {
    json modern = variations_folder().config("feature_extractor");
    auto a = CLIPImageProcessorConfig::from_json(modern, "fe");
    EXPECT_EQ(a.shortest_edge, size_value(modern.at("size"), "shortest_edge"));
    EXPECT_EQ(a.crop_height, size_value(modern.at("crop_size"), "height"));
    EXPECT_EQ(a.crop_width, size_value(modern.at("crop_size"), "width"));
    // Karlo's real file (legacy CLIPFeatureExtractor form).
    json legacy = json::parse(R"({
      "crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
      "feature_extractor_type": "CLIPFeatureExtractor",
      "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
      "resample": 3, "size": 224})");
    auto b = CLIPImageProcessorConfig::from_json(legacy, "fe");
    EXPECT_EQ(b.shortest_edge, int64_t{224});
    EXPECT_EQ(b.crop_height, int64_t{224});
    EXPECT_EQ(b.crop_width, int64_t{224});
    EXPECT(b.do_rescale);
    EXPECT(std::abs(b.rescale_factor - 1.0 / 255.0) < 1e-15);
    // A non-square exact resize form is read too.
    json exact = modern;
    exact["size"] = {{"height", 40}, {"width", 50}};
    auto e = CLIPImageProcessorConfig::from_json(exact, "fe");
    EXPECT_EQ(e.resize_height, int64_t{40});
    EXPECT_EQ(e.resize_width, int64_t{50});
}

// ---- image processor details ---------------------------------------------------------------------

TEST_CASE("image processor: sizes, grey and alpha inputs, identity resize, errors") {
    auto s = shortest_edge_size(37, 50, 32);
    EXPECT_EQ(s[0], int64_t{32});
    EXPECT_EQ(s[1], int64_t{43});
    s = shortest_edge_size(61, 23, 32);
    EXPECT_EQ(s[0], int64_t{84});
    EXPECT_EQ(s[1], int64_t{32});

    auto c = test::load_case("image_processor");
    CLIPImageProcessor p(CLIPImageProcessorConfig::from_json(c.meta["feature_extractor_config"], "fe"));
    torch::Tensor rgb = io::read_png(test::golden_path("cases/img_b.png"));  // an RGBA file, read as RGB
    torch::Tensor rgba = torch::cat({rgb, torch::full({rgb.size(0), rgb.size(1), 1}, 9, torch::kUInt8)}, 2);
    EXPECT(torch::equal(p.preprocess({rgba}), p.preprocess({rgb})));
    // Grey (and grey + alpha) = the grey value in all three channels.
    torch::Tensor grey = rgb.select(2, 1).unsqueeze(2).contiguous();
    torch::Tensor grey3 = grey.expand({-1, -1, 3}).contiguous();
    EXPECT(torch::equal(p.preprocess({grey}), p.preprocess({grey3})));
    torch::Tensor grey_alpha = torch::cat({grey, torch::full_like(grey, 7)}, 2);
    EXPECT(torch::equal(p.preprocess({grey_alpha}), p.preprocess({grey3})));

    // Same size: unchanged; a constant image stays constant at any size.
    EXPECT(torch::equal(resize_bicubic_antialias_uint8(rgb, rgb.size(0), rgb.size(1)), rgb));
    torch::Tensor flat = torch::full({17, 29, 3}, 200, torch::kUInt8);
    for (auto hw : {std::pair<int64_t, int64_t>{5, 7}, {40, 90}, {17, 3}})
        EXPECT(torch::equal(resize_bicubic_antialias_uint8(flat, hw.first, hw.second),
                            torch::full({hw.first, hw.second, 3}, 200, torch::kUInt8)));
    // Overshoot at a hard edge is clamped to 0..255 (cubic has negative lobes).
    torch::Tensor edge = torch::zeros({4, 8, 1}, torch::kUInt8);
    edge.narrow(1, 4, 4).fill_(255);
    torch::Tensor up = resize_bicubic_antialias_uint8(edge, 4, 32);
    EXPECT_EQ(up.min().item<int>(), 0);
    EXPECT_EQ(up.max().item<int>(), 255);

    EXPECT_THROWS(RequestError, p.preprocess({torch::zeros({8, 8, 3}, torch::kFloat32)}), "uint8");
    EXPECT_THROWS(RequestError, p.preprocess({torch::zeros({8, 8, 5}, torch::kUInt8)}), "channel count 5");
    EXPECT_THROWS(RequestError, p.preprocess({}), "no images");
    CLIPImageProcessorConfig no_resize = p.config();
    no_resize.do_resize = false;
    EXPECT_THROWS(RequestError, CLIPImageProcessor(no_resize).preprocess({torch::zeros({8, 8, 3}, torch::kUInt8)}),
                  "smaller than the crop");
}

TEST_CASE("png reader: golden images decode with the listed sizes, corrupt data is an error") {
    auto c = test::load_case("image_processor");
    for (const auto& [name, info] : c.meta["images"].items()) {
        torch::Tensor img = io::read_png(test::golden_path(info["png"].get<std::string>()));
        EXPECT_EQ(img.size(1), info["size_wh"][0].get<int64_t>());
        EXPECT_EQ(img.size(0), info["size_wh"][1].get<int64_t>());
        EXPECT_EQ(img.size(2), int64_t{3});
    }
    std::ifstream f(test::golden_path("cases/img_c.png"), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto write = [](const std::string& path, const std::vector<uint8_t>& b) {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
        return path;
    };
    const std::string tmp = std::filesystem::temp_directory_path().string() + "/unclip-test-clip-" + std::to_string(::getpid());
    std::vector<uint8_t> broken = bytes;
    broken[broken.size() / 2] ^= 0x5a;
    EXPECT_THROWS(Error, io::read_png(write(tmp + "-broken.png", broken)), "broken.png");
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 3));
    EXPECT_THROWS(Error, io::read_png(write(tmp + "-cut.png", cut)), "cut.png");
    std::filesystem::remove(tmp + "-broken.png");
    std::filesystem::remove(tmp + "-cut.png");
}

// ---- Karlo full size ----------------------------------------------------------------------------

TEST_CASE("Karlo's full-size text_encoder and image_encoder configs build with the reference parameter counts") {
    torch::NoGradGuard no_grad;
    const json text = json::parse(R"({
      "architectures": ["CLIPTextModelWithProjection"], "attention_dropout": 0.0, "bos_token_id": 0,
      "eos_token_id": 2, "hidden_act": "quick_gelu", "hidden_size": 768, "intermediate_size": 3072,
      "layer_norm_eps": 1e-05, "max_position_embeddings": 77, "model_type": "clip_text_model",
      "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 1, "projection_dim": 768,
      "vocab_size": 49408})");
    CLIPTextModelWithProjection t(CLIPTextConfig::from_json(text, "karlo text_encoder"));
    EXPECT_EQ(parameter_count(*t), int64_t{123650304});
    EXPECT_EQ(t->named_parameters().size(), size_t{2 + 12 * 16 + 2 + 1});
    auto tout = t(torch::zeros({1, 77}, torch::kLong));
    EXPECT_EQ(tout.text_embeds.size(1), int64_t{768});

    const json vision = json::parse(R"({
      "architectures": ["CLIPVisionModelWithProjection"], "hidden_act": "quick_gelu", "hidden_size": 1024,
      "image_size": 224, "intermediate_size": 4096, "layer_norm_eps": 1e-05, "model_type": "clip_vision_model",
      "num_attention_heads": 16, "num_channels": 3, "num_hidden_layers": 24, "patch_size": 14,
      "projection_dim": 768})");
    CLIPVisionModelWithProjection v(CLIPVisionConfig::from_json(vision, "karlo image_encoder"));
    EXPECT_EQ(parameter_count(*v), int64_t{303966208});
    auto vout = v(torch::zeros({1, 3, 224, 224}));
    EXPECT_EQ(vout.last_hidden_state.size(1), int64_t{257});
    EXPECT_EQ(vout.image_embeds.size(1), int64_t{768});
}

UNCLIP_TEST_MAIN()
