// SPDX-License-Identifier: GPL-3.0-or-later
// RNG parity: unclip::Generator draws equal torch.Generator('cpu').manual_seed(seed) draws bit for bit
// (every fresh draw and every recorded sequence of the golden rng case, through verify_rng).
#include "core/random/generator.h"
#include "core/verify/verify_rng.h"
#include "tests/support/golden.h"

#include <torch/torch.h>

using namespace unclip;

TEST_CASE("every recorded draw equals the reference bit for bit (fresh generators and sequences)") {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
    auto rows = verify::verify_rng(o);
    EXPECT(rows.size() >= 4);
    EXPECT_PARITY(rows);
    for (const auto& r : rows) EXPECT_MSG(r.max_abs_error == 0.0, r.check);
}

TEST_CASE("a different seed gives different numbers, reseeding repeats them, skip advances like a draw") {
    Generator a(1), b(2);
    torch::Tensor x = a.randn({32});
    EXPECT(!torch::equal(x, b.randn({32})));
    a.manual_seed(1);
    EXPECT(torch::equal(x, a.randn({32})));
    Generator c(7), d(7);
    c.randn({3, 5});
    d.skip({3, 5});
    EXPECT(torch::equal(c.randn({20}), d.randn({20})));
}

UNCLIP_TEST_MAIN()
