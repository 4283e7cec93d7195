// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_schedulers.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/verify/scheduler_rows.h"
#include "core/verify/verify_support.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

namespace unclip::schedulers {
namespace {

using Tolerance = verify::CaseTolerance;
Tolerance scheduler_tolerance(const verify::GoldenCase& c, const verify::VerifyOptions& opts) {
    return verify::case_tolerance(c, opts, 1e-5, 1e-5);
}

using verify::error_message;
using verify::step_key;
using verify::int64_tensor;
using Row = verify::AggregateRow;
using models::add_failed_row;

// The predicted-variance half of a learned_range model output (undefined otherwise).
torch::Tensor variance_half(const UnCLIPScheduler& s, const torch::Tensor& model_output, const torch::Tensor& sample) {
    if (s.config().variance_type != VarianceType::LearnedRange || sample.dim() < 2 ||
        model_output.dim() != sample.dim() || model_output.size(1) != 2 * sample.size(1))
        return {};
    return model_output.narrow(1, sample.size(1), sample.size(1));
}

void verify_trajectory(const verify::GoldenCase& c, const nlohmann::json& traj, UnCLIPScheduler sched,
                       const verify::VerifyOptions& opts, const Tolerance& tol,
                       std::vector<verify::ParityResult>& rows) {
    const verify::Trajectory tr(c.name, traj);
    const auto recorded_prev = [&](size_t i) {
        std::optional<int64_t> prev;
        if (!tr.steps[i].at("prev_timestep").is_null()) prev = tr.steps[i].at("prev_timestep").get<int64_t>();
        return prev;
    };

    // Timesteps of this trajectory.
    sched.set_timesteps(tr.num_inference_steps);
    verify::timesteps_row(tr, sched.timesteps()).finish(rows);

    verify::TrajectoryHooks hooks;
    hooks.scalars = [&](size_t i, int64_t t, const std::string& item, Row& r_scal) {
        const auto& st = tr.steps[i];
        const auto s = sched.step_scalars(t, recorded_prev(i));
        const std::vector<double> got{s.alpha_prod_t, s.alpha_prod_t_prev, s.beta};
        const std::vector<double> want{st.at("alpha_prod_t").get<double>(), st.at("alpha_prod_t_prev").get<double>(),
                                       st.at("beta").get<double>()};
        r_scal.add(item, torch::tensor(got, torch::kFloat64), torch::tensor(want, torch::kFloat64));
    };
    hooks.noise_std = [&](size_t i, int64_t t, const torch::Tensor& model_output, const torch::Tensor& sample) {
        return sched.noise_std(t, recorded_prev(i), variance_half(sched, model_output, sample));
    };
    verify::add_trajectory_rows<UnCLIPScheduler>(
        c, tr, opts.device, tol, hooks,
        [&](size_t i, int64_t t, const torch::Tensor& model_output, const torch::Tensor& sample, Generator* gen) {
            return sched.step(model_output, t, sample, recorded_prev(i), gen);
        },
        rows);
}

}  // namespace

std::vector<verify::ParityResult> verify_scheduler_case(const verify::GoldenCase& c, const std::string& name,
                                                        const UnCLIPScheduler& scheduler,
                                                        const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = scheduler_tolerance(c, opts);
    std::vector<verify::ParityResult> rows;
    const std::string base = c.name + "/" + name;
    try {
        // Schedules are float32 tensors on the CPU whatever the run dtype: compare them at the case tolerance.
        const double atol32 = c.meta.contains("tolerance") ? c.meta["tolerance"].value("atol", 1e-5) : 1e-5;
        const double rtol32 = c.meta.contains("tolerance") ? c.meta["tolerance"].value("rtol", 1e-5) : 1e-5;
        verify::add_result(rows, base + ".betas", scheduler.betas(), c.at(name + ".betas"), atol32, rtol32);
        verify::add_result(rows, base + ".alphas_cumprod", scheduler.alphas_cumprod(), c.at(name + ".alphas_cumprod"),
                           atol32, rtol32);
        // Timesteps for every recorded N.
        Row r_ts(base + ".timesteps", 0, 0);
        std::vector<int64_t> ns;
        if (c.meta.contains("timestep_lists_N")) ns = c.meta["timestep_lists_N"].get<std::vector<int64_t>>();
        for (int64_t n : ns) {
            const std::string key = name + ".timesteps.N" + std::to_string(n);
            if (!c.has(key)) {
                r_ts.fail("missing tensor " + key);
                continue;
            }
            UnCLIPScheduler s = scheduler;
            s.set_timesteps(n);
            r_ts.add("N" + std::to_string(n), int64_tensor(s.timesteps()), c.at(key));
        }
        r_ts.finish(rows);
    } catch (const std::exception& e) {
        add_failed_row(rows, base, error_message(e));
        return rows;
    }
    const auto& entry = c.meta.at("schedulers").at(name);
    for (const auto& traj : entry.at("trajectories")) {
        try {
            verify_trajectory(c, traj, scheduler, opts, tol, rows);
        } catch (const std::exception& e) {
            add_failed_row(rows, base + " trajectory " + traj.value("prefix", std::string("?")), error_message(e));
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_schedulers(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    verify::GoldenCase c;
    try {
        c = verify::load_case(opts.golden_dir, "schedulers");
        if (!c.meta.contains("schedulers") || !c.meta["schedulers"].is_object())
            throw Error("golden case 'schedulers' has no \"schedulers\" object");
    } catch (const std::exception& e) {
        add_failed_row(rows, "schedulers", error_message(e));
        return rows;
    }
    for (const auto& [name, entry] : c.meta["schedulers"].items()) {
        UnCLIPSchedulerConfig config;
        try {
            config = UnCLIPSchedulerConfig::from_json(entry.at("config"), "schedulers.json: " + name + ".config");
        } catch (const std::exception& e) {
            add_failed_row(rows, "schedulers/" + name, error_message(e));
            continue;
        }
        auto part = verify_scheduler_case(c, name, UnCLIPScheduler(config), opts);
        rows.insert(rows.end(), part.begin(), part.end());

        // Every golden model folder's scheduler config of this name parses to the recorded config.
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::path models = fs::path(opts.golden_dir) / "models";
        std::vector<fs::path> dirs;
        for (fs::directory_iterator it(models, ec), end; !ec && it != end; it.increment(ec)) dirs.push_back(it->path());
        std::sort(dirs.begin(), dirs.end());
        for (const auto& dir : dirs) {
            const fs::path file = dir / (name + "_scheduler") / "scheduler_config.json";
            if (!fs::exists(file)) continue;
            const std::string check =
                "schedulers/config " + dir.filename().string() + "/" + name + "_scheduler/scheduler_config.json";
            try {
                const auto parsed = UnCLIPSchedulerConfig::from_json(io::read_json_file(file.string()), file.string());
                const std::string diff = verify::unclip_config_difference(parsed, config);
                verify::add_config_row(rows, check, diff.empty() ? diff : "'" + diff + "'");
            } catch (const std::exception& e) {
                add_failed_row(rows, check, error_message(e));
            }
        }
    }
    return rows;
}

}  // namespace unclip::schedulers
