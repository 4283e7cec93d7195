// SPDX-License-Identifier: GPL-3.0-or-later
// DDPMScheduler / UnCLIPScheduler parity rows against the Kandinsky golden case `schedulers`.
#include "core/verify/verify_kandinsky_schedulers.h"

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
#include <regex>
#include <sstream>

namespace unclip::schedulers {
namespace {

using verify::error_message;
using verify::int64_tensor;
using verify::step_key;
using Row = verify::AggregateRow;
using models::add_failed_row;

// Tensor access that records which keys were read.
struct Keys {
    const verify::GoldenCase& c;
    std::set<std::string>* used;
    const torch::Tensor& at(const std::string& key) const {
        if (used) used->insert(key);
        return c.at(key);
    }
    bool has(const std::string& key) const { return c.has(key); }
};

// The N of every "<prefix>N<digits>" tensor, ascending.
std::vector<int64_t> recorded_ns(const verify::GoldenCase& c, const std::string& prefix) {
    std::vector<int64_t> ns;
    for (const auto& [key, t] : c.tensors)
        if (key.rfind(prefix, 0) == 0) {
            const std::string rest = key.substr(prefix.size());
            if (!rest.empty() && std::all_of(rest.begin(), rest.end(), ::isdigit)) ns.push_back(std::stoll(rest));
        }
    std::sort(ns.begin(), ns.end());
    return ns;
}

// The case tolerance unloosened: schedules and scheduler math are float32 whatever the model dtype.
verify::CaseTolerance float32_tolerance(const verify::GoldenCase& c) {
    verify::VerifyOptions f32;
    return verify::case_tolerance(c, f32, 1e-5, 1e-5);
}

void ddpm_trajectory(const Keys& k, const nlohmann::json& traj, DDPMScheduler sched, const verify::VerifyOptions& opts,
                     const verify::CaseTolerance& tol, std::vector<verify::ParityResult>& rows) {
    const verify::Trajectory tr(k.c.name, traj);
    sched.set_timesteps(tr.num_inference_steps);
    verify::timesteps_row(tr, sched.timesteps()).finish(rows);
    verify::TrajectoryHooks hooks;
    hooks.scalars = [&](size_t i, int64_t t, const std::string& item, Row& r_scal) {
        const auto& st = tr.steps[i];
        if (i >= sched.timesteps().size() || sched.timesteps()[i] != t)
            r_scal.fail(item + ": recorded t = " + std::to_string(t) + " is not timesteps[" + std::to_string(i) + "]");
        const std::vector<double> got{static_cast<double>(sched.previous_timestep(t)), sched.alpha_prod(t),
                                      sched.alpha_prod_prev(t)};
        const std::vector<double> want{st.at("prev_t").get<double>(), st.at("alpha_prod_t").get<double>(),
                                       st.at("alpha_prod_t_prev").get<double>()};
        r_scal.add(item, torch::tensor(got, torch::kFloat64), torch::tensor(want, torch::kFloat64));
    };
    hooks.noise_std = [&](size_t, int64_t t, const torch::Tensor&, const torch::Tensor&) { return sched.noise_std(t); };
    verify::add_trajectory_rows<DDPMScheduler>(
        k, tr, opts.device, tol, hooks,
        [&](size_t, int64_t t, const torch::Tensor& model_output, const torch::Tensor& sample, Generator* gen) {
            return sched.step(model_output, t, sample, gen);
        },
        rows);
}

void prior_trajectory(const Keys& k, const nlohmann::json& traj, UnCLIPScheduler sched,
                      const verify::VerifyOptions& opts, const verify::CaseTolerance& tol,
                      std::vector<verify::ParityResult>& rows) {
    const verify::Trajectory tr(k.c.name, traj);
    // prev_timestep as the pipeline passes it: timesteps[i + 1], none (-1 here) at the last step.
    const auto recorded_prev = [&](size_t i) -> std::optional<int64_t> {
        const auto& p = tr.steps[i].at("prev_timestep");
        if (p.is_null()) return std::nullopt;
        return p.get<int64_t>();
    };

    sched.set_timesteps(tr.num_inference_steps);
    {
        Row r = verify::timesteps_row(tr, sched.timesteps());
        std::vector<int64_t> got, want;
        for (size_t i = 0; i < tr.steps.size(); ++i) {
            got.push_back(sched.prev_timestep(i).value_or(-1));
            want.push_back(recorded_prev(i).value_or(-1));
        }
        r.add("prev_timestep", int64_tensor(got), int64_tensor(want));
        r.finish(rows);
    }
    verify::add_trajectory_rows<UnCLIPScheduler>(
        k, tr, opts.device, tol, {},
        [&](size_t i, int64_t t, const torch::Tensor& model_output, const torch::Tensor& sample, Generator* gen) {
            return sched.step(model_output, t, sample, recorded_prev(i), gen);
        },
        rows);
}

// The schedule rows shared by both schedulers: betas, alphas_cumprod, timesteps for every recorded N.
template <typename Scheduler>
void schedule_rows(const Keys& k, const std::string& name, const Scheduler& scheduler, const verify::CaseTolerance& tol,
                   std::vector<verify::ParityResult>& rows) {
    const std::string base = k.c.name + "/" + name;
    verify::add_result(rows, base + ".betas", scheduler.betas(), k.at(name + ".betas"), tol.atol, tol.rtol);
    verify::add_result(rows, base + ".alphas_cumprod", scheduler.alphas_cumprod(), k.at(name + ".alphas_cumprod"),
                       tol.atol, tol.rtol);
    Row r(base + ".timesteps", 0, 0);
    for (int64_t n : recorded_ns(k.c, name + ".timesteps.N")) {
        Scheduler s = scheduler;
        s.set_timesteps(n);
        r.add("N" + std::to_string(n), int64_tensor(s.timesteps()), k.at(name + ".timesteps.N" + std::to_string(n)));
    }
    r.finish(rows);
}

// Every golden model folder's DDPMScheduler / UnCLIPScheduler config parses to the case's.
void folder_config_rows(const std::string& golden_dir, const DDPMSchedulerConfig& ddpm,
                        const UnCLIPSchedulerConfig& prior, std::vector<verify::ParityResult>& rows) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(fs::path(golden_dir) / "models", ec), end; !ec && it != end; it.increment(ec))
        if (fs::exists(it->path() / "model_index.json")) dirs.push_back(it->path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
        try {
            const io::ModelFolder folder(dir.string());
            for (const auto& comp : folder.components()) {
                if (comp.class_name != "DDPMScheduler" && comp.class_name != "UnCLIPScheduler") continue;
                const std::string check =
                    "schedulers/config " + dir.filename().string() + "/" + comp.name + " (" + comp.class_name + ")";
                try {
                    const std::string file = folder.config_path(comp.name);
                    std::string diff;
                    if (comp.class_name == "DDPMScheduler") {
                        if (DDPMSchedulerConfig::from_json(folder.config(comp.name), file) != ddpm) diff = "a value";
                    } else {
                        diff = verify::unclip_config_difference(UnCLIPSchedulerConfig::from_json(folder.config(comp.name), file),
                                                        prior);
                    }
                    verify::add_config_row(rows, check, diff);
                } catch (const std::exception& e) {
                    add_failed_row(rows, check, error_message(e));
                }
            }
        } catch (const std::exception& e) {
            add_failed_row(rows, "schedulers/config " + dir.filename().string(), error_message(e));
        }
    }
}

}  // namespace

