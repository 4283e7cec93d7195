// SPDX-License-Identifier: GPL-3.0-or-later
// Corrupt model folders: broken copies of the golden text2img folder (truncated or hostile
// safetensors, malformed JSON, unknown classes, escaping component names, missing/extra/mis-shaped/
// mis-typed tensors, NaN weights, absurd config sizes). UnclipPipeline::load must refuse each with
// unclip::ModelError naming the problem and the file or component -- never crash, never another
// exception type. Each case also checks the unbroken copy loads, so a needle can't match by luck.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/io/safetensors.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/golden.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <unistd.h>  // getpid

using namespace unclip;
using namespace unclip::pipeline;
namespace fs = std::filesystem;

namespace {

const fs::path& work_root() {
    static const fs::path root = [] {
        fs::path p = fs::temp_directory_path() / ("unclip-test-bad-models-" + std::to_string(::getpid()));
        fs::remove_all(p);
        fs::create_directories(p);
        static const fs::path for_exit = p;
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(for_exit, ec);
        });
        return p;
    }();
    return root;
}

// A fresh writable copy of the golden text2img folder.
fs::path fresh_copy() {
    static int n = 0;
    const fs::path dst = work_root() / ("m" + std::to_string(n++));
    fs::copy(test::golden_path("models/unclip-text2img"), dst, fs::copy_options::recursive);
    fs::permissions(dst, fs::perms::owner_all, fs::perm_options::add);
    for (auto& e : fs::recursive_directory_iterator(dst))
        fs::permissions(e.path(), fs::perms::owner_write | fs::perms::owner_read, fs::perm_options::add);
    return dst;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
void write_all(const fs::path& p, const std::string& s) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << s;
}

std::string load_error(const fs::path& dir) {
    try {
        PipelineOptions po;
        po.model_dir = dir.string();
        (void)UnclipPipeline::load(po);
        return "no exception";
    } catch (const ModelError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("NOT A ModelError: ") + e.what();
    }
}

// Breaks a fresh copy with `breaker` and expects load to throw ModelError containing every needle.
void expect_refused(const std::string& what, const std::function<void(const fs::path&)>& breaker,
                    const std::vector<std::string>& needles, const char* file, int line) {
    const fs::path dir = fresh_copy();
    breaker(dir);
    const std::string msg = load_error(dir);
    if (std::getenv("UNCLIP_TEST_VERBOSE")) std::cerr << "  " << what << " -> " << msg << "\n";
    bool ok = msg.rfind("no exception", 0) != 0 && msg.rfind("NOT A ModelError", 0) != 0;
    for (const auto& n : needles) ok = ok && msg.find(n) != std::string::npos;
    if (!ok) {
        std::string list;
        for (const auto& n : needles) list += " '" + n + "'";
        test::report(file, line, what + ": expected ModelError containing" + list + ", got: " + msg);
    }
    fs::remove_all(dir);
}
// Not a macro around the whole call: braces in the lambdas and needle lists would split its arguments.
#define AT __FILE__, __LINE__

const char* kDecoderWeights = "decoder/diffusion_pytorch_model.safetensors";
const char* kPriorWeights = "prior/diffusion_pytorch_model.safetensors";

// Rewrites a weights file through our writer after `edit` changes the state dict.
void edit_weights(const fs::path& file, const std::function<void(io::StateDict&)>& edit) {
    io::StateDict sd;
    for (auto& [k, v] : io::load_safetensors(file.string())) sd[k] = v.clone();
    edit(sd);
    io::save_safetensors(file.string(), sd);
}

// Rewrites a safetensors header (JSON) in place, keeping the data section.
void edit_header(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
    const std::string bytes = read_all(file);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(bytes[i]);
    nlohmann::json h = nlohmann::json::parse(bytes.substr(8, n));
    edit(h);
    std::string hs = h.dump();
    while (hs.size() % 8) hs.push_back(' ');
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(static_cast<uint64_t>(hs.size()) >> (8 * i));
    write_all(file, out + hs + bytes.substr(8 + n));
}

