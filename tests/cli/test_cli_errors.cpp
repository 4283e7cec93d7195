// SPDX-License-Identifier: GPL-3.0-or-later
// `unclip` on bad input: every problem is one line on stderr naming it, a non-zero exit (never a
// crash), and no output file. Every subcommand's --help exits 0. Ctrl+C cancels cleanly.
#include "core/io/png_io.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/test_harness.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace unclip::test;

namespace {

std::string text2img() { return golden_file("models/unclip-text2img"); }
std::string variations() { return golden_file("models/unclip-variations"); }
std::string img_a() { return golden_file("cases/img_a.png"); }

// Runs the command and expects a one-line error containing `needle`, a plain non-zero exit and no
// file named `out` (when given).
void expect_error(const std::vector<std::string>& args, const std::vector<std::string>& needles, const std::string& out = "") {
    CliRun r = run_unclip(args);
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    EXPECT_MSG(r.exit_code != 0, "unclip" << cmd << " succeeded");
    EXPECT_MSG(!r.signalled, "unclip" << cmd << " was killed by signal " << r.exit_code - 128);
    EXPECT_MSG(r.exit_code == 1 || r.exit_code == 2, "unclip" << cmd << " exited " << r.exit_code);
    EXPECT_MSG(line_count(r.err) == 1, "unclip" << cmd << " printed " << line_count(r.err) << " lines:\n" << r.err);
    for (const auto& needle : needles)
        EXPECT_MSG(r.err.find(needle) != std::string::npos, "unclip" << cmd << ": '" << needle << "' not in: " << r.err);
    if (!out.empty()) EXPECT_MSG(!file_exists(work_path(out)), "unclip" << cmd << " wrote " << out);
}
void expect_error(const std::vector<std::string>& args, const std::string& needle, const std::string& out = "") {
    expect_error(args, std::vector<std::string>{needle}, out);
}

}  // namespace

TEST_CASE("every subcommand's --help exits 0") {
    const std::vector<std::vector<std::string>> helps = {
        {"--help"},          {"generate", "--help"}, {"vary", "--help"},    {"interpolate", "--help"},
        {"textdiff", "--help"}, {"inpaint", "--help"}, {"score", "--help"}, {"bench", "--help"},
        {"bench", "modules", "--help"}, {"bench", "pipeline", "--help"}, {"inspect", "--help"},
        {"tokenize", "--help"}, {"verify", "--help"}};
    for (const auto& h : helps) {
        CliRun r = run_unclip(h);
        EXPECT_MSG(r.exit_code == 0, h[0] << " --help exited " << r.exit_code << ": " << r.err);
        EXPECT_MSG(r.out.find("usage:") != std::string::npos, h[0] << " --help printed no usage");
    }
    // The top-level help lists the pipeline subcommands.
    CliRun r = run_unclip({"--help"});
    for (const char* c : {"generate", "vary", "interpolate", "textdiff", "inpaint", "score", "bench"})
        EXPECT_MSG(r.out.find(c) != std::string::npos, c << " missing from unclip --help");
}

TEST_CASE("missing or incomplete model folders") {
    expect_error({"generate", "--model", work_path("no-such-model"), "--prompt", "x", "-o", "m1.png"}, "no-such-model", "m1.png");
    // text2img folder has no image encoder; the variations folder has no prior.
    expect_error({"vary", "--model", text2img(), "--image", img_a(), "-o", "m2.png"}, "image_encoder", "m2.png");
    expect_error({"generate", "--model", variations(), "--prompt", "x", "-o", "m3.png"}, "prior", "m3.png");
    expect_error({"score", "--model", text2img(), "--image", img_a(), "--text", "x"}, "image_encoder");
    expect_error({"inpaint", "--model", text2img(), "--image", img_a(), "--expand", "4"}, "image_encoder");
    // A folder without model_index.json.
    std::filesystem::create_directories(work_path("empty-model"));
    expect_error({"generate", "--model", work_path("empty-model"), "--prompt", "x"}, "model_index.json");
}

