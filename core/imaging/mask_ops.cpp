// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/mask_ops.h"

#include "core/imaging/image_error.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace unclip::imaging {

cv::Mat feather_mask(const cv::Mat& mask, float radius) {
    if (mask.type() != CV_8UC1) throw ImageError("feather: expected an 8-bit single-channel mask");
    if (radius <= 0.0f) return mask.clone();
    cv::Mat blurred;
    const double sigma = std::max(0.5, double(radius) / 2.0);
    const int k = 2 * int(std::ceil(3.0 * sigma)) + 1;
    cv::GaussianBlur(mask, blurred, cv::Size(k, k), sigma, sigma, cv::BORDER_REPLICATE);
    // The blur's outer half would spill past the edge; pull the ramp inward instead.
    cv::Mat inner;
    cv::subtract(blurred, cv::Scalar(128), inner);  // saturating
    cv::Mat scaled;
    inner.convertTo(scaled, CV_8U, 255.0 / 127.0);
    cv::min(scaled, mask, scaled);
    return scaled;
}

cv::Mat composite(const cv::Mat& original, const cv::Mat& generated, const cv::Mat& mask) {
    if (original.type() != CV_8UC4) throw ImageError("composite: the original must be 8-bit RGBA");
    if (generated.type() != CV_8UC4 && generated.type() != CV_8UC3)
        throw ImageError("composite: the generated image must be 8-bit RGB or RGBA");
    if (mask.type() != CV_8UC1) throw ImageError("composite: the mask must be 8-bit single-channel");
    if (generated.size() != original.size() || mask.size() != original.size())
        throw ImageError("composite: image, generated image and mask differ in size");
    cv::Mat out = original.clone();
    const int gc = generated.channels();
    for (int y = 0; y < out.rows; ++y) {
        const uint8_t* m = mask.ptr<uint8_t>(y);
        const uint8_t* g = generated.ptr<uint8_t>(y);
        uint8_t* o = out.ptr<uint8_t>(y);
        for (int x = 0; x < out.cols; ++x) {
            const unsigned a = m[x];
            if (a == 0) continue;
            uint8_t* px = o + 4 * x;
            const uint8_t* gx = g + gc * x;
            const uint8_t ga = gc == 4 ? gx[3] : 255;
            if (a == 255) {
                px[0] = gx[0];
                px[1] = gx[1];
                px[2] = gx[2];
                px[3] = ga;
                continue;
            }
            for (int c = 0; c < 3; ++c) px[c] = uint8_t((px[c] * (255 - a) + gx[c] * a + 127) / 255);
            px[3] = uint8_t((px[3] * (255 - a) + ga * a + 127) / 255);
        }
    }
    return out;
}

cv::Rect mask_bounds(const cv::Mat& mask) {
    if (mask.empty()) return {};
    if (mask.type() != CV_8UC1) throw ImageError("mask bounds: expected an 8-bit single-channel mask");
    // Row and column maxima (two passes, no per-pixel list: a full 4096 px mask would otherwise
    // make a 16 M point vector on the GUI thread).
    cv::Mat rows, cols;
    cv::reduce(mask, rows, 1, cv::REDUCE_MAX);
    cv::reduce(mask, cols, 0, cv::REDUCE_MAX);
    int top = -1, bottom = -1, left = -1, right = -1;
    for (int y = 0; y < rows.rows; ++y)
        if (rows.at<uint8_t>(y, 0)) {
            if (top < 0) top = y;
            bottom = y;
        }
    if (top < 0) return {};
    for (int x = 0; x < cols.cols; ++x)
        if (cols.at<uint8_t>(0, x)) {
            if (left < 0) left = x;
            right = x;
        }
    return cv::Rect(left, top, right - left + 1, bottom - top + 1);
}

cv::Mat resize_image(const cv::Mat& image, cv::Size size) {
    if (image.size() == size) return image.clone();
    cv::Mat out;
    const bool shrink = size.width < image.cols && size.height < image.rows;
    cv::resize(image, out, size, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
}

}  // namespace unclip::imaging