std::vector<verify::ParityResult> check_kandinsky_ddpm(const verify::GoldenCase& c, const DDPMScheduler& scheduler,
                                                       const verify::VerifyOptions& opts, std::set<std::string>* used) {
    torch::NoGradGuard no_grad;
    const Keys k{c, used};
    const verify::CaseTolerance tol = float32_tolerance(c);
    std::vector<verify::ParityResult> rows;
    const std::string base = c.name + "/ddpm";
    try {
        schedule_rows(k, "ddpm", scheduler, tol, rows);
        // previous_timestep of every timestep, per N, as the json lists them.
        if (c.meta.contains("ddpm_prev_timestep")) {
            Row r(base + ".previous_timestep", 0, 0);
            for (const auto& [nkey, list] : c.meta["ddpm_prev_timestep"].items()) {
                DDPMScheduler s = scheduler;
                s.set_timesteps(std::stoll(nkey.substr(1)));
                std::vector<int64_t> got;
                for (int64_t t : s.timesteps()) got.push_back(s.previous_timestep(t));
                r.add(nkey, int64_tensor(got), int64_tensor(list.get<std::vector<int64_t>>()));
            }
            r.finish(rows);
        }
        // img2img: timesteps[N - min(int(N * strength), N):].
        if (c.meta.contains("img2img_get_timesteps")) {
            Row r(base + ".img2img_timesteps", 0, 0);
            for (const auto& e : c.meta["img2img_get_timesteps"]) {
                const auto n = e.at("num_inference_steps").get<int64_t>();
                const double strength = e.at("strength").get<double>();
                DDPMScheduler s = scheduler;
                s.set_timesteps(n);
                const int64_t init = std::min(static_cast<int64_t>(static_cast<double>(n) * strength), n);
                const std::vector<int64_t> got(s.timesteps().begin() + (n - init), s.timesteps().end());
                std::ostringstream item;
                item << "N" << n << " strength " << strength;
                r.add(item.str(), int64_tensor(got), int64_tensor(e.at("timesteps").get<std::vector<int64_t>>()));
            }
            r.finish(rows);
        }
    } catch (const std::exception& e) {
        add_failed_row(rows, base, error_message(e));
        return rows;
    }
    if (c.meta.contains("ddpm_trajectories"))
        for (const auto& traj : c.meta["ddpm_trajectories"]) {
            try {
                ddpm_trajectory(k, traj, scheduler, opts, tol, rows);
            } catch (const std::exception& e) {
                add_failed_row(rows, base + " trajectory " + traj.value("prefix", std::string("?")), error_message(e));
            }
        }
    if (c.has("ddpm.add_noise.original")) {
        try {
            const torch::Tensor ts = k.at("ddpm.add_noise.timesteps").to(torch::kInt64).contiguous();
            const std::vector<int64_t> tv(ts.data_ptr<int64_t>(), ts.data_ptr<int64_t>() + ts.numel());
            const torch::Tensor out =
                scheduler.add_noise(k.at("ddpm.add_noise.original").to(opts.device, torch::kFloat32),
                                    k.at("ddpm.add_noise.noise").to(opts.device, torch::kFloat32), tv);
            verify::add_result(rows, base + ".add_noise", out.to(torch::kCPU), k.at("ddpm.add_noise.out"), tol.atol,
                               tol.rtol);
        } catch (const std::exception& e) {
            add_failed_row(rows, base + ".add_noise", error_message(e));
        }
    }
    return rows;
}