void set_header_length(const fs::path& file, uint64_t n) {
    std::string bytes = read_all(file);
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(n >> (8 * i));
    write_all(file, bytes);
}

void edit_json(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(read_all(file));
    edit(j);
    write_all(file, j.dump(2));
}

}  // namespace

TEST_CASE("the unbroken copy loads (control)") {
    const fs::path dir = fresh_copy();
    EXPECT_EQ(load_error(dir), std::string("no exception"));
    fs::remove_all(dir);
}

TEST_CASE("truncated and hostile safetensors files name the file and the problem") {
    expect_refused("truncated in the data section",
                   [](const fs::path& d) {
                       const std::string b = read_all(d / kDecoderWeights);
                       write_all(d / kDecoderWeights, b.substr(0, b.size() - 100));
                   },
                   {kDecoderWeights, "truncated"}, AT);
    expect_refused("truncated inside the header",
                   [](const fs::path& d) { write_all(d / kDecoderWeights, read_all(d / kDecoderWeights).substr(0, 64)); },
                   {kDecoderWeights, "runs past the end"}, AT);
    expect_refused("header length 2^63",
                   [](const fs::path& d) { set_header_length(d / kDecoderWeights, 1ull << 63); },
                   {kDecoderWeights, "implausibly large"}, AT);
    expect_refused("header length all ones",
                   [](const fs::path& d) { set_header_length(d / kDecoderWeights, ~0ull); },
                   {kDecoderWeights, "implausibly large"}, AT);
    expect_refused("header length just past the end",
                   [](const fs::path& d) {
                       set_header_length(d / kDecoderWeights, fs::file_size(d / kDecoderWeights) - 7);
                   },
                   {kDecoderWeights, "runs past the end"}, AT);
    expect_refused("3-byte file", [](const fs::path& d) { write_all(d / kDecoderWeights, "abc"); },
                   {kDecoderWeights, "too short"}, AT);
    expect_refused("empty file", [](const fs::path& d) { write_all(d / kDecoderWeights, ""); },
                   {kDecoderWeights, "too short"}, AT);
    expect_refused("header is not JSON",
                   [](const fs::path& d) {
                       std::string b = read_all(d / kDecoderWeights);
                       for (size_t i = 8; i < 40; ++i) b[i] = '\x01';
                       write_all(d / kDecoderWeights, b);
                   },
                   {kDecoderWeights, "not valid JSON"}, AT);
    expect_refused("header is a JSON array",
                   [](const fs::path& d) { edit_header(d / kDecoderWeights, [](nlohmann::json& h) { h = nlohmann::json::array(); }); },
                   {kDecoderWeights, "not a JSON object"}, AT);
    expect_refused("data_offsets past the data section",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) {
                           h["conv_in.weight"]["data_offsets"][1] = uint64_t{1} << 40;
                       });
                   },
                   {kDecoderWeights, "conv_in.weight", "outside the data section"}, AT);
    expect_refused("data_offsets disagree with the shape",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) {
                           auto& s = h["conv_in.weight"]["shape"];
                           s[0] = s[0].get<int64_t>() * 2;
                       });
                   },
                   {kDecoderWeights, "conv_in.weight", "bytes but dtype"}, AT);
    expect_refused("overlapping tensors",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) {
                           h["conv_in.bias"]["data_offsets"] = h["conv_in.weight"]["data_offsets"];
                           h["conv_in.bias"]["shape"] = h["conv_in.weight"]["shape"];
                       });
                   },
                   {kDecoderWeights, "overlap"}, AT);
    expect_refused("negative shape",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) { h["conv_in.bias"]["shape"] = {-8}; });
                   },
                   {kDecoderWeights, "conv_in.bias", "negative"}, AT);
    expect_refused("astronomically large shape",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) {
                           h["conv_in.bias"]["shape"] = {uint64_t{1} << 40, uint64_t{1} << 40};
                       });
                   },
                   {kDecoderWeights, "conv_in.bias", "implausibly large"}, AT);
    expect_refused("unknown dtype",
                   [](const fs::path& d) {
                       edit_header(d / kDecoderWeights, [](nlohmann::json& h) { h["conv_in.bias"]["dtype"] = "F8_E4M3"; });
                   },
                   {kDecoderWeights, "conv_in.bias", "unknown dtype"}, AT);
    expect_refused("weights file is a folder",
                   [](const fs::path& d) {
                       fs::remove(d / kDecoderWeights);
                       fs::create_directory(d / kDecoderWeights);
                   },
                   {kDecoderWeights, "not a regular file"}, AT);
}

