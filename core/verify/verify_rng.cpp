// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_rng.h"

#include "core/random/generator.h"

#include <torch/torch.h>

#include <map>
#include <regex>
#include <sstream>

namespace unclip::verify {
namespace {
std::vector<int64_t> parse_shape(const std::string& s) {
    std::vector<int64_t> shape;
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, 'x')) shape.push_back(std::stoll(part));
    return shape;
}
}  // namespace

std::vector<ParityResult> verify_rng(const VerifyOptions& opts) {
    GoldenCase c = load_case(opts.golden_dir, "rng");
    std::vector<ParityResult> rows;
    // Fresh generators: seedS.fresh.SHAPE. Sequences: seedS.seqI.SHAPE drawn in index order.
    const std::regex fresh(R"(^seed(\d+)\.fresh\.([0-9x]+)$)"), seq(R"(^seed(\d+)\.seq(\d+)\.([0-9x]+)$)");
    std::map<uint64_t, std::map<int, std::pair<std::string, std::string>>> sequences;
    for (const auto& [key, expected] : c.tensors) {
        std::smatch m;
        if (std::regex_match(key, m, fresh)) {
            Generator g(std::stoull(m[1]));
            add_result(rows, "rng/" + key, g.randn(parse_shape(m[2])), expected, 0.0);
        } else if (std::regex_match(key, m, seq)) {
            sequences[std::stoull(m[1])][std::stoi(m[2])] = {m[3], key};
        }
    }
    for (const auto& [seed, draws] : sequences) {
        Generator g(seed);
        for (const auto& [i, d] : draws) add_result(rows, "rng/" + d.second, g.randn(parse_shape(d.first)), c.at(d.second), 0.0);
    }
    return rows;
}

}  // namespace unclip::verify
