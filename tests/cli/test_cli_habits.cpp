// SPDX-License-Identifier: GPL-3.0-or-later
// The habits other diffusion tools taught users (issue 18): -p/-n/-s/-m/-o/-h, a positional prompt,
// --seed -1 for a random seed (printed and stored), inputs in the editor's formats, masks drawn as
// transparency (OpenAI's edit convention), --help with an example everywhere. And best-of-K through
// the CLI keeps the most text-similar candidate (issue 24), checked against all K candidates.
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#include "core/pipeline/stages.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/test_harness.h"

#include <nlohmann/json.hpp>
#include <png.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <regex>

using namespace unclip::test;
using nlohmann::json;

namespace {

std::string text2img() { return golden_file("models/unclip-text2img"); }
std::string variations() { return golden_file("models/unclip-variations"); }
std::string img_a() { return golden_file("cases/img_a.png"); }

// Few steps: these tests check options, not pictures.
CliRun run(std::vector<std::string> args) {
    if (args[0] == "generate" || args[0] == "inpaint") args.insert(args.end(), {"--prior-steps", "2"});
    args.insert(args.end(), {"--decoder-steps", "2", "--super-res-steps", "2"});
    args.insert(args.end(), {"--threads", cli_env().threads});
    return run_unclip(args);
}

torch::Tensor saved(const std::string& name, const std::string& key = "images") {
    return unclip::io::SafetensorsFile::open(work_path(name))->tensor(key).clone();
}

json recipe_of(const std::string& png) {
    std::map<std::string, std::string> text;
    (void)unclip::io::read_png(png, &text);
    return json::parse(text.at("unclip-recipe"));
}

// The "seed N" line the CLI prints; -1 when there is none.
long double printed_seed(const std::string& out) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex("(^|\n)seed ([0-9]+)\n"))) return -1;
    return std::stold(m[2].str());
}

// uint8 [H, W, 4] -> an RGBA PNG (libpng's simplified API; io::write_png writes RGB only).
void write_rgba_png(const std::string& path, const torch::Tensor& rgba) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(rgba.size(1));
    image.height = static_cast<png_uint_32>(rgba.size(0));
    image.format = PNG_FORMAT_RGBA;
    const torch::Tensor c = rgba.contiguous();
    REQUIRE(png_image_write_to_file(&image, path.c_str(), 0, c.data_ptr<uint8_t>(), 0, nullptr) != 0);
}

// uint8 [H, W, 3] -> a 24-bit BMP (bottom-up BGR rows padded to 4 bytes), written by hand so the
// test needs no image library: the CLI must read it through the editor's imaging layer.
void write_bmp(const std::string& path, const torch::Tensor& rgb) {
    const int h = static_cast<int>(rgb.size(0)), w = static_cast<int>(rgb.size(1));
    const int stride = (w * 3 + 3) / 4 * 4;
    const uint32_t data = static_cast<uint32_t>(stride) * h, size = 54 + data;
    std::string b(54, '\0');
    auto put = [&b](size_t at, uint32_t v, int n) {
        for (int i = 0; i < n; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
    };
    b[0] = 'B';
    b[1] = 'M';
    put(2, size, 4);
    put(10, 54, 4);
    put(14, 40, 4);
    put(18, static_cast<uint32_t>(w), 4);
    put(22, static_cast<uint32_t>(h), 4);
    put(26, 1, 2);
    put(28, 24, 2);
    put(34, data, 4);
    const torch::Tensor c = rgb.contiguous();
    const uint8_t* px = c.data_ptr<uint8_t>();
    for (int y = h - 1; y >= 0; --y) {
        std::string row(static_cast<size_t>(stride), '\0');
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k) row[x * 3 + k] = static_cast<char>(px[(size_t(y) * w + x) * 3 + (2 - k)]);
        b += row;
    }
    std::ofstream(path, std::ios::binary) << b;
}

}  // namespace

