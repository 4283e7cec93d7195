// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/scheduler_rows.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

namespace unclip::verify {

std::string error_message(const std::exception& e) {
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
    return e.what();
}

std::string step_key(const std::string& prefix, size_t i, const std::string& what) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02zu", i);
    return prefix + ".step" + buf + "." + what;
}

torch::Tensor int64_tensor(const std::vector<int64_t>& v) {
    return torch::tensor(torch::ArrayRef<int64_t>(v), torch::TensorOptions().dtype(torch::kInt64));
}

AggregateRow::AggregateRow(std::string check, double atol, double rtol)
    : check_(std::move(check)), atol_(atol), rtol_(rtol) {}

void AggregateRow::add(const std::string& item, const torch::Tensor& actual, const torch::Tensor& expected) {
    ++count_;
    torch::Tensor a = actual.detach().to(torch::kCPU);
    // A 0-dim result recorded as shape (1) (fixed_small_log std) compares as that shape.
    if (a.sizes() != expected.sizes() && a.numel() == 1 && expected.numel() == 1) a = a.reshape(expected.sizes());
    if (a.sizes() != expected.sizes()) {
        std::ostringstream o;
        o << item << ": shape " << a.sizes() << " != expected " << expected.sizes();
        fail(o.str());
        return;
    }
    const auto cmp = compare(a, expected, atol_, rtol_);
    if (!(cmp.max_abs <= max_)) {  // also takes NaN
        max_ = cmp.max_abs;
        worst_ = item;
    }
    if (!cmp.ok) {
        pass_ = false;
        if (first_bad_.empty()) first_bad_ = item;
    }
}

void AggregateRow::fail(const std::string& why) {
    ++count_;
    pass_ = false;
    max_ = INFINITY;
    if (note_.empty()) note_ = why;
}

void AggregateRow::finish(std::vector<ParityResult>& rows) const {
    ParityResult r;
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

Trajectory::Trajectory(const std::string& case_name, const nlohmann::json& traj)
    : prefix(traj.at("prefix").get<std::string>()),
      base(case_name + "/" + prefix),
      num_inference_steps(traj.at("num_inference_steps").get<int64_t>()),
      seed(traj.at("generator_seed").get<uint64_t>()),
      steps(traj.at("steps")),
      json(traj) {}

AggregateRow timesteps_row(const Trajectory& tr, const std::vector<int64_t>& ours) {
    AggregateRow r(tr.base + ".timesteps", 0, 0);
    r.add("timesteps", int64_tensor(ours), int64_tensor(tr.json.at("timesteps").get<std::vector<int64_t>>()));
    return r;
}

std::string unclip_config_difference(const schedulers::UnCLIPSchedulerConfig& a,
                                     const schedulers::UnCLIPSchedulerConfig& b) {
    if (a.num_train_timesteps != b.num_train_timesteps) return "num_train_timesteps";
    if (a.variance_type != b.variance_type) return "variance_type";
    if (a.clip_sample != b.clip_sample) return "clip_sample";
    if (a.clip_sample_range != b.clip_sample_range) return "clip_sample_range";
    if (a.prediction_type != b.prediction_type) return "prediction_type";
    return {};
}

void add_config_row(std::vector<ParityResult>& rows, const std::string& check, const std::string& difference) {
    ParityResult r;
    r.check = check;
    r.pass = difference.empty();
    r.max_abs_error = difference.empty() ? 0 : INFINITY;
    r.note = difference.empty() ? "matches the case's config" : "differs from the case's config in " + difference;
    rows.push_back(r);
}

}  // namespace unclip::verify
