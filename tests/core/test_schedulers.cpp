// SPDX-License-Identifier: GPL-3.0-or-later
// UnCLIPScheduler parity with the golden case `schedulers`, the Karlo timestep spacing, the noise
// draw order, config errors, and the deterministic DDIM used for inversion.
#include "core/common/error.h"
#include "core/io/model_folder.h"
#include "core/random/generator.h"
#include "core/schedulers/ddim_scheduler.h"
#include "core/schedulers/unclip_scheduler.h"
#include "core/verify/verify_schedulers.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>

using namespace unclip;
using namespace unclip::schedulers;

namespace {

verify::VerifyOptions golden_opts() {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
    return o;
}

UnCLIPSchedulerConfig case_config(const verify::GoldenCase& c, const std::string& name) {
    return UnCLIPSchedulerConfig::from_json(c.meta.at("schedulers").at(name).at("config"), name);
}

// The case's trajectories of one scheduler run as the pipeline runs them (mode "pipeline"), in order.
std::vector<nlohmann::json> pipeline_trajectories(const verify::GoldenCase& c, const std::string& name) {
    std::vector<nlohmann::json> out;
    for (const auto& traj : c.meta.at("schedulers").at(name).at("trajectories"))
        if (traj.at("mode") == "pipeline") out.push_back(traj);
    return out;
}

// ".step03." for step 3, as the case names its tensors.
std::string step_key(size_t i) {
    char k[32];
    std::snprintf(k, sizeof k, ".step%02zu.", i);
    return k;
}

bool any_failed(const std::vector<verify::ParityResult>& rows, const std::string& check_contains) {
    for (const auto& r : rows)
        if (r.check.find(check_contains) != std::string::npos && !r.pass) return true;
    return false;
}

// Independent reference for numpy's round-half-to-even of i * (T-1) / (n-1).
std::vector<int64_t> reference_timesteps(int64_t T, int64_t n) {
    std::vector<int64_t> out;
    const double ratio = double(T - 1) / double(n - 1);
    for (int64_t i = n - 1; i >= 0; --i) {
        const double x = double(i) * ratio;
        const double f = std::floor(x);
        const double frac = x - f;
        int64_t r = static_cast<int64_t>(f);
        if (frac > 0.5 || (frac == 0.5 && (r % 2) != 0)) ++r;
        out.push_back(r);
    }
    return out;
}

nlohmann::json karlo_config(const std::string& variance, const std::string& prediction, double range) {
    return {{"_class_name", "UnCLIPScheduler"}, {"beta_schedule", "squaredcos_cap_v2"}, {"clip_sample", true},
            {"clip_sample_range", range},       {"num_train_timesteps", 1000},          {"prediction_type", prediction},
            {"variance_type", variance}};
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Golden parity

TEST_CASE("every golden scheduler case passes (betas, alphas_cumprod, timesteps, every step)") {
    auto rows = verify_schedulers(golden_opts());
    EXPECT_PARITY(rows);
    auto c = test::load_case("schedulers");
    size_t trajectories = 0;
    for (const auto& [name, entry] : c.meta.at("schedulers").items()) trajectories += entry.at("trajectories").size();
    // 3 schedule rows per scheduler + 8 rows per trajectory (+ the model folders' configs).
    EXPECT(rows.size() >= 3 * c.meta.at("schedulers").size() + 8 * trajectories);
    for (const auto& r : rows)
        std::fprintf(stderr, "    %-62s max %.3g  tol %.1g  %s  %s\n", r.check.c_str(), r.max_abs_error, r.tolerance,
                     r.pass ? "ok" : "FAIL", r.note.c_str());
}

TEST_CASE("betas and alphas_cumprod equal the golden float32 tensors bit for bit") {
    auto c = test::load_case("schedulers");
    for (const auto& [name, entry] : c.meta.at("schedulers").items()) {
        UnCLIPScheduler s(case_config(c, name));
        EXPECT_MSG(torch::equal(s.betas(), c.at(name + ".betas")), name);
        EXPECT_MSG(torch::equal(s.alphas_cumprod(), c.at(name + ".alphas_cumprod")),
                   name << " max diff " << (s.alphas_cumprod() - c.at(name + ".alphas_cumprod")).abs().max().item<float>());
        EXPECT(s.betas().scalar_type() == torch::kFloat32);
        EXPECT_EQ(s.betas().size(0), case_config(c, name).num_train_timesteps);
        EXPECT(s.betas().max().item<float>() <= 0.999f);
    }
}

TEST_CASE("recorded steps equal step_with_noise given the recorded noise (staged / pre-drawn noise)") {
    auto c = test::load_case("schedulers");
    int checked = 0, recorded = 0;
    for (const auto& [name, entry] : c.meta.at("schedulers").items())
        for (const auto& traj : entry.at("trajectories")) recorded += static_cast<int>(traj.at("steps").size());
    for (const auto& [name, entry] : c.meta.at("schedulers").items()) {
        UnCLIPScheduler s(case_config(c, name));
        for (const auto& traj : entry.at("trajectories")) {
            const std::string p = traj.at("prefix");
            s.set_timesteps(traj.at("num_inference_steps").get<int64_t>());
            torch::Tensor sample = c.at(p + ".sample_init");
            const auto& steps = traj.at("steps");
            for (size_t i = 0; i < steps.size(); ++i) {
                const std::string k = step_key(i);
                const int64_t t = steps[i].at("t");
                EXPECT_EQ(t, s.timesteps()[i]);
                std::optional<int64_t> prev;
                if (!steps[i].at("prev_timestep").is_null()) prev = steps[i].at("prev_timestep").get<int64_t>();
                if (traj.at("mode") == "pipeline") EXPECT(prev == s.prev_timestep(i));
                torch::Tensor noise = t > 0 ? c.at(p + k + "noise") : torch::Tensor();
                auto out = s.step_with_noise(c.at(p + k + "model_output"), t, sample, prev, noise);
                EXPECT_CLOSE(out.prev_sample, c.at(p + k + "prev_sample"), 1e-5, 1e-5);
                EXPECT_CLOSE(out.pred_original_sample, c.at(p + k + "pred_original_sample"), 1e-5, 1e-5);
                sample = c.at(p + k + "prev_sample");
                ++checked;
            }
        }
    }
    EXPECT(checked > 0);
    EXPECT_EQ(checked, recorded);  // every recorded step
}

TEST_CASE("a perturbed beta schedule makes parity fail") {
    auto c = test::load_case("schedulers");
    const auto config = case_config(c, "decoder");
    auto betas = squaredcos_cap_v2_betas(config.num_train_timesteps);
    // Sanity: the unperturbed schedule passes through the same entry point.
    auto good = verify_scheduler_case(c, "decoder", UnCLIPScheduler(config, betas), golden_opts());
    EXPECT_PARITY(good);
    betas[600] *= 1.01;  // one beta 1% off
    auto rows = verify_scheduler_case(c, "decoder", UnCLIPScheduler(config, betas), golden_opts());
    EXPECT(any_failed(rows, "decoder.betas"));
    EXPECT(any_failed(rows, "decoder.alphas_cumprod"));
    const auto trajs = pipeline_trajectories(c, "decoder");
    REQUIRE(!trajs.empty());
    const std::string p = trajs.back().at("prefix").get<std::string>();  // the longest recorded run
    EXPECT(any_failed(rows, p + ".prev_sample"));
    EXPECT(any_failed(rows, p + ".scalars"));
    EXPECT(!any_failed(rows, "decoder.timesteps"));  // the spacing does not depend on betas
}

TEST_CASE("a wrong config or a perturbed recorded input makes parity fail") {
    auto c = test::load_case("schedulers");
    // The super-res case run with the decoder's prediction type "sample" (x0 = model output).
    auto cfg = case_config(c, "super_res");
    cfg.prediction_type = PredictionType::Sample;
    EXPECT(any_failed(verify_scheduler_case(c, "super_res", UnCLIPScheduler(cfg), golden_opts()), "prev_sample"));
    // Clip range 1 instead of the prior's 5.
    cfg = case_config(c, "prior");
    cfg.clip_sample_range = 1.0f;
    EXPECT(any_failed(verify_scheduler_case(c, "prior", UnCLIPScheduler(cfg), golden_opts()), "pred_original_sample"));
    // A recorded model output changed by 1e-3 at one element: that trajectory fails, another passes.
    const auto trajs = pipeline_trajectories(c, "prior");
    REQUIRE(trajs.size() >= 2);
    const std::string hit = trajs[0].at("prefix").get<std::string>(), other = trajs[1].at("prefix").get<std::string>();
    const size_t n_steps = trajs[0].at("steps").size();
    REQUIRE(n_steps >= 2);
    const std::string key = hit + step_key(std::min<size_t>(2, n_steps - 2)) + "model_output";  // a step with t > 0
    auto bad = c;
    bad.tensors[key] = c.at(key).clone();
    // the element nearest 0: far from the prior's clip range, so the change is not clipped away
    bad.tensors[key].view(-1)[c.at(key).abs().argmin().item<int64_t>()] += 1e-3;
    auto rows = verify_scheduler_case(bad, "prior", UnCLIPScheduler(case_config(c, "prior")), golden_opts());
    EXPECT(any_failed(rows, hit + ".prev_sample"));
    EXPECT(!any_failed(rows, other + ".prev_sample"));
}

// ------------------------------------------------------------------------------------------------
// Timesteps

TEST_CASE("timesteps: Karlo spacing with numpy's half-to-even rounding, several n") {
    UnCLIPScheduler s;
    s.set_timesteps(2);
    EXPECT(s.timesteps() == (std::vector<int64_t>{999, 0}));
    s.set_timesteps(3);  // 499.5 -> 500 (even)
    EXPECT(s.timesteps() == (std::vector<int64_t>{999, 500, 0}));
    s.set_timesteps(7);  // 166.5 -> 166, 499.5 -> 500, 832.5 -> 832
    EXPECT(s.timesteps() == (std::vector<int64_t>{999, 832, 666, 500, 333, 166, 0}));
    for (int64_t n : {4, 5, 9, 11, 13, 17, 25, 33, 37, 49, 101, 333, 500, 501, 999, 1000}) {
        s.set_timesteps(n);
        const auto& ts = s.timesteps();
        EXPECT_EQ(int64_t(ts.size()), n);
        EXPECT_EQ(s.num_inference_steps(), n);
        EXPECT_MSG(ts == reference_timesteps(1000, n), "n = " << n);
        EXPECT_EQ(ts.front(), int64_t(999));
        EXPECT_EQ(ts.back(), int64_t(0));
        bool decreasing = true;
        for (size_t i = 1; i < ts.size(); ++i) decreasing = decreasing && ts[i] < ts[i - 1];
        EXPECT_MSG(decreasing, "n = " << n);
        EXPECT(!s.prev_timestep(ts.size() - 1).has_value());
        EXPECT(s.prev_timestep(0) == ts[1]);
    }
    // Golden lists for every recorded N.
    auto c = test::load_case("schedulers");
    for (int64_t n : c.meta.at("timestep_lists_N").get<std::vector<int64_t>>()) {
        s.set_timesteps(n);
        torch::Tensor got = torch::tensor(torch::ArrayRef<int64_t>(s.timesteps()), torch::kInt64);
        EXPECT_MSG(torch::equal(got, c.at("decoder.timesteps.N" + std::to_string(n))), "N = " << n);
    }
}

TEST_CASE("timesteps: n = 1 gives [T-1], n < 1 or n > T is a RequestError") {
    UnCLIPScheduler s;
    s.set_timesteps(1);
    EXPECT(s.timesteps() == (std::vector<int64_t>{999}));
    EXPECT_THROWS(RequestError, s.set_timesteps(0), "at least 1");
    EXPECT_THROWS(RequestError, s.set_timesteps(-4), "at least 1");
    EXPECT_THROWS(RequestError, s.set_timesteps(1001), "exceeds");
    // A failed call leaves the previous timesteps.
    EXPECT(s.timesteps() == (std::vector<int64_t>{999}));
    // Before set_timesteps: every training timestep, descending.
    UnCLIPScheduler fresh;
    EXPECT_EQ(fresh.timesteps().size(), size_t(1000));
    EXPECT_EQ(fresh.timesteps().front(), int64_t(999));
}

// ------------------------------------------------------------------------------------------------
// Noise draws

TEST_CASE("noise is drawn only for t > 0, in order, one sample-shaped draw per step") {
    auto c = test::load_case("schedulers");
    UnCLIPScheduler s(case_config(c, "super_res"));
    s.set_timesteps(7);
    const std::vector<int64_t> shape{2, 3, 4, 4};
    Generator gen(123);
    Generator ref(123);
    torch::Tensor x = gen.randn(shape);
    ref.skip(shape);
    int draws = 0;
    for (size_t i = 0; i < s.timesteps().size(); ++i) {
        const int64_t t = s.timesteps()[i];
        auto out = s.step(0.1 * x, t, x, s.prev_timestep(i), &gen);
        if (t > 0) {
            REQUIRE(out.noise.defined());
            EXPECT_MSG(torch::equal(out.noise, ref.randn(shape)), "draw at step " << i);
            ++draws;
        } else {
            EXPECT(!out.noise.defined());
        }
        x = out.prev_sample;
    }
    EXPECT_EQ(draws, 6);
    // Both generators are now at the same point of their streams.
    EXPECT(torch::equal(gen.randn({5}), ref.randn({5})));
    EXPECT(torch::equal(gen.randn({40}), ref.randn({40})));

    // t = 0 needs no generator; t > 0 without one is an error (and nothing is drawn).
    torch::Tensor z = torch::zeros(shape);
    EXPECT(s.step(z, 0, z, std::nullopt, nullptr).prev_sample.defined());
    EXPECT_THROWS(RequestError, s.step(z, 5, z, std::nullopt, nullptr), "generator");
    EXPECT_THROWS(RequestError, s.step_with_noise(z, 5, z, std::nullopt, torch::Tensor()), "noise");
    EXPECT_THROWS(RequestError, s.step_with_noise(z, 5, z, std::nullopt, torch::zeros({2, 3})), "noise");
}

TEST_CASE("a bad step is a RequestError that does not consume a draw") {
    auto c = test::load_case("schedulers");
    UnCLIPScheduler dec(case_config(c, "decoder"));
    Generator gen(7), ref(7);
    torch::Tensor x = torch::zeros({1, 3, 4, 4});
    EXPECT_THROWS(RequestError, dec.step(torch::zeros({1, 3, 4, 4}), 10, x, std::nullopt, &gen), "learned_range");
    EXPECT_THROWS(RequestError, dec.step(torch::zeros({1, 5, 4, 4}), 10, x, std::nullopt, &gen), "does not fit");
    EXPECT_THROWS(RequestError, dec.step(torch::zeros({1, 6, 4, 4}), 1000, x, std::nullopt, &gen), "outside");
    EXPECT_THROWS(RequestError, dec.step(torch::zeros({1, 6, 4, 4}), -1, x, std::nullopt, &gen), "outside");
    EXPECT_THROWS(RequestError, dec.step(torch::zeros({1, 6, 4, 4}), 10, x, int64_t(1000), &gen), "outside");
    EXPECT(torch::equal(gen.randn({16}), ref.randn({16})));
    // At t = 0 learned_range needs no variance channels (nothing is sampled), like the reference.
    EXPECT(dec.step(torch::zeros({1, 3, 4, 4}), 0, x, std::nullopt, &gen).prev_sample.defined());
}

TEST_CASE("prev_t: none means t - 1 (precomputed betas), a negative value means the clean end") {
    UnCLIPScheduler s;
    auto a = s.step_scalars(500, std::nullopt);
    EXPECT_EQ(a.prev_t, int64_t(499));
    EXPECT_EQ(a.beta, s.betas()[500].item<float>());
    auto b = s.step_scalars(500, int64_t(499));  // explicit t - 1 is the same
    EXPECT_EQ(b.beta, a.beta);
    auto d = s.step_scalars(500, int64_t(-1));
    EXPECT_EQ(d.alpha_prod_t_prev, 1.0f);
    EXPECT_EQ(d.beta, 1.0f - s.alphas_cumprod()[500].item<float>());
    auto e = s.step_scalars(0, std::nullopt);
    EXPECT_EQ(e.alpha_prod_t_prev, 1.0f);
    EXPECT_EQ(e.beta, s.betas()[0].item<float>());
}

// ------------------------------------------------------------------------------------------------
// add_noise

TEST_CASE("add_noise = sqrt(a_t) x0 + sqrt(1 - a_t) noise, scalar and per-batch timesteps") {
    auto c = test::load_case("schedulers");
    UnCLIPScheduler s(case_config(c, "decoder"));
    torch::manual_seed(0);
    torch::Tensor x0 = torch::rand({3, 3, 4, 4}) * 2 - 1;
    torch::Tensor n = torch::randn({3, 3, 4, 4});
    const torch::Tensor ac = c.at("decoder.alphas_cumprod").to(torch::kFloat64);
    for (int64_t t : {0, 1, 250, 749, 999}) {
        const double a = ac[t].item<double>();
        torch::Tensor want = std::sqrt(a) * x0.to(torch::kFloat64) + std::sqrt(1 - a) * n.to(torch::kFloat64);
        EXPECT_CLOSE(s.add_noise(x0, n, t), want, 1e-6, 1e-6);
    }
    torch::Tensor batched = s.add_noise(x0, n, std::vector<int64_t>{10, 500, 990});
    EXPECT(torch::equal(batched[1], s.add_noise(x0[1], n[1], 500)));
    EXPECT(torch::equal(batched[2], s.add_noise(x0[2], n[2], 990)));
    EXPECT(s.add_noise(x0.to(torch::kFloat64), n, 300).scalar_type() == torch::kFloat64);
    EXPECT_THROWS(RequestError, s.add_noise(x0, n, 1000), "outside");
    EXPECT_THROWS(RequestError, s.add_noise(x0, n, std::vector<int64_t>{1, 2}), "batch");
    EXPECT_THROWS(RequestError, s.add_noise(x0, n[0], 5), "does not match");
}

// ------------------------------------------------------------------------------------------------
// Configs

TEST_CASE("config: the golden folders' scheduler configs parse to Karlo's values") {
    const std::string models = test::golden_path("models");
    int parsed = 0;
    for (const auto& dir : std::filesystem::directory_iterator(models)) {
        if (!std::filesystem::exists(dir.path() / "model_index.json")) continue;
        io::ModelFolder folder(dir.path().string());
        for (const std::string comp : {"prior_scheduler", "decoder_scheduler", "super_res_scheduler"}) {
            if (!folder.has(comp)) continue;
            auto cfg = UnCLIPSchedulerConfig::from_json(folder.config(comp), folder.config_path(comp));
            EXPECT_EQ(cfg.num_train_timesteps, int64_t(1000));
            EXPECT(cfg.clip_sample);
            if (comp == "prior_scheduler") {
                EXPECT(cfg.prediction_type == PredictionType::Sample);
                EXPECT(cfg.variance_type == VarianceType::FixedSmallLog);
                EXPECT_EQ(cfg.clip_sample_range, 5.0f);
            } else if (comp == "decoder_scheduler") {
                EXPECT(cfg.prediction_type == PredictionType::Epsilon);
                EXPECT(cfg.variance_type == VarianceType::LearnedRange);
                EXPECT_EQ(cfg.clip_sample_range, 1.0f);
            } else {
                EXPECT(cfg.prediction_type == PredictionType::Epsilon);
                EXPECT(cfg.variance_type == VarianceType::FixedSmallLog);
                EXPECT_EQ(cfg.clip_sample_range, 1.0f);
            }
            ++parsed;
        }
    }
    EXPECT(parsed >= 5);
    // An empty config is diffusers' defaults.
    auto d = UnCLIPSchedulerConfig::from_json(nlohmann::json::object(), "empty");
    EXPECT_EQ(d.num_train_timesteps, int64_t(1000));
    EXPECT(d.variance_type == VarianceType::FixedSmallLog);
    EXPECT(d.prediction_type == PredictionType::Epsilon);
    EXPECT(d.clip_sample);
    EXPECT_EQ(d.clip_sample_range, 1.0f);
    auto n = karlo_config("learned_range", "epsilon", 1.0);
    n["clip_sample_range"] = nullptr;  // Optional[float]: null keeps 1.0
    EXPECT_EQ(UnCLIPSchedulerConfig::from_json(n, "null").clip_sample_range, 1.0f);
}

TEST_CASE("config: unsupported values are ModelErrors naming the key") {
    auto base = karlo_config("fixed_small_log", "epsilon", 1.0);
    auto with = [&](const std::string& key, nlohmann::json v) {
        auto j = base;
        j[key] = std::move(v);
        return j;
    };
    const std::string label = "my_model/decoder_scheduler/scheduler_config.json";
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("variance_type", "fixed_large"), label),
                  "'variance_type'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("variance_type", 3), label), "'variance_type'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("prediction_type", "v_prediction"), label),
                  "'prediction_type'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("beta_schedule", "linear"), label),
                  "'beta_schedule'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("num_train_timesteps", 0), label),
                  "'num_train_timesteps'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("num_train_timesteps", "1000"), label),
                  "'num_train_timesteps'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("clip_sample", "yes"), label), "'clip_sample'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("clip_sample_range", -1.0), label),
                  "'clip_sample_range'");
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("_class_name", "DDPMScheduler"), label),
                  "'_class_name'");
    // The label (file) is named too.
    EXPECT_THROWS(ModelError, UnCLIPSchedulerConfig::from_json(with("beta_schedule", "linear"), label), label);
    // Explicit betas must fit.
    UnCLIPSchedulerConfig cfg;
    EXPECT_THROWS(ModelError, UnCLIPScheduler(cfg, std::vector<double>(999, 0.01)), "999 betas");
    EXPECT_THROWS(ModelError, UnCLIPScheduler(cfg, std::vector<double>(1000, 1.0)), "beta");
}

