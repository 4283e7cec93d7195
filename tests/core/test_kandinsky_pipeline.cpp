// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 through UnclipPipeline: every pipeline case of the golden set equal to the
// reference from its seed, each editor mode on the tiny folders, output sizes, what a partial set
// of folders supports, and wrong folders refused with messages before any weights are read.
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/model_family.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/verify/verify_kandinsky_pipeline.h"
#include "tests/support/golden.h"
#include "tests/support/golden_pipeline.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace unclip;
namespace fs = std::filesystem;
namespace pl = unclip::pipeline;

namespace {

std::string folder(const char* name) { return test::kandinsky_golden_path(std::string("models/") + name); }
const char* kPrior = "kandinsky-2-2-prior";
const char* kDecoder = "kandinsky-2-2-decoder";
const char* kInpaint = "kandinsky-2-2-decoder-inpaint";

pl::PipelineOptions all_folders() { return test::kandinsky_golden_options(); }

pl::UnclipPipeline& shared() {
    static auto p = pl::UnclipPipeline::load(all_folders());
    return *p;
}

pl::Sampling few_steps(uint64_t seed = 7) {
    pl::Sampling s = pl::default_sampling(pl::ModelFamily::Kandinsky22);
    s.seed = seed;
    s.prior_steps = 2;
    s.decoder_steps = 3;
    return s;
}

torch::Tensor picture(const char* name) { return io::read_png(test::kandinsky_golden_path(std::string("cases/") + name + ".png")); }

// A scratch copy of a golden folder whose files the test may edit.
struct Scratch {
    fs::path root = fs::temp_directory_path() / ("unclip-test-kandinsky-" + std::to_string(::getpid()));
    Scratch() { fs::remove_all(root); }
    ~Scratch() { fs::remove_all(root); }
    std::string copy(const char* name) {
        const fs::path dst = root / name;
        fs::create_directories(dst.parent_path());
        fs::copy(folder(name), dst, fs::copy_options::recursive);
        return dst.string();
    }
};

nlohmann::json read_json(const std::string& path) {
    std::ifstream f(path);
    return nlohmann::json::parse(f);
}
void write_json(const std::string& path, const nlohmann::json& j) { std::ofstream(path) << j.dump(2); }

}  // namespace

TEST_CASE("every Kandinsky 2.2 pipeline case equals the reference from its seed") {
    verify::VerifyOptions o;
    o.golden_dir = test::kandinsky_golden_dir();
    const auto cases = pl::kandinsky_pipeline_cases(o.golden_dir);
    REQUIRE(!cases.empty());
    for (const auto& name : cases) {
        const auto rows = pl::verify_kandinsky_pipeline_case(o, name);
        for (const auto& r : rows)
            std::cerr << "    " << r.check << ": " << r.max_abs_error << " (tolerance " << r.tolerance << ")"
                      << (r.note.empty() ? "" : " " + r.note) << "\n";
        // Two rows (max and mean) per output tensor the case stores.
        size_t outputs = 0;
        for (const auto& entry : test::load_kandinsky_case(name).tensors) outputs += entry.first.rfind("output.", 0) == 0;
        EXPECT_EQ(rows.size(), 2 * outputs);
        EXPECT_PARITY(rows);
    }
}

TEST_CASE("the folders are recognised by their model_index.json in any slot") {
    pl::PipelineOptions o;
    o.model_dir = folder(kInpaint);  // slots swapped on purpose
    o.decoder_dir = folder(kPrior);
    o.inpaint_dir = folder(kDecoder);
    auto p = pl::UnclipPipeline::load(o);
    EXPECT(p->family() == pl::ModelFamily::Kandinsky22);
    for (pl::Mode m : pl::all_modes()) EXPECT_MSG(p->supports(m), pl::mode_name(m) << ": " << p->missing_for(m));
    // The model's own size: the UNet's sample_size times the MoVQ factor, as the golden config says.
    const auto unet = read_json(folder(kDecoder) + "/unet/config.json");
    const auto movq = read_json(folder(kDecoder) + "/movq/config.json");
    const int f = 1 << (movq.at("block_out_channels").size() - 1);
    EXPECT_EQ(p->image_size(), unet.at("sample_size").get<int>() * f);
}

