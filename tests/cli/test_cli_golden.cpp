// SPDX-License-Identifier: GPL-3.0-or-later
// The `unclip` pipeline subcommands on the golden tiny models: generate, vary and interpolate
// reproduce the reference's images (their --save-tensors output against the golden cases'
// output.image, within each case's final tolerance), PNGs carry the recipe, staged runs equal full
// runs, the editing commands keep the input's size and pixels, score and bench run.
#include "core/io/model_folder.h"
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/a1111_parameters.h"
#include "tests/support/golden.h"
#include "tests/support/test_harness.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

using namespace unclip::test;
using nlohmann::json;

namespace {

// run_unclip with the test's --threads (every command here runs a model).
CliRun run(std::vector<std::string> args) {
    args.insert(args.end(), {"--threads", cli_env().threads});
    return run_unclip(args);
}

json case_json(const std::string& name) { return unclip::io::read_json_file(golden_file("cases/" + name + ".json")); }

// "models/unclip-variations (same components)" -> <golden>/models/unclip-variations
std::string case_model(const json& c) {
    std::string m = c.at("model_dir").get<std::string>();
    if (auto sp = m.find(' '); sp != std::string::npos) m.resize(sp);
    return golden_file(m);
}

torch::Tensor golden_tensor(const std::string& name, const std::string& key) {
    return unclip::io::SafetensorsFile::open(golden_file("cases/" + name + ".safetensors"))->tensor(key).clone();
}
torch::Tensor saved_tensor(const std::string& path, const std::string& key = "images") {
    return unclip::io::SafetensorsFile::open(path)->tensor(key).clone();
}

// The call's sampling settings as CLI options.
std::vector<std::string> sampling_args(const json& call) {
    static const std::vector<std::pair<const char*, const char*>> map = {
        {"prior_num_inference_steps", "--prior-steps"},   {"decoder_num_inference_steps", "--decoder-steps"},
        {"super_res_num_inference_steps", "--super-res-steps"}, {"prior_guidance_scale", "--prior-guidance"},
        {"decoder_guidance_scale", "--decoder-guidance"}, {"seed", "--seed"}};
    std::vector<std::string> out;
    for (const auto& [key, opt] : map)
        if (call.contains(key)) {
            out.push_back(opt);
            out.push_back(call[key].dump());
        }
    return out;
}

struct ImageDiff {
    bool same_shape = false;
    double max_abs = 1e9, mean_abs = 1e9;
};
// produced [N, 3, H, W] vs the reference's NHWC array.
ImageDiff diff_nchw_nhwc(const torch::Tensor& nchw, const torch::Tensor& nhwc) {
    ImageDiff d;
    torch::Tensor a = nchw.permute({0, 2, 3, 1}).to(torch::kFloat64);
    if (a.sizes() != nhwc.sizes()) return d;
    torch::Tensor e = (a - nhwc.to(torch::kFloat64)).abs();
    d.same_shape = true;
    d.max_abs = e.max().item<double>();
    d.mean_abs = e.mean().item<double>();
    return d;
}

// Runs the command and checks its --save-tensors output against the case's output.image.
void check_against_case(const std::string& case_name, std::vector<std::string> args, const std::string& out) {
    const json c = case_json(case_name);
    const json tol = c.at("tolerance");
    args.insert(args.end(), {"--device", cli_env().device});
    args.push_back("--save-tensors");
    args.push_back(work_path(out + ".safetensors"));
    args.push_back("-o");
    args.push_back(work_path(out + "-{i}.png"));
    CliRun r = run(args);
    EXPECT_MSG(r.exit_code == 0, "exit " << r.exit_code << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    ImageDiff d = diff_nchw_nhwc(saved_tensor(work_path(out + ".safetensors")), golden_tensor(case_name, "output.image"));
    std::cerr << "  " << case_name << ": max abs " << d.max_abs << " (tol " << tol.at("final_image_atol") << "), mean abs "
              << d.mean_abs << " (tol " << tol.at("final_image_mean_abs") << ")\n";
    EXPECT(d.same_shape);
    EXPECT_MSG(d.max_abs <= tol.at("final_image_atol").get<double>(), "max abs " << d.max_abs);
    EXPECT_MSG(d.mean_abs <= tol.at("final_image_mean_abs").get<double>(), "mean abs " << d.mean_abs);
}

std::vector<std::string> text2img_args(const json& call) {
    std::vector<std::string> args = {"generate", "--model", case_model(case_json("pipeline_text2img"))};
    for (const auto& p : call.at("prompt")) {
        args.push_back("--prompt");
        args.push_back(p.get<std::string>());
    }
    args.push_back("--images-per-prompt");
    args.push_back(std::to_string(call.value("num_images_per_prompt", 1)));
    for (const auto& a : sampling_args(call)) args.push_back(a);
    return args;
}

}  // namespace

TEST_CASE("generate reproduces pipeline_text2img") {
    const json call = case_json("pipeline_text2img").at("call");
    check_against_case("pipeline_text2img", text2img_args(call), "gen");
}

TEST_CASE("generate with another seed differs from pipeline_text2img (the comparison can fail)") {
    json call = case_json("pipeline_text2img").at("call");
    call["seed"] = call.value("seed", 0) + 1;
    auto args = text2img_args(call);
    args.insert(args.end(), {"--save-tensors", work_path("gen-other.safetensors"), "-o", work_path("gen-other.png")});
    CliRun r = run(args);
    REQUIRE(r.exit_code == 0);
    const json tol = case_json("pipeline_text2img").at("tolerance");
    ImageDiff d = diff_nchw_nhwc(saved_tensor(work_path("gen-other.safetensors")), golden_tensor("pipeline_text2img", "output.image"));
    EXPECT(d.same_shape);
    EXPECT_MSG(d.mean_abs > tol.at("final_image_mean_abs").get<double>(), "another seed gave the same image");
}

TEST_CASE("generate's PNG carries the recipe and re-reads with png_io") {
    const json call = case_json("pipeline_text2img").at("call");
    auto args = text2img_args(call);
    args.insert(args.end(), {"-o", work_path("recipe-{seed}-{i}.png"), "--save-tensors", work_path("recipe.safetensors")});
    CliRun r = run(args);
    REQUIRE(r.exit_code == 0);
    const std::string png = work_path("recipe-" + call.at("seed").dump() + "-0.png");
    REQUIRE(file_exists(png));
    EXPECT_MSG(r.out.find(png) != std::string::npos, r.out);
    std::map<std::string, std::string> text;
    torch::Tensor img = unclip::io::read_png(png, &text);
    torch::Tensor saved = saved_tensor(work_path("recipe.safetensors"));
    EXPECT_EQ(img.size(0), saved.size(2));
    EXPECT_EQ(img.size(1), saved.size(3));
    // The PNG holds the saved float image rounded to 8 bits.
    torch::Tensor expect8 = (saved[0].clamp(0, 1) * 255).round().permute({1, 2, 0}).to(torch::kInt32);
    EXPECT((img.to(torch::kInt32) - expect8).abs().max().item<int>() <= 1);
    REQUIRE(text.count("unclip-recipe"));
    const json recipe = json::parse(text["unclip-recipe"]);
    EXPECT_EQ(recipe.value("mode", ""), std::string("text2img"));
    EXPECT_EQ(recipe.at("sampling").at("seed").get<uint64_t>(), call.at("seed").get<uint64_t>());
    EXPECT_EQ(recipe.at("sampling").at("prior_steps").get<int>(), call.at("prior_num_inference_steps").get<int>());
    EXPECT(recipe.at("prompts") == call.at("prompt"));
    EXPECT_EQ(recipe.value("index", -1), 0);
    EXPECT(text.count("Software") && text["Software"].find("unclip") != std::string::npos);
    // The model by folder name and weights hash, never by path; the A1111 "parameters" text that
    // image browsers read, parsed as A1111's reader does.
    EXPECT_EQ(recipe.value("model", ""), std::string("unclip-text2img"));
    EXPECT_EQ(recipe.value("model_hash", "").size(), size_t(10));
    EXPECT_MSG(text["unclip-recipe"].find(cli_env().golden) == std::string::npos, text["unclip-recipe"]);
    REQUIRE(text.count("parameters"));
    unclip::test::A1111Parameters params = unclip::test::parse_a1111(text["parameters"]);
    EXPECT_EQ(params.prompt, call.at("prompt")[0].get<std::string>());
    EXPECT_EQ(params.fields["Steps"], std::to_string(call.at("decoder_num_inference_steps").get<int>()));
    EXPECT_EQ(params.fields["Seed"], call.at("seed").dump());
    EXPECT_EQ(params.fields["Size"], std::to_string(img.size(1)) + "x" + std::to_string(img.size(0)));
    EXPECT_EQ(params.fields["Model"], std::string("unclip-text2img"));
    EXPECT_EQ(params.fields["Model hash"], recipe.value("model_hash", ""));
    EXPECT_EQ(params.fields["Sampler"], std::string("unCLIP"));
    EXPECT(text.count("Description") &&
           text["Description"].find(call.at("prompt")[0].get<std::string>()) != std::string::npos);
    // The safetensors file carries the same recipe in its metadata.
    auto meta = unclip::io::SafetensorsFile::open(work_path("recipe.safetensors"))->metadata();
    REQUIRE(meta.count("unclip-recipe"));
    EXPECT(json::parse(meta["unclip-recipe"]).at("sampling") == recipe.at("sampling"));
}

TEST_CASE("vary reproduces pipeline_variation") {
    const json c = case_json("pipeline_variation");
    const json call = c.at("call");
    std::vector<std::string> args = {"vary", "--model", case_model(c), "--image",
                                     golden_file("cases/" + call.at("image").get<std::string>() + ".png"),
                                     "--images-per-prompt", std::to_string(call.value("num_images_per_prompt", 1))};
    for (const auto& a : sampling_args(call)) args.push_back(a);
    check_against_case("pipeline_variation", args, "vary");
}

TEST_CASE("interpolate --reference-noise reproduces pipeline_image_interpolation") {
    const json c = case_json("pipeline_image_interpolation");
    const json call = c.at("call");
    const auto images = call.at("images");
    std::vector<std::string> args = {"interpolate", "--model", case_model(c),
                                     "--a", golden_file("cases/" + images.at(0).get<std::string>() + ".png"),
                                     "--b", golden_file("cases/" + images.at(1).get<std::string>() + ".png"),
                                     "--frames", call.at("steps").dump(), "--reference-noise"};
    for (const auto& a : sampling_args(call)) args.push_back(a);
    check_against_case("pipeline_image_interpolation", args, "interp");
}

TEST_CASE("generate --candidates, then --upscale-candidate equals the full run") {
    const json call = case_json("pipeline_text2img").at("call");
    auto base = text2img_args(call);
    base[std::find(base.begin(), base.end(), "--images-per-prompt") - base.begin() + 1] = "2";
    auto full = base, cand = base, up = base;
    full.insert(full.end(), {"-o", work_path("full-{i}.png"), "--save-tensors", work_path("full.safetensors")});
    cand.insert(cand.end(), {"--candidates", "-o", work_path("cand-{i}.png"), "--save-tensors", work_path("cand.safetensors")});
    up.insert(up.end(), {"--upscale-candidate", "1", "-o", work_path("up-{i}.png"), "--save-tensors", work_path("up.safetensors")});
    for (auto* a : {&full, &cand, &up}) {
        CliRun r = run(*a);
        EXPECT_MSG(r.exit_code == 0, r.err);
        REQUIRE(r.exit_code == 0);
    }
    torch::Tensor f = saved_tensor(work_path("full.safetensors"));
    torch::Tensor c = saved_tensor(work_path("cand.safetensors"));
    torch::Tensor u = saved_tensor(work_path("up.safetensors"));
    EXPECT_EQ(c.size(0), 2);
    EXPECT(c.size(2) < f.size(2));  // the decoder's size, before super-resolution
    EXPECT(file_exists(work_path("cand-0.png")) && file_exists(work_path("cand-1.png")));
    EXPECT(file_exists(work_path("up-1.png")));  // named by the candidate's index
    EXPECT_EQ(u.size(0), 1);
    REQUIRE(u.sizes() == f.slice(0, 1, 2).sizes());
    EXPECT_MSG((u - f.slice(0, 1, 2)).abs().max().item<double>() < 1e-5,
               "upscaled candidate differs by " << (u - f.slice(0, 1, 2)).abs().max().item<double>());
    std::map<std::string, std::string> text;
    (void)unclip::io::read_png(work_path("cand-0.png"), &text);
    EXPECT_EQ(json::parse(text["unclip-recipe"]).value("stage", ""), std::string("decoder"));
}

TEST_CASE("textdiff writes an image of the model's size with its recipe") {
    const json c = case_json("pipeline_variation");
    CliRun r = run({"textdiff", "--model", case_model(c), "--image", golden_file("cases/img_a.png"),
                           "--description", "a cat", "--target", "a dog", "--theta", "0.4", "--decoder-steps", "3",
                           "--super-res-steps", "2", "--seed", "5", "-o", work_path("td.png")});
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(file_exists(work_path("td.png")));
    std::map<std::string, std::string> text;
    (void)unclip::io::read_png(work_path("td.png"), &text);
    const json recipe = json::parse(text["unclip-recipe"]);
    EXPECT_EQ(recipe.value("mode", ""), std::string("textdiff"));
    EXPECT_EQ(recipe.value("target", ""), std::string("a dog"));
}

TEST_CASE("inpaint keeps unmasked pixels, --expand grows the canvas") {
    const json c = case_json("pipeline_variation");
    torch::Tensor img = unclip::io::read_png(golden_file("cases/img_a.png"));
    const int64_t H = img.size(0), W = img.size(1);
    torch::Tensor mask = torch::zeros({H, W, 3}, torch::kUInt8);
    mask.slice(0, H / 4, H / 2).slice(1, W / 4, W / 2).fill_(255);
    unclip::io::write_png(work_path("mask.png"), mask);
    CliRun r = run({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_a.png"), "--mask",
                           work_path("mask.png"), "--decoder-steps", "3", "--super-res-steps", "2", "--seed", "1",
                           "-o", work_path("inp.png")});
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(file_exists(work_path("inp.png")));
    torch::Tensor out = unclip::io::read_png(work_path("inp.png"));
    REQUIRE(out.sizes() == img.sizes());
    torch::Tensor keep = (mask.select(2, 0) == 0).unsqueeze(-1).expand_as(img);
    EXPECT(torch::equal(out.masked_select(keep), img.masked_select(keep)));

    r = run({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_a.png"), "--expand", "4,0,6,2",
                    "--decoder-steps", "3", "--super-res-steps", "2", "--seed", "1", "-o", work_path("outp.png")});
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(file_exists(work_path("outp.png")));
    out = unclip::io::read_png(work_path("outp.png"));
    EXPECT_EQ(out.size(0), H + 2);
    EXPECT_EQ(out.size(1), W + 10);
    EXPECT(torch::equal(out.slice(0, 0, H).slice(1, 4, 4 + W), img));
}

TEST_CASE("inpaint draws a small region of a large picture in a frame, a frame outside the picture outpaints") {
    const json c = case_json("pipeline_variation");
    torch::Tensor img = unclip::io::read_png(golden_file("cases/img_c.png"));
    const int64_t H = img.size(0), W = img.size(1);
    torch::Tensor mask = torch::zeros({H, W, 3}, torch::kUInt8);
    mask.slice(0, H / 2, H / 2 + 6).slice(1, W / 2, W / 2 + 6).fill_(255);
    unclip::io::write_png(work_path("frame-mask.png"), mask);
    const std::vector<std::string> fast = {"--decoder-steps", "3", "--super-res-steps", "2", "--seed", "1"};
    auto with_fast = [&](std::vector<std::string> a) {
        a.insert(a.end(), fast.begin(), fast.end());
        return a;
    };
    CliRun r = run(with_fast({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_c.png"), "--mask",
                              work_path("frame-mask.png"), "--context", "4", "-o", work_path("framed.png")}));
    EXPECT_MSG(r.exit_code == 0, r.err);
    // The automatic frame is the model's size around the 6 px region: drawn at full resolution.
    EXPECT_MSG(r.out.find("frame ") != std::string::npos && r.out.find("enlarged") == std::string::npos, r.out);
    REQUIRE(file_exists(work_path("framed.png")));
    std::map<std::string, std::string> text;
    torch::Tensor out = unclip::io::read_png(work_path("framed.png"), &text);
    REQUIRE(out.sizes() == img.sizes());
    torch::Tensor keep = (mask.select(2, 0) == 0).unsqueeze(-1).expand_as(img);
    EXPECT(torch::equal(out.masked_select(keep), img.masked_select(keep)));
    EXPECT(!torch::equal(out, img));
    const json recipe = json::parse(text["unclip-recipe"]);
    REQUIRE(recipe.contains("frame"));
    const auto frame = recipe["frame"].get<std::vector<int64_t>>();
    REQUIRE(frame.size() == 4u);
    EXPECT(frame[2] < W && frame[3] < H);  // a frame, not the whole picture
    EXPECT(frame[0] <= W / 2 && frame[0] + frame[2] >= W / 2 + 6);

    // The whole picture as the frame: enlarged, and said so.
    r = run(with_fast({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_c.png"), "--mask",
                       work_path("frame-mask.png"), "--frame", "0,0," + std::to_string(W) + "," + std::to_string(H), "-o",
                       work_path("whole.png")}));
    EXPECT_MSG(r.exit_code == 0 && r.out.find("enlarged") != std::string::npos, r.out + r.err);

    // Outpainting: a frame half to the right of the picture, no mask; the picture grows.
    const std::string f = std::to_string(W / 2) + ",0," + std::to_string(W) + "," + std::to_string(H);
    r = run(with_fast({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_c.png"), "--frame", f, "-o",
                       work_path("outpainted.png")}));
    EXPECT_MSG(r.exit_code == 0, r.err);
    REQUIRE(file_exists(work_path("outpainted.png")));
    out = unclip::io::read_png(work_path("outpainted.png"));
    EXPECT_EQ(out.size(0), H);
    EXPECT_EQ(out.size(1), W / 2 + W);
    EXPECT(torch::equal(out.slice(1, 0, W), img));

    // Bad frames are refused with a message naming the option.
    for (const auto& [frame_arg, needle] : std::vector<std::pair<std::string, std::string>>{
             {"1,2,3", "X,Y,WIDTH,HEIGHT"}, {"a,b,c,d", "--frame"}, {"0,0,0,10", "empty"},
             {std::to_string(W + 5) + ",0,10,10", "does not overlap"}, {"0,0,5,5", "holds none of the mask"}}) {
        r = run(with_fast({"inpaint", "--model", case_model(c), "--image", golden_file("cases/img_c.png"), "--mask",
                           work_path("frame-mask.png"), "--frame", frame_arg, "-o", work_path("bad.png")}));
        EXPECT_MSG(r.exit_code == 2 && r.err.find(needle) != std::string::npos, frame_arg << ": " << r.err);
    }
}

TEST_CASE("inspect builds every model: a renamed tensor or NaN weights fail it as they fail generate") {
    namespace fs = std::filesystem;
    const std::string good = golden_file("models/unclip-text2img");
    CliRun r = run_unclip({"inspect", good});
    EXPECT_MSG(r.exit_code == 0 && r.out.find("weights match") != std::string::npos, r.out + r.err);
    for (const std::string fault : {"renamed", "nan"}) {
        const fs::path dir = work_path("inspect-" + fault);
        fs::remove_all(dir);
        fs::copy(good, dir, fs::copy_options::recursive);
        for (auto& e : fs::recursive_directory_iterator(dir))
            fs::permissions(e.path(), fs::perms::owner_write | fs::perms::owner_read, fs::perm_options::add);
        const std::string weights = (dir / "prior" / "diffusion_pytorch_model.safetensors").string();
        unclip::io::StateDict sd = unclip::io::load_safetensors(weights);
        std::string victim = sd.begin()->first;
        if (fault == "renamed") {
            torch::Tensor t = sd.begin()->second;
            sd.erase(sd.begin());
            sd[victim + "_renamed"] = t;
        } else {
            sd.begin()->second = sd.begin()->second.clone().fill_(std::nan(""));
        }
        unclip::io::save_safetensors(weights, sd);
        r = run_unclip({"inspect", dir.string()});
        EXPECT_MSG(r.exit_code == 1 && r.out.find("ERROR") != std::string::npos && r.out.find(victim) != std::string::npos,
                   fault << ": " << r.out);
        // --config-only does not read the weights: the folder's configs are fine.
        r = run_unclip({"inspect", "--config-only", dir.string()});
        EXPECT_MSG(r.exit_code == 0, fault << ": " << r.out + r.err);
    }
}

TEST_CASE("score prints an images x texts JSON matrix") {
    const json c = case_json("pipeline_variation");
    CliRun r = run({"score", "--model", case_model(c), "--image", golden_file("cases/img_a.png"),
                           golden_file("cases/img_b.png"), "--text", "a red cube", "a blue ball", "--text", "noise"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    json j;
    try {
        j = json::parse(r.out);
    } catch (const std::exception& e) {
        EXPECT_MSG(false, "stdout is not JSON: " << e.what() << "\n" << r.out);
        return;
    }
    REQUIRE(j.contains("similarity"));
    const json& m = j["similarity"];
    REQUIRE(m.is_array());
    EXPECT_EQ(m.size(), size_t(2));
    for (const auto& row : m) {
        EXPECT(row.is_array() && row.size() == 3);
        for (const auto& v : row) EXPECT(v.is_number() && v.get<double>() >= -1.0001 && v.get<double>() <= 1.0001);
    }
    EXPECT_EQ(j["texts"].size(), size_t(3));
}

TEST_CASE("bench modules and bench pipeline run on the golden configs") {
    CliRun r = run({"bench", "modules", "--config", "golden", "--golden", cli_env().golden, "--repeat", "2"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    for (const char* c : {"text_encoder", "image_encoder", "prior", "text_proj", "decoder", "super_res_first"})
        EXPECT_MSG(r.out.find(c) != std::string::npos, c << " missing in\n" << r.out);
    r = run({"bench", "pipeline", "--model", golden_file("models/unclip-text2img"), "--steps", "2,2,2"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    for (const char* s : {"text encoder", "prior", "decoder", "super-res", "total"})
        EXPECT_MSG(r.out.find(s) != std::string::npos, s << " missing in\n" << r.out);
    // The random-weights path (the one --config karlo takes) on the tiny configs.
    r = run({"bench", "pipeline", "--config", "golden", "--golden", cli_env().golden, "--steps", "2,2,2"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    EXPECT_MSG(r.out.find("random weights") != std::string::npos && r.out.find("super-res") != std::string::npos, r.out);
}

TEST_CASE("bench server prints the overhead ratio and the event latency on the golden model") {
    // One step per stage, one run each: a smoke run of the figure, not a timing (never pass/fail on it).
    CliRun r = run({"bench", "server", "--model", golden_file("models/unclip-text2img"), "--steps", "1,1,1", "--runs", "1",
                    "--warmup", "0"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    for (const char* s : {"median wall: in-process ", "median CPU: ", "overhead: wall ", "target <= 3 %", "event latency (",
                          "pictures: bit-identical"})
        EXPECT_MSG(r.out.find(s) != std::string::npos, s << " missing in\n" << r.out);
}

// Count of lines of `out` that start with `word` followed by a space (a table row).
static int rows_starting(const std::string& out, const std::string& word) {
    int n = 0;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) n += line.rfind(word + " ", 0) == 0;
    return n;
}

TEST_CASE("bench modules and bench pipeline run on the Kandinsky 2.2 golden set") {
    const std::string kg = kandinsky_golden_dir();
    const std::vector<std::string> components = {"text_encoder", "image_encoder", "prior", "unet", "unet_inpaint", "movq"};
    std::string list;
    for (const auto& c : components) list += (list.empty() ? "" : ",") + c;
    CliRun r = run({"bench", "modules", "--config", "golden", "--golden", kg, "--repeat", "1", "--components", list});
    EXPECT_MSG(r.exit_code == 0, r.err);
    for (const auto& c : components) EXPECT_MSG(rows_starting(r.out, c) == 1, c << ": not one row in\n" << r.out);
    // The default list is the set's components but the inpainting UNet (the same but its input channels).
    r = run({"bench", "modules", "--config", "golden", "--golden", kg, "--repeat", "1"});
    EXPECT_MSG(r.exit_code == 0 && rows_starting(r.out, "movq") == 1 && rows_starting(r.out, "unet_inpaint") == 0, r.out << r.err);
    // Loaded folders, 2 steps: every stage timed and a peak-memory line for each offload setting.
    const std::string models = kg + "/models/";
    r = run({"bench", "pipeline", "--model", models + "kandinsky-2-2-prior", "--decoder", models + "kandinsky-2-2-decoder",
             "--steps", "2,2"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    for (const char* s : {"text encoder", "prior", "image encoder", "decoder", "movq decode", "total"})
        EXPECT_MSG(rows_starting(r.out, s) == 2, s << ": not one row per offload setting in\n" << r.out);
    for (const char* s : {"peak memory, offload off: ", "peak memory, offload on: "})
        EXPECT_MSG(r.out.find(s) != std::string::npos, s << "missing in\n" << r.out);
    // The random-weights path (the one --config kandinsky takes) on the tiny configs, one setting.
    r = run({"bench", "pipeline", "--config", "golden", "--golden", kg, "--steps", "1,1", "--offload", "on"});
    EXPECT_MSG(r.exit_code == 0, r.err);
    EXPECT_MSG(r.out.find("random weights") != std::string::npos && r.out.find("peak memory, offload on: ") != std::string::npos &&
                   r.out.find("offload off:") == std::string::npos,
               r.out);
}

UNCLIP_CLI_TEST_MAIN()
