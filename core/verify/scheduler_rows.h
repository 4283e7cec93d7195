// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the scheduler parity checks (verify_schedulers.cpp, verify_kandinsky_schedulers.cpp) share:
// one verify row over many comparisons, the rows of a recorded trajectory, and the config rows.
#include "core/random/generator.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/verify/golden_case.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace unclip::verify {

// An exception's message (c10::Error without its backtrace).
std::string error_message(const std::exception& e);

// "<prefix>.stepNN.<what>": a tensor of step NN of a recorded trajectory.
std::string step_key(const std::string& prefix, size_t i, const std::string& what);

// The values as a CPU int64 tensor (timesteps).
torch::Tensor int64_tensor(const std::vector<int64_t>& v);

// One verify row over several comparisons (every step of a trajectory, every N): the largest
// error, pass only if all passed; the note names the worst and the first failing item.
class AggregateRow {
public:
    AggregateRow(std::string check, double atol, double rtol);
    void add(const std::string& item, const torch::Tensor& actual, const torch::Tensor& expected);
    void fail(const std::string& why);
    void finish(std::vector<ParityResult>& rows) const;

private:
    std::string check_;
    double atol_, rtol_;
    double max_ = 0;
    bool pass_ = true;
    int count_ = 0;
    std::string worst_, first_bad_, note_;
};

// A recorded trajectory: an entry of the case json's trajectories, its tensors "<prefix>.*".
struct Trajectory {
    Trajectory(const std::string& case_name, const nlohmann::json& traj);
    std::string prefix;
    std::string base;  // "<case>/<prefix>": what its rows are called
    int64_t num_inference_steps;
    uint64_t seed;
    const nlohmann::json& steps;  // per step: "t" and the scheduler's own scalars
    const nlohmann::json& json;   // the whole entry
};

// The trajectory's ".timesteps" row with its first comparison: `ours` against the recorded "timesteps".
AggregateRow timesteps_row(const Trajectory& tr, const std::vector<int64_t>& ours);

// The scheduler's own parts of a trajectory's rows (an empty one: no such row).
struct TrajectoryHooks {
    // Before step i: the ".scalars" row's comparisons.
    std::function<void(size_t i, int64_t t, const std::string& item, AggregateRow& scalars)> scalars;
    // After step i, when it drew noise: the std of that noise, for the ".std" row.
    std::function<torch::Tensor(size_t i, int64_t t, const torch::Tensor& model_output, const torch::Tensor& sample)>
        noise_std;
};

// The rows of a trajectory after its timesteps: teacher forcing (each step from the recorded
// sample, our generator seeded as recorded: its first draw is sample_init) and the free run (our
// own samples from the seed, as a pipeline produces them). Latents and scheduler math are float32
// on `device` whatever the models' precision, as in the pipelines (at t = 999 the x0 estimate
// divides by sqrt(a) = 4.9e-5, which half precision cannot afford). `step(i, t, model_output, sample, gen)` is the
// scheduler's step i (an output with prev_sample, pred_original_sample, noise); a step draws noise
// when Scheduler::needs_noise(t). An exception fails the ".prev_sample" row.
template <typename Scheduler, typename Case, typename Step>
void add_trajectory_rows(const Case& c, const Trajectory& tr, const torch::Device& device, const CaseTolerance& tol,
                         const TrajectoryHooks& hooks, Step step, std::vector<ParityResult>& rows) {
    const auto on = [&](const torch::Tensor& t) { return t.to(device, torch::kFloat32); };
    const std::string& prefix = tr.prefix;
    AggregateRow r_init(tr.base + ".sample_init", 0, 0);
    AggregateRow r_scal(tr.base + ".scalars", tol.atol, tol.rtol);
    AggregateRow r_noise(tr.base + ".noise", 0, 0);  // CPU float32 draws, used in float32: bit-exact
    AggregateRow r_std(tr.base + ".std", tol.atol, tol.rtol);
    AggregateRow r_x0(tr.base + ".pred_original_sample", tol.atol, tol.rtol);
    AggregateRow r_prev(tr.base + ".prev_sample", tol.atol, tol.rtol);
    AggregateRow r_free(tr.base + ".free_run.prev_sample", tol.atol, tol.rtol);
    try {
        const torch::Tensor& init_expected = c.at(prefix + ".sample_init");
        Generator gen(tr.seed);
        r_init.add("sample_init", gen.randn(init_expected.sizes()), init_expected);
        torch::Tensor sample = on(init_expected);
        for (size_t i = 0; i < tr.steps.size(); ++i) {
            const int64_t t = tr.steps[i].at("t").template get<int64_t>();
            const std::string item = "step" + std::to_string(i);
            if (hooks.scalars) hooks.scalars(i, t, item, r_scal);
            const torch::Tensor model_output = on(c.at(step_key(prefix, i, "model_output")));
            const auto out = step(i, t, model_output, sample, &gen);
            if (Scheduler::needs_noise(t)) {
                r_noise.add(item, out.noise, c.at(step_key(prefix, i, "noise")));
                if (hooks.noise_std)
                    r_std.add(item, hooks.noise_std(i, t, model_output, sample), c.at(step_key(prefix, i, "std")));
            } else if (c.has(step_key(prefix, i, "noise"))) {
                r_noise.fail(item + ": the case records noise at t = 0, where none is drawn");
            }
            r_x0.add(item, out.pred_original_sample, c.at(step_key(prefix, i, "pred_original_sample")));
            const torch::Tensor& prev_expected = c.at(step_key(prefix, i, "prev_sample"));
            r_prev.add(item, out.prev_sample, prev_expected);
            sample = on(prev_expected);
        }
        Generator free_gen(tr.seed);
        sample = on(free_gen.randn(init_expected.sizes()));
        for (size_t i = 0; i < tr.steps.size(); ++i) {
            const int64_t t = tr.steps[i].at("t").template get<int64_t>();
            sample = step(i, t, on(c.at(step_key(prefix, i, "model_output"))), sample, &free_gen).prev_sample;
            r_free.add("step" + std::to_string(i), sample, c.at(step_key(prefix, i, "prev_sample")));
        }
    } catch (const std::exception& e) {
        r_prev.fail(error_message(e));
    }
    r_init.finish(rows);
    if (hooks.scalars) r_scal.finish(rows);
    r_noise.finish(rows);
    if (hooks.noise_std) r_std.finish(rows);
    for (const AggregateRow* r : {&r_x0, &r_prev, &r_free}) r->finish(rows);
}

// The first UnCLIPSchedulerConfig field in which a and b differ; empty when they agree.
std::string unclip_config_difference(const schedulers::UnCLIPSchedulerConfig& a,
                                     const schedulers::UnCLIPSchedulerConfig& b);

// A model folder's scheduler config against the case's: passes when `difference` (what the note
// names after "differs from the case's config in ") is empty.
void add_config_row(std::vector<ParityResult>& rows, const std::string& check, const std::string& difference);

}  // namespace unclip::verify
