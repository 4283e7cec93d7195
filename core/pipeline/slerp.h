// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Spherical interpolation of CLIP embeddings on the angle between the normalised vectors (one
// angle per row pair; the community pipeline's element-wise acos is a bug).
#include <torch/types.h>

namespace unclip::pipeline {

// e0, e1: [E] or [1, E]; t: [n] positions in [0, 1]. Returns [n, E]:
// sin((1 - t) w) / sin w * e0 + sin(t w) / sin w * e1 with w = acos(clamp(<e0/|e0|, e1/|e1|>, -1, 1)),
// or the lerp (1 - t) e0 + t e1 where |sin w| < 1e-6.
torch::Tensor slerp(const torch::Tensor& e0, const torch::Tensor& e1, const torch::Tensor& t);

// Rotates `x` toward direction `d` by angle `theta` (radians) in the plane they span, keeping |x|:
// used by text diffs. x, d: [E] or [B, E].
torch::Tensor rotate_toward(const torch::Tensor& x, const torch::Tensor& d, double theta);

}  // namespace unclip::pipeline
