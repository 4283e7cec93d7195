// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/brush.h"

#include "core/imaging/image_error.h"

#include <algorithm>
#include <cmath>

namespace unclip::imaging {

float dab_coverage(float distance, float radius, float hardness) {
    hardness = std::clamp(hardness, 0.0f, 1.0f);
    const float band = std::max(radius * (1.0f - hardness), 1.0f);
    const float inner = radius - band;
    if (distance <= inner) return 1.0f;
    if (distance >= radius) return 0.0f;
    const float t = (distance - inner) / band;
    return 1.0f - t * t * (3.0f - 2.0f * t);
}

cv::Rect stamp_dab(cv::Mat& mask, float cx, float cy, float radius, float hardness, bool erase, float opacity) {
    if (mask.type() != CV_8UC1) throw ImageError("brush: expected an 8-bit single-channel mask");
    radius = std::max(radius, 0.5f);
    opacity = std::clamp(opacity, 0.0f, 1.0f);
    const int x0 = std::max(0, int(std::floor(cx - radius)));
    const int y0 = std::max(0, int(std::floor(cy - radius)));
    const int x1 = std::min(mask.cols, int(std::ceil(cx + radius)) + 1);
    const int y1 = std::min(mask.rows, int(std::ceil(cy + radius)) + 1);
    if (x0 >= x1 || y0 >= y1) return {};
    const float band = std::max(radius * (1.0f - std::clamp(hardness, 0.0f, 1.0f)), 1.0f);
    const float inner = std::max(radius - band, 0.0f);
    const float inner2 = inner * inner, outer2 = radius * radius;
    const float scale = 255.0f * opacity;
    const uint8_t full = uint8_t(std::lround(scale));
    for (int y = y0; y < y1; ++y) {
        uint8_t* row = mask.ptr<uint8_t>(y);
        const float dy = float(y) + 0.5f - cy;
        for (int x = x0; x < x1; ++x) {
            const float dx = float(x) + 0.5f - cx;
            const float d2 = dx * dx + dy * dy;
            if (d2 >= outer2) continue;
            const uint8_t a = d2 <= inner2 ? full
                                           : uint8_t(std::lround(scale * dab_coverage(std::sqrt(d2), radius, hardness)));
            if (erase) row[x] = std::min<uint8_t>(row[x], uint8_t(255 - a));
            else row[x] = std::max(row[x], a);
        }
    }
    return {x0, y0, x1 - x0, y1 - y0};
}

std::vector<Dab> StrokeInterpolator::add(float x, float y, float radius) {
    std::vector<Dab> dabs;
    if (!started_) {
        started_ = true;
        lx_ = x, ly_ = y, lr_ = radius;
        travelled_ = 0;
        dabs.push_back({x, y, radius});
        return dabs;
    }
    const float dx = x - lx_, dy = y - ly_;
    const float length = std::sqrt(dx * dx + dy * dy);
    float pos = 0;  // distance along this segment of the next dab
    while (true) {
        const float r = lr_ + (radius - lr_) * (length > 0 ? pos / length : 1.0f);
        const float step = std::max(0.5f, spacing_ * std::max(r, 0.5f));
        const float next = pos + std::max(0.0f, step - travelled_);
        if (next > length) {
            travelled_ += length - pos;
            break;
        }
        pos = next;
        travelled_ = 0;
        const float t = length > 0 ? pos / length : 1.0f;
        dabs.push_back({lx_ + dx * t, ly_ + dy * t, lr_ + (radius - lr_) * t});
    }
    lx_ = x, ly_ = y, lr_ = radius;
    return dabs;
}

}  // namespace unclip::imaging
