// SPDX-License-Identifier: GPL-3.0-or-later
// The diffusers folder reader on the golden models, and its errors on broken folders.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/io/safetensors.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>  // getpid

using namespace unclip;
namespace fs = std::filesystem;

namespace {

// The safetensors header parsed independently of the reader: name -> (dtype, shape).
std::map<std::string, std::pair<std::string, std::vector<int64_t>>> raw_header(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    std::string h(n, '\0');
    in.read(h.data(), static_cast<std::streamsize>(n));
    auto j = nlohmann::json::parse(h);
    std::map<std::string, std::pair<std::string, std::vector<int64_t>>> out;
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.key() != "__metadata__")
            out[it.key()] = {it.value()["dtype"].get<std::string>(), it.value()["shape"].get<std::vector<int64_t>>()};
    return out;
}

fs::path copy_golden_folder(const std::string& name) {
    fs::path dst = fs::temp_directory_path() / ("unclip-test-mf-" + std::to_string(::getpid())) / name;
    fs::remove_all(dst);
    fs::create_directories(dst.parent_path());
    fs::copy(test::golden_path("models/unclip-text2img"), dst, fs::copy_options::recursive);
    for (auto& e : fs::recursive_directory_iterator(dst))
        fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    fs::permissions(dst, fs::perms::owner_write, fs::perm_options::add);
    return dst;
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace

TEST_CASE("golden text2img folder: every component, config and tensor") {
    io::ModelFolder f(test::golden_path("models/unclip-text2img"));
    EXPECT_EQ(f.pipeline_class(), std::string("UnCLIPPipeline"));
    const std::vector<std::string> expected = {"decoder", "decoder_scheduler", "prior", "prior_scheduler",
                                               "super_res_first", "super_res_last", "super_res_scheduler",
                                               "text_encoder", "text_proj", "tokenizer"};
    for (const auto& name : expected) EXPECT_MSG(f.has(name), name);
    EXPECT_EQ(f.components().size(), expected.size());
    EXPECT_EQ(f.component("text_proj").class_name, std::string("UnCLIPTextProjModel"));
    EXPECT_EQ(f.config("decoder")["_class_name"].get<std::string>(), std::string("UNet2DConditionModel"));
    EXPECT_EQ(f.config("prior_scheduler")["variance_type"].get<std::string>(), std::string("fixed_small_log"));
    size_t total = 0;
    for (const char* name : {"decoder", "prior", "super_res_first", "super_res_last", "text_encoder", "text_proj"}) {
        const std::string path = f.weights_path(name);
        EXPECT_MSG(path.find(".safetensors") != std::string::npos, path);
        auto weights = f.weights(name);
        auto header = raw_header(path);
        EXPECT_MSG(weights.size() == header.size(), name);
        for (const auto& [key, info] : header) {
            auto it = weights.find(key);
            if (it == weights.end()) {
                EXPECT_MSG(false, name << ": missing " << key);
                continue;
            }
            EXPECT_MSG(it->second.sizes().vec() == info.second, name << "." << key);
            EXPECT_MSG(io::safetensors_dtype_name(it->second.scalar_type()) == info.first, name << "." << key);
        }
        total += weights.size();
    }
    EXPECT(total > 100);
}

TEST_CASE("golden variations folder has the image encoder and preprocessor") {
    io::ModelFolder f(test::golden_path("models/unclip-variations"));
    EXPECT(f.has("image_encoder"));
    EXPECT(!f.has("prior"));
    EXPECT(f.config("feature_extractor").contains("image_mean"));
    EXPECT_THROWS(ModelError, f.component("prior"), "has no component 'prior'");
}

TEST_CASE("broken folders give errors that name what is wrong") {
    EXPECT_THROWS(ModelError, io::ModelFolder("/nonexistent/karlo"), "does not exist");
    fs::path d = copy_golden_folder("broken");
    {
        fs::rename(d / "prior" / "diffusion_pytorch_model.safetensors", d / "prior" / "other.safetensors");
        io::ModelFolder f(d.string());
        EXPECT_THROWS(ModelError, f.weights("prior"), "component 'prior'");
        EXPECT_THROWS(ModelError, f.weights("prior"), "has no weights file");
    }
    {
        fs::remove_all(d / "text_proj");
        io::ModelFolder f(d.string());
        EXPECT_THROWS(ModelError, f.config("text_proj"), "its folder is missing");
    }
    {
        write_file(d / "decoder" / "config.json", "{\"block_out_channels\": [8, ");
        io::ModelFolder f(d.string());
        EXPECT_THROWS(ModelError, f.config("decoder"), "decoder/config.json' is not valid JSON");
    }
    {
        write_file(d / "model_index.json", R"({"_class_name": "UnCLIPPipeline", "../../etc": ["diffusers", "X"]})");
        EXPECT_THROWS(ModelError, io::ModelFolder(d.string()), "is not a plain folder name");
        write_file(d / "model_index.json", R"({"prior": "PriorTransformer"})");
        EXPECT_THROWS(ModelError, io::ModelFolder(d.string()), "entry 'prior' is not [library, class]");
        write_file(d / "model_index.json", "not json");
        EXPECT_THROWS(ModelError, io::ModelFolder(d.string()), "model_index.json' is not valid JSON");
        fs::remove(d / "model_index.json");
        EXPECT_THROWS(ModelError, io::ModelFolder(d.string()), "has no model_index.json");
    }
    fs::remove_all(d.parent_path());
}

TEST_CASE("a .bin that is not a zip state dict is refused with a clear message") {
    fs::path d = fs::temp_directory_path() / ("unclip-test-bin-" + std::to_string(::getpid()));
    fs::create_directories(d);
    write_file(d / "model.bin", "\x80\x02}q\x00.");  // an old-style (non-zip) pickle
    EXPECT_THROWS(ModelError, io::load_weights_file((d / "model.bin").string()), "not a zip-format torch.save file");
    write_file(d / "model2.bin", "PK\x03\x04garbage");
    EXPECT_THROWS(ModelError, io::load_weights_file((d / "model2.bin").string()), "cannot read PyTorch file");
    fs::remove_all(d);
}

TEST_CASE("a zip state dict written by LibTorch's pickler loads by name") {
    // torch::pickle_save writes the same zip layout torch.save uses for a dict of tensors.
    c10::Dict<std::string, at::Tensor> dict;
    dict.insert("layer.weight", torch::arange(6, torch::kFloat32).reshape({2, 3}));
    dict.insert("layer.bias", torch::ones({2}, torch::kFloat16));
    std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    fs::path p = fs::temp_directory_path() / ("unclip-test-" + std::to_string(::getpid()) + ".bin");
    {
        std::ofstream out(p, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    auto sd = io::load_weights_file(p.string());
    EXPECT_EQ(sd.size(), size_t(2));
    EXPECT(torch::equal(sd.at("layer.weight"), dict.at("layer.weight")));
    EXPECT(sd.at("layer.bias").scalar_type() == torch::kFloat16);
    fs::remove(p);
}

UNCLIP_TEST_MAIN()
