// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 schedulers: the decoder's DDPMScheduler and the prior's UnCLIPScheduler against the
// golden case `schedulers`, config forms and errors, timestep spacings and step semantics.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/schedulers/ddpm_scheduler.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/verify/verify_kandinsky_schedulers.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <functional>
#include <iostream>

using namespace unclip;
using namespace unclip::schedulers;

namespace {

verify::VerifyOptions options() {
    verify::VerifyOptions o;
    o.golden_dir = test::kandinsky_golden_dir();
    return o;
}

void print_rows(const std::vector<verify::ParityResult>& rows) {
    for (const auto& r : rows)
        std::cerr << "    " << r.check << ": max abs error " << r.max_abs_error << " (tolerance " << r.tolerance << ")"
                  << (r.note.empty() ? "" : " note: " + r.note) << "\n";
}

bool all_pass(const std::vector<verify::ParityResult>& rows) {
    if (rows.empty()) return false;
    for (const auto& r : rows)
        if (!r.pass) return false;
    return true;
}

bool row_passes(const std::vector<verify::ParityResult>& rows, const std::string& check) {
    for (const auto& r : rows)
        if (r.check == check) return r.pass;
    return false;
}

nlohmann::json case_config(const std::string& name) {
    return test::load_kandinsky_case("schedulers").meta.at("configs").at(name);
}

// The decoder folder's scheduler config (hub form).
nlohmann::json hub_ddpm_config() {
    return io::ModelFolder(test::kandinsky_golden_path("models/kandinsky-2-2-decoder")).config("scheduler");
}

// What save_pretrained writes for the same scheduler (the golden README's "decoder scheduler as reloaded").
nlohmann::json full_ddpm_config() {
    return nlohmann::json::parse(R"({"_class_name": "DDPMScheduler", "_diffusers_version": "0.25.1",
        "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "linear",
        "trained_betas": null, "variance_type": "fixed_small", "clip_sample": false, "prediction_type": "epsilon",
        "thresholding": false, "dynamic_thresholding_ratio": 0.995, "clip_sample_range": 1.0, "sample_max_value": 1.0,
        "timestep_spacing": "leading", "steps_offset": 1, "rescale_betas_zero_snr": false, "set_alpha_to_one": false})");
}

DDPMScheduler ddpm_with(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = case_config("ddpm");
    edit(j);
    return DDPMScheduler(DDPMSchedulerConfig::from_json(j, "test"));
}

std::vector<int64_t> to_vector(const torch::Tensor& t) {
    torch::Tensor c = t.to(torch::kInt64).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

}  // namespace

// ---- parity ----

TEST_CASE("every Kandinsky ddpm and prior scheduler row passes") {
    auto rows = verify_kandinsky_schedulers(options());
    print_rows(rows);
    EXPECT_PARITY(rows);
    // Both schedulers, every trajectory, the folder configs and the all-tensors row are there.
    const auto c = test::load_kandinsky_case("schedulers");
    size_t trajectories = 0, configs = 0;
    for (const auto& r : rows) {
        trajectories += r.check.size() > 12 && r.check.compare(r.check.size() - 12, 12, ".prev_sample") == 0 &&
                        r.check.find("free_run") == std::string::npos;
        configs += r.check.rfind("schedulers/config ", 0) == 0;
    }
    EXPECT_EQ(trajectories, c.meta["ddpm_trajectories"].size() + c.meta["prior_trajectories"].size());
    EXPECT_EQ(configs, size_t(3));
    EXPECT(row_passes(rows, "schedulers/every tensor compared"));
    EXPECT(row_passes(rows, "schedulers/ddpm.add_noise"));
    EXPECT(row_passes(rows, "schedulers/ddpm.img2img_timesteps"));
    EXPECT(row_passes(rows, "schedulers/ddpm.previous_timestep"));
}