// ------------------------------------------------------------------------------------------------
// Device / dtype

TEST_CASE("float64 and non-contiguous inputs follow the sample's dtype, results stay close") {
    auto c = test::load_case("schedulers");
    UnCLIPScheduler s(case_config(c, "super_res"));
    // A middle step (t > 0, so with noise) of the longest recorded super-res run.
    const auto trajs = pipeline_trajectories(c, "super_res");
    REQUIRE(!trajs.empty());
    const auto& traj = trajs.back();
    const std::string p = traj.at("prefix");
    const size_t i = traj.at("steps").size() / 2;
    REQUIRE(i >= 1);
    const int64_t t = traj.at("steps")[i].at("t"), prev = traj.at("steps")[i].at("prev_timestep");
    REQUIRE(t > 0);
    torch::Tensor x = c.at(p + step_key(i - 1) + "prev_sample");  // the sample of step i
    torch::Tensor mo = c.at(p + step_key(i) + "model_output");
    torch::Tensor nz = c.at(p + step_key(i) + "noise");
    auto f32 = s.step_with_noise(mo, t, x, prev, nz);
    auto f64 = s.step_with_noise(mo, t, x.to(torch::kFloat64), prev, nz);
    EXPECT(f64.prev_sample.scalar_type() == torch::kFloat64);
    EXPECT_CLOSE(f64.prev_sample, f32.prev_sample, 1e-5, 1e-5);
    EXPECT_CLOSE(f32.prev_sample, c.at(p + step_key(i) + "prev_sample"), 1e-5, 1e-5);
    // A transposed (non-contiguous) view gives the same numbers.
    torch::Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);
    auto nc = s.step_with_noise(mo, t, xt, prev, nz);
    EXPECT(torch::equal(nc.prev_sample, f32.prev_sample));
}

