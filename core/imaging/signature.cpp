// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/signature.h"

#include "core/imaging/image_error.h"

#include <algorithm>

namespace unclip::imaging {

namespace {
// R, G, B of the five squares, left to right.
constexpr uint8_t kColors[5][3] = {{255, 255, 102}, {66, 255, 255}, {82, 218, 75}, {255, 110, 60}, {60, 70, 255}};
int square_side(const cv::Size& size) { return std::max(2, std::max(size.width, size.height) / 40); }
}  // namespace

cv::Rect signature_rect(const cv::Size& size) {
    const int s = square_side(size);
    const int w = 5 * s, h = s;
    const int margin = std::max(1, s / 2);
    cv::Rect r(size.width - w - margin, size.height - h - margin, w, h);
    return r & cv::Rect(0, 0, size.width, size.height);
}

void stamp_signature(cv::Mat& image) {
    if (image.empty() || image.depth() != CV_8U || (image.channels() != 3 && image.channels() != 4))
        throw ImageError("the signature needs an 8-bit RGB or RGBA image");
    const cv::Rect r = signature_rect(image.size());
    const int s = square_side(image.size());
    for (int y = r.y; y < r.y + r.height; ++y) {
        uint8_t* row = image.ptr<uint8_t>(y);
        for (int x = r.x; x < r.x + r.width; ++x) {
            const int k = std::min(4, (x - (image.cols - std::max(1, s / 2) - 5 * s)) / s);
            uint8_t* p = row + x * image.channels();
            const int c = std::max(0, k);
            p[0] = kColors[c][0];
            p[1] = kColors[c][1];
            p[2] = kColors[c][2];
            if (image.channels() == 4) p[3] = 255;
        }
    }
}

}  // namespace unclip::imaging
