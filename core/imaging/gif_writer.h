// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Animated GIF files (giflib): one global 256-colour palette chosen by median cut over every
// frame, each frame mapped to it with Floyd–Steinberg error diffusion, looping forever.
#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace unclip::imaging {

struct GifOptions {
    int frame_delay_ms = 100;  // GIF stores hundredths of a second (rounded, at least 1)
    int loop_count = 0;        // 0 = forever
    bool dither = true;        // Floyd–Steinberg; false = nearest colour
    int colors = 256;          // palette size, 2..256
};

// A palette of at most `colors` entries (RGB) that represents the pixels of `frames`
// (CV_8UC4 RGBA or CV_8UC3 RGB) well: median cut over a 5-bit-per-channel histogram.
std::vector<cv::Vec3b> median_cut_palette(const std::vector<cv::Mat>& frames, int colors);
// Palette indices (CV_8UC1) of an RGBA/RGB image.
cv::Mat quantize_to_palette(const cv::Mat& image, const std::vector<cv::Vec3b>& palette, bool dither);

// Writes `frames` (all the same size, CV_8UC4 RGBA or CV_8UC3 RGB) as an animated GIF. Writes to a
// temporary file beside `path` and renames it over `path`. Throws ImageError naming the file.
void write_gif(const std::string& path, const std::vector<cv::Mat>& frames, const GifOptions& options = {});

}  // namespace unclip::imaging
