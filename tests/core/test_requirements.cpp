// SPDX-License-Identifier: GPL-3.0-or-later
// What each request needs of the loaded components (core/pipeline/requirements.cpp), checked over
// the golden model with each component removed in turn: a request the pipeline says it can run
// runs, one it says it cannot is refused with a ModelError naming exactly what is missing, and a
// mode is offered (supports) exactly when some request of it can run.
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/golden.h"
#include "tests/support/golden_pipeline.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <unistd.h>

using namespace unclip;
using namespace unclip::pipeline;
namespace fs = std::filesystem;

namespace {

const fs::path& work_root() {
    static const fs::path root = [] {
        fs::path p = fs::temp_directory_path() / ("unclip-test-requirements-" + std::to_string(::getpid()));
        fs::remove_all(p);
        fs::create_directories(p);
        return p;
    }();
    return root;
}

nlohmann::json read_json(const fs::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

// One folder holding every component: the text-to-image folder plus the image encoder and feature
// extractor of the variations folder, as a user combining Karlo's two folders would have.
fs::path combined_folder() {
    const fs::path dst = work_root() / "all";
    if (fs::exists(dst)) return dst;
    const fs::path t2i = test::golden_path("models/unclip-text2img"), var = test::golden_path("models/unclip-variations");
    fs::copy(t2i, dst, fs::copy_options::recursive);
    nlohmann::json index = read_json(t2i / "model_index.json");
    const nlohmann::json var_index = read_json(var / "model_index.json");
    for (const char* c : {"image_encoder", "feature_extractor"}) {
        fs::copy(var / c, dst / c, fs::copy_options::recursive);
        index[c] = var_index.at(c);
    }
    fs::permissions(dst / "model_index.json", fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(dst / "model_index.json") << index.dump(2);
    return dst;
}

// The combined folder without `component` (its folder and its model_index entry).
fs::path without(const std::string& component) {
    const fs::path dst = work_root() / ("no-" + component);
    fs::remove_all(dst);
    fs::copy(combined_folder(), dst, fs::copy_options::recursive);
    for (auto& e : fs::recursive_directory_iterator(dst))
        fs::permissions(e.path(), fs::perms::owner_write | fs::perms::owner_read, fs::perm_options::add);
    fs::remove_all(dst / component);
    nlohmann::json index = read_json(dst / "model_index.json");
    index.erase(component);
    std::ofstream(dst / "model_index.json") << index.dump(2);
    return dst;
}

Sampling fast() { return test::fast_sampling(1, 2, 2, 2); }

struct Variant {
    std::string name;
    Mode mode;
    std::function<std::string(const UnclipPipeline&)> missing;
    std::function<void(UnclipPipeline&)> run;
};

std::vector<Variant> variants() {
    const torch::Tensor img = test::golden_image("img_a");
    std::vector<Variant> v;
    TextToImageRequest t2i;
    t2i.prompts = {"a red cube"};
    t2i.sampling = fast();
    v.push_back({"text to image", Mode::TextToImage, [=](const UnclipPipeline& p) { return p.missing_for(t2i); },
                 [=](UnclipPipeline& p) { p.text_to_image(t2i); }});
    VariationRequest var;
    var.image = img;
    var.sampling = fast();
    v.push_back({"variations", Mode::Variation, [=](const UnclipPipeline& p) { return p.missing_for(var); },
                 [=](UnclipPipeline& p) { p.variations(var); }});
    auto interp = [&](bool image_a, bool image_b) {
        InterpolationRequest r;
        if (image_a) r.a.image = img;
        else r.a.text = "a red cube";
        if (image_b) r.b.image = img.flip(1).contiguous();
        else r.b.text = "a blue ball";
        r.positions = {0.5f};
        r.sampling = fast();
        return r;
    };
    for (auto [a, b] : {std::pair{false, false}, std::pair{true, true}, std::pair{true, false}}) {
        const InterpolationRequest r = interp(a, b);
        v.push_back({std::string("interpolation ") + (a ? "image" : "text") + "-" + (b ? "image" : "text"),
                     Mode::Interpolation, [=](const UnclipPipeline& p) { return p.missing_for(r); },
                     [=](UnclipPipeline& p) { p.interpolate(r); }});
    }
    TextDiffRequest td;
    td.image = img;
    td.description = "a cube";
    td.target = "a ball";
    td.sampling = fast();
    v.push_back({"text diff", Mode::TextDiff, [=](const UnclipPipeline& p) { return p.missing_for(td); },
                 [=](UnclipPipeline& p) { p.text_diff(td); }});
    for (const char* prompt : {"a hat", ""}) {
        InpaintRequest r;
        r.image = img;
        r.mask = torch::zeros({img.size(0), img.size(1)});
        r.mask.slice(0, 2, 10).slice(1, 2, 10).fill_(1.0f);
        r.prompt = prompt;
        r.sampling = fast();
        v.push_back({std::string("inpaint ") + (*prompt ? "with" : "without") + " a prompt", Mode::Inpaint,
                     [=](const UnclipPipeline& p) { return p.missing_for(r); }, [=](UnclipPipeline& p) { p.inpaint(r); }});
    }
    return v;
}

std::string run_error(const Variant& v, UnclipPipeline& p) {
    try {
        v.run(p);
        return "";
    } catch (const ModelError& e) {
        return std::string("ModelError: ") + e.what();
    } catch (const std::exception& e) {
        return std::string("other error: ") + e.what();
    }
}

}  // namespace

TEST_CASE("with every component, every request runs and every mode is offered") {
    PipelineOptions o;
    o.model_dir = combined_folder().string();
    auto p = UnclipPipeline::load(o);
    for (const Variant& v : variants()) {
        EXPECT_MSG(v.missing(*p).empty(), v.name << ": " << v.missing(*p));
        const std::string err = run_error(v, *p);
        EXPECT_MSG(err.empty(), v.name << ": " << err);
        EXPECT(p->supports(v.mode));
    }
}

TEST_CASE("with one component removed, requests run or are refused exactly as missing_for says") {
    const nlohmann::json index = read_json(combined_folder() / "model_index.json");
    const auto all = variants();
    int refused = 0;
    for (const auto& [component, _] : index.items()) {
        if (component.rfind('_', 0) == 0) continue;  // _class_name, _diffusers_version
        PipelineOptions o;
        o.model_dir = without(component).string();
        std::unique_ptr<UnclipPipeline> p;
        try {
            p = UnclipPipeline::load(o);
        } catch (const ModelError& e) {
            EXPECT_MSG(false, "without " << component << " the folder does not load: " << e.what());
            continue;
        }
        std::map<Mode, bool> some_runs;
        for (const Variant& v : all) {
            const std::string missing = v.missing(*p);
            const std::string err = run_error(v, *p);
            if (missing.empty()) {
                EXPECT_MSG(err.empty(), "without " << component << ", " << v.name << " should run: " << err);
                some_runs[v.mode] = true;
            } else {
                ++refused;
                EXPECT_MSG(missing.find(component) != std::string::npos,
                           "without " << component << ", " << v.name << " names " << missing);
                EXPECT_MSG(err.rfind("ModelError: ", 0) == 0 && err.find(missing) != std::string::npos,
                           "without " << component << ", " << v.name << " refused with: " << err);
                some_runs.emplace(v.mode, false);
            }
        }
        for (const auto& [mode, runs] : some_runs)
            EXPECT_MSG(p->supports(mode) == runs, "without " << component << ", supports(" << mode_name(mode)
                                                             << ") = " << p->supports(mode) << " but a request runs: " << runs
                                                             << " (" << p->missing_for(mode) << ")");
    }
    // Without the prior, text diff and image interpolation still run; without the image encoder,
    // text interpolation and prompted inpainting do (the cases the editor used to grey out).
    EXPECT(refused > 0);
    PipelineOptions o;
    o.model_dir = without("prior").string();
    auto no_prior = UnclipPipeline::load(o);
    EXPECT(no_prior->supports(Mode::TextDiff));
    EXPECT(no_prior->supports(Mode::Interpolation));
    EXPECT(!no_prior->supports(Mode::TextToImage));
    o.model_dir = without("image_encoder").string();
    auto no_encoder = UnclipPipeline::load(o);
    EXPECT(no_encoder->supports(Mode::Interpolation));
    EXPECT(no_encoder->supports(Mode::Inpaint));
    EXPECT(!no_encoder->supports(Mode::TextDiff));
    EXPECT(!no_encoder->supports(Mode::Variation));
    fs::remove_all(work_root());
}

UNCLIP_TEST_MAIN()