TEST_CASE("short options -p -n -s -m -o and a positional prompt mean the same as the long ones") {
    CliRun lng = run({"generate", "--model", text2img(), "--prompt", "a red cube", "--negative-prompt", "blue", "--seed",
                      "7", "-o", work_path("long.png"), "--save-tensors", work_path("long.safetensors")});
    REQUIRE(lng.exit_code == 0);
    CliRun shrt = run({"generate", "-m", text2img(), "-p", "a red cube", "-n", "blue", "-s", "7", "-o",
                       work_path("short.png"), "--save-tensors", work_path("short.safetensors")});
    EXPECT_MSG(shrt.exit_code == 0, shrt.err);
    CliRun pos = run({"generate", "-m", text2img(), "-n", "blue", "-s", "7", "-o", work_path("pos.png"), "--save-tensors",
                      work_path("pos.safetensors"), "a", "red", "cube"});
    EXPECT_MSG(pos.exit_code == 0, pos.err);
    REQUIRE(shrt.exit_code == 0 && pos.exit_code == 0);
    const torch::Tensor a = saved("long.safetensors");
    EXPECT(torch::equal(a, saved("short.safetensors")));
    EXPECT(torch::equal(a, saved("pos.safetensors")));
    EXPECT(recipe_of(work_path("pos.png")).at("prompts") == json::array({"a red cube"}));
    EXPECT_EQ(recipe_of(work_path("short.png")).value("negative_prompt", ""), std::string("blue"));
    // The negative prompt really arrived: without it the image differs.
    CliRun none = run({"generate", "-m", text2img(), "-p", "a red cube", "-s", "7", "-o", work_path("none.png"),
                       "--save-tensors", work_path("none.safetensors")});
    REQUIRE(none.exit_code == 0);
    EXPECT((a - saved("none.safetensors")).abs().max().item<double>() > 1e-4);
    // inpaint takes a positional prompt too.
    torch::Tensor img = unclip::io::read_png(img_a());
    torch::Tensor mask = torch::zeros_like(img);
    mask.slice(0, 0, img.size(0) / 2).fill_(255);
    unclip::io::write_png(work_path("half-mask.png"), mask);
    CliRun inp = run({"inpaint", "-m", text2img(), "--image", img_a(), "--mask", work_path("half-mask.png"), "-s", "1",
                      "-o", work_path("inp-pos.png"), "a", "blue", "ball"});
    EXPECT_MSG(inp.exit_code == 0, inp.err);
    if (inp.exit_code == 0) EXPECT_EQ(recipe_of(work_path("inp-pos.png")).value("prompt", ""), std::string("a blue ball"));
}

TEST_CASE("help: -h and --help on every subcommand print the usage and an example") {
    const std::vector<std::vector<std::string>> cmds = {{},           {"generate"}, {"vary"},     {"interpolate"},
                                                        {"textdiff"}, {"inpaint"},  {"score"},    {"bench"},
                                                        {"bench", "modules"}, {"bench", "pipeline"}, {"inspect"},
                                                        {"tokenize"}, {"verify"},   {"serve"}};
    for (const auto& c : cmds)
        for (const char* h : {"-h", "--help"}) {
            auto args = c;
            args.push_back(h);
            CliRun r = run_unclip(args);
            const std::string name = c.empty() ? std::string("unclip") : c.back();
            EXPECT_MSG(r.exit_code == 0, name << " " << h << " exited " << r.exit_code << ": " << r.err);
            EXPECT_MSG(r.out.find("usage:") != std::string::npos, name << " " << h << " printed no usage");
            EXPECT_MSG(r.out.find("example") != std::string::npos, name << " " << h << " shows no example");
            EXPECT_MSG(r.out.find("  unclip " + (c.empty() ? std::string() : c[0])) != std::string::npos,
                       name << " " << h << ": no example command line");
        }
}

