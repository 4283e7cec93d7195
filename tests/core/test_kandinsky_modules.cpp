// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 golden set, component level: CLIP text / vision, image processor (PIL path),
// tokenizer, rng, prior, decoder UNets (image_proj / image conditioning, 9-channel inpaint) and the
// PIL image / mask preparation of the decoder pipelines. Every row passes; row counts, sizes and
// tolerances come from the case files. Plus the UNet's input errors and config errors.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/io/png_io.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_load.h"
#include "core/models/clip/pil_resample.h"
#include "core/models/common/load_weights.h"
#include "core/models/registry/model_registry.h"
#include "core/pipeline/kandinsky/image_prep.h"
#include "core/text/clip_tokenizer.h"
#include "core/verify/verify_clip.h"
#include "core/verify/verify_kandinsky_modules.h"
#include "core/verify/verify_prior.h"
#include "core/verify/verify_rng.h"
#include "core/verify/verify_tokenizer.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

using namespace unclip;
using namespace unclip::models;
using nlohmann::json;

namespace {

verify::VerifyOptions options() {
    verify::VerifyOptions o;
    o.golden_dir = test::kandinsky_golden_dir();
    return o;
}

void print_max(const std::string& title, const std::vector<verify::ParityResult>& rows) {
    std::map<std::string, double> worst;  // check name without the [row] / callN part
    for (const auto& r : rows) {
        std::string key = r.check.substr(0, r.check.find('['));
        const auto call = key.find("/call");
        if (call != std::string::npos) {
            const auto rest = key.find('/', call + 1);
            key = key.substr(0, call) + (rest == std::string::npos ? "" : key.substr(rest));
        }
        worst[key] = std::max(worst[key], r.max_abs_error);
    }
    std::cerr << "  " << title << " (" << rows.size() << " rows)\n";
    for (const auto& [k, v] : worst) std::cerr << "    " << k << ": max abs error " << v << "\n";
}

bool all_pass(const std::vector<verify::ParityResult>& rows) {
    if (rows.empty()) return false;
    for (const auto& r : rows)
        if (!r.pass) return false;
    return true;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Number of tensors of a case whose key ends with one of the suffixes.
size_t count_keys(const verify::GoldenCase& c, std::initializer_list<std::string> suffixes) {
    size_t n = 0;
    for (const auto& [k, t] : c.tensors)
        for (const auto& s : suffixes)
            if (ends_with(k, s)) ++n;
    return n;
}

json read_json(const std::string& path) {
    std::ifstream f(path);
    return json::parse(f);
}

io::ModelFolder decoder_folder() { return io::ModelFolder(test::kandinsky_golden_path("models/kandinsky-2-2-decoder")); }

UNet2DConditionModel decoder_unet() {
    return load_model_as<UNet2DConditionModel>(decoder_folder(), "unet");
}

// cases/<name>.png as PIL opens it (mode from the image_prep json).
torch::Tensor case_png(const std::string& name, const std::string& mode) {
    const std::string path = test::kandinsky_golden_path("cases/" + name + ".png");
    if (mode == "RGBA") return io::read_png_rgba(path);
    torch::Tensor rgb = io::read_png(path);
    return mode == "L" ? rgb.narrow(2, 0, 1).contiguous() : rgb;
}

}  // namespace

// ---- the generic checks on the Kandinsky golden set ----------------------------------------------

TEST_CASE("clip_text (gelu, argmax pooling): every row and output matches, with and without the mask") {
    auto rows = verify_clip_text(options());
    print_max("clip_text", rows);
    EXPECT_PARITY(rows);
    auto c = test::load_kandinsky_case("clip_text");
    const size_t outputs = count_keys(c, {"text_embeds", "last_hidden_state", "pooler_output", "text_embeds_masked",
                                          "last_hidden_state_masked", "pooler_output_masked"});
    EXPECT_EQ(rows.size(), outputs * size_t(c.at("input_ids").size(0)));
}

TEST_CASE("clip_vision: every image row matches") {
    auto rows = verify_clip_vision(options());
    print_max("clip_vision", rows);
    EXPECT_PARITY(rows);
    auto c = test::load_kandinsky_case("clip_vision");
    EXPECT_EQ(rows.size(), count_keys(c, {"image_embeds", "last_hidden_state", "pooler_output"}) *
                               size_t(c.at("pixel_values").size(0)));
}

TEST_CASE("image_processor (transformers 4.33 PIL path): uint8 stages exact, pixel_values within the case tolerance") {
    auto rows = verify_image_processor(options());
    print_max("image_processor", rows);
    EXPECT_PARITY(rows);
    auto c = test::load_kandinsky_case("image_processor");
    EXPECT_EQ(rows.size(), c.meta["images"].size() * 3 + (c.has("batch.pixel_values") ? 1 : 0));
    for (const auto& r : rows)
        if (r.check.find("_u8") != std::string::npos) EXPECT_MSG(r.max_abs_error == 0.0, r.check << " " << r.max_abs_error);
}

TEST_CASE("image_processor: the folder's legacy preprocessor_config.json reads as the reference loaded it") {
    auto c = test::load_kandinsky_case("image_processor");
    const CLIPImageProcessorConfig want = CLIPImageProcessorConfig::from_json(c.meta["image_processor_config"], "case");
    const CLIPImageProcessor got = load_clip_image_processor(
        io::ModelFolder(test::kandinsky_golden_path("models/kandinsky-2-2-prior")), "image_processor");
    const auto& g = got.config();
    EXPECT_EQ(g.shortest_edge, want.shortest_edge);
    EXPECT_EQ(g.resize_height, want.resize_height);
    EXPECT_EQ(g.crop_height, want.crop_height);
    EXPECT_EQ(g.crop_width, want.crop_width);
    EXPECT(g.resample == want.resample);
    EXPECT_EQ(g.rescale_factor, want.rescale_factor);
    EXPECT(g.image_mean == want.image_mean && g.image_std == want.image_std);
    EXPECT(g.do_resize == want.do_resize && g.do_center_crop == want.do_center_crop &&
           g.do_rescale == want.do_rescale && g.do_normalize == want.do_normalize);
}

TEST_CASE("image_processor: torch's uint8 resize kernel is not Pillow's (the PIL backend is needed here)") {
    auto c = test::load_kandinsky_case("image_processor");
    CLIPImageProcessorConfig cfg = CLIPImageProcessorConfig::from_json(c.meta["image_processor_config"], "case");
    int differing = 0;
    for (const auto& [name, info] : c.meta["images"].items()) {
        const torch::Tensor img = io::read_png(test::kandinsky_golden_path(info["png"].get<std::string>()));
        cfg.backend = CLIPImageBackend::Pil;
        EXPECT(torch::equal(CLIPImageProcessor(cfg).resize(CLIPImageProcessor::convert_rgb(img)), c.at(name + ".resized_u8")));
        cfg.backend = CLIPImageBackend::Torchvision;
        const auto cmp = verify::compare(CLIPImageProcessor(cfg).resize(CLIPImageProcessor::convert_rgb(img)),
                                         c.at(name + ".resized_u8"), 0.0);
        std::cerr << "    " << name << ": torch uint8 kernel vs Pillow, max abs " << cmp.max_abs << " (0..255)\n";
        differing += cmp.ok ? 0 : 1;
    }
    EXPECT(differing > 0);
}

TEST_CASE("tokenizer: every case file the manifest lists matches exactly (plain and AddedToken special tokens)") {
    const auto rows = text::verify_tokenizer(test::kandinsky_golden_dir());
    const json manifest = read_json(test::kandinsky_golden_path("manifest.json"));
    size_t files = 0;
    for (const auto& e : manifest["extra"])
        if (e["file"].get<std::string>().find("cases/tokenizer_cases") == 0) ++files;
    EXPECT_EQ(rows.size(), files * 5);
    for (const auto& r : rows) EXPECT_MSG(r.pass && r.mismatches == 0, r.check << ": " << r.note);
    const json doc = read_json(test::kandinsky_golden_path("cases/tokenizer_cases.json"));
    const auto tok = text::ClipTokenizer::from_folder(test::kandinsky_golden_path(doc["vocab"].get<std::string>()));
    EXPECT_EQ(tok.pad_id(), doc["pad_token_id"].get<int64_t>());
    EXPECT_EQ(tok.eos_id(), doc["eos_token_id"].get<int64_t>());
}

TEST_CASE("rng: every draw is bit-exact") {
    auto rows = verify::verify_rng(options());
    EXPECT_PARITY(rows);
    EXPECT_EQ(rows.size(), test::load_kandinsky_case("rng").tensors.size());
    for (const auto& r : rows) EXPECT_MSG(r.max_abs_error == 0.0, r.check);
}

TEST_CASE("prior: every call, post_process (clip_mean / clip_std) and the stored statistics match") {
    auto rows = verify_prior(options());
    print_max("prior", rows);
    EXPECT_PARITY(rows);
    auto c = test::load_kandinsky_case("prior");
    EXPECT_EQ(rows.size(), count_keys(c, {".predicted_image_embedding", ".output", "clip_mean", "clip_std"}));
}

// ---- decoder UNets -----------------------------------------------------------------------------

TEST_CASE("decoder UNets (4 and 9 input channels): out, time_emb, aug_emb and context of every call match") {
    auto rows = verify_kandinsky_unet(options());
    print_max("unet", rows);
    EXPECT_PARITY(rows);
    size_t want = 0;
    for (const char* name : {"unet", "unet_inpaint"})
        want += count_keys(test::load_kandinsky_case(name), {".out", ".time_emb", ".aug_emb", ".context"});
    EXPECT_EQ(rows.size(), want);
}

TEST_CASE("a perturbed image-conditioning weight makes UNet parity fail") {
    const io::StateDict sd = decoder_folder().weights("unet");
    auto c = test::load_kandinsky_case("unet");
    const auto cfg = UNet2DConditionConfig::from_json(decoder_folder().config("unet"), "unet");
    auto build = [&](const io::StateDict& w) {
        UNet2DConditionModel m(cfg);
        load_weights_strict(*m, w, "unet", {});
        return m;
    };
    UNet2DConditionModel good = build(sd);
    EXPECT(all_pass(check_kandinsky_unet_calls(good, c, options())));
    for (const std::string name : {"encoder_hid_proj.image_embeds.weight", "encoder_hid_proj.norm.bias",
                                   "add_embedding.image_proj.bias", "add_embedding.image_norm.weight"}) {
        io::StateDict bad;
        for (const auto& [k, v] : sd) bad[k] = v.clone();
        REQUIRE(bad.count(name));
        // One element: a uniform shift would vanish in the LayerNorm that follows these layers.
        bad[name].view({-1})[0] += 0.5;
        UNet2DConditionModel m = build(bad);
        bool out_fails = false;
        for (const auto& r : check_kandinsky_unet_calls(m, c, options()))
            out_fails = out_fails || (ends_with(r.check, "/out") && !r.pass);
        EXPECT_MSG(out_fails, name);
    }
}

TEST_CASE("the Kandinsky UNet refuses missing or mis-shaped image_embeds and a text context, with a message") {
    UNet2DConditionModel unet = decoder_unet();
    auto c = test::load_kandinsky_case("unet");
    const torch::Tensor x = c.at("call0.sample"), t = c.at("call0.timestep"), ie = c.at("call0.image_embeds");
    const int64_t e = unet->config().encoder_hid_dim;
    EXPECT_EQ(e, ie.size(1));
    torch::NoGradGuard no_grad;
    EXPECT_THROWS(RequestError, unet->forward(x, t, {}), "image_embeds");
    EXPECT_THROWS(RequestError, unet->forward(x, t, {}, {}, {}, torch::zeros({x.size(0), e + 1})),
                  "encoder_hid_dim");
    EXPECT_THROWS(RequestError, unet->forward(x, t, {}, {}, {}, torch::zeros({x.size(0) + 1, e})), "batch");
    const int64_t context_width = unet->config().cross_attention_dim.at(0);  // a text context of that width
    EXPECT_THROWS(RequestError, unet->forward(x, t, torch::zeros({x.size(0), 77, context_width}), {}, {}, ie),
                  "encoder_hidden_states must not be given");
    // A Karlo-style UNet takes no image_embeds.
    UNet2DConditionModel karlo =
        load_model_as<UNet2DConditionModel>(io::ModelFolder(test::golden_path("models/unclip-text2img")), "decoder");
    EXPECT(!karlo->config().takes_image_embeds());
    auto kc = test::load_case("decoder_unet");
    EXPECT_THROWS(RequestError,
                  karlo->forward(kc.at("call0.sample"), kc.at("call0.timestep"), kc.at("call0.encoder_hidden_states"),
                                 kc.has("call0.class_labels") ? kc.at("call0.class_labels") : torch::Tensor(), {},
                                 torch::zeros({kc.at("call0.sample").size(0),
                                               test::golden_config("unclip-text2img", "text_proj")
                                                   .at("clip_embeddings_dim").get<int64_t>()})),
                  "takes none");
}

TEST_CASE("UNet config: other encoder_hid_dim_type / addition_embed_type values are ModelErrors naming the key") {
    const json base = decoder_folder().config("unet");
    auto with = [&](const std::string& key, const json& value) {
        json j = base;
        j[key] = value;
        return j;
    };
    for (const char* type : {"text_proj", "text_image_proj", "ip_image_proj"})
        EXPECT_THROWS(ModelError, UNet2DConditionConfig::from_json(with("encoder_hid_dim_type", type), "unet"),
                      "encoder_hid_dim_type");
    for (const char* type : {"text", "text_image", "text_time", "image_hint"})
        EXPECT_THROWS(ModelError, UNet2DConditionConfig::from_json(with("addition_embed_type", type), "unet"),
                      "addition_embed_type");
    // encoder_hid_dim without a type means "text_proj" in diffusers; a type without the width cannot be built.
    EXPECT_THROWS(ModelError, UNet2DConditionConfig::from_json(with("encoder_hid_dim_type", nullptr), "unet"),
                  "encoder_hid_dim");
    json no_width = with("encoder_hid_dim", nullptr);
    EXPECT_THROWS(ModelError, UNet2DConditionConfig::from_json(no_width, "unet"), "encoder_hid_dim_type");
    no_width["encoder_hid_dim_type"] = nullptr;
    EXPECT_THROWS(ModelError, UNet2DConditionConfig::from_json(no_width, "unet"), "addition_embed_type");
    // The inpaint UNet's 9 input channels load.
    const auto inpaint = UNet2DConditionConfig::from_json(
        io::ModelFolder(test::kandinsky_golden_path("models/kandinsky-2-2-decoder-inpaint")).config("unet"), "unet");
    EXPECT_EQ(inpaint.in_channels, int64_t(9));
    EXPECT(inpaint.encoder_hid_image_proj && inpaint.addition_embed_image);
}

// ---- PIL image / mask preparation --------------------------------------------------------------

TEST_CASE("image_prep: every resize, prepare_image and mask step is exact") {
    auto rows = verify_image_prep(options());
    print_max("image_prep", rows);
    EXPECT_PARITY(rows);
    auto c = test::load_kandinsky_case("image_prep");
    auto movq = test::load_kandinsky_case("movq");
    const size_t masks = count_keys(c, {".keep_full"});
    EXPECT_EQ(rows.size(), c.meta["images"].size() + count_keys(movq, {".image"}) + masks * 3 +
                               count_keys(c, {".resized_u8"}));
    for (const auto& r : rows) EXPECT_MSG(r.max_abs_error == 0.0, r.check);
}

TEST_CASE("image_prep: reducing_gap and resizing before convert('RGB') matter exactly as the case measured") {
    auto c = test::load_kandinsky_case("image_prep");
    for (const auto& [key, info] : c.meta["images"].items()) {
        const std::string name = key.substr(0, key.find('.'));
        const torch::Tensor& want = c.at(key + ".u8");
        const int64_t h = want.size(0), w = want.size(1);
        const torch::Tensor img = case_png(name, info["mode"].get<std::string>());
        // Without the reduce step (reducing_gap None), then convert("RGB").
        torch::Tensor plain = pil::resize(img, w, h, pil::Filter::Bicubic);
        plain = plain.size(2) == 1 ? plain.expand({-1, -1, 3}) : plain.narrow(2, 0, 3);
        EXPECT_MSG(verify::compare(plain, want, 0.0).max_abs == info["max_abs_vs_resize_without_reducing_gap"].get<double>(),
                   key << " without reducing_gap");
        // convert("RGB") first (alpha dropped, not premultiplied), then the same resize.
        const torch::Tensor rgb_first =
            pil::resize(img.size(2) == 1 ? img.expand({-1, -1, 3}).contiguous() : img.narrow(2, 0, 3).contiguous(), w,
                        h, pil::Filter::Bicubic, 1.0);
        EXPECT_MSG(verify::compare(rgb_first, want, 0.0).max_abs == info["max_abs_vs_convert_rgb_before_resize"].get<double>(),
                   key << " convert first");
    }
}

TEST_CASE("image_prep: bad inputs are RequestErrors") {
    namespace kp = pipeline::kandinsky;
    const torch::Tensor img = torch::zeros({8, 8, 3}, torch::kUInt8);
    EXPECT_THROWS(RequestError, kp::prepare_image(img, 0, 8), "size");
    EXPECT_THROWS(RequestError, kp::prepare_image(torch::zeros({8, 8, 2}, torch::kUInt8), 8, 8), "channels");
    EXPECT_THROWS(RequestError, kp::prepare_image(torch::zeros({8, 8, 3}), 8, 8), "uint8");
    EXPECT_THROWS(RequestError, kp::keep_mask(torch::zeros({1, 8, 8})), "mask");
    EXPECT_THROWS(RequestError, kp::erode_keep_mask(torch::ones({8, 8})), "mask");
    EXPECT_THROWS(RequestError, kp::resize_mask_lanczos(torch::zeros({8, 8}), 4, 4), "uint8");
    // Same size is a copy; the output is [1, 3, H, W] in [-1, 1].
    const torch::Tensor x = kp::prepare_image(torch::full({5, 7, 1}, 255, torch::kUInt8), 7, 5);
    EXPECT(x.sizes() == torch::IntArrayRef({1, 3, 5, 7}));
    EXPECT(torch::all(x == 1.0f).item<bool>());
}

UNCLIP_TEST_MAIN()
