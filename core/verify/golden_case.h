// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Parity with the reference implementation: golden cases (cases/<name>.safetensors + .json from
// a golden folder) and the result rows that `unclip verify` prints and the tests assert.
#include "core/io/state_dict.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <string>
#include <vector>

namespace unclip::verify {

struct GoldenCase {
    std::string name;
    std::string golden_dir;
    io::StateDict tensors;
    nlohmann::json meta;
    const torch::Tensor& at(const std::string& key) const;  // throws naming the case and key
    bool has(const std::string& key) const { return tensors.count(key) != 0; }
};
GoldenCase load_case(const std::string& golden_dir, const std::string& name);

struct Compare {
    double max_abs = 0;  // max |a - b|
    bool ok = false;     // same shape and all |a - b| <= atol + rtol |b|
};
Compare compare(const torch::Tensor& actual, const torch::Tensor& expected, double atol, double rtol = 0.0);

// One row of the verify table.
struct ParityResult {
    std::string check;     // "clip_text/text_embeds[prompt 2]"
    double max_abs_error = 0;
    double tolerance = 0;  // atol used
    bool pass = false;
    std::string note;      // e.g. "shape mismatch", or the exception message
    bool skipped = false;  // measured but not judged (the note says why); counts as neither pass nor fail
};

struct VerifyOptions {
    std::string golden_dir;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
    // Tolerance to use for a check whose float32 tolerance is `atol32`: looser for half precision
    // (stated in one place: 2e-2 absolute + 2e-2 relative for float16, 5e-2 for bfloat16).
    double atol(double atol32) const;
    double rtol(double rtol32) const;
    // atol(atol32) for an output whose reference is `expected`, with the half-precision part taken
    // relative to the output's scale (max |expected|, at least 1): rounding to 8 or 11 significant
    // bits errs in proportion to the values a network carries, so a model whose outputs reach 4
    // gets 4x the absolute bound of one whose outputs stay within 1. float32 / float64: atol32.
    double atol(double atol32, const torch::Tensor& expected) const;
};

// The case json's "tolerance": {"atol", "rtol"} (defaults when absent), loosened by opts for half precision.
struct CaseTolerance {
    double atol = 1e-4, rtol = 1e-4;
};
CaseTolerance case_tolerance(const GoldenCase& c, const VerifyOptions& opts, double default_atol, double default_rtol);

// A pipeline case's tolerances for its final outputs (json "tolerance": final_image_atol,
// final_image_mean_abs), and the two rows that judge an output by them: max and mean abs error.
struct FinalTolerance {
    double atol = 5e-2;
    double mean = 2e-3;
};
FinalTolerance final_tolerance(const GoldenCase& c);
void add_final_rows(std::vector<ParityResult>& out, const std::string& label, const torch::Tensor& actual,
                    const torch::Tensor& expected, const FinalTolerance& tol, const VerifyOptions& opts);

// Compares and appends a row.
void add_result(std::vector<ParityResult>& out, const std::string& check, const torch::Tensor& actual,
                const torch::Tensor& expected, double atol, double rtol = 0.0);

}  // namespace unclip::verify
