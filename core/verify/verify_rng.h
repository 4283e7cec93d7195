// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RNG parity for `unclip verify`: unclip::Generator draws vs the golden rng case, bit for bit.
#include "core/verify/golden_case.h"

namespace unclip::verify {
std::vector<ParityResult> verify_rng(const VerifyOptions& opts);
}
