// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/schedulers/ddim_scheduler.h"

#include "core/common/error.h"
#include "core/schedulers/schedule_util.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace unclip::schedulers {
using detail::work_dtype;

DDIMScheduler::DDIMScheduler(const UnCLIPSchedulerConfig& config, DDIMOptions options) : options_(options) {
    // Same schedule as UnCLIPScheduler (one source of truth for the betas and the cumprod).
    UnCLIPScheduler unclip(config);
    alphas_cumprod_ = unclip.alphas_cumprod().clone();
    alphas_cumprod_f_.assign(alphas_cumprod_.data_ptr<float>(), alphas_cumprod_.data_ptr<float>() + alphas_cumprod_.numel());
    timesteps_ = unclip.timesteps();
}

void DDIMScheduler::set_timesteps(int64_t n, Spacing spacing) {
    timesteps_ = karlo_timesteps(num_train_timesteps(), n);  // also validates n
    if (spacing == Spacing::Leading) {
        const int64_t ratio = num_train_timesteps() / n;
        for (int64_t i = 0; i < n; ++i) timesteps_[static_cast<size_t>(i)] = (n - 1 - i) * ratio;
    }
}

std::vector<int64_t> DDIMScheduler::inversion_timesteps() const {
    return std::vector<int64_t>(timesteps_.rbegin(), timesteps_.rend());
}

float DDIMScheduler::alpha_prod(int64_t t) const {
    if (t >= num_train_timesteps())
        throw RequestError("DDIMScheduler: timestep " + std::to_string(t) + " is outside [.., " +
                           std::to_string(num_train_timesteps() - 1) + "]");
    return t < 0 ? 1.0f : alphas_cumprod_f_[static_cast<size_t>(t)];
}

torch::Tensor DDIMScheduler::pred_original_sample(const torch::Tensor& eps, int64_t t,
                                                  const torch::Tensor& sample) const {
    if (eps.sizes() != sample.sizes()) {
        std::ostringstream o;
        o << "DDIMScheduler: eps " << eps.sizes() << " does not match the sample " << sample.sizes();
        throw RequestError(o.str());
    }
    const float a = alpha_prod(t);
    const torch::ScalarType w = work_dtype(sample);
    const torch::Tensor x = sample.to(w);
    const torch::Tensor e = eps.to(sample.device(), sample.scalar_type()).to(w);
    torch::Tensor x0 = t < 0 ? x : (x - std::sqrt(1.0f - a) * e) / std::sqrt(a);
    if (options_.clip_sample) x0 = x0.clamp(-options_.clip_sample_range, options_.clip_sample_range);
    return x0.to(sample.scalar_type());
}

torch::Tensor DDIMScheduler::move(const torch::Tensor& eps, int64_t t, int64_t to, const torch::Tensor& sample) const {
    const float a_to = alpha_prod(to);
    torch::Tensor x0 = pred_original_sample(eps, t, sample);
    if (to < 0) return x0;
    const torch::ScalarType w = work_dtype(sample);
    const torch::Tensor e = eps.to(sample.device(), sample.scalar_type()).to(w);
    return (std::sqrt(a_to) * x0.to(w) + std::sqrt(1.0f - a_to) * e).to(sample.scalar_type());
}

torch::Tensor DDIMScheduler::step(const torch::Tensor& eps, int64_t t, int64_t prev_t,
                                  const torch::Tensor& sample) const {
    if (t < 0 || prev_t >= t)
        throw RequestError("DDIMScheduler: step goes from t = " + std::to_string(t) + " to a smaller timestep (got " +
                           std::to_string(prev_t) + ")");
    return move(eps, t, prev_t, sample);
}

torch::Tensor DDIMScheduler::invert_step(const torch::Tensor& eps, int64_t t, int64_t next_t,
                                         const torch::Tensor& sample) const {
    if (next_t <= t || next_t < 0)
        throw RequestError("DDIMScheduler: invert_step goes from t = " + std::to_string(t) +
                           " to a larger timestep (got " + std::to_string(next_t) + ")");
    return move(eps, t, next_t, sample);
}

}  // namespace unclip::schedulers
