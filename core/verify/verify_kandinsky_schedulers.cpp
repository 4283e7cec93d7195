// SPDX-License-Identifier: GPL-3.0-or-later
// DDPMScheduler / UnCLIPScheduler parity rows against the Kandinsky golden case `schedulers`.
#include "core/verify/verify_kandinsky_schedulers.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"

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

std::string message(const std::exception& e) {
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
    return e.what();
}

void failed_row(std::vector<verify::ParityResult>& rows, const std::string& check, const std::string& why) {
    verify::ParityResult r;
    r.check = check;
    r.max_abs_error = INFINITY;
    r.note = why;
    rows.push_back(r);
}

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

std::string step_key(const std::string& prefix, size_t i, const std::string& what) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02zu", i);
    return prefix + ".step" + buf + "." + what;
}

torch::Tensor ints(const std::vector<int64_t>& v) {
    return torch::tensor(torch::ArrayRef<int64_t>(v), torch::TensorOptions().dtype(torch::kInt64));
}

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

// One verify row over several comparisons (every step of a trajectory, every N): the largest
// error, pass only if all passed; the note names the worst and the first failing item.
class Row {
public:
    Row(std::string check, double atol, double rtol) : check_(std::move(check)), atol_(atol), rtol_(rtol) {}
    void add(const std::string& item, const torch::Tensor& actual, const torch::Tensor& expected) {
        ++count_;
        torch::Tensor a = actual.detach().to(torch::kCPU);
        if (a.sizes() != expected.sizes() && a.numel() == 1 && expected.numel() == 1) a = a.reshape(expected.sizes());
        if (a.sizes() != expected.sizes()) {
            std::ostringstream o;
            o << item << ": shape " << a.sizes() << " != expected " << expected.sizes();
            fail(o.str());
            return;
        }
        const auto cmp = verify::compare(a, expected, atol_, rtol_);
        if (!(cmp.max_abs <= max_)) {
            max_ = cmp.max_abs;
            worst_ = item;
        }
        if (!cmp.ok && first_bad_.empty()) first_bad_ = item;
        pass_ = pass_ && cmp.ok;
    }
    void fail(const std::string& why) {
        ++count_;
        pass_ = false;
        max_ = INFINITY;
        if (note_.empty()) note_ = why;
    }
    void finish(std::vector<verify::ParityResult>& rows) const {
        verify::ParityResult r;
        r.check = check_;
        r.max_abs_error = max_;
        r.tolerance = atol_;
        r.pass = pass_ && count_ > 0 && std::isfinite(max_);
        std::string note = note_;
        if (note.empty() && count_ == 0) note = "nothing compared";
        if (note.empty() && count_ > 1) {
            note = std::to_string(count_) + " compared, " + (max_ == 0 ? std::string("all equal") : "worst " + worst_);
            if (!first_bad_.empty()) note += ", first over tolerance " + first_bad_;
        }
        r.note = note;
        rows.push_back(r);
    }

private:
    std::string check_;
    double atol_, rtol_;
    double max_ = 0;
    bool pass_ = true;
    int count_ = 0;
    std::string worst_, first_bad_, note_;
};

// The case tolerance unloosened: schedules and scheduler math are float32 whatever the model dtype.
verify::CaseTolerance float32_tolerance(const verify::GoldenCase& c) {
    verify::VerifyOptions f32;
    return verify::case_tolerance(c, f32, 1e-5, 1e-5);
}