TEST_CASE("DDPM timesteps equal the recorded ones for every N the case stores") {
    const auto c = test::load_kandinsky_case("schedulers");
    DDPMScheduler s(DDPMSchedulerConfig::from_json(c.meta.at("configs").at("ddpm"), "ddpm"));
    size_t n_checked = 0;
    for (const auto& [key, t] : c.tensors) {
        const std::string prefix = "ddpm.timesteps.N";
        if (key.rfind(prefix, 0) != 0) continue;
        const int64_t n = std::stoll(key.substr(prefix.size()));
        s.set_timesteps(n);
        EXPECT_MSG(s.timesteps() == to_vector(t), key);
        EXPECT_EQ(s.num_inference_steps(), n);
        // The schedule ends at steps_offset, and the last step's previous timestep is negative.
        EXPECT_EQ(s.timesteps().back(), s.config().steps_offset);
        EXPECT(s.previous_timestep(s.timesteps().back()) < 0);
        ++n_checked;
    }
    EXPECT(n_checked > 0);
}

TEST_CASE("the hub-form and full-form decoder scheduler configs give the same scheduler") {
    const DDPMSchedulerConfig hub = DDPMSchedulerConfig::from_json(hub_ddpm_config(), "hub");
    const DDPMSchedulerConfig full = DDPMSchedulerConfig::from_json(full_ddpm_config(), "full");
    const DDPMSchedulerConfig recorded = DDPMSchedulerConfig::from_json(case_config("ddpm"), "case");
    EXPECT(hub == full);
    EXPECT(hub == recorded);
    EXPECT(hub.timestep_spacing == TimestepSpacing::Leading);
    EXPECT(hub.variance_type == DDPMVarianceType::FixedSmall);
    EXPECT(!hub.clip_sample);
    DDPMScheduler a(hub), b(full);
    EXPECT(torch::equal(a.betas(), b.betas()));
    EXPECT(torch::equal(a.alphas_cumprod(), b.alphas_cumprod()));
    a.set_timesteps(25);
    b.set_timesteps(25);
    EXPECT(a.timesteps() == b.timesteps());
    // The prior's hub-form config is the case's UnCLIPScheduler config.
    const auto prior = UnCLIPSchedulerConfig::from_json(
        io::ModelFolder(test::kandinsky_golden_path("models/kandinsky-2-2-prior")).config("scheduler"), "prior hub");
    EXPECT_EQ(prior.clip_sample_range, UnCLIPSchedulerConfig::from_json(case_config("prior"), "case").clip_sample_range);
}

// ---- the checks can fail ----

TEST_CASE("a wrong DDPM or prior scheduler makes the rows fail") {
    const auto c = test::load_kandinsky_case("schedulers");
    const auto opts = options();
    EXPECT(all_pass(check_kandinsky_ddpm(c, ddpm_with([](auto&) {}), opts)));
    EXPECT(!row_passes(check_kandinsky_ddpm(c, ddpm_with([](auto& j) { j["beta_schedule"] = "scaled_linear"; }), opts),
                       "schedulers/ddpm.alphas_cumprod"));
    EXPECT(!row_passes(check_kandinsky_ddpm(c, ddpm_with([](auto& j) { j["steps_offset"] = 0; }), opts),
                       "schedulers/ddpm.timesteps"));
    EXPECT(!row_passes(check_kandinsky_ddpm(c, ddpm_with([](auto& j) { j["variance_type"] = "fixed_large"; }), opts),
                       "schedulers/ddpm.traj0.prev_sample"));
    EXPECT(!row_passes(check_kandinsky_ddpm(c, ddpm_with([](auto& j) { j["prediction_type"] = "v_prediction"; }), opts),
                       "schedulers/ddpm.traj1.pred_original_sample"));
    EXPECT(!row_passes(check_kandinsky_ddpm(c, ddpm_with([](auto& j) { j["clip_sample"] = true; }), opts),
                       "schedulers/ddpm.traj0.pred_original_sample"));

    auto prior = UnCLIPSchedulerConfig::from_json(case_config("prior"), "prior");
    EXPECT(all_pass(check_kandinsky_prior_scheduler(c, UnCLIPScheduler(prior), opts)));
    prior.clip_sample_range = 1.0f;  // Karlo's range instead of the prior's 10
    EXPECT(!all_pass(check_kandinsky_prior_scheduler(c, UnCLIPScheduler(prior), opts)));
}