TEST_CASE("verify runs on a CUDA device when one is available") {
    if (!torch::cuda::is_available()) {
        std::fprintf(stderr, "    (no CUDA device: skipped)\n");
        return;
    }
    auto o = golden_opts();
    o.device = torch::Device(torch::kCUDA, 0);
    EXPECT_PARITY(verify_schedulers(o));
}

// ------------------------------------------------------------------------------------------------
// DDIM (eta = 0) for inversion

TEST_CASE("ddim: invert_step and step are exact inverses for the same eps") {
    UnCLIPSchedulerConfig cfg;
    DDIMScheduler d(cfg);
    torch::manual_seed(1);
    torch::Tensor x = torch::randn({2, 3, 8, 8}, torch::kFloat64);
    torch::Tensor eps = torch::randn({2, 3, 8, 8}, torch::kFloat64);
    for (auto [t, next] : std::vector<std::pair<int64_t, int64_t>>{{-1, 0}, {0, 40}, {100, 140}, {500, 541}, {900, 999}}) {
        torch::Tensor y = d.invert_step(eps, t, next, x);
        torch::Tensor back = t < 0 ? d.step(eps, next, -1, y) : d.step(eps, next, t, y);
        EXPECT_CLOSE(back, x, 1e-9, 1e-9);
    }
    EXPECT_THROWS(RequestError, d.step(eps, 10, 10, x), "smaller");
    EXPECT_THROWS(RequestError, d.invert_step(eps, 10, 5, x), "larger");
    EXPECT_THROWS(RequestError, d.invert_step(eps, 10, 1000, x), "outside");
    // Same alphas_cumprod as the UnCLIP scheduler.
    EXPECT(torch::equal(d.alphas_cumprod(), UnCLIPScheduler(cfg).alphas_cumprod()));
    d.set_timesteps(25);
    UnCLIPScheduler u(cfg);
    u.set_timesteps(25);
    EXPECT(d.timesteps() == u.timesteps());
    EXPECT_EQ(d.inversion_timesteps().front(), int64_t(0));
    EXPECT_EQ(d.inversion_timesteps().back(), int64_t(999));
}

