// SPDX-License-Identifier: GPL-3.0-or-later
// Trainer smoke test (CPU, tiny models, a few steps): the tokenizer learned from the captions
// round-trips, every stage's loss decreases, a resumed run equals an uninterrupted one, the
// exported folder loads into UnclipPipeline with the checkpoint's weights and generates, and a
// damaged checkpoint is an error. The dataset is synthetic (coloured shapes), so no Qt is needed.
#include "tests/support/test_harness.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/models/unet/unet2d_model.h"
#include "core/pipeline/pipeline_impl.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/text/clip_tokenizer.h"
#include "core/training/bpe_vocab.h"
#include "core/training/model_configs.h"
#include "core/training/trainer.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>  // getpid

using namespace unclip;
using namespace unclip::training;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = fs::temp_directory_path() / ("unclip_training_smoke_" + std::to_string(::getpid()));

// 24 tiles of 32 px: a coloured disc, square or bar with names "red disc", "blue square", ...
std::string make_dataset() {
    const std::string path = (kRoot / "shapes.safetensors").string();
    if (fs::exists(path)) return path;
    fs::create_directories(kRoot);
    const int S = 32;
    const std::vector<std::pair<const char*, std::array<int, 3>>> colours = {
        {"red", {220, 30, 30}}, {"green", {30, 170, 60}}, {"blue", {30, 60, 220}}, {"yellow", {240, 220, 40}},
        {"purple", {130, 50, 180}}, {"orange", {250, 140, 0}}, {"black", {10, 10, 10}}, {"pink", {250, 150, 190}}};
    const std::vector<const char*> shapes = {"disc", "square", "bar"};
    std::vector<torch::Tensor> tiles;
    nlohmann::json table = nlohmann::json::array();
    auto yy = torch::arange(S).view({S, 1}).expand({S, S}).to(torch::kFloat32) - S / 2 + 0.5;
    auto xx = torch::arange(S).view({1, S}).expand({S, S}).to(torch::kFloat32) - S / 2 + 0.5;
    for (const auto& [cname, rgb] : colours)
        for (const char* shape : shapes) {
            torch::Tensor m;
            if (std::string(shape) == "disc") m = (xx * xx + yy * yy) < 13 * 13;
            else if (std::string(shape) == "square") m = (xx.abs() < 11) & (yy.abs() < 11);
            else m = (xx.abs() < 14) & (yy.abs() < 5);
            torch::Tensor t = torch::zeros({S, S, 4}, torch::kUInt8);
            for (int c = 0; c < 3; ++c) t.select(2, c).fill_(rgb[c]);
            t.select(2, 3).copy_(m.to(torch::kUInt8) * 255);
            tiles.push_back(t);
            table.push_back({{"name", std::string(cname) + " " + shape}, {"group", "Shapes"}, {"subgroup", shape}});
        }
    io::StateDict sd;
    sd["tiles"] = torch::stack(tiles);
    io::save_safetensors(path, sd, {{"captions", table.dump()}});
    return path;
}

TrainConfig tiny(const std::string& work) {
    TrainConfig c;
    auto& s = c.sizes;
    s.canvas = 32; s.decoder_size = 16; s.clip_image = 16; s.clip_patch = 4; s.text_len = 24;
    s.clip_width = 32; s.clip_heads = 2; s.text_layers = 1; s.vision_layers = 1; s.embed_dim = 32;
    s.prior_layers = 1; s.prior_heads = 2; s.prior_head_dim = 16;
    s.decoder_channels = {16, 32}; s.decoder_head_dim = 16; s.cross_dim = 32; s.sr_channels = {8, 16};
    c.merges = 100;
    for (auto* st : {&c.clip, &c.prior, &c.decoder, &c.super_res}) { st->steps = 40; st->batch = 16; st->lr = 3e-3; }
    c.checkpoint_every = 1000;
    c.warmup_steps = 5;
    c.log_every = 20;
    c.dataset = make_dataset();
    c.work_dir = work;
    return c;
}

double max_diff(const std::map<std::string, std::map<std::string, torch::Tensor>>& a,
                const std::map<std::string, std::map<std::string, torch::Tensor>>& b) {
    double m = 0;
    for (const auto& [c, ts] : a)
        for (const auto& [n, t] : ts) m = std::max(m, (t - b.at(c).at(n)).abs().max().item<double>());
    return m;
}

}  // namespace

TEST_CASE("tokenizer learned from the captions round-trips through ClipTokenizer") {
    auto v = learn_bpe({"a red disc on a light blue background", "a small purple bar in the top left"}, 60);
    EXPECT_EQ(v.tokens.size(), 512 + v.merges.size() + 2);
    const std::string dir = (kRoot / "tok").string();
    write_tokenizer_folder(dir, v, 24);
    auto tok = text::ClipTokenizer::from_folder(dir);
    EXPECT_EQ(tok.vocab_size(), static_cast<int64_t>(v.tokens.size()));
    EXPECT_EQ(tok.eos_id(), tok.vocab_size() - 1);
    EXPECT_EQ(tok.bos_id(), tok.vocab_size() - 2);
    EXPECT_EQ(tok.max_length(), 24);
    const std::string text = "a small purple bar in the top left";
    EXPECT_EQ(tok.decode(tok.encode_untruncated(text)), text);
    // Frequent words became single tokens: bos, 8 words, eos.
    EXPECT_EQ(tok.encode_untruncated(text).size(), 10u);
    EXPECT_EQ(clip_words("man's flag: cote d'ivoire 1st").size(), 10u);
}

