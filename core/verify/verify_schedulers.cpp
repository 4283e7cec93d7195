// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_schedulers.h"

#include "core/common/error.h"
#include "core/io/model_folder.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace unclip::schedulers {
namespace {

using Tolerance = verify::CaseTolerance;
Tolerance case_tolerance(const verify::GoldenCase& c, const verify::VerifyOptions& opts) {
    return verify::case_tolerance(c, opts, 1e-5, 1e-5);
}

// An exception's message (c10::Error without its backtrace).
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

std::string step_key(const std::string& prefix, size_t i, const std::string& what) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02zu", i);
    return prefix + ".step" + buf + "." + what;
}

torch::Tensor to_tensor(const std::vector<int64_t>& v) {
    return torch::tensor(torch::ArrayRef<int64_t>(v), torch::TensorOptions().dtype(torch::kInt64));
}

// One verify row aggregating several comparisons (e.g. every step of a trajectory): the largest
// error, pass only if every comparison passed, and the note names the worst item.
class Row {
public:
    Row(std::string check, double atol, double rtol) : check_(std::move(check)), atol_(atol), rtol_(rtol) {}
    void add(const std::string& item, const torch::Tensor& actual, const torch::Tensor& expected) {
        ++count_;
        torch::Tensor a = actual.detach().to(torch::kCPU);
        // A 0-dim result recorded as shape (1) (fixed_small_log std) compares as that shape.
        if (a.sizes() != expected.sizes() && a.numel() == expected.numel() && a.numel() == 1)
            a = a.reshape(expected.sizes());
        if (a.sizes() != expected.sizes()) {
            std::ostringstream o;
            o << item << ": shape " << a.sizes() << " != expected " << expected.sizes();
            fail(o.str());
            return;
        }
        const auto c = verify::compare(a, expected, atol_, rtol_);
        if (!(c.max_abs <= max_)) {  // also takes NaN
            max_ = c.max_abs;
            worst_ = item;
        }
        if (!c.ok) {
            pass_ = false;
            if (first_bad_.empty()) first_bad_ = item;
        }
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
    const std::string prefix = traj.at("prefix").get<std::string>();
    const std::string base = c.name + "/" + prefix;
    const auto n = traj.at("num_inference_steps").get<int64_t>();
    const auto seed = traj.at("generator_seed").get<uint64_t>();
    const auto& steps = traj.at("steps");
    // The pipelines keep latents and scheduler math in float32 whatever the models' precision
    // (at t = 999 the x0 estimate divides by sqrt(a) = 4.9e-5, which half precision cannot afford).
    const auto on = [&](const torch::Tensor& t) { return t.to(opts.device, torch::kFloat32); };

    // Timesteps of this trajectory.
    sched.set_timesteps(n);
    {
        Row r(base + ".timesteps", 0, 0);
        r.add("timesteps", to_tensor(sched.timesteps()), to_tensor(traj.at("timesteps").get<std::vector<int64_t>>()));
        r.finish(rows);
    }

    // Teacher forcing: recorded inputs, our generator (seeded; first draw = sample_init).
    Row r_init(base + ".sample_init", 0, 0);
    Row r_scal(base + ".scalars", tol.atol, tol.rtol);
    // Noise is drawn in float32 on the CPU and used in float32: bit-exact.
    const bool exact_noise = true;
    Row r_noise(base + ".noise", exact_noise ? 0 : tol.atol, exact_noise ? 0 : tol.rtol);
    Row r_std(base + ".std", tol.atol, tol.rtol);
    Row r_x0(base + ".pred_original_sample", tol.atol, tol.rtol);
    Row r_prev(base + ".prev_sample", tol.atol, tol.rtol);
    Row r_free(base + ".free_run.prev_sample", tol.atol, tol.rtol);
    try {
        const torch::Tensor& init_expected = c.at(prefix + ".sample_init");
        Generator gen(seed);
        torch::Tensor init = gen.randn(init_expected.sizes());
        r_init.add("sample_init", init, init_expected);

        torch::Tensor sample = on(init_expected);
        for (size_t i = 0; i < steps.size(); ++i) {
            const auto& st = steps[i];
            const int64_t t = st.at("t").get<int64_t>();
            std::optional<int64_t> prev;
            if (!st.at("prev_timestep").is_null()) prev = st.at("prev_timestep").get<int64_t>();
            const std::string item = "step" + std::to_string(i);

            const auto s = sched.step_scalars(t, prev);
            const std::vector<double> got{s.alpha_prod_t, s.alpha_prod_t_prev, s.beta};
            const std::vector<double> want{st.at("alpha_prod_t").get<double>(), st.at("alpha_prod_t_prev").get<double>(),
                                           st.at("beta").get<double>()};
            r_scal.add(item, torch::tensor(got, torch::kFloat64), torch::tensor(want, torch::kFloat64));

            const torch::Tensor model_output = on(c.at(step_key(prefix, i, "model_output")));
            const UnCLIPStepOutput out = sched.step(model_output, t, sample, prev, &gen);
            if (UnCLIPScheduler::needs_noise(t)) {
                r_noise.add(item, out.noise, c.at(step_key(prefix, i, "noise")));
                r_std.add(item, sched.noise_std(t, prev, variance_half(sched, model_output, sample)),
                          c.at(step_key(prefix, i, "std")));
            } else if (c.has(step_key(prefix, i, "noise"))) {
                r_noise.fail(item + ": the case records noise at t = 0, where none is drawn");
            }
            r_x0.add(item, out.pred_original_sample, c.at(step_key(prefix, i, "pred_original_sample")));
            const torch::Tensor& prev_expected = c.at(step_key(prefix, i, "prev_sample"));
            r_prev.add(item, out.prev_sample, prev_expected);
            sample = on(prev_expected);
        }

        // Free run: our own samples from the seed, as a pipeline would produce them.
        Generator free_gen(seed);
        sample = on(free_gen.randn(init_expected.sizes()));
        for (size_t i = 0; i < steps.size(); ++i) {
            const auto& st = steps[i];
            std::optional<int64_t> prev;
            if (!st.at("prev_timestep").is_null()) prev = st.at("prev_timestep").get<int64_t>();
            sample = sched.step(on(c.at(step_key(prefix, i, "model_output"))), st.at("t").get<int64_t>(), sample, prev,
                                &free_gen)
                         .prev_sample;
            r_free.add("step" + std::to_string(i), sample, c.at(step_key(prefix, i, "prev_sample")));
        }
    } catch (const std::exception& e) {
        r_prev.fail(message(e));
    }
    for (const Row* r : {&r_init, &r_scal, &r_noise, &r_std, &r_x0, &r_prev, &r_free}) r->finish(rows);
}

std::string config_difference(const UnCLIPSchedulerConfig& a, const UnCLIPSchedulerConfig& b) {
    if (a.num_train_timesteps != b.num_train_timesteps) return "num_train_timesteps";
    if (a.variance_type != b.variance_type) return "variance_type";
    if (a.clip_sample != b.clip_sample) return "clip_sample";
    if (a.clip_sample_range != b.clip_sample_range) return "clip_sample_range";
    if (a.prediction_type != b.prediction_type) return "prediction_type";
    return {};
}

}  // namespace