TEST_CASE("ddim: leading spacing stops short of t = 999, so a float32 round trip stays accurate") {
    UnCLIPSchedulerConfig cfg;
    DDIMScheduler d(cfg);
    d.set_timesteps(25, DDIMScheduler::Spacing::Leading);
    EXPECT_EQ(d.timesteps().size(), size_t(25));
    EXPECT_EQ(d.timesteps().front(), int64_t(960));
    EXPECT_EQ(d.timesteps()[1], int64_t(920));
    EXPECT_EQ(d.timesteps().back(), int64_t(0));
    EXPECT_THROWS(RequestError, d.set_timesteps(0, DDIMScheduler::Spacing::Leading), "");
    // The amplification of the first decoding step, 1 / sqrt(alphas_cumprod[top]), drops from ~2e4 to ~16.
    EXPECT(1.0 / std::sqrt(d.alpha_prod(960)) < 20.0);
    EXPECT(1.0 / std::sqrt(d.alpha_prod(999)) > 1e4);
    // With an eps that does not match exactly between the two directions (as a real model's does
    // not), the leading round trip stays close while the Karlo spacing's top step blows it up.
    torch::manual_seed(4);
    torch::Tensor x0 = (torch::rand({2, 3, 8, 8}) * 2 - 1);
    torch::Tensor n = torch::randn({2, 3, 8, 8});
    auto round_trip_error = [&](DDIMScheduler::Spacing spacing) {
        d.set_timesteps(25, spacing);
        const auto inv = d.inversion_timesteps();
        torch::Tensor x = d.invert_step(n, -1, inv.front(), x0);
        for (size_t i = 0; i + 1 < inv.size(); ++i) x = d.invert_step(n, inv[i], inv[i + 1], x);
        // Decoding sees a 1 % different prediction, like a model evaluated at another point.
        for (size_t i = inv.size() - 1; i > 0; --i) x = d.step(n * 1.01, inv[i], inv[i - 1], x);
        x = d.step(n * 1.01, inv.front(), -1, x);
        return (x - x0).abs().mean().item<double>();
    };
    const double leading = round_trip_error(DDIMScheduler::Spacing::Leading);
    const double karlo = round_trip_error(DDIMScheduler::Spacing::Karlo);
    std::fprintf(stderr, "    ddim round trip with a 1%% eps mismatch: leading %.3g, karlo %.3g\n", leading, karlo);
    EXPECT_MSG(leading < 0.2, leading);
    EXPECT_MSG(karlo > 5 * leading, karlo << " vs " << leading);
}

