// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/): small valid files made by our
// own writers (serialize_safetensors, write_png, libpng for the PNG flavours write_png does not
// produce), copies of golden configs and vocabularies, and a few hand-made broken ones.
//   fuzz_make_seeds <repo>/fuzz/corpus        (then commit what changed; keep it under 200 KB)
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#include "fuzz/fuzz_support.h"

#include <nlohmann/json.hpp>
#include <png.h>
#include <torch/torch.h>

#include <csetjmp>
#include <cstring>
#include <iostream>

namespace fs = std::filesystem;
using namespace unclip;

namespace {

fs::path root;

void put(const std::string& target, const std::string& name, const std::string& bytes) {
    fs::create_directories(root / target);
    fuzz::write_file(root / target / name, bytes);
}
void put(const std::string& target, const std::string& name, const std::vector<uint8_t>& bytes) {
    put(target, name, std::string(bytes.begin(), bytes.end()));
}
std::string le64(uint64_t n) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(n >> (8 * i));
    return s;
}
std::string raw_safetensors(const std::string& header, const std::string& data) {
    return le64(header.size()) + header + data;
}

void safetensors_seeds() {
    torch::manual_seed(0);
    io::StateDict sd;
    sd["a"] = torch::randn({2, 3});
    sd["b"] = torch::tensor({int64_t{1}, int64_t{-2}});
    sd["c.empty"] = torch::zeros({0, 4}, torch::kFloat16);
    sd["d.bool"] = torch::tensor({true, false, true});
    sd["e.scalar"] = torch::tensor(7, torch::kUInt8);
    put("safetensors", "small.safetensors", io::serialize_safetensors(sd, {{"format", "pt"}}));
    io::StateDict types;
    types["f64"] = torch::randn({2}, torch::kFloat64);
    types["bf16"] = torch::randn({3}).to(torch::kBFloat16);
    types["f16"] = torch::randn({1, 1, 2}).to(torch::kFloat16);
    types["i8"] = torch::tensor({-1, 2}, torch::kInt8);
    types["i16"] = torch::tensor({-300}, torch::kInt16);
    types["i32"] = torch::tensor({1 << 20}, torch::kInt32);
    put("safetensors", "dtypes.safetensors", io::serialize_safetensors(types));
    io::StateDict named;
    named["down_blocks.0.resnets.0.conv1.weight"] = torch::randn({2, 2, 1, 1});
    named["down_blocks.0.resnets.0.conv1.bias"] = torch::zeros({2});
    put("safetensors", "names.safetensors", io::serialize_safetensors(named));
    put("safetensors", "empty.safetensors", io::serialize_safetensors({}));
    put("safetensors", "metadata_only.safetensors", io::serialize_safetensors({}, {{"k", "v"}, {"x", ""}}));
    // Misaligned data section (header length 11): legal, copied on read.
    put("safetensors", "misaligned.safetensors",
        raw_safetensors(R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", std::string("\0\0\x80?", 4)));
    // Broken ones.
    put("safetensors", "bad_overlap.safetensors",
        raw_safetensors(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})",
                        std::string(8, 'x')));
    put("safetensors", "bad_past_end.safetensors",
        raw_safetensors(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, 'x')));
    put("safetensors", "bad_header_len.safetensors", le64(1ull << 62) + "{}");
    put("safetensors", "bad_dtype.safetensors",
        raw_safetensors(R"({"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", "x"));
    put("safetensors", "bad_duplicate.safetensors",
        raw_safetensors(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})", "xy"));
    put("safetensors", "bad_short", std::string("\x02\0\0", 3));
}

// A PNG written with libpng directly, for the flavours write_png does not produce.
std::string png_bytes(int w, int h, int color_type, int bit_depth, bool interlace, bool with_text) {
    const fs::path tmp = fuzz::scratch_dir() / "seed.png";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        std::cerr << "libpng failed writing a seed\n";
        std::abort();
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, bit_depth, color_type, interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color palette[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {9, 9, 9}};
    png_byte trans[2] = {0, 128};
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_PLTE(png, info, palette, 4);
        png_set_tRNS(png, info, trans, 2, nullptr);
    }
    png_text texts[2] = {};
    texts[0].compression = PNG_ITXT_COMPRESSION_NONE;
    texts[0].key = const_cast<char*>("Description");
    texts[0].text = const_cast<char*>("caf\xc3\xa9 \xf0\x9f\x98\x80");
    texts[0].lang = const_cast<char*>("fr");
    texts[0].lang_key = const_cast<char*>("");
    texts[1].compression = PNG_TEXT_COMPRESSION_zTXt;
    texts[1].key = const_cast<char*>("parameters");
    texts[1].text = const_cast<char*>("a red cube, seed 7");
    if (with_text) png_set_text(png, info, texts, 2);
    png_write_info(png, info);
    int channels = color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_PALETTE ? 1
                   : color_type == PNG_COLOR_TYPE_GRAY_ALPHA                               ? 2
                   : color_type == PNG_COLOR_TYPE_RGB                                      ? 3
                                                                                           : 4;
    const size_t row_bytes = (static_cast<size_t>(w) * channels * bit_depth + 7) / 8;
    std::vector<png_byte> row(row_bytes);
    const int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; ++pass)
        for (int y = 0; y < h; ++y) {
            for (size_t i = 0; i < row_bytes; ++i) row[i] = static_cast<png_byte>((i * 37 + y * 11) & (color_type == PNG_COLOR_TYPE_PALETTE ? 0x33 : 0xff));
            png_write_row(png, row.data());
        }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    return fuzz::read_file(tmp);
}

