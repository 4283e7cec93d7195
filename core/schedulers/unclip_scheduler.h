// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reference: diffusers.schedulers.scheduling_unclip.UnCLIPScheduler (the Karlo DDPM variant).
//
// Float32 parity notes (golden README "UnCLIPScheduler"):
//  - betas are computed in double (squaredcos_cap_v2, capped at 0.999) and stored float32;
//    alphas = 1 - betas and alphas_cumprod = cumprod(alphas) are float32, as the reference.
//  - Every per-step scalar (alpha_prod_t, beta, coefficients, the fixed_small_log std) is a C++
//    float computed with the reference's float32 operation order; tensors are computed in the
//    sample's dtype on the sample's device, so CPU float32 results match the reference bit-closely.
//  - Noise is drawn (CPU float32 randn of sample.shape, then moved to the sample's device/dtype)
//    only when t > 0, BEFORE the variance is computed: one draw per step with t > 0.
#include "core/random/generator.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace unclip::schedulers {

enum class VarianceType { FixedSmallLog, LearnedRange };
enum class PredictionType { Epsilon, Sample };

struct UnCLIPSchedulerConfig {
    int64_t num_train_timesteps = 1000;
    VarianceType variance_type = VarianceType::FixedSmallLog;
    bool clip_sample = true;
    float clip_sample_range = 1.0f;
    PredictionType prediction_type = PredictionType::Epsilon;
    // beta_schedule: only "squaredcos_cap_v2" exists for this scheduler.

    // scheduler_config.json with diffusers' defaults; unsupported values -> ModelError naming the
    // key and `label` (e.g. "decoder_scheduler/scheduler_config.json").
    static UnCLIPSchedulerConfig from_json(const nlohmann::json& j, const std::string& label);
};

struct UnCLIPStepOutput {
    torch::Tensor prev_sample;           // x_{prev}, shape/dtype/device of `sample`
    torch::Tensor pred_original_sample;  // x_0 after the clip, shape of `sample`
    torch::Tensor noise;                 // the variance noise used (undefined when t == 0)
};

// Per-step scalars (float32), as the reference computes them; exposed for records and tests.
struct UnCLIPStepScalars {
    int64_t t = 0;
    int64_t prev_t = 0;          // resolved previous timestep (t - 1 when none was given)
    float alpha_prod_t = 0;
    float alpha_prod_t_prev = 0; // 1 when prev_t < 0
    float beta_prod_t = 0;       // 1 - alpha_prod_t
    float beta_prod_t_prev = 0;  // 1 - alpha_prod_t_prev
    float beta = 0;              // betas[t] when prev_t == t - 1, else 1 - a_t / a_prev
    float alpha = 0;             // alphas[t] when prev_t == t - 1, else 1 - beta
    float variance = 0;          // beta_prod_t_prev / beta_prod_t * beta
};

class UnCLIPScheduler {
public:
    explicit UnCLIPScheduler(UnCLIPSchedulerConfig config = {});
    // With explicit betas (double, stored float32; size num_train_timesteps, each in (0, 1)) instead
    // of squaredcos_cap_v2: experiments, and tests that check a wrong schedule is caught.
    UnCLIPScheduler(UnCLIPSchedulerConfig config, const std::vector<double>& betas);

    const UnCLIPSchedulerConfig& config() const { return config_; }
    // CPU float32 tensors of length num_train_timesteps.
    const torch::Tensor& betas() const { return betas_; }
    const torch::Tensor& alphas() const { return alphas_; }
    const torch::Tensor& alphas_cumprod() const { return alphas_cumprod_; }

    // timesteps = round_half_even(arange(n) * (T - 1) / (n - 1)) reversed: T-1 ... 0.
    // n == 1 (a division by zero in the reference) gives [T - 1]: one step from pure noise whose
    // prev is t - 1 unless the caller passes one (pass prev_t = -1 to jump straight to x_0).
    // n < 1 or n > T -> RequestError. Before the first call, timesteps() is T-1 ... 0.
    void set_timesteps(int64_t n);
    const std::vector<int64_t>& timesteps() const { return timesteps_; }
    int64_t num_inference_steps() const { return static_cast<int64_t>(timesteps_.size()); }
    // What the pipelines pass as prev_timestep at step i: timesteps[i + 1], none at the last step.
    std::optional<int64_t> prev_timestep(size_t i) const;

    // Whether step(t) draws noise (t > 0), so callers can pre-draw or skip draws.
    static bool needs_noise(int64_t t) { return t > 0; }

    // One reverse step. model_output: sample's shape, or (learned_range) 2x its channels along
    // dim 1 (the second half is the predicted variance v in [-1, 1]). prev_t: nullopt -> t - 1
    // (precomputed betas[t]); a negative value -> alpha_prod_prev = 1 (the reference's None at
    // the last step is t - 1 = -1). When t > 0 one CPU float32 randn(sample.shape) is drawn from
    // `gen` first (gen must not be null then). Throws RequestError on bad timesteps or shapes.
    UnCLIPStepOutput step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                          std::optional<int64_t> prev_t, Generator* gen) const;
    // The same with pre-drawn noise (sample's shape; any dtype/device, moved to the sample's).
    // `noise` is only read when t > 0 and must be defined then.
    UnCLIPStepOutput step_with_noise(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                                     std::optional<int64_t> prev_t, const torch::Tensor& noise) const;

    // The scalars of step(t, prev_t) (validates t and prev_t).
    UnCLIPStepScalars step_scalars(int64_t t, std::optional<int64_t> prev_t) const;
    // The noise multiplier of step(t, prev_t): fixed_small_log -> 0-dim sqrt(max(var, 1e-20));
    // learned_range -> exp(0.5 * log_var) per element of `predicted_variance` (the model
    // output's variance half, already split off), in its dtype/device.
    torch::Tensor noise_std(int64_t t, std::optional<int64_t> prev_t,
                            const torch::Tensor& predicted_variance = {}) const;

    // sqrt(a_t) x0 + sqrt(1 - a_t) noise, for inpainting / img2img (math in original's dtype).
    torch::Tensor add_noise(const torch::Tensor& original, const torch::Tensor& noise, int64_t t) const;
    // Per batch element: timesteps has one entry per original.size(0) (or one for all).
    torch::Tensor add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                            const std::vector<int64_t>& timesteps) const;

private:
    void init(const std::vector<double>& betas);
    void check_t(int64_t t, const char* what) const;
    UnCLIPStepOutput step_impl(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                               std::optional<int64_t> prev_t, const torch::Tensor* noise, Generator* gen) const;

    UnCLIPSchedulerConfig config_;
    torch::Tensor betas_, alphas_, alphas_cumprod_;
    std::vector<float> betas_f_, alphas_f_, alphas_cumprod_f_;  // host copies for scalar math
    std::vector<int64_t> timesteps_;
};

// betas_for_alpha_bar(T) with the cosine (squaredcos_cap_v2) alpha_bar, max_beta 0.999, in
// double; callers store it as float32.
std::vector<double> squaredcos_cap_v2_betas(int64_t num_train_timesteps, double max_beta = 0.999);

// round_half_even(arange(n) * (T - 1) / (n - 1)) reversed (see UnCLIPScheduler::set_timesteps).
std::vector<int64_t> karlo_timesteps(int64_t num_train_timesteps, int64_t n);

}  // namespace unclip::schedulers