namespace {

using EpsFn = std::function<torch::Tensor(const torch::Tensor&, int64_t)>;

// Clean x0 -> x_{t_last} along `inv` (ascending), then back down to x0.
torch::Tensor ddim_round_trip(const DDIMScheduler& d, const std::vector<int64_t>& inv, const torch::Tensor& x0,
                              const EpsFn& eps, torch::Tensor* top = nullptr) {
    torch::Tensor x = d.invert_step(eps(x0, inv.front()), -1, inv.front(), x0);
    for (size_t i = 0; i + 1 < inv.size(); ++i) x = d.invert_step(eps(x, inv[i]), inv[i], inv[i + 1], x);
    if (top) *top = x;
    for (size_t i = inv.size() - 1; i > 0; --i) x = d.step(eps(x, inv[i]), inv[i], inv[i - 1], x);
    return d.step(eps(x, inv.front()), inv.front(), -1, x);
}

}  // namespace

TEST_CASE("ddim: with eps = the true noise of a known x0, inversion lands on add_noise and comes back") {
    UnCLIPSchedulerConfig cfg;
    DDIMScheduler d(cfg);
    UnCLIPScheduler u(cfg);
    d.set_timesteps(50);
    torch::manual_seed(2);
    for (auto dtype : {torch::kFloat64, torch::kFloat32}) {
        torch::Tensor x0 = (torch::rand({2, 3, 8, 8}) * 2 - 1).to(dtype);
        torch::Tensor n = torch::randn({2, 3, 8, 8}).to(dtype);
        EpsFn eps = [&](const torch::Tensor&, int64_t) { return n; };
        torch::Tensor top;
        torch::Tensor back = ddim_round_trip(d, d.inversion_timesteps(), x0, eps, &top);
        const double tol = dtype == torch::kFloat64 ? 1e-9 : 1e-5;
        EXPECT_CLOSE(top, u.add_noise(x0, n, 999), tol, tol);
        // float32: x0 = (x - sqrt(1-a) eps) / sqrt(a) with sqrt(a_999) = 4.9e-5 amplifies rounding ~2e4x.
        const double back_tol = dtype == torch::kFloat64 ? 1e-9 : 5e-3;
        EXPECT_CLOSE(back, x0, back_tol, 0.0);
    }
}

