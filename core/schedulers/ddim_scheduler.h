// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deterministic DDIM (eta = 0) over the UnCLIP scheduler's alphas_cumprod, for inversion
// (image -> noise) and re-generation. Reference idea: diffusers DDIMScheduler / DDIMInverseScheduler
// with eta = 0. Two spacings: Karlo's (UnCLIPScheduler::set_timesteps, 999 ... 0) and diffusers'
// "leading" DDIM spacing (i * T / n, so 960 ... 0 for 25 steps). Inversion uses the leading one:
// at t = 999 sqrt(alphas_cumprod) is 4.9e-5, so the first decoding step would multiply the
// mismatch between the inversion's and the decoder's noise predictions ~2e4-fold (a small model
// then decodes pure noise); at 960 the factor is ~16.
//
// With a = alphas_cumprod (a = 1 for a negative timestep, i.e. the clean image):
//   x0      = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t)      (optionally clipped)
//   x_other = sqrt(a_other) x0 + sqrt(1 - a_other) eps
// step() goes to a smaller timestep (denoising), invert_step() to a larger one (noising).
#include "core/schedulers/unclip_scheduler.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace unclip::schedulers {

struct DDIMOptions {
    bool clip_sample = false;        // clip x0 to +-clip_sample_range (not invertible; off for inversion)
    float clip_sample_range = 1.0f;
};

class DDIMScheduler {
public:
    // Uses config.num_train_timesteps (squaredcos_cap_v2 alphas_cumprod, identical to UnCLIPScheduler's).
    explicit DDIMScheduler(const UnCLIPSchedulerConfig& config, DDIMOptions options = {});

    const torch::Tensor& alphas_cumprod() const { return alphas_cumprod_; }  // CPU float32
    int64_t num_train_timesteps() const { return static_cast<int64_t>(alphas_cumprod_f_.size()); }

    enum class Spacing { Karlo, Leading };
    // Descending timesteps. Karlo: T-1 ... 0 (n == 1 -> [T-1]); Leading: (n-1)·(T/n) ... 0.
    // n < 1 or n > T -> RequestError.
    void set_timesteps(int64_t n, Spacing spacing = Spacing::Karlo);
    const std::vector<int64_t>& timesteps() const { return timesteps_; }
    // The inversion order: 0 ... T-1 (timesteps() reversed).
    std::vector<int64_t> inversion_timesteps() const;

    // alphas_cumprod[t], or 1 for t < 0. t >= T -> RequestError.
    float alpha_prod(int64_t t) const;

    // Predicted x0 from eps at timestep t (t >= 0), clipped if the options say so.
    torch::Tensor pred_original_sample(const torch::Tensor& eps, int64_t t, const torch::Tensor& sample) const;
    // x_t -> x_prev (prev_t < t; prev_t < 0 gives x0 itself). eps: the model's noise prediction at (x_t, t).
    torch::Tensor step(const torch::Tensor& eps, int64_t t, int64_t prev_t, const torch::Tensor& sample) const;
    // x_t -> x_next (next_t > t; t < 0 means `sample` is the clean image). eps: the noise
    // prediction at (x_t, t) (for t < 0 use the prediction at the first timestep).
    torch::Tensor invert_step(const torch::Tensor& eps, int64_t t, int64_t next_t, const torch::Tensor& sample) const;

private:
    torch::Tensor move(const torch::Tensor& eps, int64_t t, int64_t to, const torch::Tensor& sample) const;

    DDIMOptions options_;
    torch::Tensor alphas_cumprod_;
    std::vector<float> alphas_cumprod_f_;
    std::vector<int64_t> timesteps_;
};

}  // namespace unclip::schedulers
