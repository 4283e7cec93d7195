// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reference: diffusers.schedulers.scheduling_ddpm.DDPMScheduler (v0.25.1), the Kandinsky 2.2
// decoder's scheduler.
//
// Float32 parity notes (golden README "DDPMScheduler"):
//  - betas are float32 as the reference builds them (torch.linspace in float32 for "linear",
//    linspace of the square roots then squared for "scaled_linear", the double cosine formula
//    stored float32 for "squaredcos_cap_v2"); alphas_cumprod = float32 cumprod of 1 - betas.
//  - Per-step scalars (alpha_prod_t, current_alpha_t, the coefficients, the std) are C++ floats
//    computed in the reference's float32 operation order; tensors use the sample's dtype/device.
//  - prev_t = t - T // n (the reference's previous_timestep without custom timesteps, whatever
//    the spacing); prev_t < 0 -> alpha_prod_prev = 1.
//  - When t > 0 one CPU float32 randn(sample.shape) is drawn (then moved): the Kandinsky schedule
//    ends at t = 1, so every decoder step draws, the last one included (its std is 1e-10).
#include "core/random/generator.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace unclip::schedulers {

enum class DDPMBetaSchedule { Linear, ScaledLinear, SquaredCosCapV2 };
enum class DDPMVarianceType { FixedSmall, FixedSmallLog, FixedLarge };
enum class DDPMPredictionType { Epsilon, Sample, VPrediction };
enum class TimestepSpacing { Leading, Trailing, Linspace };

struct DDPMSchedulerConfig {
    int64_t num_train_timesteps = 1000;
    double beta_start = 0.0001;
    double beta_end = 0.02;
    DDPMBetaSchedule beta_schedule = DDPMBetaSchedule::Linear;
    DDPMVarianceType variance_type = DDPMVarianceType::FixedSmall;
    bool clip_sample = true;
    float clip_sample_range = 1.0f;
    DDPMPredictionType prediction_type = DDPMPredictionType::Epsilon;
    // thresholding: only false; trained_betas / rescale_betas_zero_snr: not supported.
    TimestepSpacing timestep_spacing = TimestepSpacing::Leading;
    int64_t steps_offset = 0;

    // scheduler_config.json in the hub form (few keys; unknown ones such as set_alpha_to_one are
    // ignored) or the full form save_pretrained writes; absent/null keys take the reference
    // defaults. Unsupported values -> ModelError naming the key and `label`.
    static DDPMSchedulerConfig from_json(const nlohmann::json& j, const std::string& label);
};
bool operator==(const DDPMSchedulerConfig& a, const DDPMSchedulerConfig& b);
inline bool operator!=(const DDPMSchedulerConfig& a, const DDPMSchedulerConfig& b) { return !(a == b); }

struct DDPMStepOutput {
    torch::Tensor prev_sample;           // shape/dtype/device of the sample
    torch::Tensor pred_original_sample;  // x_0 (after the clip when clip_sample)
    torch::Tensor noise;                 // the variance noise used (undefined when t == 0)
};

class DDPMScheduler {
public:
    explicit DDPMScheduler(DDPMSchedulerConfig config = {});

    const DDPMSchedulerConfig& config() const { return config_; }
    // CPU float32 tensors of length num_train_timesteps.
    const torch::Tensor& betas() const { return betas_; }
    const torch::Tensor& alphas_cumprod() const { return alphas_cumprod_; }

    // leading: arange(n) * (T // n) reversed + steps_offset; trailing: round(arange(T, 0, -T / n)) - 1;
    // linspace: round(linspace(0, T - 1, n)) reversed. n < 1 or n > T -> RequestError.
    // Before the first call, timesteps() is T-1 ... 0.
    void set_timesteps(int64_t n);
    const std::vector<int64_t>& timesteps() const { return timesteps_; }
    int64_t num_inference_steps() const { return num_inference_steps_; }
    // t - T // n (n = the set_timesteps count, T before the first call); may be negative.
    int64_t previous_timestep(int64_t t) const;

    // Whether step(t) draws noise (t > 0).
    static bool needs_noise(int64_t t) { return t > 0; }

    // One reverse step from t to previous_timestep(t). model_output has the sample's shape (the
    // caller drops learned-variance channels). When t > 0 one CPU float32 randn(sample.shape) is
    // drawn from gen first (gen must not be null then). RequestError on a bad t or shapes.
    DDPMStepOutput step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample, Generator* gen) const;
    // The same with pre-drawn noise (sample's shape; moved to the sample's device/dtype); only
    // read when t > 0, and required then.
    DDPMStepOutput step_with_noise(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                                   const torch::Tensor& noise) const;

    // The noise multiplier of step(t): 0-dim float32 (sqrt(clamp(variance, 1e-20)) for fixed_small).
    torch::Tensor noise_std(int64_t t) const;
    // alpha_prod_t and alpha_prod_prev of step(t) (float32; prev is 1 when previous_timestep(t) < 0).
    float alpha_prod(int64_t t) const;
    float alpha_prod_prev(int64_t t) const;

    // sqrt(a_t) x0 + sqrt(1 - a_t) noise, alphas_cumprod cast to original's dtype first (as the reference).
    torch::Tensor add_noise(const torch::Tensor& original, const torch::Tensor& noise, int64_t t) const;
    // One timestep per batch row (or one for all).
    torch::Tensor add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                            const std::vector<int64_t>& timesteps) const;

private:
    void check_t(int64_t t) const;
    DDPMStepOutput step_impl(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                             const torch::Tensor* noise, Generator* gen) const;

    DDPMSchedulerConfig config_;
    torch::Tensor betas_, alphas_cumprod_;
    std::vector<float> alphas_cumprod_f_;  // host copy for scalar math
    std::vector<int64_t> timesteps_;
    int64_t num_inference_steps_ = 0;  // 0: set_timesteps not called
};

// The reference's timesteps for n inference steps (see DDPMScheduler::set_timesteps); RequestError
// for n < 1 or n > T.
std::vector<int64_t> ddpm_timesteps(const DDPMSchedulerConfig& config, int64_t n);

}  // namespace unclip::schedulers
