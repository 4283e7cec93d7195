// SPDX-License-Identifier: GPL-3.0-or-later
// The A1111-compatible "parameters" text (core/io/parameters_text) and how core/io/png_io writes
// it: a recipe from a real run on the golden tiny model is written and read back the way
// AUTOMATIC1111's reader does (tests/support/a1111_parameters.h); the chunk is one, uncompressed,
// tEXt when Latin-1 fits and iTXt otherwise; UTF-8 prompts come back unchanged. Recipes name the
// model by folder name and weights hash, never by path.
#include "core/io/model_folder.h"
#include "core/io/model_identity.h"
#include "core/io/parameters_text.h"
#include "core/io/png_io.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/a1111_parameters.h"
#include "tests/support/golden.h"
#include "tests/support/test_harness.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace unclip;
using namespace unclip::pipeline;
namespace fs = std::filesystem;

namespace {

// A folder of this process's own, removed at exit.
fs::path scratch() {
    struct Dir {
        fs::path path = fs::temp_directory_path() / ("unclip-test-png-params-" + std::to_string(::getpid()));
        Dir() { fs::create_directories(path); }
        ~Dir() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    };
    static const Dir dir;
    return dir.path;
}

const nlohmann::json& golden_call() {
    static const nlohmann::json call = io::read_json_file(test::golden_path("cases/pipeline_text2img.json")).at("call");
    return call;
}

UnclipPipeline& golden_pipeline() {
    static std::unique_ptr<UnclipPipeline> p = [] {
        PipelineOptions po;
        po.model_dir = test::golden_path("models/unclip-text2img") + "/";  // a trailing slash changes nothing
        return UnclipPipeline::load(po);
    }();
    return *p;
}

// A text-to-image run on the golden model with the golden case's steps, for `prompt`.
Result run(const std::string& prompt, const std::string& negative = "") {
    const auto& c = golden_call();
    TextToImageRequest r;
    r.prompts = {prompt};
    r.negative_prompt = negative;
    r.sampling.seed = c.at("seed").get<uint64_t>() + 7;
    r.sampling.prior_steps = c.at("prior_num_inference_steps");
    r.sampling.decoder_steps = c.at("decoder_num_inference_steps");
    r.sampling.super_res_steps = c.at("super_res_num_inference_steps");
    r.sampling.prior_guidance = c.at("prior_guidance_scale");
    r.sampling.decoder_guidance = c.at("decoder_guidance_scale");
    return golden_pipeline().text_to_image(r);
}

// Writes result image 0 as the CLI does and returns the file's path.
std::string write(const Result& res, const std::string& name) {
    const torch::Tensor img = res.images[0];
    std::map<std::string, std::string> text = {
        {"unclip-recipe", res.recipe.dump()},
        {io::kParametersKey, io::parameters_text(res.recipe, int(img.size(2)), int(img.size(1)))}};
    const std::string path = (scratch() / name).string();
    io::write_png(path, img, text);
    return path;
}

std::vector<test::PngTextChunk> chunks_named(const std::string& path, const std::string& key) {
    std::vector<test::PngTextChunk> out;
    for (auto& c : test::png_text_chunks(path))
        if (c.keyword == key) out.push_back(c);
    return out;
}

}  // namespace