TEST_CASE("a partial set of folders offers what it can and names what is missing") {
    pl::PipelineOptions o;
    o.model_dir = folder(kPrior);
    o.decoder_dir = folder(kDecoder);
    auto p = pl::UnclipPipeline::load(o);
    EXPECT(p->supports(pl::Mode::TextToImage));
    EXPECT(p->supports(pl::Mode::Variation));
    EXPECT(!p->supports(pl::Mode::Inpaint));
    EXPECT(p->missing_for(pl::Mode::Inpaint).find("kandinsky-2-2-decoder-inpaint") != std::string::npos);
    pl::InpaintRequest r;
    r.image = picture("img_c");
    r.mask = torch::zeros({r.image.size(0), r.image.size(1)});
    {  // a rectangle at the same place whatever the picture's size (rows 10..40, columns 20..60 of 101 x 150)
        const int64_t h = r.image.size(0), w = r.image.size(1);
        r.mask.slice(0, h / 10, 2 * h / 5).slice(1, 2 * w / 15, 2 * w / 5).fill_(1.0f);
    }
    r.sampling = few_steps();
    EXPECT_THROWS(ModelError, p->inpaint(r), "inpainting decoder");

    pl::PipelineOptions only_decoder;
    only_decoder.decoder_dir = folder(kDecoder);
    auto d = pl::UnclipPipeline::load(only_decoder);
    EXPECT(!d->supports(pl::Mode::TextToImage));
    EXPECT(d->missing_for(pl::Mode::TextToImage).find("prior") != std::string::npos);
    pl::TextToImageRequest t;
    t.prompts = {"a red cube"};
    t.sampling = few_steps();
    EXPECT_THROWS(ModelError, d->text_to_image(t), "prior");
}

TEST_CASE("text to image: rounded sizes, negative prompt, best of K, recipe with the family") {
    auto& p = shared();
    const int f2 = p.image_size() / read_json(folder(kDecoder) + "/unet/config.json").at("sample_size").get<int>();
    const int unit = f2 * f2;  // the reference rounds sizes up to f^2 pixels
    pl::TextToImageRequest r;
    r.prompts = {"a red cube", "a blue ball"};
    r.negative_prompt = "blurry";
    r.sampling = few_steps(11);
    r.sampling.width = 3 * unit + 1;  // rounded up to 4 units
    r.sampling.height = unit;
    const auto size = p.output_size(r.sampling);
    EXPECT_EQ(size.first, 4 * unit);
    EXPECT_EQ(size.second, unit);
    pl::Result a = p.text_to_image(r);
    EXPECT_EQ(a.images.size(0), 2);
    EXPECT_EQ(a.images.size(2), unit);
    EXPECT_EQ(a.images.size(3), 4 * unit);
    EXPECT(a.images.min().item<float>() >= 0.0f && a.images.max().item<float>() <= 1.0f);
    EXPECT_EQ(a.recipe.at("family").get<std::string>(), "kandinsky-2.2");
    EXPECT_EQ(a.recipe.at("sampling").at("width").get<int>(), 4 * unit);
    // Same request, same pictures; another negative prompt, other pictures.
    EXPECT(torch::equal(p.text_to_image(r).images, a.images));
    r.negative_prompt = "sharp";
    EXPECT(!torch::equal(p.text_to_image(r).images, a.images));
    // Best of K keeps, for each picture, the prior sample closest to its text.
    r.best_of = 3;
    pl::Result b = p.text_to_image(r);
    EXPECT_EQ(b.images.size(0), 2);
    EXPECT_EQ(b.image_embeddings.size(0), 2);
    // Kandinsky has no super-resolution stage to upscale.
    EXPECT_THROWS(RequestError, p.upscale_candidate(r, b, 0), "no super-resolution");
}

TEST_CASE("variations: plain, and structure-preserving through img2img") {
    auto& p = shared();
    pl::VariationRequest r;
    r.image = picture("img_c");
    r.num_images = 2;
    r.sampling = few_steps(3);
    pl::Result plain = p.variations(r);
    EXPECT_EQ(plain.images.size(0), 2);
    EXPECT_EQ(plain.images.size(2), p.image_size());
    EXPECT(!torch::equal(plain.images[0], plain.images[1]));
    // More structure = closer to the input picture.
    torch::Tensor input = torch::nn::functional::interpolate(
        r.image.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32) / 255.0f,
        torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{p.image_size(), p.image_size()}).mode(torch::kBilinear).align_corners(false));
    auto distance = [&](const pl::Result& res) { return (res.images - input).abs().mean().item<double>(); };
    r.sampling.decoder_steps = 10;
    r.structure_strength = 0.9f;
    const double near = distance(p.variations(r));
    r.structure_strength = 0.0f;
    const double far = distance(p.variations(r));
    std::cerr << "    mean distance to the input: structure 0.9 " << near << ", structure 0 " << far << "\n";
    EXPECT(near < far);
}

