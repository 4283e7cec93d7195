// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The mask brush: round dabs with a hardness falloff, and the interpolation that places dabs
// evenly between two input points (so a fast mouse still draws a continuous stroke).
#include <opencv2/core.hpp>

#include <vector>

namespace unclip::imaging {

// Coverage 0..1 of a dab at `distance` from its centre. hardness 1: a hard, one-pixel
// anti-aliased edge; 0: a smooth ramp from the centre.
float dab_coverage(float distance, float radius, float hardness);

// Paints one dab into a CV_8UC1 mask (pixel centres at x + 0.5): painting raises pixels to the
// dab's coverage (max), erasing lowers them (min with 255 - coverage), so overlapping dabs of one
// stroke never build up. Returns the changed rectangle (clipped; may be empty).
cv::Rect stamp_dab(cv::Mat& mask, float cx, float cy, float radius, float hardness, bool erase, float opacity = 1.0f);

struct Dab {
    float x = 0, y = 0, radius = 0;
};

class StrokeInterpolator {
public:
    // Dabs are placed every spacing * radius pixels (at least half a pixel apart).
    explicit StrokeInterpolator(float spacing = 0.1f) : spacing_(spacing) {}
    // Adds an input point (image coordinates) with its radius; returns the dabs to paint from the
    // previous point up to this one (the first point returns one dab at itself).
    std::vector<Dab> add(float x, float y, float radius);
    void reset() { started_ = false; }

private:
    float spacing_;
    bool started_ = false;
    float lx_ = 0, ly_ = 0, lr_ = 0;  // last input point
    float travelled_ = 0;             // distance since the last dab
};

}  // namespace unclip::imaging