TEST_CASE("random seed: --seed -1 picks one and prints it and stores it in the recipe") {
    std::vector<long double> seeds;
    for (int i = 0; i < 2; ++i) {
        const std::string name = "random" + std::to_string(i);
        CliRun r = run({"generate", "-m", text2img(), "-p", "a cat", "--seed", "-1", "-o", work_path(name + ".png"),
                        "--save-tensors", work_path(name + ".safetensors")});
        EXPECT_MSG(r.exit_code == 0, r.err);
        REQUIRE(r.exit_code == 0);
        const long double seed = printed_seed(r.out);
        EXPECT_MSG(seed >= 0, "no seed line in: " << r.out);
        EXPECT(static_cast<long double>(recipe_of(work_path(name + ".png")).at("sampling").at("seed").get<uint64_t>()) == seed);
        seeds.push_back(seed);
    }
    EXPECT_MSG(seeds[0] != seeds[1], "two random seeds were equal: " << static_cast<double>(seeds[0]));
    // The printed seed gives the same picture again.
    const std::string again = std::to_string(static_cast<unsigned long long>(seeds[0]));
    CliRun r = run({"generate", "-m", text2img(), "-p", "a cat", "-s", again, "-o", work_path("again.png"),
                    "--save-tensors", work_path("again.safetensors")});
    REQUIRE(r.exit_code == 0);
    EXPECT(torch::equal(saved("random0.safetensors"), saved("again.safetensors")));
    // -s -1 too, for the image commands.
    r = run({"vary", "-m", variations(), "--image", img_a(), "-s", "-1", "-o", work_path("vary-random.png")});
    EXPECT_MSG(r.exit_code == 0 && printed_seed(r.out) >= 0, r.err << r.out);
}

TEST_CASE("inputs in the editor's formats (BMP here) or a clear message where the build reads PNG only") {
    write_bmp(work_path("img_a.bmp"), unclip::io::read_png(img_a()));
    CliRun png = run_unclip({"score", "-m", variations(), "--image", img_a(), "--text", "a red cube", "a blue ball"});
    CliRun bmp = run_unclip({"score", "-m", variations(), "--image", work_path("img_a.bmp"), "--text", "a red cube", "a blue ball"});
    REQUIRE(png.exit_code == 0);
#ifdef UNCLIP_CLI_IMAGING
    EXPECT_MSG(bmp.exit_code == 0, bmp.err);
    REQUIRE(bmp.exit_code == 0);
    EXPECT(json::parse(png.out).at("similarity") == json::parse(bmp.out).at("similarity"));  // the same pixels
    // vary reads it as well (the same input path for every subcommand).
    CliRun v = run({"vary", "-m", variations(), "--image", work_path("img_a.bmp"), "-s", "3", "-o", work_path("vary-bmp.png")});
    EXPECT_MSG(v.exit_code == 0, v.err);
#else
    EXPECT(bmp.exit_code == 2);
    EXPECT_MSG(bmp.err.find("PNG files only") != std::string::npos, bmp.err);
#endif
}