void png_seeds() {
    const fs::path tmp = fuzz::scratch_dir() / "seed_rgb.png";
    torch::Tensor img = torch::arange(3 * 5 * 4, torch::kFloat32).reshape({3, 5, 4}) / 60.0f;
    io::write_png(tmp.string(), img,
                  {{"parameters", "a red cube\nSteps: 25, Seed: 42"},
                   {"unclip:recipe", R"({"mode":"text2img","prompts":["a red cube"],"seed":42})"}});
    const std::string rgb = fuzz::read_file(tmp);
    put("png", "rgb_text.png", rgb);
    io::write_png(tmp.string(), torch::ones({3, 1, 1}), {{"long", std::string(600, 'z')}});  // zTXt (> 512 bytes)
    put("png", "rgb_ztxt.png", fuzz::read_file(tmp));
    put("png", "gray8.png", png_bytes(4, 3, PNG_COLOR_TYPE_GRAY, 8, false, false));
    put("png", "gray1_interlaced.png", png_bytes(9, 9, PNG_COLOR_TYPE_GRAY, 1, true, false));
    put("png", "palette_trns.png", png_bytes(4, 4, PNG_COLOR_TYPE_PALETTE, 2, false, true));
    put("png", "rgba16.png", png_bytes(3, 2, PNG_COLOR_TYPE_RGB_ALPHA, 16, false, true));
    put("png", "gray_alpha_interlaced.png", png_bytes(5, 7, PNG_COLOR_TYPE_GRAY_ALPHA, 8, true, false));
    put("png", "bad_truncated.png", rgb.substr(0, rgb.size() / 2));
    put("png", "bad_signature_only.png", std::string("\x89PNG\r\n\x1a\n", 8));
    put("png", "bad_not_png.png", "GIF89a");
}

void model_config_seeds() {
    const fs::path t2i = fs::path(fuzz::golden_dir()) / "models/unclip-text2img";
    const fs::path var = fs::path(fuzz::golden_dir()) / "models/unclip-variations";
    // Byte 0 selects the file (see targets() in fuzz_model_config.cpp).
    const std::vector<std::pair<std::string, fs::path>> files = {
        {"model_index", t2i / "model_index.json"},
        {"decoder", t2i / "decoder/config.json"},
        {"super_res_first", t2i / "super_res_first/config.json"},
        {"prior", t2i / "prior/config.json"},
        {"text_proj", t2i / "text_proj/config.json"},
        {"text_encoder", t2i / "text_encoder/config.json"},
        {"image_encoder", var / "image_encoder/config.json"},
        {"prior_scheduler", t2i / "prior_scheduler/scheduler_config.json"},
        {"feature_extractor", var / "feature_extractor/preprocessor_config.json"},
        {"tokenizer_config", t2i / "tokenizer/tokenizer_config.json"},
    };
    for (size_t i = 0; i < files.size(); ++i) {
        // Compact JSON keeps the seeds small and the mutations on values.
        const auto j = nlohmann::json::parse(fuzz::read_file(files[i].second));
        put("model_config", files[i].first + ".json", std::string(1, static_cast<char>(i)) + j.dump());
    }
    // Legacy (Karlo) preprocessor form and a few broken ones.
    put("model_config", "feature_extractor_legacy.json",
        std::string(1, 8) + R"({"crop_size":224,"do_center_crop":true,"do_normalize":true,"do_resize":true,)"
                            R"("image_mean":[0.48145466,0.4578275,0.40821073],"image_std":[0.26862954,0.26130258,0.27577711],"resample":3,"size":224})");
    put("model_config", "bad_index_escape.json", std::string(1, 0) + R"({"../x":["diffusers","UNet2DModel"],"prior":[null,null]})");
    put("model_config", "bad_index_class.json", std::string(1, 0) + R"({"decoder":["diffusers","UNet3DConditionModel"]})");
    put("model_config", "bad_decoder_types.json", std::string(1, 1) + R"({"block_out_channels":[8,1e300],"layers_per_block":"2"})");
    // (A prior with 2^62 heads, first written here, is now fuzz/regressions/model_config/.)
}