std::vector<verify::ParityResult> check_kandinsky_prior_scheduler(const verify::GoldenCase& c,
                                                                  const UnCLIPScheduler& scheduler,
                                                                  const verify::VerifyOptions& opts,
                                                                  std::set<std::string>* used) {
    torch::NoGradGuard no_grad;
    const Keys k{c, used};
    const verify::CaseTolerance tol = float32_tolerance(c);
    std::vector<verify::ParityResult> rows;
    try {
        schedule_rows(k, "prior", scheduler, tol, rows);
    } catch (const std::exception& e) {
        add_failed_row(rows, c.name + "/prior", error_message(e));
        return rows;
    }
    if (c.meta.contains("prior_trajectories"))
        for (const auto& traj : c.meta["prior_trajectories"]) {
            try {
                prior_trajectory(k, traj, scheduler, opts, tol, rows);
            } catch (const std::exception& e) {
                add_failed_row(rows, c.name + "/prior trajectory " + traj.value("prefix", std::string("?")), error_message(e));
            }
        }
    return rows;
}

std::vector<verify::ParityResult> verify_kandinsky_schedulers(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    verify::GoldenCase c;
    DDPMSchedulerConfig ddpm_config;
    UnCLIPSchedulerConfig prior_config;
    try {
        c = verify::load_case(opts.golden_dir, "schedulers");
        if (!c.meta.contains("configs") || !c.meta["configs"].is_object())
            throw Error("golden case 'schedulers' has no \"configs\" object");
        ddpm_config = DDPMSchedulerConfig::from_json(c.meta["configs"].at("ddpm"), "schedulers.json: configs.ddpm");
        prior_config =
            UnCLIPSchedulerConfig::from_json(c.meta["configs"].at("prior"), "schedulers.json: configs.prior");
    } catch (const std::exception& e) {
        add_failed_row(rows, "schedulers", error_message(e));
        return rows;
    }
    std::set<std::string> used;
    try {
        auto ddpm = check_kandinsky_ddpm(c, DDPMScheduler(ddpm_config), opts, &used);
        rows.insert(rows.end(), ddpm.begin(), ddpm.end());
    } catch (const std::exception& e) {
        add_failed_row(rows, "schedulers/ddpm", error_message(e));
    }
    try {
        auto prior = check_kandinsky_prior_scheduler(c, UnCLIPScheduler(prior_config), opts, &used);
        rows.insert(rows.end(), prior.begin(), prior.end());
    } catch (const std::exception& e) {
        add_failed_row(rows, "schedulers/prior", error_message(e));
    }
    folder_config_rows(opts.golden_dir, ddpm_config, prior_config, rows);

    // Nothing recorded goes unchecked.
    std::vector<std::string> unread;
    for (const auto& [key, t] : c.tensors)
        if (!used.count(key)) unread.push_back(key);
    verify::ParityResult r;
    r.check = "schedulers/every tensor compared";
    r.pass = unread.empty();
    r.max_abs_error = unread.empty() ? 0 : INFINITY;
    r.note = std::to_string(c.tensors.size() - unread.size()) + " of " + std::to_string(c.tensors.size());
    for (size_t i = 0; i < unread.size() && i < 5; ++i) r.note += (i ? ", " : "; not compared: ") + unread[i];
    rows.push_back(r);
    return rows;
}

}  // namespace unclip::schedulers