TEST_CASE("a mask with transparency regenerates its transparent pixels (OpenAI's edit convention)") {
    const torch::Tensor img = unclip::io::read_png(img_a());
    const int64_t H = img.size(0), W = img.size(1);
    // The same region as a white-on-black mask and as a transparent hole in an opaque mask whose
    // colour (the picture itself) would read as a different region by brightness.
    torch::Tensor bw = torch::zeros({H, W, 3}, torch::kUInt8);
    bw.slice(0, H / 4, H / 2).slice(1, W / 4, W / 2).fill_(255);
    unclip::io::write_png(work_path("bw-mask.png"), bw);
    torch::Tensor rgba = torch::cat({img, torch::full({H, W, 1}, 255, torch::kUInt8)}, 2);
    rgba.slice(0, H / 4, H / 2).slice(1, W / 4, W / 2).select(2, 3).fill_(0);
    write_rgba_png(work_path("alpha-mask.png"), rgba);
    const std::vector<std::string> base = {"inpaint", "-m", variations(), "--image", img_a(), "-s", "4"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = base;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    CliRun a = run(with({"--mask", work_path("bw-mask.png"), "-o", work_path("m-bw.png"), "--save-tensors", work_path("m-bw.safetensors")}));
    CliRun b = run(with({"--mask", work_path("alpha-mask.png"), "-o", work_path("m-alpha.png"), "--save-tensors", work_path("m-alpha.safetensors")}));
    EXPECT_MSG(a.exit_code == 0, a.err);
    EXPECT_MSG(b.exit_code == 0, b.err);
    REQUIRE(a.exit_code == 0 && b.exit_code == 0);
    EXPECT_MSG(b.out.find("transparent") != std::string::npos, b.out);
    EXPECT(torch::equal(unclip::io::read_png(work_path("m-bw.png")), unclip::io::read_png(work_path("m-alpha.png"))));
    EXPECT_EQ(recipe_of(work_path("m-alpha.png")).at("inputs").value("mask_from", ""), std::string("mask alpha"));
    // The picture outside the hole is kept, the hole regenerated.
    const torch::Tensor out = unclip::io::read_png(work_path("m-alpha.png"));
    REQUIRE(out.sizes() == img.sizes());
    const torch::Tensor keep = (bw.select(2, 0) == 0).unsqueeze(-1).expand_as(img);
    EXPECT(torch::equal(out.masked_select(keep), img.masked_select(keep)));
    EXPECT(!torch::equal(out, img));
    // No --mask: the image's own transparent pixels are the region.
    write_rgba_png(work_path("holey.png"), rgba);
    CliRun c = run({"inpaint", "-m", variations(), "--image", work_path("holey.png"), "-s", "4", "-o", work_path("m-self.png")});
    EXPECT_MSG(c.exit_code == 0, c.err);
    REQUIRE(c.exit_code == 0);
    EXPECT(torch::equal(unclip::io::read_png(work_path("m-bw.png")), unclip::io::read_png(work_path("m-self.png"))));
    EXPECT_EQ(recipe_of(work_path("m-self.png")).at("inputs").value("mask_from", ""), std::string("image alpha"));
    // An opaque image without a mask still needs a region.
    CliRun d = run_unclip({"inpaint", "-m", variations(), "--image", img_a()});
    EXPECT(d.exit_code == 2 && d.err.find("transparent") != std::string::npos);
}

// Issue 24 through the CLI: --best-of K keeps the candidate closest to the text. The K candidates
// are the same command with K images per prompt (the same prior draws, in the same order); the
// text embedding comes from the golden model's text encoder, loaded here.
TEST_CASE("best-of K through the CLI keeps the most text-similar of the K candidates") {
    const int k = 4;
    const std::string prompt = "a blue ball";
    CliRun best = run({"generate", "-m", text2img(), "-p", prompt, "-s", "5", "--best-of", std::to_string(k),
                       "--candidates", "-o", work_path("best.png"), "--save-tensors", work_path("best.safetensors")});
    CliRun all = run({"generate", "-m", text2img(), "-p", prompt, "-s", "5", "--images-per-prompt", std::to_string(k),
                      "--candidates", "-o", work_path("all-{i}.png"), "--save-tensors", work_path("all.safetensors")});
    EXPECT_MSG(best.exit_code == 0, best.err);
    EXPECT_MSG(all.exit_code == 0, all.err);
    REQUIRE(best.exit_code == 0 && all.exit_code == 0);
    const torch::Tensor kept = saved("best.safetensors", "image_embeddings").to(torch::kFloat64);
    const torch::Tensor candidates = saved("all.safetensors", "image_embeddings").to(torch::kFloat64);
    REQUIRE(kept.size(0) == 1 && candidates.size(0) == k);
    unclip::pipeline::PipelineOptions po;
    po.model_dir = text2img();
    auto pl = unclip::pipeline::UnclipPipeline::load(po);
    torch::NoGradGuard no_grad;
    const torch::Tensor t = unclip::pipeline::encode_text(pl->impl(), {prompt}, 1, false).prompt_embeds[0].to(torch::kFloat64);
    std::vector<double> sims;
    for (int64_t j = 0; j < k; ++j) {
        const torch::Tensor c = candidates[j];
        sims.push_back((c * t).sum().item<double>() / (c.norm().item<double>() * t.norm().item<double>()));
    }
    const auto top = std::max_element(sims.begin(), sims.end()) - sims.begin();
    EXPECT_MSG(*std::max_element(sims.begin(), sims.end()) - *std::min_element(sims.begin(), sims.end()) > 1e-6,
               "the candidates are equally similar: the test cannot fail");
    EXPECT_MSG(top != 0, "candidate 0 is the best: pick another seed so 'keep the first' would fail");
    const double d = (kept[0] - candidates[top]).abs().max().item<double>();
    EXPECT_MSG(d < 1e-5, "kept embedding differs by " << d << " from the most similar candidate " << top);
    EXPECT_EQ(recipe_of(work_path("best.png")).value("best_of", 0), k);
}

UNCLIP_CLI_TEST_MAIN()