void tokenizer_seeds() {
    const std::vector<std::pair<std::string, std::string>> prompts = {
        {"plain.txt", "a photo of an astronaut riding a horse on mars"},
        {"specials.txt", "<|startoftext|>Hello<|endoftext|><|endoftext|> world"},
        {"unicode.txt", "Caf\xc3\xa9 \xc3\x85ngstr\xc3\xb6m \xe1\x84\x80\xe1\x85\xa1 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\xf0\x9f\x8e\xa8 \xc4\xb0stanbul"},
        {"contractions.txt", "it's they're we've I'm you'll he'd 'S 1234567 3.14 x2"},
        {"whitespace.txt", "  a\t\tb\n\n\xe2\x80\x83" "c\xc2\xa0" "d  "},
        {"invalid_utf8.txt", "ab\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 cd\xe2\x82"},
        {"long.txt", std::string(300, 'a') + " " + [] {
             std::string s;
             for (int i = 0; i < 100; ++i) s += "word" + std::to_string(i) + " ";
             return s;
         }()},
        {"empty.txt", ""},
    };
    for (const auto& [name, text] : prompts) put("tokenizer", name, text);
}

void tokenizer_vocab_seeds() {
    const std::string sep = "\n#~~\n";
    // A tiny vocabulary: a few byte symbols (the rest read as unk), three merges, the specials.
    const std::string vocab =
        R"({"a":0,"b":1,"c":2,"a</w>":3,"b</w>":4,"c</w>":5,"ab":6,"ab</w>":7,"abc</w>":8,"!":9,"<|startoftext|>":10,"<|endoftext|>":11})";
    const std::string merges = "#version: 0.2\na b\na b</w>\nab c</w>\n";
    put("tokenizer_vocab", "tiny.txt", vocab + sep + merges);
    put("tokenizer_vocab", "tiny_config.txt",
        vocab + sep + merges + sep + R"({"bos_token":{"content":"<|startoftext|>"},"pad_token":"!","model_max_length":16})");
    put("tokenizer_vocab", "tiny_crlf.txt", vocab + sep + "#version: 0.2\r\na b\r\n\r\nab c</w>");
    const fs::path small = fs::path(fuzz::golden_dir()) / "clip_bpe_small";
    const fs::path cfg = fs::path(fuzz::golden_dir()) / "models/unclip-text2img/tokenizer/tokenizer_config.json";
    put("tokenizer_vocab", "golden_small.txt",
        fuzz::read_file(small / "vocab.json") + sep + fuzz::read_file(small / "merges.txt") + sep + fuzz::read_file(cfg));
    put("tokenizer_vocab", "bad_unknown_merge.txt", vocab + sep + "a z\n");
    put("tokenizer_vocab", "bad_vocab_id.txt", R"({"a":-1})" + sep + "a b\n");
    put("tokenizer_vocab", "bad_no_specials.txt", R"({"a":0,"b":1,"ab":2})" + sep + "a b\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_make_seeds <repo>/fuzz/corpus\n";
        return 2;
    }
    root = argv[1];
    safetensors_seeds();
    png_seeds();
    model_config_seeds();
    tokenizer_seeds();
    tokenizer_vocab_seeds();
    uint64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) total += e.file_size();
    std::cout << "corpus: " << total << " bytes in " << root << "\n";
    return 0;
}
