// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Video files through OpenCV's VideoWriter: the codec follows the extension (.avi: Motion JPEG,
// always available; .mp4/.m4v: MPEG-4 part 2; .mkv: Motion JPEG in Matroska).
#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace unclip::imaging {

// Frames: CV_8UC4 RGBA or CV_8UC3 RGB, all the same size. Sides are padded to even sizes where
// the codec needs it. Throws ImageError naming the file when no codec can write it.
void write_video(const std::string& path, const std::vector<cv::Mat>& frames, double fps = 10.0);

// Whether `path` has an extension write_video knows.
bool is_video_path(const std::string& path);

}  // namespace unclip::imaging
