// SPDX-License-Identifier: GPL-3.0-or-later
// `unclip` on the three Kandinsky 2.2 golden folders: generate reproduces the reference's combined
// text-to-image pipeline from its seed, every other subcommand runs with the folders given by
// role, sizes follow --width/--height as the reference rounds them, recipes name the family, and
// what is Karlo's alone (--candidates, fixed sizes) is refused with a message.
#include "core/io/model_folder.h"
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/golden.h"
#include "tests/support/test_harness.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <iostream>
#include <map>

using namespace unclip::test;
using nlohmann::json;

namespace {

std::string kfile(const std::string& relative) { return kandinsky_golden_path(relative); }
json case_json(const std::string& name) { return unclip::io::read_json_file(kfile("cases/" + name + ".json")); }

// The three folders by role, plus the test's threads.
std::vector<std::string> with_models(std::vector<std::string> args) {
    args.insert(args.end(), {"--model", kfile("models/kandinsky-2-2-prior"), "--decoder", kfile("models/kandinsky-2-2-decoder"),
                             "--inpaint-decoder", kfile("models/kandinsky-2-2-decoder-inpaint"), "--threads",
                             cli_env().threads});
    return args;
}

json recipe_of(const std::string& png) {
    std::map<std::string, std::string> text;
    unclip::io::read_png(png, &text);
    return json::parse(text.at("unclip-recipe"));
}

}  // namespace

TEST_CASE("generate reproduces the reference's combined Kandinsky 2.2 pipeline") {
    const json c = case_json("pipeline_combined");
    const json call = c.at("call");
    CliRun r = run_unclip(with_models(
        {"generate", "--prompt", call.at("prompt").get<std::string>(), "--seed", call.at("seed").dump(), "--prior-steps",
         call.at("prior_num_inference_steps").dump(), "--prior-guidance", call.at("prior_guidance_scale").dump(),
         "--decoder-steps", call.at("num_inference_steps").dump(), "--decoder-guidance", call.at("guidance_scale").dump(),
         "--width", call.at("width").dump(), "--height", call.at("height").dump(), "--save-tensors",
         work_path("k-gen.safetensors"), "-o", work_path("k-gen.png")}));
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(r.exit_code == 0);
    torch::Tensor got = unclip::io::SafetensorsFile::open(work_path("k-gen.safetensors"))->tensor("images").permute({0, 2, 3, 1});
    torch::Tensor want = unclip::io::SafetensorsFile::open(kfile("cases/pipeline_combined.safetensors"))->tensor("output.image");
    REQUIRE(got.sizes() == want.sizes());
    const double max_abs = (got - want).abs().max().item<double>(), mean_abs = (got - want).abs().mean().item<double>();
    std::cerr << "  pipeline_combined: max abs " << max_abs << ", mean abs " << mean_abs << "\n";
    EXPECT(max_abs <= c.at("tolerance").at("final_image_atol").get<double>());
    EXPECT(mean_abs <= c.at("tolerance").at("final_image_mean_abs").get<double>());
    const json recipe = recipe_of(work_path("k-gen.png"));
    EXPECT_EQ(recipe.at("family").get<std::string>(), "kandinsky-2.2");
    EXPECT_EQ(recipe.at("sampling").at("width").get<int>(), call.at("width").get<int>());
}

TEST_CASE("vary, interpolate, textdiff and inpaint run on the Kandinsky folders") {
    const std::string img = kfile("cases/img_c.png");
    const torch::Tensor input = unclip::io::read_png(img);
    CliRun v = run_unclip(with_models({"vary", "--image", img, "--structure", "0.5", "--decoder-steps", "4", "--seed", "1",
                                       "-o", work_path("k-vary.png")}));
    EXPECT_MSG(v.exit_code == 0, v.err);
    CliRun i = run_unclip(with_models({"interpolate", "--a", kfile("cases/img_a.png"), "--b-text", "a green sphere",
                                       "--frames", "3", "--decoder-steps", "3", "--prior-steps", "2", "--seed", "2", "-o",
                                       work_path("k-interp-{i}.png")}));
    EXPECT_MSG(i.exit_code == 0, i.err);
    EXPECT(file_exists(work_path("k-interp-2.png")));
    CliRun t = run_unclip(with_models({"textdiff", "--image", img, "--description", "a photo", "--target", "a painting",
                                       "--decoder-steps", "3", "--seed", "3", "-o", work_path("k-diff.png")}));
    EXPECT_MSG(t.exit_code == 0, t.err);
    // A mask over part of the picture: the result keeps the picture's size and its unmasked pixels.
    torch::Tensor mask = torch::zeros({input.size(0), input.size(1), 3}, torch::kUInt8);
    {  // rows 20..60, columns 30..80 of the 101 x 150 picture, scaled with its size
        const int64_t h = input.size(0), w = input.size(1);
        mask.slice(0, h / 5, 3 * h / 5).slice(1, w / 5, 8 * w / 15).fill_(255);
    }
    unclip::io::write_png(work_path("k-mask.png"), mask);
    CliRun p = run_unclip(with_models({"inpaint", "--image", img, "--mask", work_path("k-mask.png"), "--decoder-steps", "3",
                                       "--seed", "4", "-o", work_path("k-inpaint.png")}));
    EXPECT_MSG(p.exit_code == 0, p.err);
    REQUIRE(p.exit_code == 0);
    torch::Tensor out = unclip::io::read_png(work_path("k-inpaint.png"));
    REQUIRE(out.sizes() == input.sizes());
    torch::Tensor keep = (mask.select(2, 0) == 0).unsqueeze(2).expand_as(input);
    EXPECT(torch::equal(out.masked_select(keep), input.masked_select(keep)));
    EXPECT_EQ(recipe_of(work_path("k-inpaint.png")).at("family").get<std::string>(), "kandinsky-2.2");
}

