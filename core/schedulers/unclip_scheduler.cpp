// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/schedulers/unclip_scheduler.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"
#include "core/schedulers/schedule_util.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace unclip::schedulers {

using detail::shape_str;
using detail::work_dtype;

// ---------------------------------------------------------------------------------------------
// Config

UnCLIPSchedulerConfig UnCLIPSchedulerConfig::from_json(const nlohmann::json& j, const std::string& label) {
    io::ConfigReader r(j, label);
    UnCLIPSchedulerConfig c;
    if (r.has("_class_name")) {
        const auto cls = r.get<std::string>("_class_name", "");
        if (cls != "UnCLIPScheduler") r.unsupported("_class_name", "only UnCLIPScheduler is implemented");
    }
    c.num_train_timesteps = r.get<int64_t>("num_train_timesteps", 1000);
    if (c.num_train_timesteps < 1) r.unsupported("num_train_timesteps", "must be at least 1");

    r.expect_one_of("variance_type", {"fixed_small_log", "learned_range"});
    c.variance_type = r.get<std::string>("variance_type", "fixed_small_log") == "learned_range"
                          ? VarianceType::LearnedRange
                          : VarianceType::FixedSmallLog;

    c.clip_sample = r.get<bool>("clip_sample", true);
    // Optional[float] = 1.0 in the reference; null keeps the default.
    const double range = r.get<double>("clip_sample_range", 1.0);
    if (!(range > 0) || !std::isfinite(range)) r.unsupported("clip_sample_range", "must be a positive number");
    c.clip_sample_range = static_cast<float>(range);

    r.expect_one_of("prediction_type", {"epsilon", "sample"});
    c.prediction_type = r.get<std::string>("prediction_type", "epsilon") == "sample" ? PredictionType::Sample
                                                                                     : PredictionType::Epsilon;

    r.expect_one_of("beta_schedule", {"squaredcos_cap_v2"});
    return c;
}

// ---------------------------------------------------------------------------------------------
// Schedules

std::vector<double> squaredcos_cap_v2_betas(int64_t num_train_timesteps, double max_beta) {
    const double pi = 3.14159265358979323846;  // == Python's math.pi
    auto alpha_bar = [pi](double t) {
        const double c = std::cos((t + 0.008) / 1.008 * pi / 2);
        return c * c;
    };
    std::vector<double> betas(static_cast<size_t>(num_train_timesteps));
    const double n = static_cast<double>(num_train_timesteps);
    for (int64_t i = 0; i < num_train_timesteps; ++i) {
        const double t1 = static_cast<double>(i) / n;
        const double t2 = static_cast<double>(i + 1) / n;
        betas[static_cast<size_t>(i)] = std::min(1 - alpha_bar(t2) / alpha_bar(t1), max_beta);
    }
    return betas;
}

std::vector<int64_t> karlo_timesteps(int64_t num_train_timesteps, int64_t n) {
    detail::check_step_count(num_train_timesteps, n);
    std::vector<int64_t> ts(static_cast<size_t>(n));
    if (n == 1) {
        // The reference divides by zero here; one step from pure noise starts at T - 1.
        ts[0] = num_train_timesteps - 1;
        return ts;
    }
    const double ratio = static_cast<double>(num_train_timesteps - 1) / static_cast<double>(n - 1);
    for (int64_t i = 0; i < n; ++i) {
        // numpy.round: half to even == nearbyint in the default rounding mode.
        const double v = std::nearbyint(static_cast<double>(i) * ratio);
        ts[static_cast<size_t>(n - 1 - i)] = static_cast<int64_t>(v);
    }
    return ts;
}

// ---------------------------------------------------------------------------------------------
// Scheduler

UnCLIPScheduler::UnCLIPScheduler(UnCLIPSchedulerConfig config) : config_(config) {
    if (config_.num_train_timesteps < 1) throw ModelError("UnCLIPScheduler: num_train_timesteps must be at least 1");
    init(squaredcos_cap_v2_betas(config_.num_train_timesteps));
}