// ---- behaviour ----

TEST_CASE("DDPM set_timesteps bounds and spacings") {
    DDPMScheduler s(DDPMSchedulerConfig::from_json(case_config("ddpm"), "ddpm"));
    const int64_t T = s.config().num_train_timesteps;
    EXPECT_THROWS(RequestError, s.set_timesteps(0), "at least 1");
    EXPECT_THROWS(RequestError, s.set_timesteps(-3), "at least 1");
    EXPECT_THROWS(RequestError, s.set_timesteps(T + 1), "exceeds");
    s.set_timesteps(T);
    EXPECT_EQ(s.timesteps().size(), size_t(T));
    EXPECT_EQ(s.timesteps().front(), T - 1 + s.config().steps_offset);
    s.set_timesteps(1);
    EXPECT_EQ(s.timesteps(), (std::vector<int64_t>{s.config().steps_offset}));
    EXPECT_EQ(s.previous_timestep(s.timesteps()[0]), s.config().steps_offset - T);

    DDPMSchedulerConfig c;  // T = 1000
    c.timestep_spacing = TimestepSpacing::Trailing;
    EXPECT_EQ(ddpm_timesteps(c, 10), (std::vector<int64_t>{999, 899, 799, 699, 599, 499, 399, 299, 199, 99}));
    EXPECT_EQ(ddpm_timesteps(c, 3), (std::vector<int64_t>{999, 666, 332}));
    // numpy's arange gives 62 values for n = 61 (the last would be t = -1): n are kept.
    EXPECT_EQ(ddpm_timesteps(c, 61).size(), size_t(61));
    EXPECT_EQ(ddpm_timesteps(c, 61).back(), int64_t(15));
    c.timestep_spacing = TimestepSpacing::Linspace;
    EXPECT_EQ(ddpm_timesteps(c, 10), (std::vector<int64_t>{999, 888, 777, 666, 555, 444, 333, 222, 111, 0}));
    EXPECT_EQ(ddpm_timesteps(c, 1), (std::vector<int64_t>{0}));
    EXPECT_EQ(ddpm_timesteps(c, 4), (std::vector<int64_t>{999, 666, 333, 0}));
    c.timestep_spacing = TimestepSpacing::Leading;
    c.steps_offset = 0;
    EXPECT_EQ(ddpm_timesteps(c, 3), (std::vector<int64_t>{666, 333, 0}));
}