TEST_CASE("missing, unreadable and truncated images") {
    expect_error({"vary", "--model", variations(), "--image", work_path("nope.png"), "-o", "i1.png"}, "does not exist", "i1.png");
    {
        std::ofstream f(work_path("text.png"));
        f << "this is not an image\n";
    }
    expect_error({"vary", "--model", variations(), "--image", work_path("text.png"), "-o", "i2.png"}, "not a PNG", "i2.png");
    {
        std::ifstream in(img_a(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream out(work_path("truncated.png"), std::ios::binary);
        out << bytes.substr(0, bytes.size() / 3);
    }
    expect_error({"vary", "--model", variations(), "--image", work_path("truncated.png"), "-o", "i3.png"}, "truncated.png", "i3.png");
    expect_error({"interpolate", "--model", variations(), "--a", img_a(), "--b", work_path("nope.png")}, "--b");
}

TEST_CASE("mask size mismatch says to resize the mask") {
    unclip::io::write_png(work_path("small-mask.png"), torch::full({8, 8, 3}, 255, torch::kUInt8));
    expect_error({"inpaint", "--model", variations(), "--image", img_a(), "--mask", work_path("small-mask.png"), "-o", "k1.png"},
                 "resize the mask", "k1.png");
    unclip::io::write_png(work_path("black-mask.png"), torch::zeros({32, 32, 3}, torch::kUInt8));
    expect_error({"inpaint", "--model", variations(), "--image", img_a(), "--mask", work_path("black-mask.png")}, "black");
    expect_error({"inpaint", "--model", variations(), "--image", img_a()}, "--mask");
}

TEST_CASE("unknown options, missing values and missing --prompt") {
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "--bogus", "1"}, "unknown option '--bogus'");
    expect_error({"generate", "--model", text2img()}, "--prompt", "");
    expect_error({"generate", "--model", text2img(), "--prompt"}, "needs a value");
    expect_error({"vary", "--model", variations(), "--image", img_a(), "a stray word"}, "a stray word");
    // generate takes the words after the options as its prompt, but not as well as --prompt.
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "a stray word"}, "not both");
    expect_error({"vary", "--model", variations()}, "--image");
    expect_error({"textdiff", "--model", variations(), "--image", img_a()}, "--target");
    expect_error({"interpolate", "--model", variations(), "--a", img_a()}, "endpoint B");
    expect_error({"interpolate", "--model", variations(), "--a", img_a(), "--a-text", "x", "--b", img_a()}, "endpoint A");
    expect_error({"score", "--model", variations(), "--image", img_a()}, "--text");
    expect_error({"bench", "nonsense"}, "unknown bench");
    expect_error({"nonsense"}, "unknown command");
}