UnCLIPScheduler::UnCLIPScheduler(UnCLIPSchedulerConfig config, const std::vector<double>& betas) : config_(config) {
    if (static_cast<int64_t>(betas.size()) != config_.num_train_timesteps || betas.empty())
        throw ModelError("UnCLIPScheduler: " + std::to_string(betas.size()) + " betas for num_train_timesteps " +
                         std::to_string(config_.num_train_timesteps));
    for (double b : betas)
        if (!(b > 0 && b < 1)) throw ModelError("UnCLIPScheduler: every beta must be in (0, 1), got " + std::to_string(b));
    init(betas);
}

void UnCLIPScheduler::init(const std::vector<double>& betas_d) {
    const size_t n = betas_d.size();
    betas_f_.resize(n);
    alphas_f_.resize(n);
    alphas_cumprod_f_.resize(n);
    // torch.cumprod on a CPU float32 tensor multiplies sequentially in its accumulate type
    // (double) and rounds each prefix to float32; the same here.
    double prod = 1.0;
    for (size_t i = 0; i < n; ++i) {
        betas_f_[i] = static_cast<float>(betas_d[i]);
        alphas_f_[i] = 1.0f - betas_f_[i];
        prod *= static_cast<double>(alphas_f_[i]);
        alphas_cumprod_f_[i] = static_cast<float>(prod);
    }
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
    const auto len = static_cast<int64_t>(n);
    betas_ = torch::from_blob(betas_f_.data(), {len}, opts).clone();
    alphas_ = torch::from_blob(alphas_f_.data(), {len}, opts).clone();
    alphas_cumprod_ = torch::from_blob(alphas_cumprod_f_.data(), {len}, opts).clone();

    timesteps_.resize(n);
    for (size_t i = 0; i < n; ++i) timesteps_[i] = static_cast<int64_t>(n - 1 - i);
}

void UnCLIPScheduler::set_timesteps(int64_t n) { timesteps_ = karlo_timesteps(config_.num_train_timesteps, n); }

std::optional<int64_t> UnCLIPScheduler::prev_timestep(size_t i) const {
    if (i + 1 < timesteps_.size()) return timesteps_[i + 1];
    return std::nullopt;
}

void UnCLIPScheduler::check_t(int64_t t, const char* what) const {
    if (t < 0 || t >= config_.num_train_timesteps)
        throw RequestError(std::string("UnCLIPScheduler: ") + what + " " + std::to_string(t) + " is outside [0, " +
                           std::to_string(config_.num_train_timesteps - 1) + "]");
}

UnCLIPStepScalars UnCLIPScheduler::step_scalars(int64_t t, std::optional<int64_t> prev_t) const {
    check_t(t, "timestep");
    UnCLIPStepScalars s;
    s.t = t;
    s.prev_t = prev_t ? *prev_t : t - 1;
    if (s.prev_t >= config_.num_train_timesteps)
        throw RequestError("UnCLIPScheduler: previous timestep " + std::to_string(s.prev_t) + " is outside [.., " +
                           std::to_string(config_.num_train_timesteps - 1) + "]");
    const auto ti = static_cast<size_t>(t);
    s.alpha_prod_t = alphas_cumprod_f_[ti];
    s.alpha_prod_t_prev = s.prev_t >= 0 ? alphas_cumprod_f_[static_cast<size_t>(s.prev_t)] : 1.0f;
    s.beta_prod_t = 1.0f - s.alpha_prod_t;
    s.beta_prod_t_prev = 1.0f - s.alpha_prod_t_prev;
    if (s.prev_t == t - 1) {
        s.beta = betas_f_[ti];
        s.alpha = alphas_f_[ti];
    } else {
        s.beta = 1.0f - s.alpha_prod_t / s.alpha_prod_t_prev;
        s.alpha = 1.0f - s.beta;
    }
    s.variance = s.beta_prod_t_prev / s.beta_prod_t * s.beta;
    return s;
}