void ddpm_trajectory(const Keys& k, const nlohmann::json& traj, DDPMScheduler sched, const verify::VerifyOptions& opts,
                     const verify::CaseTolerance& tol, std::vector<verify::ParityResult>& rows) {
    const std::string prefix = traj.at("prefix").get<std::string>();
    const std::string base = k.c.name + "/" + prefix;
    const auto n = traj.at("num_inference_steps").get<int64_t>();
    const auto seed = traj.at("generator_seed").get<uint64_t>();
    const auto& steps = traj.at("steps");
    const auto on = [&](const torch::Tensor& t) { return t.to(opts.device, torch::kFloat32); };

    sched.set_timesteps(n);
    {
        Row r(base + ".timesteps", 0, 0);
        r.add("timesteps", ints(sched.timesteps()), ints(traj.at("timesteps").get<std::vector<int64_t>>()));
        r.finish(rows);
    }
    Row r_init(base + ".sample_init", 0, 0);
    Row r_scal(base + ".scalars", tol.atol, tol.rtol);
    Row r_noise(base + ".noise", 0, 0);  // CPU float32 draws: bit-exact
    Row r_std(base + ".std", tol.atol, tol.rtol);
    Row r_x0(base + ".pred_original_sample", tol.atol, tol.rtol);
    Row r_prev(base + ".prev_sample", tol.atol, tol.rtol);
    Row r_free(base + ".free_run.prev_sample", tol.atol, tol.rtol);
    try {
        const torch::Tensor& init_expected = k.at(prefix + ".sample_init");
        Generator gen(seed);
        r_init.add("sample_init", gen.randn(init_expected.sizes()), init_expected);
        torch::Tensor sample = on(init_expected);
        for (size_t i = 0; i < steps.size(); ++i) {
            const auto& st = steps[i];
            const int64_t t = st.at("t").get<int64_t>();
            const std::string item = "step" + std::to_string(i);
            if (i >= sched.timesteps().size() || sched.timesteps()[i] != t)
                r_scal.fail(item + ": recorded t = " + std::to_string(t) + " is not timesteps[" + std::to_string(i) + "]");
            const std::vector<double> got{static_cast<double>(sched.previous_timestep(t)), sched.alpha_prod(t),
                                          sched.alpha_prod_prev(t)};
            const std::vector<double> want{st.at("prev_t").get<double>(), st.at("alpha_prod_t").get<double>(),
                                           st.at("alpha_prod_t_prev").get<double>()};
            r_scal.add(item, torch::tensor(got, torch::kFloat64), torch::tensor(want, torch::kFloat64));

            const DDPMStepOutput out = sched.step(on(k.at(step_key(prefix, i, "model_output"))), t, sample, &gen);
            if (DDPMScheduler::needs_noise(t)) {
                r_noise.add(item, out.noise, k.at(step_key(prefix, i, "noise")));
                r_std.add(item, sched.noise_std(t), k.at(step_key(prefix, i, "std")));
            } else if (k.has(step_key(prefix, i, "noise"))) {
                r_noise.fail(item + ": the case records noise at t = 0, where none is drawn");
            }
            r_x0.add(item, out.pred_original_sample, k.at(step_key(prefix, i, "pred_original_sample")));
            const torch::Tensor& prev_expected = k.at(step_key(prefix, i, "prev_sample"));
            r_prev.add(item, out.prev_sample, prev_expected);
            sample = on(prev_expected);
        }
        // Free run: our own samples from the seed, as the pipeline produces them.
        Generator free_gen(seed);
        sample = on(free_gen.randn(init_expected.sizes()));
        for (size_t i = 0; i < steps.size(); ++i) {
            sample = sched.step(on(k.at(step_key(prefix, i, "model_output"))), steps[i].at("t").get<int64_t>(), sample,
                                &free_gen)
                         .prev_sample;
            r_free.add("step" + std::to_string(i), sample, k.at(step_key(prefix, i, "prev_sample")));
        }
    } catch (const std::exception& e) {
        r_prev.fail(message(e));
    }
    for (const Row* r : {&r_init, &r_scal, &r_noise, &r_std, &r_x0, &r_prev, &r_free}) r->finish(rows);
}

void prior_trajectory(const Keys& k, const nlohmann::json& traj, UnCLIPScheduler sched,
                      const verify::VerifyOptions& opts, const verify::CaseTolerance& tol,
                      std::vector<verify::ParityResult>& rows) {
    const std::string prefix = traj.at("prefix").get<std::string>();
    const std::string base = k.c.name + "/" + prefix;
    const auto n = traj.at("num_inference_steps").get<int64_t>();
    const auto seed = traj.at("generator_seed").get<uint64_t>();
    const auto& steps = traj.at("steps");
    const auto on = [&](const torch::Tensor& t) { return t.to(opts.device, torch::kFloat32); };
    // prev_timestep as the pipeline passes it: timesteps[i + 1], none (-1 here) at the last step.
    const auto recorded_prev = [&](size_t i) -> std::optional<int64_t> {
        const auto& p = steps[i].at("prev_timestep");
        if (p.is_null()) return std::nullopt;
        return p.get<int64_t>();
    };

    sched.set_timesteps(n);
    {
        Row r(base + ".timesteps", 0, 0);
        r.add("timesteps", ints(sched.timesteps()), ints(traj.at("timesteps").get<std::vector<int64_t>>()));
        std::vector<int64_t> got, want;
        for (size_t i = 0; i < steps.size(); ++i) {
            got.push_back(sched.prev_timestep(i).value_or(-1));
            want.push_back(recorded_prev(i).value_or(-1));
        }
        r.add("prev_timestep", ints(got), ints(want));
        r.finish(rows);
    }
    Row r_init(base + ".sample_init", 0, 0);
    Row r_noise(base + ".noise", 0, 0);
    Row r_x0(base + ".pred_original_sample", tol.atol, tol.rtol);
    Row r_prev(base + ".prev_sample", tol.atol, tol.rtol);
    Row r_free(base + ".free_run.prev_sample", tol.atol, tol.rtol);
    try {
        const torch::Tensor& init_expected = k.at(prefix + ".sample_init");
        Generator gen(seed);
        r_init.add("sample_init", gen.randn(init_expected.sizes()), init_expected);
        torch::Tensor sample = on(init_expected);
        for (size_t i = 0; i < steps.size(); ++i) {
            const int64_t t = steps[i].at("t").get<int64_t>();
            const std::string item = "step" + std::to_string(i);
            const UnCLIPStepOutput out =
                sched.step(on(k.at(step_key(prefix, i, "model_output"))), t, sample, recorded_prev(i), &gen);
            if (UnCLIPScheduler::needs_noise(t))
                r_noise.add(item, out.noise, k.at(step_key(prefix, i, "noise")));
            else if (k.has(step_key(prefix, i, "noise")))
                r_noise.fail(item + ": the case records noise at t = 0, where none is drawn");
            r_x0.add(item, out.pred_original_sample, k.at(step_key(prefix, i, "pred_original_sample")));
            const torch::Tensor& prev_expected = k.at(step_key(prefix, i, "prev_sample"));
            r_prev.add(item, out.prev_sample, prev_expected);
            sample = on(prev_expected);
        }
        Generator free_gen(seed);
        sample = on(free_gen.randn(init_expected.sizes()));
        for (size_t i = 0; i < steps.size(); ++i) {
            sample = sched.step(on(k.at(step_key(prefix, i, "model_output"))), steps[i].at("t").get<int64_t>(), sample,
                                recorded_prev(i), &free_gen)
                         .prev_sample;
            r_free.add("step" + std::to_string(i), sample, k.at(step_key(prefix, i, "prev_sample")));
        }
    } catch (const std::exception& e) {
        r_prev.fail(message(e));
    }
    for (const Row* r : {&r_init, &r_noise, &r_x0, &r_prev, &r_free}) r->finish(rows);
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
        r.add("N" + std::to_string(n), ints(s.timesteps()), k.at(name + ".timesteps.N" + std::to_string(n)));
    }
    r.finish(rows);
}

