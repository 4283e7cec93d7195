// SPDX-License-Identifier: GPL-3.0-or-later
// safetensors reader/writer: round trip for every dtype, and a specific error for each kind of
// malformed file (built inside the test).
#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>  // getpid

using namespace unclip;
using unclip::io::SafetensorsFile;

namespace {

std::string temp_path(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("unclip-test-st-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

// A file image with the given header JSON and `data_bytes` zero bytes of data.
std::vector<uint8_t> raw_file(const std::string& header, size_t data_bytes, int64_t claimed_len = -1) {
    std::vector<uint8_t> out(8 + header.size() + data_bytes, 0);
    uint64_t n = claimed_len >= 0 ? static_cast<uint64_t>(claimed_len) : header.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
    std::memcpy(out.data() + 8, header.data(), header.size());
    return out;
}

void expect_error(const std::vector<uint8_t>& bytes, const std::string& needle, const char* file, int line) {
    std::string got;
    bool ok = test::throws_with<ModelError>([&] { SafetensorsFile::from_bytes(bytes, "bad.safetensors"); }, needle, &got);
    if (!ok) test::report(file, line, "expected error containing '" + needle + "', got: " + got);
    else if (got.find("bad.safetensors") == std::string::npos)
        test::report(file, line, "error does not name the file: " + got);
}
#define EXPECT_FILE_ERROR(bytes, needle) expect_error((bytes), (needle), __FILE__, __LINE__)

}  // namespace

TEST_CASE("round trip keeps every dtype, shape and value, through a real file") {
    io::StateDict in;
    in["f32"] = torch::randn({3, 4});
    in["f16"] = torch::randn({2, 5}).to(torch::kFloat16);
    in["bf16"] = torch::randn({7}).to(torch::kBFloat16);
    in["f64"] = torch::randn({2, 2}, torch::kFloat64);
    in["i64"] = torch::arange(-5, 5, torch::kInt64).reshape({2, 5});
    in["i32"] = torch::arange(0, 6, torch::kInt32);
    in["u8"] = torch::arange(0, 250, 7, torch::kInt32).to(torch::kUInt8);
    in["bool"] = torch::tensor({true, false, true});
    in["scalar"] = torch::tensor(3.5f);
    in["empty"] = torch::zeros({0, 3});
    const std::string path = temp_path("roundtrip.safetensors");
    io::save_safetensors(path, in, {{"format", "pt"}});
    auto f = SafetensorsFile::open(path);
    EXPECT_EQ(f->metadata().at("format"), std::string("pt"));
    EXPECT_EQ(f->entries().size(), in.size());
    for (const auto& [name, t] : in) {
        torch::Tensor got = f->tensor(name);
        EXPECT_MSG(got.scalar_type() == t.scalar_type(), name);
        EXPECT_MSG(got.sizes() == t.sizes(), name);
        EXPECT_MSG(torch::equal(got, t), name);
    }
    EXPECT_EQ(f->entry("bf16").dtype, std::string("BF16"));
    EXPECT_EQ(f->entry("u8").dtype, std::string("U8"));
}

TEST_CASE("mapped tensors are copy-on-write: modifying one never changes the file") {
    const std::string path = temp_path("cow.safetensors");
    io::save_safetensors(path, {{"x", torch::ones({16})}});
    {
        auto t = io::load_safetensors(path)["x"];
        t.mul_(5);
        EXPECT(t[0].item<float>() == 5.0f);
    }
    EXPECT(io::load_safetensors(path)["x"][0].item<float>() == 1.0f);
}

TEST_CASE("reads the golden model weights with their names, shapes and dtypes") {
    auto f = SafetensorsFile::open(test::golden_path("models/unclip-text2img/prior/diffusion_pytorch_model.safetensors"));
    EXPECT(f->contains("clip_mean"));
    EXPECT(f->entry("clip_mean").scalar_type == torch::kFloat32);
    EXPECT(f->tensor("clip_mean").dim() == 2);
}

TEST_CASE("malformed files give an error naming the file and the problem") {
    EXPECT_FILE_ERROR(std::vector<uint8_t>(5, 0), "too short");
    EXPECT_FILE_ERROR(raw_file("{}", 0, 1000), "runs past the end of the file");
    EXPECT_FILE_ERROR(raw_file("{}", 0, int64_t(1) << 40), "implausibly large");
    EXPECT_FILE_ERROR(raw_file("{\"a\": {\"dtype\": ", 0), "not valid JSON");
    EXPECT_FILE_ERROR(raw_file("[1, 2]", 0), "not a JSON object");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "Q7", "shape": [2], "data_offsets": [0, 8]}})", 8), "unknown dtype 'Q7'");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})", 4),
                      "tensor 'w': data_offsets [0, 8] lie outside the data section");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", 8),
                      "tensor 'w': holds 8 bytes but dtype F32 and its shape need 12");
    EXPECT_FILE_ERROR(raw_file(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                   "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})", 12),
                      "overlap");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", 8),
                      "end before they begin");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", 8),
                      "non-integer or negative");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})", 4), "missing shape");
    EXPECT_FILE_ERROR(raw_file(R"({"__metadata__": {"k": 1}})", 0), "__metadata__ value 'k' is not a string");
    EXPECT_FILE_ERROR(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                   "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})", 8),
                      "duplicate tensor name 'w'");
}

TEST_CASE("a missing or truncated file on disk is reported with its path") {
    EXPECT_THROWS(ModelError, SafetensorsFile::open("/nonexistent/x.safetensors"), "/nonexistent/x.safetensors");
    const std::string path = temp_path("trunc.safetensors");
    io::save_safetensors(path, {{"x", torch::ones({64})}});
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
    EXPECT_THROWS(ModelError, SafetensorsFile::open(path), "outside the data section");
}

TEST_CASE("misaligned tensor data is copied, not mis-read") {
    // Header padded so the data section starts at an odd address relative to float alignment.
    io::StateDict in{{"a", torch::tensor({1, 2, 3}, torch::kUInt8)}, {"b", torch::tensor({1.5f, -2.5f})}};
    auto bytes = io::serialize_safetensors(in);
    auto f = SafetensorsFile::from_bytes(bytes, "mem");
    EXPECT(torch::equal(f->tensor("b"), in["b"]));
    EXPECT(torch::equal(f->tensor("a"), in["a"]));
}

UNCLIP_TEST_MAIN()