TEST_CASE("bad numbers name the option") {
    const std::vector<std::string> g = {"generate", "--model", text2img(), "--prompt", "x"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = g;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    expect_error(with({"--seed", "abc"}), "--seed");
    expect_error(with({"--seed", "-3"}), "--seed");
    expect_error(with({"--decoder-steps", "0"}), "--decoder-steps");
    expect_error(with({"--prior-steps", "12x"}), "--prior-steps");
    expect_error(with({"--prior-guidance", "nan"}), "--prior-guidance");
    expect_error(with({"--images-per-prompt", "1000"}), "--images-per-prompt");
    expect_error(with({"--best-of", "0"}), "--best-of");
    expect_error(with({"--upscale-candidate", "3"}), "--upscale-candidate");
    expect_error(with({"--dtype", "int8"}), "int8");
    expect_error(with({"--device", "tpu"}), "tpu");
    expect_error({"vary", "--model", variations(), "--image", img_a(), "--structure", "2"}, "--structure");
    expect_error({"inpaint", "--model", variations(), "--image", img_a(), "--expand", "1,2"}, "--expand");
    expect_error({"interpolate", "--model", variations(), "--a", img_a(), "--b", img_a(), "--frames", "0"}, "--frames");
    expect_error({"textdiff", "--model", variations(), "--image", img_a(), "--target", "x", "--theta", "1.5"}, "--theta");
    expect_error({"bench", "pipeline", "--model", text2img(), "--steps", "1,2"}, "--steps");
}

// Issue 24: a value no integer type holds is refused like any other out-of-range value, never
// saturated (the seed once became 2^64 - 1 silently). One case per integer option.
TEST_CASE("integer options refuse values that do not fit and name the option and its range") {
    const std::string huge = "99999999999999999999999", above_u64 = "18446744073709551616";
    const std::vector<std::string> g = {"generate", "--model", text2img(), "--prompt", "x"};
    const std::vector<std::string> v = {"vary", "--model", variations(), "--image", img_a()};
    const std::vector<std::string> in = {"inpaint", "--model", variations(), "--image", img_a(), "--expand", "4"};
    const std::vector<std::string> ip = {"interpolate", "--model", variations(), "--a", img_a(), "--b", img_a()};
    const std::vector<std::string> bm = {"bench", "modules", "--config", "golden", "--golden", cli_env().golden};
    const std::vector<std::string> bp = {"bench", "pipeline", "--model", text2img()};
    // A non-loopback address without a token: should a number slip through, serve still stops
    // with an error instead of listening.
    const std::vector<std::string> sv = {"serve", "--model", text2img(), "--host", "192.0.2.1"};
    struct Case {
        std::vector<std::string> base;
        std::string option, value;
    };
    const std::vector<Case> cases = {
        {g, "--seed", huge},           {g, "--seed", above_u64},       {g, "--seed", "-" + huge},
        {g, "--threads", huge},        {g, "--prior-steps", huge},     {g, "--decoder-steps", huge},
        {g, "--super-res-steps", huge}, {g, "--images-per-prompt", huge}, {g, "--best-of", huge},
        {g, "--upscale-candidate", huge}, {g, "--prior-steps", "-" + huge}, {v, "--seed", huge},
        {v, "--decoder-steps", "4294967297"}, {in, "--resample", huge}, {in, "--expand", huge},
        {in, "--expand", "1,2,3," + huge}, {ip, "--frames", huge},    {ip, "--frames", "4294967301"},
        {bm, "--batch", huge},         {bm, "--repeat", huge},         {bm, "--warmup", huge},
        {bm, "--threads", huge},       {bp, "--batch", huge},          {bp, "--warmup", huge},
        {bp, "--steps", "2," + huge + ",2"}, {{"tokenize", "--model", text2img(), "x"}, "--max-length", huge},
        {sv, "--port", huge},          {sv, "--max-queue", huge},      {sv, "--max-pixels", huge},
        {sv, "--timeout", huge}};
    for (const auto& c : cases) {
        auto args = c.base;
        args.insert(args.end(), {c.option, c.value});
        // "option --seed must be between 0 and 18446744073709551615 (got 999...)", as for 0 steps.
        // Lists name the element that does not fit (here the longest one).
        std::string bad, item;
        std::stringstream items(c.value);
        while (std::getline(items, item, ','))
            if (item.size() > bad.size()) bad = item;
        expect_error(args, {c.option, "must be between", "(got " + bad + ")"});
    }
    // The largest seed still works as a seed (checked before the model is loaded: a missing model
    // folder is the error, not the number).
    expect_error({"generate", "--model", work_path("no-model"), "-p", "x", "--seed", "18446744073709551615"}, "no-model");
    // The same message as an ordinary out-of-range value.
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "--decoder-steps", "0"}, "must be between 1 and 1000");
}

TEST_CASE("bad output targets are refused before running") {
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "-o", work_path("no-dir/x.png")}, "does not exist");
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "-o", work_path("x.jpg")}, ".png");
    expect_error({"generate", "--model", text2img(), "--prompt", "x", "--save-tensors", work_path("x.pt")}, ".safetensors");
}

TEST_CASE("Ctrl+C cancels cleanly and writes nothing") {
    const std::vector<std::string> args = {"generate", "--model", text2img(), "--prompt", "x", "--prior-steps", "1000",
                                           "--decoder-steps", "1000", "--super-res-steps", "1000", "--seed", "1",
                                           "-o", "cancel.png", "--save-tensors", "cancel.safetensors"};
    // The interrupt must arrive after the pipeline started (loading the tiny models takes well under
    // a second) and before 3000 steps are done; retry later once if it came too early.
    CliRun r = run_unclip(args, 1.5);
    if (r.signalled) r = run_unclip(args, 4.0);
    EXPECT_MSG(!r.signalled, "killed by signal " << r.exit_code - 128);
    EXPECT_MSG(r.exit_code == 130, "exit " << r.exit_code << ": " << r.err);
    EXPECT_MSG(r.err.find("cancelled") != std::string::npos, r.err);
    EXPECT(!file_exists(work_path("cancel.png")));
    EXPECT(!file_exists(work_path("cancel.safetensors")));
    for (const auto& e : std::filesystem::directory_iterator(cli_env().work))
        EXPECT_MSG(e.path().filename().string().find("cancel") == std::string::npos, "left " << e.path());
}

UNCLIP_CLI_TEST_MAIN()