std::string unclip_config_difference(const UnCLIPSchedulerConfig& a, const UnCLIPSchedulerConfig& b) {
    if (a.num_train_timesteps != b.num_train_timesteps) return "num_train_timesteps";
    if (a.variance_type != b.variance_type) return "variance_type";
    if (a.clip_sample != b.clip_sample) return "clip_sample";
    if (a.clip_sample_range != b.clip_sample_range) return "clip_sample_range";
    if (a.prediction_type != b.prediction_type) return "prediction_type";
    return {};
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
                        diff = unclip_config_difference(UnCLIPSchedulerConfig::from_json(folder.config(comp.name), file),
                                                        prior);
                    }
                    verify::ParityResult r;
                    r.check = check;
                    r.pass = diff.empty();
                    r.max_abs_error = diff.empty() ? 0 : INFINITY;
                    r.note = diff.empty() ? "matches the case's config" : "differs from the case's config in " + diff;
                    rows.push_back(r);
                } catch (const std::exception& e) {
                    failed_row(rows, check, message(e));
                }
            }
        } catch (const std::exception& e) {
            failed_row(rows, "schedulers/config " + dir.filename().string(), message(e));
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
                r.add(nkey, ints(got), ints(list.get<std::vector<int64_t>>()));
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
                r.add(item.str(), ints(got), ints(e.at("timesteps").get<std::vector<int64_t>>()));
            }
            r.finish(rows);
        }
    } catch (const std::exception& e) {
        failed_row(rows, base, message(e));
        return rows;
    }
    if (c.meta.contains("ddpm_trajectories"))
        for (const auto& traj : c.meta["ddpm_trajectories"]) {
            try {
                ddpm_trajectory(k, traj, scheduler, opts, tol, rows);
            } catch (const std::exception& e) {
                failed_row(rows, base + " trajectory " + traj.value("prefix", std::string("?")), message(e));
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
            failed_row(rows, base + ".add_noise", message(e));
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
        failed_row(rows, c.name + "/prior", message(e));
        return rows;
    }
    if (c.meta.contains("prior_trajectories"))
        for (const auto& traj : c.meta["prior_trajectories"]) {
            try {
                prior_trajectory(k, traj, scheduler, opts, tol, rows);
            } catch (const std::exception& e) {
                failed_row(rows, c.name + "/prior trajectory " + traj.value("prefix", std::string("?")), message(e));
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
        failed_row(rows, "schedulers", message(e));
        return rows;
    }
    std::set<std::string> used;
    try {
        auto ddpm = check_kandinsky_ddpm(c, DDPMScheduler(ddpm_config), opts, &used);
        rows.insert(rows.end(), ddpm.begin(), ddpm.end());
    } catch (const std::exception& e) {
        failed_row(rows, "schedulers/ddpm", message(e));
    }
    try {
        auto prior = check_kandinsky_prior_scheduler(c, UnCLIPScheduler(prior_config), opts, &used);
        rows.insert(rows.end(), prior.begin(), prior.end());
    } catch (const std::exception& e) {
        failed_row(rows, "schedulers/prior", message(e));
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
