// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/schedulers/schedule_util.h"

#include "core/common/error.h"

#include <torch/torch.h>

#include <sstream>

namespace unclip::schedulers::detail {

torch::ScalarType work_dtype(const torch::Tensor& t) {
    return (t.scalar_type() == torch::kHalf && t.device().is_cpu()) ? torch::kFloat32 : t.scalar_type();
}

std::string shape_str(const torch::Tensor& t) {
    std::ostringstream o;
    o << t.sizes();
    return o.str();
}

void check_step_count(int64_t num_train_timesteps, int64_t n) {
    if (n < 1)
        throw RequestError("number of scheduler steps must be at least 1 (got " + std::to_string(n) + ")");
    if (n > num_train_timesteps)
        throw RequestError("number of scheduler steps (" + std::to_string(n) +
                           ") exceeds the scheduler's num_train_timesteps (" + std::to_string(num_train_timesteps) +
                           ")");
}

torch::Tensor step_noise(const char* scheduler, int64_t t, const torch::Tensor& sample, torch::ScalarType out_dtype,
                         const torch::Tensor* noise_in, Generator* gen) {
    torch::Tensor noise;
    if (gen != nullptr) {
        noise = gen->randn(sample.sizes());
    } else {
        if (noise_in == nullptr || !noise_in->defined())
            throw RequestError(std::string(scheduler) + ": step at t = " + std::to_string(t) + " needs noise");
        noise = *noise_in;
        if (noise.sizes() != sample.sizes())
            throw RequestError(std::string(scheduler) + ": noise " + shape_str(noise) + " does not match the sample " +
                               shape_str(sample));
    }
    return noise.to(sample.device(), out_dtype).to(sample.scalar_type());
}

void restore_dtype(torch::ScalarType out_dtype, torch::ScalarType work, torch::Tensor& prev, torch::Tensor& x0,
                   torch::Tensor& noise) {
    if (out_dtype == work) return;
    prev = prev.to(out_dtype);
    x0 = x0.to(out_dtype);
    if (noise.defined()) noise = noise.to(out_dtype);
}

}  // namespace unclip::schedulers::detail
