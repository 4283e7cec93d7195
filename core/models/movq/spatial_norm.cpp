// SPDX-License-Identifier: GPL-3.0-or-later
// SpatialNorm and the GroupNorm / SpatialNorm choice of MoVQ layers.
#include "core/models/movq/spatial_norm.h"

#include "core/common/error.h"

#include <torch/torch.h>

namespace unclip::models {

namespace F = torch::nn::functional;

torch::Tensor group_norm_float(torch::nn::GroupNormImpl& gn, const torch::Tensor& x) {
    const auto t = x.scalar_type();
    if ((t != torch::kBFloat16 && t != torch::kHalf) || !x.device().is_cpu()) return gn.forward(x);
    const auto& o = gn.options;
    const torch::Tensor w = o.affine() ? gn.weight.to(torch::kFloat32) : torch::Tensor();
    const torch::Tensor b = o.affine() ? gn.bias.to(torch::kFloat32) : torch::Tensor();
    return torch::group_norm(x.to(torch::kFloat32), o.num_groups(), w, b, o.eps()).to(t);
}

SpatialNormImpl::SpatialNormImpl(int64_t f_channels, int64_t zq_channels) {
    if (f_channels % kSpatialNormGroups != 0)
        throw ModelError("SpatialNorm: " + std::to_string(f_channels) + " channels are not a multiple of its " +
                         std::to_string(kSpatialNormGroups) + " groups");
    norm_layer = register_module(
        "norm_layer", torch::nn::GroupNorm(torch::nn::GroupNormOptions(kSpatialNormGroups, f_channels).eps(1e-6)));
    conv_y = register_module("conv_y", torch::nn::Conv2d(torch::nn::Conv2dOptions(zq_channels, f_channels, 1)));
    conv_b = register_module("conv_b", torch::nn::Conv2d(torch::nn::Conv2dOptions(zq_channels, f_channels, 1)));
}

torch::Tensor SpatialNormImpl::forward(const torch::Tensor& f, const torch::Tensor& zq_in) {
    torch::Tensor zq = zq_in;
    if (zq.size(2) != f.size(2) || zq.size(3) != f.size(3))
        zq = F::interpolate(zq, F::InterpolateFuncOptions()
                                    .size(std::vector<int64_t>{f.size(2), f.size(3)})
                                    .mode(torch::kNearest));
    return group_norm_float(*norm_layer, f) * conv_y(zq) + conv_b(zq);
}

torch::Tensor VQNorm::operator()(const torch::Tensor& x, const torch::Tensor& zq) const {
    if (!spatial.is_empty()) {
        if (!zq.defined()) throw RequestError("MoVQ decoder: a SpatialNorm needs the latents it is conditioned on");
        return spatial.ptr()->forward(x, zq);
    }
    return group_norm_float(*group.ptr(), x);
}

VQNorm register_vq_norm(torch::nn::Module& owner, const std::string& name, int64_t channels, int64_t groups,
                        double eps, int64_t zq_channels) {
    VQNorm n;
    if (zq_channels > 0)
        n.spatial = owner.register_module(name, SpatialNorm(channels, zq_channels));
    else
        n.group = owner.register_module(
            name, torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(eps)));
    return n;
}

}  // namespace unclip::models