TEST_CASE("DDPM step draws noise exactly when t > 0 and checks its inputs") {
    DDPMScheduler s(DDPMSchedulerConfig::from_json(case_config("ddpm"), "ddpm"));
    s.set_timesteps(4);
    torch::manual_seed(0);
    torch::Tensor x = torch::randn({1, 4, 3, 3}), eps = torch::randn({1, 4, 3, 3});
    // The last step (t = steps_offset > 0) still draws, with std 1e-10.
    const int64_t last = s.timesteps().back();
    Generator g(7), ref(7);
    DDPMStepOutput out = s.step(eps, last, x, &g);
    EXPECT(torch::equal(out.noise, ref.randn({1, 4, 3, 3})));
    EXPECT_CLOSE(s.noise_std(last), torch::tensor(1e-10f), 1e-16, 0.0);
    EXPECT_EQ(s.alpha_prod_prev(last), 1.0f);
    // t = 0: nothing drawn, the generator is not advanced.
    Generator g0(7);
    DDPMStepOutput zero = s.step(eps, 0, x, &g0);
    EXPECT(!zero.noise.defined());
    EXPECT(torch::equal(g0.randn({2}), Generator(7).randn({2})));
    EXPECT_THROWS(RequestError, s.step(eps, s.timesteps()[0], x, nullptr), "generator");
    EXPECT_THROWS(RequestError, s.step(torch::cat({eps, eps}, 1), s.timesteps()[0], x, &g), "does not fit");
    EXPECT_THROWS(RequestError, s.step(eps, s.config().num_train_timesteps, x, &g), "outside");
    EXPECT_THROWS(RequestError, s.step_with_noise(eps, s.timesteps()[0], x, torch::Tensor()), "needs noise");
    // step_with_noise with the same draw equals step.
    Generator g1(11), g2(11);
    torch::Tensor a = s.step(eps, s.timesteps()[1], x, &g1).prev_sample;
    torch::Tensor b = s.step_with_noise(eps, s.timesteps()[1], x, g2.randn({1, 4, 3, 3})).prev_sample;
    EXPECT(torch::equal(a, b));
    // Reduced-precision samples keep their dtype.
    Generator g3(1);
    EXPECT(s.step(eps.to(torch::kBFloat16), s.timesteps()[1], x.to(torch::kBFloat16), &g3).prev_sample.scalar_type() ==
           torch::kBFloat16);
    // add_noise with one timestep for all rows equals the per-row form.
    torch::Tensor n = torch::randn_like(x);
    EXPECT(torch::equal(s.add_noise(x, n, 501), s.add_noise(x, n, std::vector<int64_t>{501})));
    EXPECT_THROWS(RequestError, s.add_noise(x, n, std::vector<int64_t>{1, 2}), "timesteps for a batch");
}

TEST_CASE("unsupported DDPM config values are errors naming the key") {
    auto expect_key = [](const std::string& key, const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = full_ddpm_config();
        edit(j);
        std::string got;
        EXPECT_MSG(test::throws_with<ModelError>([&] { DDPMScheduler s(DDPMSchedulerConfig::from_json(j, "sched.json")); },
                                                 "'" + key + "'", &got),
                   key << ": " << got);
        EXPECT_MSG(got.find("sched.json") != std::string::npos, got);
    };
    expect_key("thresholding", [](auto& j) { j["thresholding"] = true; });
    expect_key("variance_type", [](auto& j) { j["variance_type"] = "learned_range"; });
    expect_key("beta_schedule", [](auto& j) { j["beta_schedule"] = "sigmoid"; });
    expect_key("trained_betas", [](auto& j) { j["trained_betas"] = {0.1, 0.2}; });
    expect_key("prediction_type", [](auto& j) { j["prediction_type"] = "flow"; });
    expect_key("timestep_spacing", [](auto& j) { j["timestep_spacing"] = "karras"; });
    expect_key("rescale_betas_zero_snr", [](auto& j) { j["rescale_betas_zero_snr"] = true; });
    expect_key("num_train_timesteps", [](auto& j) { j["num_train_timesteps"] = 0; });
    expect_key("steps_offset", [](auto& j) { j["steps_offset"] = -1; });
    expect_key("clip_sample_range", [](auto& j) { j["clip_sample_range"] = 0; });
    expect_key("beta_end", [](auto& j) { j["beta_end"] = 1.5; });
    expect_key("_class_name", [](auto& j) { j["_class_name"] = "DDIMScheduler"; });
    expect_key("clip_sample", [](auto& j) { j["clip_sample"] = "no"; });
    // Unknown keys are ignored; absent keys take the reference defaults.
    nlohmann::json j = full_ddpm_config();
    j["some_future_key"] = 3;
    EXPECT(DDPMSchedulerConfig::from_json(j, "x") == DDPMSchedulerConfig::from_json(full_ddpm_config(), "x"));
    const DDPMSchedulerConfig d = DDPMSchedulerConfig::from_json(nlohmann::json::object(), "empty");
    EXPECT(d == DDPMSchedulerConfig{});
    EXPECT(d.clip_sample && d.steps_offset == 0 && d.beta_start == 0.0001 && d.beta_end == 0.02);
}

UNCLIP_TEST_MAIN()