TEST_CASE("every stage trains (loss decreases), resume == uninterrupted, export loads and generates") {
    torch::set_num_threads(1);  // tiny ops: one thread is fastest (and CI runs tests side by side)
    std::ostringstream log;
    // Uninterrupted run of all stages.
    TrainConfig ca = tiny((kRoot / "a").string());
    Trainer ta(ca, &log);
    std::map<std::string, StageReport> reps;
    for (const auto& s : stage_names()) reps[s] = ta.train(s);
    for (const auto& [s, r] : reps) {
        EXPECT_EQ(r.end_step, 40);
        EXPECT_MSG(r.last_loss < r.first_loss * 0.9, s << ": loss " << r.first_loss << " -> " << r.last_loss);
    }
    EXPECT(fs::exists(ca.work_dir + "/loss_decoder.csv"));

    // Interrupted run: 25 steps, then resumed to 40 from the checkpoint (new Trainer, new process state).
    TrainConfig cb = tiny((kRoot / "b").string());
    cb.clip.steps = 25;
    { Trainer tb(cb, &log); tb.train("clip"); }
    cb.clip.steps = 40;
    Trainer tb2(cb, &log);
    auto rb = tb2.train("clip");
    EXPECT_EQ(rb.start_step, 25);
    const double d = max_diff(ta.checkpoint("clip", "model"), tb2.checkpoint("clip", "model"));
    EXPECT_MSG(d < 1e-4, "resumed weights differ from the uninterrupted run by " << d);
    EXPECT_MSG(max_diff(ta.checkpoint("clip", "ema"), tb2.checkpoint("clip", "ema")) < 1e-4, "EMA differs");

    // Export (float32) -> the pipeline holds exactly the checkpoint's EMA weights, and generates.
    const std::string model = (kRoot / "model").string();
    ta.export_model(model, torch::kFloat32);
    pipeline::PipelineOptions po;
    po.model_dir = model;
    auto pipe = pipeline::UnclipPipeline::load(po);
    for (auto m : {pipeline::Mode::TextToImage, pipeline::Mode::Variation, pipeline::Mode::Interpolation,
                   pipeline::Mode::TextDiff, pipeline::Mode::Inpaint})
        EXPECT_MSG(pipe->supports(m), pipeline::mode_name(m) << ": " << pipe->missing_for(m));
    auto ema = ta.checkpoint("decoder", "ema").at("decoder");
    double wd = 0;
    for (const auto& p : pipe->impl().decoder->named_parameters())
        wd = std::max(wd, (p.value() - ema.at(p.key())).abs().max().item<double>());
    EXPECT_MSG(wd == 0.0, "exported decoder differs from the checkpoint by " << wd);
    EXPECT_EQ(pipe->image_size(), 32);
    EXPECT_EQ(pipe->decoder_size(), 16);
    pipeline::TextToImageRequest req;
    req.prompts = {"a red disc", "a blue bar on a yellow background"};
    req.sampling.prior_steps = 3;
    req.sampling.decoder_steps = 3;
    req.sampling.super_res_steps = 2;
    auto res = pipe->text_to_image(req);
    EXPECT_EQ(res.images.sizes(), (std::vector<int64_t>{2, 3, 32, 32}));
    EXPECT(torch::isfinite(res.images).all().item<bool>());

    // Float16 export is about half the size and loads too.
    const std::string model16 = (kRoot / "model16").string();
    ta.export_model(model16, torch::kHalf);
    EXPECT(fs::file_size(model16 + "/decoder/diffusion_pytorch_model.safetensors") <
           0.6 * fs::file_size(model + "/decoder/diffusion_pytorch_model.safetensors"));
    po.model_dir = model16;
    EXPECT(pipeline::UnclipPipeline::load(po)->supports(pipeline::Mode::TextToImage));

    // --init: a stage without a checkpoint starts from a model folder's weights (to keep training
    // a shipped model): the step-0 checkpoint holds exactly the exported EMA weights, the prior keeps
    // the folder's clip_mean / clip_std, and a folder of other sizes is an error naming the tensor.
    auto start_from = [&](const std::string& name, std::vector<int64_t> channels) {
        TrainConfig c = tiny((kRoot / name).string());
        c.sizes.decoder_channels = std::move(channels);
        c.init_dir = model;
        c.decoder.steps = c.prior.steps = 0;
        fs::create_directories(c.work_dir);
        fs::copy(ca.work_dir + "/tokenizer", c.work_dir + "/tokenizer", fs::copy_options::recursive);
        fs::copy_file(ta.checkpoint_path("clip"), c.work_dir + "/ckpt_clip.safetensors");
        return c;
    };
    {
        TrainConfig cc = start_from("c", {16, 32});
        Trainer tc(cc, &log);
        tc.train("decoder");
        tc.train("prior");
        EXPECT_MSG(max_diff(tc.checkpoint("decoder", "model"), ta.checkpoint("decoder", "ema")) == 0.0,
                   "decoder did not start from the folder's weights");
        EXPECT_MSG(max_diff(tc.checkpoint("prior", "model"), ta.checkpoint("prior", "ema")) == 0.0,
                   "prior (with clip_mean / clip_std) did not start from the folder's weights");
        TrainConfig cd = start_from("d", {8, 16});
        Trainer td(cd, &log);
        EXPECT_THROWS(ModelError, td.train("decoder"), "another shape");
    }

    // A damaged checkpoint (one tensor missing) is an error naming the tensor, not a silent restart.
    auto sd = io::load_safetensors(ta.checkpoint_path("prior"));
    std::map<std::string, std::string> meta = {{"step", "40"}};
    sd.erase("model/prior/proj_in.weight");
    io::save_safetensors(ta.checkpoint_path("prior"), sd, meta);
    EXPECT_THROWS(ModelError, ta.train("prior"), "proj_in.weight");
    std::cout << log.str().substr(0, 2000) << "\n";
}