TEST_CASE("recipes name the model by folder name and weights hash, never by path") {
    const Result res = run(golden_call().at("prompt")[0].get<std::string>());
    EXPECT_EQ(res.recipe.at("model").get<std::string>(), std::string("unclip-text2img"));
    const std::string hash = res.recipe.at("model_hash").get<std::string>();
    EXPECT_EQ(hash.size(), size_t(10));
    EXPECT(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
    EXPECT_EQ(golden_pipeline().model_identity().hash, hash);
    const std::string dumped = res.recipe.dump();
    EXPECT_MSG(dumped.find(test::golden_dir()) == std::string::npos, dumped);
    EXPECT_MSG(dumped.find('/') == std::string::npos, dumped);
}

TEST_CASE("the weights hash follows the weights, not the folder's place") {
    const fs::path src = test::golden_path("models/unclip-text2img");
    const fs::path copy = scratch() / "elsewhere" / "unclip-text2img";
    fs::create_directories(copy.parent_path());
    fs::copy(src, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const io::ModelIdentity a = io::model_identity(src.string()), b = io::model_identity(copy.string());
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.hash, b.hash);
    // One changed weight byte (in the middle of the decoder's file) changes the hash; a config does not count.
    const fs::path weights = copy / "decoder" / "diffusion_pytorch_model.safetensors";
    {
        std::fstream f(weights, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(fs::file_size(weights) / 2));
        char c = 0;
        f.read(&c, 1);
        f.seekp(static_cast<std::streamoff>(fs::file_size(weights) / 2));
        c = static_cast<char>(c ^ 0x01);
        f.write(&c, 1);
    }
    EXPECT(io::model_identity(copy.string()).hash != a.hash);
    EXPECT(io::model_identity(test::golden_path("models/unclip-variations")).hash != a.hash);
}

TEST_CASE("parameters: one uncompressed chunk that A1111's reader parses") {
    const auto& call = golden_call();
    const std::string prompt = call.at("prompt")[0].get<std::string>();
    const Result res = run(prompt, "blurry, low quality");
    const std::string path = write(res, "ascii.png");
    const auto chunks = chunks_named(path, io::kParametersKey);
    REQUIRE(chunks.size() == 1);
    EXPECT_EQ(chunks[0].type, std::string("tEXt"));
    const test::A1111Parameters p = test::parse_a1111(chunks[0].raw);
    EXPECT_EQ(p.prompt, prompt);
    EXPECT_EQ(p.negative_prompt, std::string("blurry, low quality"));
    const int size = golden_pipeline().image_size();
    EXPECT_EQ(p.fields.at("Steps"), std::to_string(call.at("decoder_num_inference_steps").get<int>()));
    EXPECT_EQ(std::stod(p.fields.at("CFG scale")), call.at("decoder_guidance_scale").get<double>());
    EXPECT_EQ(p.fields.at("Seed"), std::to_string(call.at("seed").get<uint64_t>() + 7));
    EXPECT_EQ(p.fields.at("Size"), std::to_string(size) + "x" + std::to_string(size));
    EXPECT_EQ(p.fields.at("Sampler"), std::string("unCLIP"));
    EXPECT_EQ(p.fields.at("Model"), std::string("unclip-text2img"));
    EXPECT_EQ(p.fields.at("Model hash"), res.recipe.at("model_hash").get<std::string>());
    EXPECT_EQ(p.fields.at("Prior steps"), std::to_string(call.at("prior_num_inference_steps").get<int>()));
    EXPECT_EQ(std::stod(p.fields.at("Prior CFG scale")), call.at("prior_guidance_scale").get<double>());
    EXPECT_EQ(p.fields.at("Super-res steps"), std::to_string(call.at("super_res_num_inference_steps").get<int>()));
    EXPECT_EQ(p.fields.at("Mode"), std::string("text2img"));
    // The settings line is the last line, as A1111 writes it.
    EXPECT(chunks[0].raw.rfind("\nSteps: ", std::string::npos) != std::string::npos);
}

TEST_CASE("parameters: UTF-8 prompts round-trip through iTXt, Latin-1 ones stay tEXt") {
    const std::string emoji = "ein Boot auf dem Meer \xF0\x9F\x9A\xA4, \xE2\x80\x9Egro\xC3\x9F\xE2\x80\x9C";  // 🚤 „groß“
    const Result a = run(emoji);
    const std::string pa = write(a, "utf8.png");
    auto ca = chunks_named(pa, io::kParametersKey);
    REQUIRE(ca.size() == 1);
    EXPECT_EQ(ca[0].type, std::string("iTXt"));
    EXPECT(!ca[0].compressed);
    EXPECT_EQ(test::parse_a1111(ca[0].raw).prompt, emoji);
    std::map<std::string, std::string> text;
    io::read_png(pa, &text);
    EXPECT_EQ(test::parse_a1111(text.at(io::kParametersKey)).prompt, emoji);
    EXPECT_EQ(nlohmann::json::parse(text.at("unclip-recipe")).at("prompts")[0].get<std::string>(), emoji);

    const std::string latin = "\xC3\xBC" "ber den Fl\xC3\xBCssen, caf\xC3\xA9";  // "über den Flüssen, café"
    const Result b = run(latin);
    const std::string pb = write(b, "latin1.png");
    auto cb = chunks_named(pb, io::kParametersKey);
    REQUIRE(cb.size() == 1);
    EXPECT_EQ(cb[0].type, std::string("tEXt"));
    EXPECT_EQ(cb[0].raw.substr(0, 3), std::string("\xFC" "be"));  // Latin-1 bytes, as the PNG spec says
    text.clear();
    io::read_png(pb, &text);
    EXPECT_EQ(test::parse_a1111(text.at(io::kParametersKey)).prompt, latin);
}

TEST_CASE("parameters: long text stays uncompressed, values with commas are quoted") {
    nlohmann::json recipe = {{"mode", "interpolate"},
                             {"a_text", "a cat, sitting: on a mat"},
                             {"b_text", "a dog"},
                             {"sampling", {{"seed", 3}, {"decoder_steps", 4}, {"decoder_guidance", 2.5}}},
                             {"model", "unclip-text2img"},
                             {"model_hash", "0123456789"}};
    const std::string t = io::parameters_text(recipe, 32, 16);
    const test::A1111Parameters p = test::parse_a1111(t);
    EXPECT_EQ(p.prompt, std::string());
    EXPECT_EQ(p.fields.at("Interpolation A"), std::string("a cat, sitting: on a mat"));
    EXPECT_EQ(p.fields.at("Interpolation B"), std::string("a dog"));
    EXPECT_EQ(p.fields.at("Size"), std::string("32x16"));
    EXPECT_EQ(p.fields.at("CFG scale"), std::string("2.5"));

    Result res = run(std::string(900, 'x').replace(0, 20, "a very long prompt: "));
    const std::string path = write(res, "long.png");
    auto c = chunks_named(path, io::kParametersKey);
    REQUIRE(c.size() == 1);
    EXPECT_EQ(c[0].type, std::string("tEXt"));
    EXPECT(c[0].raw.size() > 900);
    // The recipe JSON beside it may be compressed (it is for us, not for image browsers).
    EXPECT_EQ(chunks_named(path, "unclip-recipe").size(), size_t(1));
}

UNCLIP_TEST_MAIN()
