#pragma once
// PNG files through libpng (available on every build machine, including those without OpenCV):
// golden inputs, the CLI's inputs and outputs, generation parameters in text chunks. The editor
// reads every other format through the imaging layer (OpenCV).
#include <map>
#include <string>
#include <torch/types.h>

namespace unclip::io {

// Any PNG (gray, palette, alpha, 16-bit) -> uint8 [H, W, 3] RGB (alpha dropped, as the reference's
// convert("RGB")). Text chunks are returned in `text` when given. Throws unclip::Error naming the file.
torch::Tensor read_png(const std::string& path, std::map<std::string, std::string>* text = nullptr,
                       int64_t max_pixels = 100'000'000);
// float [3, H, W] in [0, 1] (or uint8 [H, W, 3]) -> 8-bit RGB PNG with tEXt chunks. Written to a
// temporary file and renamed, so no half-written image is ever left behind.
void write_png(const std::string& path, const torch::Tensor& image, const std::map<std::string, std::string>& text = {});

// True when the file starts with the PNG signature.
bool is_png_file(const std::string& path);

}  // namespace unclip::io
