// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `unclip bench pipeline --profile`: where a region's time goes, op by op, through LibTorch's
// profiler (the legacy, CPU-only one: it ships with every LibTorch build). Self time = the op's time
// minus the ops it called; what no op covers is the C++ between them.
#include <ostream>
#include <string>
#include <vector>

namespace unclip::cli {

struct OpTime {
    std::string name;
    int64_t calls = 0;
    double self_us = 0;
    double total_us = 0;  // inclusive; for a scope, the ops inside it
};

class OpProfile {
public:
    void start();
    // Ends the region; `wall_us` is its measured time, for the "outside any op" line.
    void stop(double wall_us);
    // The `top` ops by self time, the named scopes (RECORD_USER_SCOPE) by total time, and the time
    // outside any op.
    void print(std::ostream& out, const std::string& title, size_t top) const;

private:
    std::vector<OpTime> ops_;
    double covered_us_ = 0;  // sum of the top-level events
    double wall_us_ = 0;
    bool running_ = false;
};

}  // namespace unclip::cli
