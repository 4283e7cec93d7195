// SPDX-License-Identifier: GPL-3.0-or-later
// DDPMScheduler: config, schedules, reverse step and add_noise (see ddpm_scheduler.h).
#include "core/schedulers/ddpm_scheduler.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"
#include "core/schedulers/schedule_util.h"
#include "core/schedulers/unclip_scheduler.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace unclip::schedulers {

using detail::shape_str;
using detail::work_dtype;

namespace {

// A float32 value rounded through `dtype` (the reference casts alphas_cumprod to the sample dtype).
float round_through(float v, torch::ScalarType dtype) {
    if (dtype == torch::kHalf) return static_cast<float>(c10::Half(v));
    if (dtype == torch::kBFloat16) return static_cast<float>(c10::BFloat16(v));
    return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Config

DDPMSchedulerConfig DDPMSchedulerConfig::from_json(const nlohmann::json& j, const std::string& label) {
    io::ConfigReader r(j, label);
    DDPMSchedulerConfig c;
    if (r.has("_class_name") && r.get<std::string>("_class_name", "") != "DDPMScheduler")
        r.unsupported("_class_name", "expected DDPMScheduler");
    c.num_train_timesteps = r.get<int64_t>("num_train_timesteps", 1000);
    if (c.num_train_timesteps < 1) r.unsupported("num_train_timesteps", "must be at least 1");

    c.beta_start = r.get<double>("beta_start", 0.0001);
    c.beta_end = r.get<double>("beta_end", 0.02);
    r.expect_one_of("beta_schedule", {"linear", "scaled_linear", "squaredcos_cap_v2"});
    const std::string schedule = r.get<std::string>("beta_schedule", "linear");
    c.beta_schedule = schedule == "scaled_linear"       ? DDPMBetaSchedule::ScaledLinear
                      : schedule == "squaredcos_cap_v2" ? DDPMBetaSchedule::SquaredCosCapV2
                                                        : DDPMBetaSchedule::Linear;
    if (c.beta_schedule != DDPMBetaSchedule::SquaredCosCapV2) {
        if (!(c.beta_start >= 0 && c.beta_start < 1) || !std::isfinite(c.beta_start))
            r.unsupported("beta_start", "must be in [0, 1)");
        if (!(c.beta_end > 0 && c.beta_end < 1) || !std::isfinite(c.beta_end))
            r.unsupported("beta_end", "must be in (0, 1)");
    }
    if (r.has("trained_betas")) r.unsupported("trained_betas", "explicit betas are not supported");

    r.expect_one_of("variance_type", {"fixed_small", "fixed_small_log", "fixed_large"});
    const std::string variance = r.get<std::string>("variance_type", "fixed_small");
    c.variance_type = variance == "fixed_small_log" ? DDPMVarianceType::FixedSmallLog
                      : variance == "fixed_large"   ? DDPMVarianceType::FixedLarge
                                                    : DDPMVarianceType::FixedSmall;

    c.clip_sample = r.get<bool>("clip_sample", true);
    const double range = r.get<double>("clip_sample_range", 1.0);
    if (!(range > 0) || !std::isfinite(range)) r.unsupported("clip_sample_range", "must be a positive number");
    c.clip_sample_range = static_cast<float>(range);

    r.expect_one_of("prediction_type", {"epsilon", "sample", "v_prediction"});
    const std::string prediction = r.get<std::string>("prediction_type", "epsilon");
    c.prediction_type = prediction == "sample"         ? DDPMPredictionType::Sample
                        : prediction == "v_prediction" ? DDPMPredictionType::VPrediction
                                                       : DDPMPredictionType::Epsilon;

    if (r.get<bool>("thresholding", false)) r.unsupported("thresholding", "dynamic thresholding is not implemented");
    // Only read by thresholding; type-checked so a broken file still says so.
    (void)r.get<double>("dynamic_thresholding_ratio", 0.995);
    (void)r.get<double>("sample_max_value", 1.0);

    r.expect_one_of("timestep_spacing", {"leading", "trailing", "linspace"});
    const std::string spacing = r.get<std::string>("timestep_spacing", "leading");
    c.timestep_spacing = spacing == "trailing"   ? TimestepSpacing::Trailing
                         : spacing == "linspace" ? TimestepSpacing::Linspace
                                                 : TimestepSpacing::Leading;
    c.steps_offset = r.get<int64_t>("steps_offset", 0);
    if (c.steps_offset < 0 || c.steps_offset >= c.num_train_timesteps)
        r.unsupported("steps_offset", "must be in [0, num_train_timesteps)");
    if (r.get<bool>("rescale_betas_zero_snr", false))
        r.unsupported("rescale_betas_zero_snr", "zero-terminal-SNR rescaling is not implemented");
    // set_alpha_to_one (hub files written for DDIM) and _diffusers_version are ignored, as the reference does.
    return c;
}

bool operator==(const DDPMSchedulerConfig& a, const DDPMSchedulerConfig& b) {
    return a.num_train_timesteps == b.num_train_timesteps && a.beta_start == b.beta_start &&
           a.beta_end == b.beta_end && a.beta_schedule == b.beta_schedule && a.variance_type == b.variance_type &&
           a.clip_sample == b.clip_sample && a.clip_sample_range == b.clip_sample_range &&
           a.prediction_type == b.prediction_type && a.timestep_spacing == b.timestep_spacing &&
           a.steps_offset == b.steps_offset;
}

// ---------------------------------------------------------------------------------------------
// Timesteps

std::vector<int64_t> ddpm_timesteps(const DDPMSchedulerConfig& c, int64_t n) {
    const int64_t T = c.num_train_timesteps;
    detail::check_step_count(T, n);
    std::vector<int64_t> ts;
    ts.reserve(static_cast<size_t>(n));
    switch (c.timestep_spacing) {
        case TimestepSpacing::Leading: {
            const int64_t ratio = T / n;
            for (int64_t i = n - 1; i >= 0; --i) ts.push_back(i * ratio + c.steps_offset);
            break;
        }
        case TimestepSpacing::Linspace: {
            // numpy.linspace(0, T - 1, n): i * step (the last one exactly T - 1), round half to even.
            const double step = n > 1 ? static_cast<double>(T - 1) / static_cast<double>(n - 1) : 0.0;
            for (int64_t i = n - 1; i >= 0; --i) {
                const double v = (n > 1 && i == n - 1) ? static_cast<double>(T - 1) : static_cast<double>(i) * step;
                ts.push_back(static_cast<int64_t>(std::nearbyint(v)));
            }
            break;
        }
        case TimestepSpacing::Trailing: {
            // numpy.arange(T, 0, -T / n): T + i * delta with delta = (T - T / n) - T, round half to
            // even, minus 1. For some n (61, 103, ... at T = 1000) numpy's length rounds up to n + 1
            // and the reference then has a last step at t = -1; only the first n are kept here.
            const double ratio = static_cast<double>(T) / static_cast<double>(n);
            const double start = static_cast<double>(T);
            const double delta = (start + -ratio) - start;
            for (int64_t i = 0; i < n; ++i) {
                const double v = i == 0 ? start : (i == 1 ? start + -ratio : start + static_cast<double>(i) * delta);
                ts.push_back(static_cast<int64_t>(std::nearbyint(v)) - 1);
            }
            break;
        }
    }
    return ts;
}

// ---------------------------------------------------------------------------------------------
// Scheduler

DDPMScheduler::DDPMScheduler(DDPMSchedulerConfig config) : config_(config) {
    const int64_t T = config_.num_train_timesteps;
    if (T < 1) throw ModelError("DDPMScheduler: num_train_timesteps must be at least 1");
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    // The reference's own float32 tensor ops (torch.linspace's halfway-symmetric float32 kernel,
    // cumprod with a double accumulator): the same LibTorch calls give the same numbers.
    switch (config_.beta_schedule) {
        case DDPMBetaSchedule::Linear:
            betas_ = torch::linspace(config_.beta_start, config_.beta_end, T, f32);
            break;
        case DDPMBetaSchedule::ScaledLinear:
            betas_ = torch::linspace(std::sqrt(config_.beta_start), std::sqrt(config_.beta_end), T, f32).pow(2);
            break;
        case DDPMBetaSchedule::SquaredCosCapV2: {
            const std::vector<double> b = squaredcos_cap_v2_betas(T);
            betas_ = torch::tensor(b, torch::TensorOptions().dtype(torch::kFloat64)).to(torch::kFloat32);
            break;
        }
    }
    betas_ = betas_.contiguous();
    alphas_cumprod_ = torch::cumprod(1.0f - betas_, 0).contiguous();
    const float* p = alphas_cumprod_.data_ptr<float>();
    alphas_cumprod_f_.assign(p, p + T);
    for (float a : alphas_cumprod_f_)
        if (!(a > 0 && a <= 1))
            throw ModelError("DDPMScheduler: the beta schedule gives alphas_cumprod outside (0, 1] (check beta_start / "
                             "beta_end)");
    timesteps_.resize(static_cast<size_t>(T));
    for (int64_t i = 0; i < T; ++i) timesteps_[static_cast<size_t>(i)] = T - 1 - i;
}

void DDPMScheduler::set_timesteps(int64_t n) {
    timesteps_ = ddpm_timesteps(config_, n);
    num_inference_steps_ = n;
}

int64_t DDPMScheduler::previous_timestep(int64_t t) const {
    const int64_t n = num_inference_steps_ > 0 ? num_inference_steps_ : config_.num_train_timesteps;
    return t - config_.num_train_timesteps / n;
}

void DDPMScheduler::check_t(int64_t t) const {
    if (t < 0 || t >= config_.num_train_timesteps)
        throw RequestError("DDPMScheduler: timestep " + std::to_string(t) + " is outside [0, " +
                           std::to_string(config_.num_train_timesteps - 1) + "]");
}

float DDPMScheduler::alpha_prod(int64_t t) const {
    check_t(t);
    return alphas_cumprod_f_[static_cast<size_t>(t)];
}

float DDPMScheduler::alpha_prod_prev(int64_t t) const {
    check_t(t);
    const int64_t prev = previous_timestep(t);
    if (prev >= config_.num_train_timesteps)
        throw RequestError("DDPMScheduler: previous timestep " + std::to_string(prev) + " is outside [.., " +
                           std::to_string(config_.num_train_timesteps - 1) + "]");
    return prev >= 0 ? alphas_cumprod_f_[static_cast<size_t>(prev)] : 1.0f;
}

torch::Tensor DDPMScheduler::noise_std(int64_t t) const {
    const float a_t = alpha_prod(t);
    const float a_prev = alpha_prod_prev(t);
    const float beta = 1.0f - a_t / a_prev;
    float std_t = 0;
    switch (config_.variance_type) {
        case DDPMVarianceType::FixedSmall:
            std_t = std::sqrt(std::max((1.0f - a_prev) / (1.0f - a_t) * beta, 1e-20f));
            break;
        case DDPMVarianceType::FixedSmallLog:
            std_t = std::exp(0.5f * std::log(std::max((1.0f - a_prev) / (1.0f - a_t) * beta, 1e-20f)));
            break;
        case DDPMVarianceType::FixedLarge:
            std_t = std::sqrt(beta);
            break;
    }
    return torch::tensor(std_t, torch::TensorOptions().dtype(torch::kFloat32));
}

DDPMStepOutput DDPMScheduler::step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                                   Generator* gen) const {
    if (needs_noise(t) && gen == nullptr)
        throw RequestError("DDPMScheduler: step at t = " + std::to_string(t) + " needs a random generator");
    return step_impl(model_output, t, sample, nullptr, gen);
}

DDPMStepOutput DDPMScheduler::step_with_noise(const torch::Tensor& model_output, int64_t t,
                                              const torch::Tensor& sample, const torch::Tensor& noise) const {
    return step_impl(model_output, t, sample, &noise, nullptr);
}

DDPMStepOutput DDPMScheduler::step_impl(const torch::Tensor& model_output_in, int64_t t, const torch::Tensor& sample_in,
                                        const torch::Tensor* noise_in, Generator* gen) const {
    if (!sample_in.defined() || !model_output_in.defined())
        throw RequestError("DDPMScheduler: step needs a sample and a model output");
    if (model_output_in.sizes() != sample_in.sizes())
        throw RequestError("DDPMScheduler: model output " + shape_str(model_output_in) + " does not fit the sample " +
                           shape_str(sample_in) + " (drop learned-variance channels first)");
    // Validates t and prev_t before anything (in particular before a draw) happens.
    const float a_t = alpha_prod(t);
    const float a_prev = alpha_prod_prev(t);

    const torch::ScalarType out_dtype = sample_in.scalar_type();
    const torch::Tensor sample = sample_in.to(work_dtype(sample_in));
    const torch::Tensor model_output = model_output_in.to(sample.device(), out_dtype).to(sample.scalar_type());

    // 1. Noise first, as the reference (the draw happens whatever the variance type).
    torch::Tensor noise;
    if (needs_noise(t)) noise = detail::step_noise("DDPMScheduler", t, sample, out_dtype, noise_in, gen);

    // 2. Scalars in the reference's float32 order.
    const float beta_prod_t = 1.0f - a_t;
    const float beta_prod_t_prev = 1.0f - a_prev;
    const float current_alpha_t = a_t / a_prev;
    const float current_beta_t = 1.0f - current_alpha_t;

    // 3. Predicted x_0.
    torch::Tensor x0;
    switch (config_.prediction_type) {
        case DDPMPredictionType::Epsilon:
            x0 = (sample - std::sqrt(beta_prod_t) * model_output) / std::sqrt(a_t);
            break;
        case DDPMPredictionType::Sample:
            x0 = model_output;
            break;
        case DDPMPredictionType::VPrediction:
            x0 = std::sqrt(a_t) * sample - std::sqrt(beta_prod_t) * model_output;
            break;
    }
    if (config_.clip_sample) x0 = x0.clamp(-config_.clip_sample_range, config_.clip_sample_range);

    // 4. Posterior mean (DDPM formula (7)).
    const float x0_coeff = (std::sqrt(a_prev) * current_beta_t) / beta_prod_t;
    const float xt_coeff = std::sqrt(current_alpha_t) * beta_prod_t_prev / beta_prod_t;
    torch::Tensor prev = x0_coeff * x0 + xt_coeff * sample;

    // 5. Noise.
    if (needs_noise(t)) prev = prev + noise_std(t).item<float>() * noise;

    detail::restore_dtype(out_dtype, sample.scalar_type(), prev, x0, noise);
    return {prev, x0, noise};
}

torch::Tensor DDPMScheduler::add_noise(const torch::Tensor& original, const torch::Tensor& noise, int64_t t) const {
    return add_noise(original, noise, std::vector<int64_t>{t});
}

torch::Tensor DDPMScheduler::add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                                       const std::vector<int64_t>& timesteps) const {
    if (!original.defined() || !noise.defined()) throw RequestError("DDPMScheduler: add_noise needs a sample and noise");
    if (noise.sizes() != original.sizes())
        throw RequestError("DDPMScheduler: add_noise: noise " + shape_str(noise) + " does not match " +
                           shape_str(original));
    const bool one = timesteps.size() == 1;
    if (timesteps.empty() || (!one && (original.dim() < 1 || static_cast<int64_t>(timesteps.size()) != original.size(0))))
        throw RequestError("DDPMScheduler: add_noise: " + std::to_string(timesteps.size()) + " timesteps for a batch of " +
                           (original.dim() ? std::to_string(original.size(0)) : "0"));
    // alphas_cumprod cast to the sample's dtype, then a ** 0.5 and (1 - a) ** 0.5 in that dtype.
    const torch::ScalarType dt = original.scalar_type();
    std::vector<float> sa(timesteps.size()), sb(timesteps.size());
    for (size_t i = 0; i < timesteps.size(); ++i) {
        check_t(timesteps[i]);
        const float a = round_through(alphas_cumprod_f_[static_cast<size_t>(timesteps[i])], dt);
        sa[i] = round_through(std::sqrt(a), dt);
        sb[i] = round_through(std::sqrt(round_through(1.0f - a, dt)), dt);
    }
    const torch::ScalarType w = work_dtype(original);
    const torch::Tensor x = original.to(w);
    const torch::Tensor n = noise.to(original.device(), dt).to(w);
    if (one) return (sa[0] * x + sb[0] * n).to(dt);
    std::vector<int64_t> view(static_cast<size_t>(original.dim()), 1);
    view[0] = original.size(0);
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
    const auto len = static_cast<int64_t>(timesteps.size());
    torch::Tensor ta = torch::from_blob(sa.data(), {len}, opts).clone().view(view).to(original.device(), w);
    torch::Tensor tb = torch::from_blob(sb.data(), {len}, opts).clone().view(view).to(original.device(), w);
    return (ta * x + tb * n).to(dt);
}

}  // namespace unclip::schedulers