TEST_CASE("image to image: the prompt's content on the picture's layout") {
    auto& p = shared();
    pl::VariationRequest r;
    r.image = picture("img_c");
    r.structure_strength = 0.7f;
    r.sampling = few_steps(8);
    r.sampling.decoder_steps = 10;
    pl::Result own = p.variations(r);
    r.prompt = "a red cube";
    pl::Result prompted = p.variations(r);
    EXPECT_EQ(prompted.recipe.at("prompt").get<std::string>(), "a red cube");
    // The prior's sample, not the picture's embedding: not equal within the prior case's tolerance.
    const verify::CaseTolerance prior_tol =
        verify::case_tolerance(test::load_kandinsky_case("prior"), verify::VerifyOptions{}, 1e-4, 1e-4);
    EXPECT_MSG(!verify::compare(prompted.image_embeddings, own.image_embeddings, prior_tol.atol, prior_tol.rtol).ok,
               (prompted.image_embeddings - own.image_embeddings).abs().max().item<float>());
    // Three steps of ten at strength 0.3: the layout stays close to the picture's either way.
    EXPECT((prompted.images - own.images).abs().mean().item<float>() < 0.2f);
}

TEST_CASE("interpolation: smooth frames equal the same frame rendered alone") {
    auto& p = shared();
    pl::InterpolationRequest r;
    r.a.image = picture("img_a");
    r.b.text = "a green sphere";
    r.positions = {0.0f, 0.5f, 1.0f};
    r.sampling = few_steps(5);
    pl::Result all = p.interpolate(r);
    EXPECT_EQ(all.images.size(0), 3);
    r.positions = {0.5f};
    pl::Result one = p.interpolate(r);
    // (batched convolutions round differently: 1e-4 at most)
    EXPECT_CLOSE(one.images[0], all.images[1], 1e-3, 0.0);
    // The reference's mix is linear in the embeddings.
    r.smooth = false;
    r.positions = {0.25f};
    pl::Result mixed = p.interpolate(r);
    EXPECT_EQ(mixed.recipe.at("smooth").get<bool>(), false);
    EXPECT_CLOSE(mixed.image_embeddings[0], 0.75f * all.image_embeddings[0] + 0.25f * all.image_embeddings[2], 1e-5, 1e-5);
}

TEST_CASE("text diff and inpainting in a frame") {
    auto& p = shared();
    pl::TextDiffRequest d;
    d.image = picture("img_c");
    d.description = "a photo";
    d.target = "a painting";
    d.theta = 0.5f;
    d.sampling = few_steps(9);
    pl::Result diff = p.text_diff(d);
    EXPECT_EQ(diff.images.size(2), p.image_size());
    d.theta = 0.0f;
    EXPECT(!torch::equal(p.text_diff(d).images, diff.images));

    pl::InpaintRequest r;
    r.image = picture("img_c");
    r.mask = torch::zeros({r.image.size(0), r.image.size(1)});
    {  // rows 30..60, columns 40..90 of the 101 x 150 picture, scaled with its size
        const int64_t h = r.image.size(0), w = r.image.size(1);
        r.mask.slice(0, 3 * h / 10, 3 * h / 5).slice(1, 4 * w / 15, 3 * w / 5).fill_(1.0f);
    }
    r.sampling = few_steps(4);
    r.num_images = 2;
    pl::Result res = p.inpaint(r);
    REQUIRE(res.frame.has_value());
    const auto fr = *res.frame;
    EXPECT_EQ(res.images.size(0), 2);
    EXPECT_EQ(res.images.size(2), fr.height);
    EXPECT_EQ(res.images.size(3), fr.width);
    // Outside the mask the frame holds the input's pixels exactly.
    torch::Tensor original = r.image.slice(0, fr.y, fr.y + fr.height).slice(1, fr.x, fr.x + fr.width)
                                 .permute({2, 0, 1}).to(torch::kFloat32) / 255.0f;
    torch::Tensor keep = (r.mask.slice(0, fr.y, fr.y + fr.height).slice(1, fr.x, fr.x + fr.width) == 0).unsqueeze(0).expand_as(original);
    EXPECT(torch::equal(res.images[0].masked_select(keep), original.masked_select(keep)));
    // Inside it is a new picture: further from the input on average than the reference's own bound
    // for the same picture (the inpaint case's final_image_mean_abs).
    torch::Tensor inside = ~keep;
    const double inside_change = (res.images[0].masked_select(inside) - original.masked_select(inside)).abs().mean().item<double>();
    EXPECT_MSG(inside_change > verify::final_tolerance(test::load_kandinsky_case("pipeline_inpaint")).mean, inside_change);
    EXPECT_EQ(res.recipe.at("family").get<std::string>(), "kandinsky-2.2");
}