TEST_CASE("weights that do not fit the model list every tensor, with component and file") {
    expect_refused("missing tensor",
                   [](const fs::path& d) { edit_weights(d / kDecoderWeights, [](io::StateDict& sd) { sd.erase("conv_in.weight"); }); },
                   {"decoder", kDecoderWeights, "missing", "conv_in.weight"}, AT);
    expect_refused("extra tensor",
                   [](const fs::path& d) {
                       edit_weights(d / kPriorWeights, [](io::StateDict& sd) { sd["transformer_blocks.99.attn1.to_q.weight"] = torch::zeros({2, 2}); });
                   },
                   {"prior", kPriorWeights, "unexpected", "transformer_blocks.99.attn1.to_q.weight"}, AT);
    expect_refused("wrong shape",
                   [](const fs::path& d) {
                       edit_weights(d / kDecoderWeights, [](io::StateDict& sd) {
                           sd["conv_in.weight"] = sd["conv_in.weight"].flatten();
                       });
                   },
                   {"decoder", "wrong shape", "conv_in.weight"}, AT);
    expect_refused("integer tensor for a float weight",
                   [](const fs::path& d) {
                       edit_weights(d / kDecoderWeights, [](io::StateDict& sd) {
                           sd["conv_in.weight"] = sd["conv_in.weight"].to(torch::kInt64);
                       });
                   },
                   {"decoder", "wrong dtype", "conv_in.weight", "I64"}, AT);
    expect_refused("bool tensor for a float weight",
                   [](const fs::path& d) {
                       edit_weights(d / "text_proj/diffusion_pytorch_model.safetensors", [](io::StateDict& sd) {
                           auto& t = sd.begin()->second;
                           t = t > 0;
                       });
                   },
                   {"text_proj", "wrong dtype", "BOOL"}, AT);
    expect_refused("NaN weight",
                   [](const fs::path& d) {
                       edit_weights(d / kDecoderWeights, [](io::StateDict& sd) {
                           sd["conv_in.bias"][0] = std::numeric_limits<float>::quiet_NaN();
                       });
                   },
                   {"decoder", "NaN or infinite", "conv_in.bias"}, AT);
    expect_refused("infinite weight in the text encoder",
                   [](const fs::path& d) {
                       edit_weights(d / "text_encoder/model.safetensors", [](io::StateDict& sd) {
                           sd["text_projection.weight"][0][0] = std::numeric_limits<float>::infinity();
                       });
                   },
                   {"text_encoder", "NaN or infinite", "text_projection.weight"}, AT);
    expect_refused("NaN in half precision",
                   [](const fs::path& d) {
                       edit_weights(d / kPriorWeights, [](io::StateDict& sd) {
                           for (auto& [k, v] : sd) v = v.to(torch::kFloat16);
                           sd["proj_in.weight"][0][0] = std::numeric_limits<float>::quiet_NaN();
                       });
                   },
                   {"prior", "NaN or infinite", "proj_in.weight"}, AT);
    expect_refused("weights file missing",
                   [](const fs::path& d) { fs::remove(d / "text_encoder/model.safetensors"); },
                   {"text_encoder", "has no weights file"}, AT);
    expect_refused("only a sharded index",
                   [](const fs::path& d) {
                       fs::remove(d / kDecoderWeights);
                       write_all(d / "decoder/diffusion_pytorch_model.safetensors.index.json", "{}");
                   },
                   {"decoder", "sharded"}, AT);
    expect_refused("a .bin that is garbage",
                   [](const fs::path& d) {
                       fs::remove(d / kDecoderWeights);
                       write_all(d / "decoder/diffusion_pytorch_model.bin", "PK\x03\x04 not really a zip");
                   },
                   {"decoder/diffusion_pytorch_model.bin"}, AT);
}