torch::Tensor UnCLIPScheduler::noise_std(int64_t t, std::optional<int64_t> prev_t,
                                         const torch::Tensor& predicted_variance) const {
    const UnCLIPStepScalars s = step_scalars(t, prev_t);
    if (config_.variance_type == VarianceType::FixedSmallLog) {
        const float log_var = std::log(std::max(s.variance, 1e-20f));
        return torch::tensor(std::exp(0.5f * log_var), torch::TensorOptions().dtype(torch::kFloat32));
    }
    if (!predicted_variance.defined())
        throw RequestError(
            "UnCLIPScheduler: variance_type learned_range needs the model's predicted variance (model output with "
            "twice the sample's channels)");
    const float min_log = std::log(s.variance);
    const float max_log = std::log(s.beta);
    const torch::Tensor v = predicted_variance.to(work_dtype(predicted_variance));
    torch::Tensor frac = (v + 1) / 2;
    torch::Tensor log_var = frac * max_log + (1 - frac) * min_log;
    return (log_var * 0.5).exp().to(predicted_variance.scalar_type());
}

UnCLIPStepOutput UnCLIPScheduler::step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                                       std::optional<int64_t> prev_t, Generator* gen) const {
    if (needs_noise(t) && gen == nullptr)
        throw RequestError("UnCLIPScheduler: step at t = " + std::to_string(t) + " needs a random generator");
    return step_impl(model_output, t, sample, prev_t, nullptr, gen);
}

UnCLIPStepOutput UnCLIPScheduler::step_with_noise(const torch::Tensor& model_output, int64_t t,
                                                  const torch::Tensor& sample, std::optional<int64_t> prev_t,
                                                  const torch::Tensor& noise) const {
    return step_impl(model_output, t, sample, prev_t, &noise, nullptr);
}

UnCLIPStepOutput UnCLIPScheduler::step_impl(const torch::Tensor& model_output_in, int64_t t,
                                            const torch::Tensor& sample_in, std::optional<int64_t> prev_t,
                                            const torch::Tensor* noise_in, Generator* gen) const {
    if (!sample_in.defined() || !model_output_in.defined())
        throw RequestError("UnCLIPScheduler: step needs a sample and a model output");
    // Validates t / prev_t before anything (in particular before a draw) happens.
    const UnCLIPStepScalars s = step_scalars(t, prev_t);

    const torch::ScalarType out_dtype = sample_in.scalar_type();
    const torch::Tensor sample = sample_in.to(work_dtype(sample_in));
    torch::Tensor model_output = model_output_in.to(sample.device(), out_dtype).to(sample.scalar_type());
    torch::Tensor predicted_variance;
    if (config_.variance_type == VarianceType::LearnedRange && sample.dim() >= 2 && model_output.dim() == sample.dim() &&
        model_output.size(1) == 2 * sample.size(1)) {
        auto parts = model_output.split(sample.size(1), 1);
        model_output = parts[0];
        predicted_variance = parts[1];
    }
    if (model_output.sizes() != sample.sizes())
        throw RequestError("UnCLIPScheduler: model output " + shape_str(model_output_in) +
                           " does not fit the sample " + shape_str(sample) +
                           (config_.variance_type == VarianceType::LearnedRange
                                ? " (learned_range: same shape, or twice the channels along dim 1)"
                                : ""));
    if (needs_noise(t) && config_.variance_type == VarianceType::LearnedRange && !predicted_variance.defined())
        throw RequestError("UnCLIPScheduler: variance_type learned_range needs a model output with twice the "
                           "sample's channels (got " + shape_str(model_output_in) + " for sample " +
                           shape_str(sample) + ")");

    // 1. Noise first (the reference draws it before computing the variance).
    torch::Tensor noise;
    if (needs_noise(t)) noise = detail::step_noise("UnCLIPScheduler", t, sample, out_dtype, noise_in, gen);

    // 2. Predicted x_0.
    torch::Tensor x0;
    if (config_.prediction_type == PredictionType::Epsilon) {
        x0 = (sample - std::sqrt(s.beta_prod_t) * model_output) / std::sqrt(s.alpha_prod_t);
    } else {
        x0 = model_output;
    }
    // 3. Clip.
    if (config_.clip_sample) x0 = x0.clamp(-config_.clip_sample_range, config_.clip_sample_range);

    // 4./5. Posterior mean (DDPM formula (7)), scalars in float32 in the reference's order.
    const float x0_coeff = (std::sqrt(s.alpha_prod_t_prev) * s.beta) / s.beta_prod_t;
    const float xt_coeff = (std::sqrt(s.alpha) * s.beta_prod_t_prev) / s.beta_prod_t;
    torch::Tensor prev = x0_coeff * x0 + xt_coeff * sample;

    // 6. Noise.
    if (needs_noise(t)) {
        torch::Tensor std_t = noise_std(t, prev_t, predicted_variance);
        if (config_.variance_type == VarianceType::FixedSmallLog)
            prev = prev + std_t.item<float>() * noise;
        else
            prev = prev + std_t * noise;
    }
    detail::restore_dtype(out_dtype, sample.scalar_type(), prev, x0, noise);
    return {prev, x0, noise};
}