TEST_CASE("ddim: round trip with a smooth x- and t-dependent eps converges as steps are refined") {
    UnCLIPSchedulerConfig cfg;
    DDIMScheduler d(cfg);
    torch::manual_seed(3);
    torch::Tensor x0 = (torch::rand({2, 3, 8, 8}) * 2 - 1).to(torch::kFloat64);
    torch::Tensor n = torch::randn({2, 3, 8, 8}).to(torch::kFloat64);
    EpsFn eps = [&](const torch::Tensor& x, int64_t t) {
        return n * (1.0 + 0.2 * std::sin(double(t) / 150.0)) + 0.1 * torch::tanh(x);
    };
    // Partial inversion (as for editing) up to t = 600.
    auto errors = std::vector<double>{};
    for (int64_t n_steps : {25, 100, 400}) {
        d.set_timesteps(n_steps);
        std::vector<int64_t> inv;
        for (int64_t t : d.inversion_timesteps())
            if (t <= 600) inv.push_back(t);
        torch::Tensor back = ddim_round_trip(d, inv, x0, eps);
        errors.push_back((back - x0).abs().max().item<double>());
    }
    std::fprintf(stderr, "    ddim round-trip max error (25/100/400 steps): %.3g %.3g %.3g\n", errors[0], errors[1],
                 errors[2]);
    // First order in the step size: 4x the steps, about 1/4 the error.
    EXPECT(errors[1] < errors[0] / 2);
    EXPECT(errors[2] < errors[1] / 2);
    EXPECT_MSG(errors[2] < 1e-2, errors[2]);
}

TEST_CASE("reduced precision: scheduler math stays float32 whatever the model precision, so every row passes") {
    // x0 = (x - sqrt(1 - a) eps) / sqrt(a) with sqrt(a_999) = 4.9e-5 would turn half-precision rounding
    // of eps into errors far above any tolerance; the pipelines therefore keep latents in float32.
    for (auto dt : {torch::kBFloat16, torch::kFloat16}) {
        auto o = golden_opts();
        o.dtype = dt;
        auto rows = verify_schedulers(o);
        EXPECT(!rows.empty());
        for (const auto& r : rows)
            EXPECT_MSG(r.pass, c10::toString(dt) << " " << r.check << ": " << r.max_abs_error << " " << r.note);
    }
    // CPU float16 steps return float16.
    UnCLIPScheduler s;
    torch::Tensor x = torch::randn({1, 3, 4, 4}).to(torch::kHalf);
    Generator g(0);
    auto out = s.step(x, 500, x, int64_t(400), &g);
    EXPECT(out.prev_sample.scalar_type() == torch::kHalf);
    EXPECT(out.noise.scalar_type() == torch::kHalf);
    EXPECT(s.add_noise(x, x, 10).scalar_type() == torch::kHalf);
}

UNCLIP_TEST_MAIN()
