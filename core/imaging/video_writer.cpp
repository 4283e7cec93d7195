// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/video_writer.h"

#include "core/imaging/image_error.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace unclip::imaging {

namespace {
std::string extension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || path.find_first_of("/\\", dot) != std::string::npos) return {};
    std::string e = path.substr(dot + 1);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return e;
}

int fourcc_for(const std::string& ext) {
    if (ext == "mp4" || ext == "m4v") return cv::VideoWriter::fourcc('m', 'p', '4', 'v');
    return cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
}
}  // namespace

bool is_video_path(const std::string& path) {
    const std::string e = extension(path);
    return e == "avi" || e == "mp4" || e == "m4v" || e == "mkv";
}

void write_video(const std::string& path, const std::vector<cv::Mat>& frames, double fps) {
    if (frames.empty()) throw ImageError("cannot write " + path + ": no frames");
    if (!is_video_path(path)) throw ImageError("cannot write " + path + ": unknown video type (use .avi, .mp4 or .mkv)");
    const cv::Size size = frames[0].size();
    for (const cv::Mat& f : frames)
        if (f.size() != size || f.depth() != CV_8U || (f.channels() != 3 && f.channels() != 4))
            throw ImageError("cannot write " + path + ": frames must be 8-bit RGB/RGBA of one size");
    const cv::Size even((size.width + 1) & ~1, (size.height + 1) & ~1);
    cv::VideoWriter writer;
    if (!writer.open(path, fourcc_for(extension(path)), std::max(1.0, fps), even, true) || !writer.isOpened())
        throw ImageError("cannot write " + path + ": no video encoder for this type is available");
    cv::Mat bgr, padded;
    for (const cv::Mat& f : frames) {
        cv::cvtColor(f, bgr, f.channels() == 4 ? cv::COLOR_RGBA2BGR : cv::COLOR_RGB2BGR);
        if (even != size) {
            cv::copyMakeBorder(bgr, padded, 0, even.height - size.height, 0, even.width - size.width, cv::BORDER_REPLICATE);
            writer.write(padded);
        } else {
            writer.write(bgr);
        }
    }
    writer.release();
    if (std::FILE* check = std::fopen(path.c_str(), "rb")) {
        std::fseek(check, 0, SEEK_END);
        const long bytes = std::ftell(check);
        std::fclose(check);
        if (bytes > 0) return;
    }
    throw ImageError("cannot write " + path + ": the video encoder wrote nothing");
}

}  // namespace unclip::imaging
