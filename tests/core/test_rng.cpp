// RNG parity: unclip::Generator draws equal torch.Generator('cpu').manual_seed(seed) draws bit for bit.
#include "core/random/generator.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

#include <regex>

using namespace unclip;

namespace {
std::vector<int64_t> parse_shape(const std::string& s) {
    std::vector<int64_t> shape;
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, 'x')) shape.push_back(std::stoll(part));
    return shape;
}
}  // namespace

TEST_CASE("fresh generator draws equal the reference for every recorded seed and shape") {
    auto c = test::load_case("rng");
    int checked = 0;
    std::regex fresh(R"(^seed(\d+)\.fresh\.([0-9x]+)$)");
    for (const auto& [key, expected] : c.tensors) {
        std::smatch m;
        if (!std::regex_match(key, m, fresh)) continue;
        Generator g(std::stoull(m[1]));
        torch::Tensor got = g.randn(parse_shape(m[2]));
        EXPECT_MSG(torch::equal(got, expected), key);
        ++checked;
    }
    EXPECT(checked >= 2);
}

TEST_CASE("successive draws from one generator equal the reference sequence") {
    auto c = test::load_case("rng");
    std::regex seq(R"(^seed(\d+)\.seq(\d+)\.([0-9x]+)$)");
    std::map<uint64_t, std::map<int, std::pair<std::string, torch::Tensor>>> by_seed;
    for (const auto& [key, t] : c.tensors) {
        std::smatch m;
        if (std::regex_match(key, m, seq)) by_seed[std::stoull(m[1])][std::stoi(m[2])] = {m[3], t};
    }
    REQUIRE(!by_seed.empty());
    for (auto& [seed, draws] : by_seed) {
        Generator g(seed);
        for (auto& [i, d] : draws) {
            torch::Tensor got = g.randn(parse_shape(d.first));
            EXPECT_MSG(torch::equal(got, d.second), "seed " << seed << " draw " << i);
        }
    }
}

TEST_CASE("a different seed gives different numbers, reseeding repeats them") {
    Generator a(1), b(2);
    torch::Tensor x = a.randn({32});
    EXPECT(!torch::equal(x, b.randn({32})));
    a.manual_seed(1);
    EXPECT(torch::equal(x, a.randn({32})));
}

UNCLIP_TEST_MAIN()
