// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PNG files through libpng (available on every build machine, including those without OpenCV):
// golden inputs, the CLI's inputs and outputs, generation parameters in text chunks. The editor
// reads every other format through the imaging layer (OpenCV).
#include <map>
#include <string>
#include <torch/types.h>

namespace unclip::io {

// The A1111-compatible generation text (core/io/parameters_text.h writes it); png_io never
// compresses this one, as some readers take plain tEXt only.
inline constexpr const char* kParametersKey = "parameters";

// Any PNG (gray, palette, alpha, 16-bit) -> uint8 [H, W, 3] RGB (alpha dropped, as the reference's
// convert("RGB")). Text chunks are returned in `text` when given. Throws unclip::Error naming the file.
torch::Tensor read_png(const std::string& path, std::map<std::string, std::string>* text = nullptr,
                       int64_t max_pixels = 100'000'000);
// The same with the alpha channel kept: uint8 [H, W, 4] RGBA (255 where the file has no alpha;
// tRNS transparency becomes alpha). For masks drawn as transparency (the DALL-E edit convention).
torch::Tensor read_png_rgba(const std::string& path, int64_t max_pixels = 100'000'000);
// float [3, H, W] in [0, 1] (or uint8 [H, W, 3], or uint8 [H, W, 4] for RGBA) -> 8-bit PNG with text
// chunks (UTF-8 values): tEXt when the text fits Latin-1, else iTXt; values over 512 bytes are
// compressed, except kParametersKey. Text read back is UTF-8 again. Written to a temporary file and
// renamed, so no half-written image is ever left behind.
void write_png(const std::string& path, const torch::Tensor& image, const std::map<std::string, std::string>& text = {});

// The same from and to bytes in memory (pictures inside JSON requests and server results). `what`
// names the data in messages ("field 'image'").
torch::Tensor decode_png(const std::string& bytes, const std::string& what, std::map<std::string, std::string>* text = nullptr,
                         int64_t max_pixels = 100'000'000);
std::string encode_png(const torch::Tensor& image, const std::map<std::string, std::string>& text = {});

// True when the file starts with the PNG signature.
bool is_png_file(const std::string& path);

}  // namespace unclip::io