torch::Tensor UnCLIPScheduler::add_noise(const torch::Tensor& original, const torch::Tensor& noise, int64_t t) const {
    check_t(t, "timestep");
    if (noise.sizes() != original.sizes())
        throw RequestError("UnCLIPScheduler: add_noise: noise " + shape_str(noise) + " does not match " +
                           shape_str(original));
    const float a = alphas_cumprod_f_[static_cast<size_t>(t)];
    const float sa = std::sqrt(a);
    const float sb = std::sqrt(1.0f - a);
    const torch::ScalarType w = work_dtype(original);
    const torch::Tensor n = noise.to(original.device(), original.scalar_type()).to(w);
    return (sa * original.to(w) + sb * n).to(original.scalar_type());
}

torch::Tensor UnCLIPScheduler::add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                                         const std::vector<int64_t>& timesteps) const {
    if (timesteps.size() == 1) return add_noise(original, noise, timesteps[0]);
    if (original.dim() < 1 || static_cast<int64_t>(timesteps.size()) != original.size(0))
        throw RequestError("UnCLIPScheduler: add_noise: " + std::to_string(timesteps.size()) +
                           " timesteps for a batch of " + (original.dim() ? std::to_string(original.size(0)) : "0"));
    if (noise.sizes() != original.sizes())
        throw RequestError("UnCLIPScheduler: add_noise: noise " + shape_str(noise) + " does not match " +
                           shape_str(original));
    std::vector<float> sa(timesteps.size()), sb(timesteps.size());
    for (size_t i = 0; i < timesteps.size(); ++i) {
        check_t(timesteps[i], "timestep");
        const float a = alphas_cumprod_f_[static_cast<size_t>(timesteps[i])];
        sa[i] = std::sqrt(a);
        sb[i] = std::sqrt(1.0f - a);
    }
    std::vector<int64_t> view(static_cast<size_t>(original.dim()), 1);
    view[0] = original.size(0);
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
    const auto n = static_cast<int64_t>(timesteps.size());
    // Per-element factors in the math dtype (float32 values, as the reference's alphas_cumprod[t] ** 0.5).
    const torch::ScalarType w = work_dtype(original);
    torch::Tensor ta = torch::from_blob(sa.data(), {n}, opts).clone().view(view).to(original.device(), w);
    torch::Tensor tb = torch::from_blob(sb.data(), {n}, opts).clone().view(view).to(original.device(), w);
    const torch::Tensor nz = noise.to(original.device(), original.scalar_type()).to(w);
    return (ta * original.to(w) + tb * nz).to(original.scalar_type());
}

}  // namespace unclip::schedulers
