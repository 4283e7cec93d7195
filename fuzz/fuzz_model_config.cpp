// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the model folder reader and the typed config parsers. The first input byte picks a
// file of a scratch copy of the golden model folder (model_index.json or one component's config),
// the rest becomes that file's content; then io::ModelFolder + pipeline::describe_component read
// the folder as `unclip inspect` and the pipeline loader do. The same bytes, when they parse as
// JSON, also go straight into every typed config parser (UNet2DConditionConfig, UNet2DConfig,
// PriorTransformerConfig, UnCLIPTextProjConfig, CLIPTextConfig, CLIPVisionConfig,
// UnCLIPSchedulerConfig, CLIPImageProcessorConfig) and the sizes the module constructors derive
// from them. Anything but unclip::ModelError escaping, or undefined behaviour, is a finding.
// Building the modules (allocating weights) is not fuzzed: an absurd but well-formed size would
// only measure the allocator (tests/core/test_bad_models.cpp covers that path).
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/models/clip/clip_image_processor.h"
#include "core/models/clip/clip_text_model.h"
#include "core/models/clip/clip_vision_model.h"
#include "core/models/prior/prior_transformer.h"
#include "core/models/prior/text_proj_model.h"
#include "core/models/unet/unet2d_condition_model.h"
#include "core/models/unet/unet2d_model.h"
#include "core/pipeline/component_check.h"
#include "core/schedulers/unclip_scheduler.h"
#include "fuzz/fuzz_support.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace unclip;

namespace {

struct Target {
    std::string component;  // "" for model_index.json
    std::string file;       // relative to the folder
};

const std::vector<Target>& targets() {
    static const std::vector<Target> t = {
        {"", "model_index.json"},
        {"decoder", "decoder/config.json"},
        {"super_res_first", "super_res_first/config.json"},
        {"prior", "prior/config.json"},
        {"text_proj", "text_proj/config.json"},
        {"text_encoder", "text_encoder/config.json"},
        {"image_encoder", "image_encoder/config.json"},
        {"prior_scheduler", "prior_scheduler/scheduler_config.json"},
        {"feature_extractor", "feature_extractor/preprocessor_config.json"},
        {"tokenizer", "tokenizer/tokenizer_config.json"},
    };
    return t;
}

// The golden text2img folder plus the variations folder's image_encoder and feature_extractor,
// copied once; `originals` keeps every target file's bytes to restore after each input.
struct Folder {
    fs::path dir;
    std::vector<std::string> originals;
};

const Folder& folder() {
    static const Folder f = [] {
        Folder f;
        f.dir = fuzz::scratch_dir() / "model";
        const fs::path t2i = fs::path(fuzz::golden_dir()) / "models/unclip-text2img";
        const fs::path var = fs::path(fuzz::golden_dir()) / "models/unclip-variations";
        fs::copy(t2i, f.dir, fs::copy_options::recursive);
        fs::copy(var / "image_encoder", f.dir / "image_encoder", fs::copy_options::recursive);
        fs::copy(var / "feature_extractor", f.dir / "feature_extractor", fs::copy_options::recursive);
        for (const auto& e : fs::recursive_directory_iterator(f.dir))
            fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
        nlohmann::json index = nlohmann::json::parse(fuzz::read_file(f.dir / "model_index.json"));
        index["image_encoder"] = {"transformers", "CLIPVisionModelWithProjection"};
        index["feature_extractor"] = {"transformers", "CLIPImageProcessor"};
        fuzz::write_file(f.dir / "model_index.json", index.dump(2));
        for (const auto& t : targets()) f.originals.push_back(fuzz::read_file(f.dir / t.file));
        return f;
    }();
    return f;
}

template <typename F>
void expect_model_error_only(F&& fn) {
    try {
        fn();
    } catch (const ModelError&) {
    }
}

// Every typed parser on one JSON value, plus the derived sizes the constructors compute.
void parse_all(const nlohmann::json& j) {
    expect_model_error_only([&] {
        auto c = models::UNet2DConditionConfig::from_json(j, "fuzz");
        (void)c.time_embed_dim();
    });
    expect_model_error_only([&] {
        auto c = models::UNet2DConfig::from_json(j, "fuzz");
        (void)c.time_embed_dim();
    });
    expect_model_error_only([&] {
        auto c = models::PriorTransformerConfig::from_json(j, "fuzz");
        (void)c.inner_dim();
        (void)c.resolved_time_embed_dim();
        (void)c.resolved_embedding_proj_dim();
        (void)c.resolved_clip_embed_dim();
        (void)c.sequence_length();
    });
    expect_model_error_only([&] { (void)models::UnCLIPTextProjConfig::from_json(j, "fuzz"); });
    expect_model_error_only([&] { (void)models::CLIPTextConfig::from_json(j, "fuzz"); });
    expect_model_error_only([&] {
        auto c = models::CLIPVisionConfig::from_json(j, "fuzz");
        (void)c.num_patches();
    });
    expect_model_error_only([&] { (void)schedulers::UnCLIPSchedulerConfig::from_json(j, "fuzz"); });
    expect_model_error_only([&] { (void)models::CLIPImageProcessorConfig::from_json(j, "fuzz"); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const Folder& f = folder();
    const size_t which = data[0] % targets().size();
    const Target& target = targets()[which];
    const std::string content(reinterpret_cast<const char*>(data) + 1, size - 1);

    // Straight into the parsers (no exceptions from the JSON parser itself: invalid JSON is skipped).
    const nlohmann::json j = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) parse_all(j);

    // Through the folder, as `unclip inspect` reads it.
    fuzz::write_file(f.dir / target.file, content);
    expect_model_error_only([&] {
        io::ModelFolder folder(f.dir.string());
        for (const auto& c : folder.components()) {
            if (!target.component.empty() && c.name != target.component) continue;
            expect_model_error_only([&] {
                auto s = pipeline::describe_component(folder, c.name);
                FUZZ_CHECK(!s.has_weights || !s.weights_path.empty());
            });
        }
    });
    fuzz::write_file(f.dir / target.file, f.originals[which]);
    return 0;
}