TEST_CASE("half-precision weights load (they are converted), so the dtype check is not over-strict") {
    const fs::path dir = fresh_copy();
    edit_weights(dir / kPriorWeights, [](io::StateDict& sd) {
        for (auto& [k, v] : sd) v = v.to(torch::kFloat16);
    });
    edit_weights(dir / kDecoderWeights, [](io::StateDict& sd) {
        for (auto& [k, v] : sd) v = v.to(torch::kBFloat16);
    });
    EXPECT_EQ(load_error(dir), std::string("no exception"));
    fs::remove_all(dir);
}

TEST_CASE("malformed or unsupported configs name the file and the key") {
    expect_refused("config.json is not JSON",
                   [](const fs::path& d) { write_all(d / "decoder/config.json", "{\"in_channels\": 3,"); },
                   {"decoder/config.json", "not valid JSON"}, AT);
    expect_refused("config.json is empty", [](const fs::path& d) { write_all(d / "prior/config.json", ""); },
                   {"prior/config.json", "not valid JSON"}, AT);
    expect_refused("config.json is an array", [](const fs::path& d) { write_all(d / "prior/config.json", "[1, 2]"); },
                   {"prior/config.json", "not a JSON object"}, AT);
    expect_refused("config value of the wrong type",
                   [](const fs::path& d) { edit_json(d / "prior/config.json", [](nlohmann::json& j) { j["num_layers"] = "two"; }); },
                   {"prior/config.json", "num_layers"}, AT);
    expect_refused("fractional value for an integer key",
                   [](const fs::path& d) {
                       edit_json(d / "text_encoder/config.json", [](nlohmann::json& j) { j["num_hidden_layers"] = 1.5; });
                   },
                   {"text_encoder/config.json", "num_hidden_layers"}, AT);
    expect_refused("1e300 for an integer key",
                   [](const fs::path& d) {
                       edit_json(d / "text_proj/config.json", [](nlohmann::json& j) { j["clip_extra_context_tokens"] = 1e300; });
                   },
                   {"text_proj/config.json", "clip_extra_context_tokens"}, AT);
    expect_refused("integer too large for its key",
                   [](const fs::path& d) {
                       edit_json(d / "super_res_first/config.json", [](nlohmann::json& j) { j["norm_num_groups"] = uint64_t{1} << 63; });
                   },
                   {"super_res_first/config.json", "norm_num_groups"}, AT);
    expect_refused("unsupported block type",
                   [](const fs::path& d) {
                       edit_json(d / "decoder/config.json", [](nlohmann::json& j) { j["down_block_types"][0] = "CrossAttnDownBlock2D"; });
                   },
                   {"decoder/config.json", "down_block_types", "CrossAttnDownBlock2D"}, AT);
    expect_refused("unsupported scheduler setting",
                   [](const fs::path& d) {
                       edit_json(d / "decoder_scheduler/scheduler_config.json", [](nlohmann::json& j) { j["variance_type"] = "fixed_large"; });
                   },
                   {"decoder_scheduler/scheduler_config.json", "variance_type"}, AT);
    expect_refused("absurdly wide text encoder (LibTorch cannot allocate it)",
                   [](const fs::path& d) {
                       edit_json(d / "text_encoder/config.json", [](nlohmann::json& j) {
                           j["hidden_size"] = int64_t{1} << 40;
                           j["intermediate_size"] = int64_t{1} << 40;
                       });
                   },
                   {"text_encoder"}, AT);
    expect_refused("head count overflowing the prior's width",
                   [](const fs::path& d) {
                       edit_json(d / "prior/config.json", [](nlohmann::json& j) {
                           j["num_attention_heads"] = int64_t{1} << 62;
                           j["attention_head_dim"] = 64;
                       });
                   },
                   {"prior"}, AT);
    expect_refused("tokenizer vocabulary is not JSON",
                   [](const fs::path& d) { write_all(d / "tokenizer/vocab.json", "{\"a\": "); },
                   {"tokenizer/vocab.json", "not valid JSON"}, AT);
    expect_refused("tokenizer merges use unknown symbols",
                   [](const fs::path& d) { write_all(d / "tokenizer/merges.txt", "#version: 0.2\nqq zz\n"); },
                   {"tokenizer/merges.txt", "line 2"}, AT);
}