std::vector<verify::ParityResult> verify_scheduler_case(const verify::GoldenCase& c, const std::string& name,
                                                        const UnCLIPScheduler& scheduler,
                                                        const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const Tolerance tol = case_tolerance(c, opts);
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
            r_ts.add("N" + std::to_string(n), to_tensor(s.timesteps()), c.at(key));
        }
        r_ts.finish(rows);
    } catch (const std::exception& e) {
        failed_row(rows, base, message(e));
        return rows;
    }
    const auto& entry = c.meta.at("schedulers").at(name);
    for (const auto& traj : entry.at("trajectories")) {
        try {
            verify_trajectory(c, traj, scheduler, opts, tol, rows);
        } catch (const std::exception& e) {
            failed_row(rows, base + " trajectory " + traj.value("prefix", std::string("?")), message(e));
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
        failed_row(rows, "schedulers", message(e));
        return rows;
    }
    for (const auto& [name, entry] : c.meta["schedulers"].items()) {
        UnCLIPSchedulerConfig config;
        try {
            config = UnCLIPSchedulerConfig::from_json(entry.at("config"), "schedulers.json: " + name + ".config");
        } catch (const std::exception& e) {
            failed_row(rows, "schedulers/" + name, message(e));
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
                const std::string diff = config_difference(parsed, config);
                verify::ParityResult r;
                r.check = check;
                r.pass = diff.empty();
                r.max_abs_error = diff.empty() ? 0 : INFINITY;
                r.note = diff.empty() ? "matches the case's config" : "differs from the case's config in '" + diff + "'";
                rows.push_back(r);
            } catch (const std::exception& e) {
                failed_row(rows, check, message(e));
            }
        }
    }
    return rows;
}

}  // namespace unclip::schedulers
