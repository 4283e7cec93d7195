// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pipeline/slerp.h"

#include <torch/torch.h>

#include <cmath>

namespace unclip::pipeline {

torch::Tensor slerp(const torch::Tensor& e0_in, const torch::Tensor& e1_in, const torch::Tensor& t_in) {
    torch::Tensor e0 = e0_in.reshape({1, -1}).to(torch::kFloat32);
    torch::Tensor e1 = e1_in.reshape({1, -1}).to(torch::kFloat32);
    torch::Tensor t = t_in.reshape({-1, 1}).to(torch::kFloat32).to(e0.device());
    torch::Tensor dot = (e0 / e0.norm() * (e1 / e1.norm())).sum();
    torch::Tensor omega = torch::acos(dot.clamp(-1.0, 1.0));
    torch::Tensor sin_omega = torch::sin(omega);
    if (std::abs(sin_omega.item<float>()) < 1e-6f) return (1 - t) * e0 + t * e1;
    return torch::sin((1 - t) * omega) / sin_omega * e0 + torch::sin(t * omega) / sin_omega * e1;
}

torch::Tensor rotate_toward(const torch::Tensor& x_in, const torch::Tensor& d_in, double theta) {
    torch::Tensor x = x_in.dim() == 1 ? x_in.unsqueeze(0) : x_in;
    torch::Tensor d = d_in.dim() == 1 ? d_in.unsqueeze(0) : d_in;
    x = x.to(torch::kFloat32);
    d = d.to(torch::kFloat32).to(x.device());
    torch::Tensor norm = x.norm(2, -1, true);
    torch::Tensor u = x / norm;
    // Component of d orthogonal to x: the direction to rotate in.
    torch::Tensor v = d - (d * u).sum(-1, true) * u;
    torch::Tensor vn = v.norm(2, -1, true).clamp_min(1e-12);
    v = v / vn;
    torch::Tensor out = (std::cos(theta) * u + std::sin(theta) * v) * norm;
    return x_in.dim() == 1 ? out.squeeze(0) : out;
}

}  // namespace unclip::pipeline
