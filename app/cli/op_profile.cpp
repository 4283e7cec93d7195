// SPDX-License-Identifier: GPL-3.0-or-later
// OpProfile: LibTorch's legacy profiler events folded into per-op self and total times.
#include "app/cli/op_profile.h"

#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace unclip::cli {

namespace prof = torch::autograd::profiler;

void OpProfile::start() {
    ops_.clear();
    covered_us_ = wall_us_ = 0;
    prof::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
    running_ = true;
}

void OpProfile::stop(double wall_us) {
    if (!running_) return;
    running_ = false;
    wall_us_ = wall_us;
    const prof::thread_event_lists lists = prof::disableProfilerLegacy();
    std::map<std::string, OpTime> by_name;
    struct Open {
        std::string name;
        double start = 0, children = 0;
    };
    for (const auto& list : lists) {
        std::vector<Open> stack;
        for (const auto& e : list) {
            if (e.kind() == prof::EventKind::PushRange) {
                stack.push_back({e.name(), e.cpuUs(), 0});
            } else if (e.kind() == prof::EventKind::PopRange && !stack.empty()) {
                Open o = stack.back();
                stack.pop_back();
                const double dur = e.cpuUs() - o.start;
                OpTime& t = by_name[o.name];
                t.name = o.name;
                t.calls += 1;
                t.total_us += dur;
                t.self_us += dur - o.children;
                if (stack.empty()) covered_us_ += dur;
                else stack.back().children += dur;
            }
        }
    }
    for (auto& [name, t] : by_name) ops_.push_back(t);
    std::sort(ops_.begin(), ops_.end(), [](const OpTime& a, const OpTime& b) { return a.self_us > b.self_us; });
}

void OpProfile::print(std::ostream& out, const std::string& title, size_t top) const {
    char line[256];
    out << "\n" << title << " (LibTorch profiler; times in ms, self = without the ops it called)\n";
    std::snprintf(line, sizeof line, "  %-44s %8s %10s %10s\n", "op", "calls", "self", "total");
    out << line;
    size_t shown = 0;
    for (const auto& o : ops_) {
        if (shown++ >= top) break;
        std::snprintf(line, sizeof line, "  %-44.44s %8lld %10.2f %10.2f\n", o.name.c_str(), static_cast<long long>(o.calls),
                      o.self_us / 1000, o.total_us / 1000);
        out << line;
    }
    std::snprintf(line, sizeof line, "  %-44s %8s %10.2f\n", "(outside any op: C++ between the calls)", "",
                  std::max(0.0, wall_us_ - covered_us_) / 1000);
    out << line;
}

}  // namespace unclip::cli
