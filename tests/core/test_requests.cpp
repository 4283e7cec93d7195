// SPDX-License-Identifier: GPL-3.0-or-later
// The request vocabulary as JSON (core/pipeline/requests.h): every request type survives writing and
// reading exactly (pictures included), refusals name the field, and recipes written by today's
// pipeline and by older versions read back as the request that made them.
#include "core/common/error.h"
#include "core/io/base64.h"
#include "core/io/png_io.h"
#include "core/pipeline/requests.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

using namespace unclip;
using namespace unclip::pipeline;
using nlohmann::json;

namespace {

torch::Tensor image(const char* name) { return io::read_png(test::golden_path(std::string("cases/") + name + ".png")); }

Sampling odd_sampling() {
    Sampling s;
    s.seed = 18446744073709551557ull;  // beyond double precision: must survive as an integer
    s.prior_steps = 3;
    s.decoder_steps = 5;
    s.super_res_steps = 2;
    s.prior_guidance = 2.5f;
    s.decoder_guidance = 1.25f;
    return s;
}

bool same_sampling(const Sampling& a, const Sampling& b) {
    return a.seed == b.seed && a.prior_steps == b.prior_steps && a.decoder_steps == b.decoder_steps &&
           a.super_res_steps == b.super_res_steps && a.prior_guidance == b.prior_guidance &&
           a.decoder_guidance == b.decoder_guidance && a.width == b.width && a.height == b.height;
}

template <typename T>
T round_trip(const T& r) {
    const std::string text = to_json(AnyRequest(r)).dump();
    AnyRequest back = parse_request(text);
    REQUIRE(std::holds_alternative<T>(back));
    // Writing again gives the same JSON: nothing is lost or added.
    EXPECT_EQ(to_json(back).dump(), text);
    return std::get<T>(back);
}

std::string bad(const json& j) {
    try {
        (void)request_from_json(j);
    } catch (const RequestError& e) {
        return e.what();
    }
    return "(accepted)";
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("mode names parse back, and every kind has a name") {
    for (Mode m : all_modes()) {
        auto back = parse_mode(mode_name(m));
        REQUIRE(back.has_value());
        EXPECT(*back == m);
    }
    EXPECT(!parse_mode("paint").has_value());
    EXPECT_EQ(request_kinds().size(), all_modes().size() + 3);  // + upscale, score, mix
}

TEST_CASE("base64 round trip and refusals name the field") {
    for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
        EXPECT_EQ(io::base64_decode(io::base64_encode(s), "x"), s);
    EXPECT_THROWS(RequestError, io::base64_decode("ab$d", "field 'image'"), "field 'image' is not valid base64");
    EXPECT_THROWS(RequestError, io::base64_decode("abc", "field 'image'"), "truncated");
}

TEST_CASE("PNG in memory equals PNG on disk") {
    const torch::Tensor a = image("img_a");
    std::map<std::string, std::string> text;
    const torch::Tensor back = io::decode_png(io::encode_png(a, {{"k", "v"}}), "x", &text);
    EXPECT(torch::equal(a, back));
    EXPECT_EQ(text["k"], std::string("v"));
    EXPECT_THROWS(Error, io::decode_png("not a png", "field 'image'"), "field 'image' is not a PNG file");
}

TEST_CASE("every request type round-trips exactly, pictures included") {
    TextToImageRequest t;
    t.prompts = {"a red fox", "ünïcode ✓"};
    t.negative_prompt = "blurry";
    t.images_per_prompt = 2;
    t.best_of = 3;
    t.stop_after_decoder = true;
    t.sampling = odd_sampling();
    const auto t2 = round_trip(t);
    EXPECT(t2.prompts == t.prompts && t2.negative_prompt == t.negative_prompt && t2.images_per_prompt == 2 &&
           t2.best_of == 3 && t2.stop_after_decoder && same_sampling(t2.sampling, t.sampling));

    UpscaleRequest u;
    u.request = t;
    u.decoder_output = torch::randn({4, 3, 5, 5});
    u.candidate = 3;
    const auto u2 = round_trip(u);
    EXPECT(torch::equal(u2.decoder_output, u.decoder_output));
    EXPECT_EQ(u2.candidate, 3);

    VariationRequest v;
    v.image = image("img_a");
    v.num_images = 3;
    v.structure_strength = 0.375f;
    v.sampling = odd_sampling();
    const auto v2 = round_trip(v);
    EXPECT(torch::equal(v2.image, v.image));
    EXPECT(v2.num_images == 3 && v2.structure_strength == 0.375f);

    InterpolationRequest in;
    in.a.image = image("img_b");
    in.b.text = "a cat";
    in.positions = {0.0f, 0.25f, 1.0f};
    in.smooth = false;
    const auto in2 = round_trip(in);
    EXPECT(torch::equal(in2.a.image, in.a.image) && in2.a.text.empty() && !in2.b.image.defined() && in2.b.text == "a cat");
    EXPECT(in2.positions == in.positions && !in2.smooth);

    TextDiffRequest d;
    d.image = image("img_c");
    d.description = "a house";
    d.target = "a castle";
    d.theta = 0.75f;
    const auto d2 = round_trip(d);
    EXPECT(torch::equal(d2.image, d.image) && d2.description == "a house" && d2.target == "a castle" && d2.theta == 0.75f);

    InpaintRequest ip;
    ip.image = image("img_a");
    // A soft mask: it travels at 8-bit precision, so values on the 1/255 grid survive exactly.
    ip.mask = (torch::arange(ip.image.size(0) * ip.image.size(1)) % 256).to(torch::kFloat32).view({ip.image.size(0), ip.image.size(1)}) / 255.0f;
    ip.prompt = "a hat";
    ip.feather = 2.5f;
    ip.resample_jumps = 2;
    ip.num_images = 2;
    ip.frame = Frame{-4, 3, 20, 24};
    ip.context = 7;
    const auto ip2 = round_trip(ip);
    EXPECT(torch::equal(ip2.image, ip.image));
    EXPECT(torch::allclose(ip2.mask, ip.mask, 0, 1e-6));
    EXPECT(ip2.frame.has_value() && *ip2.frame == *ip.frame && ip2.context == 7);
    ip.frame.reset();
    EXPECT(!round_trip(ip).frame.has_value());

    ScoreRequest sc;
    sc.images = {image("img_a"), image("img_b")};
    sc.texts = {"one", "two", "three"};
    const auto sc2 = round_trip(sc);
    REQUIRE(sc2.images.size() == 2);
    EXPECT(torch::equal(sc2.images[1], sc.images[1]) && sc2.texts == sc.texts);

    MixRequest mx;
    mx.items = {{image("img_b"), ""}, {torch::Tensor(), "a starry night"}, {image("img_c"), ""}};
    mx.weights = {0.25f, -0.5f, 1.25f};
    mx.num_images = 3;
    mx.sampling = odd_sampling();
    mx.sampling.width = 768;
    mx.sampling.height = 512;
    const auto mx2 = round_trip(mx);
    REQUIRE(mx2.items.size() == 3);
    EXPECT(torch::equal(mx2.items[0].image, mx.items[0].image) && mx2.items[1].text == "a starry night" &&
           !mx2.items[1].image.defined() && torch::equal(mx2.items[2].image, mx.items[2].image));
    EXPECT(mx2.weights == mx.weights && mx2.num_images == 3 && same_sampling(mx2.sampling, mx.sampling));
    EXPECT_EQ(mx2.sampling.width, 768);
    EXPECT_EQ(mx2.sampling.height, 512);
    // One weight per item, and every item a picture or a text.
    json bad = to_json(mx);
    bad["weights"] = {1.0};
    EXPECT_THROWS(RequestError, request_from_json(bad), "field 'weights' must hold one weight per item (3)");
    bad = to_json(mx);
    bad["items"][1] = json::object();
    EXPECT_THROWS(RequestError, request_from_json(bad), "field 'items[1]' must hold exactly one of");
}

TEST_CASE("refusals name the field") {
    const json ok = {{"mode", "text2img"}, {"prompts", {"x"}}};
    EXPECT(contains(bad(json::array()), "the request must be a JSON object"));
    EXPECT(contains(bad({{"prompts", {"x"}}}), "field 'mode' is required"));
    EXPECT(contains(bad({{"mode", 3}}), "field 'mode' must be a string"));
    EXPECT(contains(bad({{"mode", "paint"}}), "field 'mode' is 'paint'"));
    json j = ok;
    j["colour"] = 1;
    EXPECT(contains(bad(j), "unknown field 'colour'"));
    j = ok;
    j["sampling"] = {{"seed", -1}};
    EXPECT(contains(bad(j), "field 'sampling.seed' must be an unsigned integer"));
    j["sampling"] = {{"seed", 1.5}};
    EXPECT(contains(bad(j), "field 'sampling.seed' must be an unsigned integer"));
    j["sampling"] = {{"sede", 1}};
    EXPECT(contains(bad(j), "unknown field 'sampling.sede'"));
    j["sampling"] = {{"decoder_guidance", "high"}};
    EXPECT(contains(bad(j), "field 'sampling.decoder_guidance' must be a number"));
    j = ok;
    j["prompts"] = {"x", 2};
    EXPECT(contains(bad(j), "field 'prompts[1]' must be a string"));
    j = ok;
    j["images_per_prompt"] = 2.5;
    EXPECT(contains(bad(j), "field 'images_per_prompt' must be an integer"));
    j = ok;
    j["version"] = kRequestFormatVersion + 1;
    EXPECT(contains(bad(j), "field 'version' is"));
    EXPECT(contains(bad({{"mode", "variation"}}), "field 'image' is required"));
    EXPECT(contains(bad({{"mode", "variation"}, {"image", "%%%"}}), "field 'image' is not valid base64"));
    EXPECT(contains(bad({{"mode", "variation"}, {"image", io::base64_encode("GIF89a....")}}), "field 'image' is not a PNG file"));
    const std::string png = io::encode_png(image("img_a"));
    EXPECT(contains(bad({{"mode", "variation"}, {"image", io::base64_encode(png.substr(0, png.size() / 2))}}),
                    "cannot read PNG field 'image'"));
    const std::string small = io::base64_encode(io::encode_png(torch::zeros({4, 4, 3}, torch::kUInt8)));
    EXPECT(contains(bad({{"mode", "inpaint"}, {"image", io::base64_encode(png)}, {"mask", small}}), "field 'mask' is 4x4 pixels"));
    EXPECT(contains(bad({{"mode", "inpaint"}, {"image", small}, {"mask", small}, {"frame", {1, 2, 3}}}), "field 'frame' must be"));
    EXPECT(contains(bad({{"mode", "interpolate"}, {"a", {{"text", "x"}, {"image", small}}}, {"b", {{"text", "y"}}}}),
                    "field 'a' must hold exactly one"));
    EXPECT(contains(bad({{"mode", "interpolate"}, {"a", {{"txt", "x"}}}, {"b", {{"text", "y"}}}}), "unknown field 'a.txt'"));
    EXPECT(contains(bad({{"mode", "upscale"}, {"prompts", {"x"}}}), "field 'decoder_output' is required"));
    EXPECT(contains(bad({{"mode", "score"}, {"images", {1}}, {"texts", {"x"}}}), "field 'images[0]' must be a base64 PNG"));
    ParseOptions tiny;
    tiny.max_pixels = 15;
    EXPECT_THROWS(RequestError, request_from_json({{"mode", "variation"}, {"image", small}}, tiny), "field 'image' is 4x4 pixels, over the limit");
    EXPECT_THROWS(RequestError, parse_request("{\"mode\": \"text2img\", "), "malformed JSON");
    EXPECT_THROWS(RequestError, parse_request(std::string(100, '[') + std::string(100, ']')), "nested deeper");
}

TEST_CASE("recipes: what the pipeline writes reads back as the request that made it") {
    PipelineOptions po;
    po.model_dir = test::golden_path("models/unclip-text2img");
    po.image_encoder_dir = test::golden_path("models/unclip-variations");
    auto pl = UnclipPipeline::load(po);
    TextToImageRequest t;
    t.prompts = {"a red fox"};
    t.negative_prompt = "blurry";
    t.images_per_prompt = 2;
    t.stop_after_decoder = true;
    t.sampling = odd_sampling();
    t.sampling.seed = 77;
    const Result r = pl->text_to_image(t);
    // The recipe carries where it ran ("model", "stage"): a request reader takes it as it is.
    const AnyRequest back = request_from_json(r.recipe);
    REQUIRE(std::holds_alternative<TextToImageRequest>(back));
    const auto& t2 = std::get<TextToImageRequest>(back);
    EXPECT(t2.prompts == t.prompts && t2.negative_prompt == t.negative_prompt && t2.images_per_prompt == 2);
    EXPECT(same_sampling(t2.sampling, t.sampling));
    // ...and re-running it gives the same pixels.
    EXPECT(torch::equal(pl->text_to_image(t2).images, r.images));

    TextDiffRequest d;
    d.image = image("img_a");
    d.description = "a";
    d.target = "b";
    d.theta = 0.25f;
    d.sampling = odd_sampling();
    json recipe = pl->text_diff(d).recipe;
    ParseOptions as_recipe;
    as_recipe.mode = ParseMode::Recipe;
    const auto d2 = std::get<TextDiffRequest>(request_from_json(recipe, as_recipe));
    EXPECT(d2.description == "a" && d2.target == "b" && d2.theta == 0.25f && same_sampling(d2.sampling, d.sampling));
    EXPECT(!d2.image.defined());  // recipes hold no pictures: the picture is the file
}

TEST_CASE("recipes: older keys (top-level sampling, seeds as doubles, a_text, prompt) and both PNG keys") {
    ParseOptions as_recipe;
    as_recipe.mode = ParseMode::Recipe;
    const json old = {{"mode", "text2img"}, {"prompt", "a fox"}, {"seed", 12345.0}, {"decoder_steps", 9}, {"editor_only", true}};
    const auto t = std::get<TextToImageRequest>(request_from_json(old, as_recipe));
    EXPECT(t.prompts == std::vector<std::string>{"a fox"});
    EXPECT_EQ(t.sampling.seed, 12345u);
    EXPECT_EQ(t.sampling.decoder_steps, 9);
    // The same file is refused as a request (unknown field), naming it.
    EXPECT(contains(bad(old), "unknown field"));
    const json interp = {{"mode", "interpolate"}, {"a_text", "day"}, {"b_text", "night"}, {"positions", {0.5}}};
    const auto i = std::get<InterpolationRequest>(request_from_json(interp, as_recipe));
    EXPECT(i.a.text == "day" && i.b.text == "night");

    const json recipe = {{"mode", "variation"}, {"num_images", 2}};
    EXPECT_EQ(recipe_from_png_text({{kRecipeKey, recipe.dump()}})->dump(), recipe.dump());
    EXPECT_EQ(recipe_from_png_text({{"unclip-recipes", json::array({recipe}).dump()}})->dump(), recipe.dump());
    EXPECT(!recipe_from_png_text({{"Software", "x"}}).has_value());
    EXPECT(!recipe_from_png_text({{kRecipeKey, "{not json"}}).has_value());
}

UNCLIP_TEST_MAIN()