TEST_CASE("super-res trains on crops, then samples whole pictures, the crop size is checked") {
    torch::set_num_threads(1);
    std::ostringstream log;
    TrainConfig c = tiny((kRoot / "crop").string());
    c.super_res_crop = 16;  // of a 32 px canvas
    c.super_res.steps = 60;
    Trainer t(c, &log);
    auto r = t.train("super_res");
    EXPECT_MSG(r.last_loss < r.first_loss * 0.9, "loss on crops " << r.first_loss << " -> " << r.last_loss);
    EXPECT_MSG(log.str().find("crops of 16 px") != std::string::npos, log.str().substr(0, 600));
    // The saved run keeps the option; the UNet (convolutional) runs on the whole 32 px picture.
    EXPECT_EQ(TrainConfig::from_json(c.to_json()).super_res_crop, 16);
    auto sd = t.checkpoint("super_res", "ema").at("super_res_first");
    models::UNet2DModel unet(models::UNet2DConfig::from_json(super_res_config(c.sizes), "super_res"));
    for (auto& p : unet->named_parameters()) p.value().set_data(sd.at(p.key()));
    torch::NoGradGuard ng;
    auto out = unet->forward(torch::randn({1, 6, 32, 32}), torch::tensor({500}));
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{1, 3, 32, 32}));
    EXPECT(torch::isfinite(out).all().item<bool>());
    for (int bad : {-8, 12, 40}) {
        nlohmann::json j = c.to_json();
        j["super_res_crop"] = bad;
        EXPECT_THROWS(RequestError, TrainConfig::from_json(j), "super_res_crop");
    }
    // The super-res predicts the clean picture by default (epsilon on request); the exported
    // scheduler says which, so the pipeline (and diffusers) sample it correctly.
    EXPECT_EQ(c.super_res_prediction, std::string("sample"));
    const std::string model = (kRoot / "crop_model").string();
    t.export_model(model, torch::kFloat32);
    std::ifstream sched(model + "/super_res_scheduler/scheduler_config.json");
    EXPECT_EQ(nlohmann::json::parse(sched).at("prediction_type").get<std::string>(), std::string("sample"));
    nlohmann::json j = c.to_json();
    j["super_res_prediction"] = "epsilon";
    EXPECT_EQ(TrainConfig::from_json(j).super_res_prediction, std::string("epsilon"));
    j["super_res_prediction"] = "v_prediction";
    EXPECT_THROWS(RequestError, TrainConfig::from_json(j), "super_res_prediction");
}

TEST_CASE("dataset and composer are deterministic and hold data out") {
    EmojiTiles tiles = EmojiTiles::load(make_dataset());
    Composer comp(tiles, 32);
    std::mt19937_64 r1(5), r2(5);
    auto a = comp.batch(8, r1), b = comp.batch(8, r2);
    EXPECT(torch::equal(a.images, b.images));
    EXPECT(a.captions == b.captions);
    for (int i = 0; i < 200; ++i) EXPECT(!comp.held_out(comp.sample(r1)));
    EXPECT_EQ(comp.caption(Composition{0, -1, 8, 0, 1}), std::string("a small red disc in the top left on a light blue background"));
    EXPECT_EQ(comp.caption(Composition{0, 3, -1, 1, 0}), std::string("a red disc and a green disc"));
    EXPECT_EQ(caption_phrase("pi\xC3\xB1" "ata C\xC3\xB4te d\xE2\x80\x99Ivoire"), std::string("pinata cote d'ivoire"));
    EXPECT_THROWS(ModelError, EmojiTiles::load((kRoot / "missing.safetensors").string()), "missing");
}

int main(int argc, char** argv) {
    const int rc = ::unclip::test::run_all(argc, argv);
    std::error_code ec;
    fs::remove_all(kRoot, ec);
    return rc;
}