TEST_CASE("sequential offload gives the same pictures, and a cancelled run stops") {
    auto o = all_folders();
    o.sequential_offload = true;
    auto p = pl::UnclipPipeline::load(o);
    pl::TextToImageRequest r;
    r.prompts = {"a red cube"};
    r.sampling = few_steps(2);
    EXPECT(torch::equal(p->text_to_image(r).images, shared().text_to_image(r).images));
    pl::CancelToken token;
    int calls = 0;
    pl::RunControl control;
    control.cancel = &token;
    control.on_progress = [&](const pl::Progress& pr) {
        if (pr.stage == pl::Stage::Decoder && ++calls == 1) token.cancel();
    };
    EXPECT_THROWS(Cancelled, p->text_to_image(r, control), "");
    EXPECT_EQ(calls, 1);
}

TEST_CASE("previews: MoVQ pictures of the predicted latents when asked, the result unchanged") {
    auto& p = shared();
    pl::TextToImageRequest r;
    r.prompts = {"a red cube"};
    r.sampling = few_steps(12);
    r.sampling.decoder_steps = 6;
    std::vector<torch::Tensor> previews;
    std::vector<std::string> stages;
    pl::RunControl control;
    control.want_previews = true;
    control.on_progress = [&](const pl::Progress& pr) {
        stages.push_back(pl::stage_name(pr.stage));
        if (pr.preview.defined()) previews.push_back(pr.preview);
    };
    pl::Result with = p.text_to_image(r, control);
    EXPECT(torch::equal(with.images, p.text_to_image(r).images));
    // Every prior and decoder step is reported; the first decoder step always has its preview.
    EXPECT_EQ(static_cast<int>(std::count(stages.begin(), stages.end(), "decoder")), r.sampling.decoder_steps);
    EXPECT_EQ(static_cast<int>(std::count(stages.begin(), stages.end(), "prior")), r.sampling.prior_steps);
    REQUIRE(!previews.empty());
    for (const auto& pv : previews) {
        EXPECT_EQ(pv.dim(), 4);
        EXPECT_EQ(pv.size(0), 1);
        EXPECT(pv.min().item<float>() >= 0.0f && pv.max().item<float>() <= 1.0f);
    }
}

TEST_CASE("wrong Kandinsky folders are refused with what is wrong") {
    Scratch s;
    // The inpainting decoder's folder labelled as the plain decoder: its UNet takes 9 channels.
    const std::string relabelled = s.copy(kInpaint);
    auto index = read_json(relabelled + "/model_index.json");
    index["_class_name"] = "KandinskyV22Pipeline";
    write_json(relabelled + "/model_index.json", index);
    pl::PipelineOptions o;
    o.model_dir = folder(kPrior);
    o.decoder_dir = relabelled;
    EXPECT_THROWS(ModelError, pl::UnclipPipeline::load(o), "give it as the inpainting folder");

    // A decoder folder without its MoVQ.
    const std::string no_movq = s.copy(kDecoder);
    index = read_json(no_movq + "/model_index.json");
    index.erase("movq");
    write_json(no_movq + "/model_index.json", index);
    fs::remove_all(no_movq + "/movq");
    o.decoder_dir = no_movq;
    EXPECT_THROWS(ModelError, pl::UnclipPipeline::load(o), "no 'movq' component");

    // A decoder whose image-embedding width differs from the prior's.
    fs::remove_all(s.root / kDecoder);
    const std::string wide = s.copy(kDecoder);
    auto unet = read_json(wide + "/unet/config.json");
    unet["encoder_hid_dim"] = unet.at("encoder_hid_dim").get<int>() + 16;
    write_json(wide + "/unet/config.json", unet);
    o.decoder_dir = wide;
    EXPECT_THROWS(ModelError, pl::UnclipPipeline::load(o), "do not belong together");

    // Two families at once.
    o.decoder_dir = folder(kDecoder);
    o.image_encoder_dir = test::golden_path("models/unclip-text2img");
    EXPECT_THROWS(ModelError, pl::UnclipPipeline::load(o), "different model families");
}

UNCLIP_TEST_MAIN()