TEST_CASE("sizes round up as the reference rounds, and Karlo-only options are refused") {
    // The tiny MoVQ's factor f from its config: sizes round up to multiples of f^2.
    const json movq = unclip::io::read_json_file(kfile("models/kandinsky-2-2-decoder/movq/config.json"));
    const int f = 1 << (movq.at("block_out_channels").size() - 1);
    CliRun r = run_unclip(with_models({"generate", "--prompt", "x", "--width", std::to_string(2 * f * f + 1), "--height",
                                       std::to_string(f * f), "--decoder-steps", "2", "--prior-steps", "2", "--seed", "5",
                                       "-o", work_path("k-size.png")}));
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(r.exit_code == 0);
    torch::Tensor out = unclip::io::read_png(work_path("k-size.png"));
    EXPECT_EQ(out.size(1), 3 * f * f);
    EXPECT_EQ(out.size(0), f * f);

    CliRun c = run_unclip(with_models({"generate", "--prompt", "x", "--candidates"}));
    EXPECT(c.exit_code != 0);
    EXPECT(c.err.find("one pass") != std::string::npos);
    CliRun k = run_unclip({"generate", "--model", golden_file("models/unclip-text2img"), "--prompt", "x", "--width", "512"});
    EXPECT(k.exit_code != 0);
    EXPECT(k.err.find("Karlo draws at its fixed size") != std::string::npos);
    CliRun mixed = run_unclip({"generate", "--model", golden_file("models/unclip-text2img"), "--decoder",
                               kfile("models/kandinsky-2-2-decoder"), "--prompt", "x"});
    EXPECT(mixed.exit_code != 0);
    EXPECT(mixed.err.find("different model families") != std::string::npos);
}

TEST_CASE("mix reproduces the reference's interpolate() embedding of pictures and a text") {
    const json c = case_json("pipeline_interpolate");
    const json call = c.at("call");
    // The CLI takes the pictures first, then the texts: reorder the items and their weights alike
    // (only texts draw random numbers, so their order among pictures does not change the draws).
    std::vector<std::string> args = {"mix", "--seed", call.at("seed").dump(), "--prior-steps",
                                     call.at("num_inference_steps").dump(), "--prior-guidance",
                                     call.at("guidance_scale").dump(), "--decoder-steps", "2"};
    std::string image_weights, text_weights;
    const auto items = call.at("images_and_prompts").get<std::vector<std::string>>();
    const auto weights = call.at("weights").get<std::vector<double>>();
    for (size_t i = 0; i < items.size(); ++i) {
        const bool picture = file_exists(kfile("cases/" + items[i] + ".png"));
        args.insert(args.end(), {picture ? "--image" : "--text", picture ? kfile("cases/" + items[i] + ".png") : items[i]});
        std::string& w = picture ? image_weights : text_weights;
        w += (w.empty() ? "" : ",") + json(weights[i]).dump();
    }
    args.insert(args.end(), {"--weights", image_weights + (text_weights.empty() ? "" : "," + text_weights), "--save-tensors",
                             work_path("k-mix.safetensors"), "-o", work_path("k-mix.png")});
    CliRun r = run_unclip(with_models(args));
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(r.exit_code == 0);
    torch::Tensor got = unclip::io::SafetensorsFile::open(work_path("k-mix.safetensors"))->tensor("image_embeddings");
    torch::Tensor want = unclip::io::SafetensorsFile::open(kfile("cases/pipeline_interpolate.safetensors"))->tensor("output.image_embeds");
    REQUIRE(got.sizes() == want.sizes());
    const double max_abs = (got - want).abs().max().item<double>();
    std::cerr << "  pipeline_interpolate embeds through unclip mix: max abs " << max_abs << "\n";
    EXPECT(max_abs <= c.at("tolerance").at("final_image_atol").get<double>());
    EXPECT_EQ(recipe_of(work_path("k-mix.png")).at("mode").get<std::string>(), "mix");
}

TEST_CASE("verify recognises the Kandinsky golden set") {
    CliRun r = run_unclip({"verify", "--golden", kandinsky_golden_dir(), "--only", "movq"});
    EXPECT_MSG(r.exit_code == 0, r.out << r.err);
    EXPECT(r.out.find("movq/") != std::string::npos);
    EXPECT(r.out.find(" 0 failed") != std::string::npos);
}

UNCLIP_CLI_TEST_MAIN()