TEST_CASE("malformed model_index.json, unknown classes and escaping component names") {
    const auto index = [](const std::function<void(nlohmann::json&)>& edit) {
        return [edit](const fs::path& d) { edit_json(d / "model_index.json", edit); };
    };
    expect_refused("model_index.json is not JSON",
                   [](const fs::path& d) { write_all(d / "model_index.json", "{\"prior\": [\"diffusers\""); },
                   {"model_index.json", "not valid JSON"}, AT);
    expect_refused("model_index.json is a string", [](const fs::path& d) { write_all(d / "model_index.json", "\"x\""); },
                   {"model_index.json", "not a JSON object"}, AT);
    expect_refused("model_index.json missing", [](const fs::path& d) { fs::remove(d / "model_index.json"); },
                   {"model_index.json"}, AT);
    expect_refused("entry is not [library, class]", index([](nlohmann::json& j) { j["prior"] = "PriorTransformer"; }),
                   {"model_index.json", "'prior'", "[library, class]"}, AT);
    expect_refused("unknown model class", index([](nlohmann::json& j) { j["decoder"] = {"diffusers", "UNet3DConditionModel"}; }),
                   {"decoder", "UNet3DConditionModel", "does not know"}, AT);
    expect_refused("a known class in the wrong slot", index([](nlohmann::json& j) { j["decoder"] = {"diffusers", "UNet2DModel"}; }),
                   {"decoder", "UNet2DModel"}, AT);
    expect_refused("unknown scheduler class", index([](nlohmann::json& j) { j["prior_scheduler"] = {"diffusers", "DDPMScheduler"}; }),
                   {"prior_scheduler", "DDPMScheduler"}, AT);
    expect_refused("unknown tokenizer class", index([](nlohmann::json& j) { j["tokenizer"] = {"transformers", "T5Tokenizer"}; }),
                   {"tokenizer", "T5Tokenizer"}, AT);
    for (const std::string name : {"..", "../../etc", "/etc", "a/b", "dec\\oder", ".", "prior/../../x", "~root"})
        expect_refused("component name '" + name + "'", index([name](nlohmann::json& j) { j[name] = {"diffusers", "UNet2DModel"}; }),
                       {"model_index.json", "not a plain folder name"}, AT);
    expect_refused("listed component without a folder", [](const fs::path& d) { fs::remove_all(d / "super_res_last"); },
                   {"super_res_last", "folder is missing"}, AT);
    expect_refused("component folder without a config",
                   [](const fs::path& d) { fs::remove(d / "text_proj/config.json"); }, {"text_proj", "no config.json"}, AT);
    expect_refused("no unCLIP component at all",
                   [](const fs::path& d) { write_all(d / "model_index.json", R"({"_class_name": "UnCLIPPipeline"})"); },
                   {"holds none of the unCLIP components"}, AT);
}

UNCLIP_TEST_MAIN()
