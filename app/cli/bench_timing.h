// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the side-by-side benchmarks share (`unclip bench server`, unclip-studio-bench): wall-clock and
// process CPU time, medians, and one long-lived thread that runs one call at a time. Qt-free.
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace unclip::cli {

// Wall-clock and CPU seconds (every thread of this process).
struct Times {
    double wall = 0, cpu = 0;
    Times operator-(const Times& o) const { return {wall - o.wall, cpu - o.cpu}; }
};
Times times_now();

double median(std::vector<double> v);

// One thread that runs what it is given, one call at a time and waits for it, as the editor's
// inference thread and the server's runner run their jobs.
class SerialThread {
public:
    SerialThread();
    ~SerialThread();
    SerialThread(const SerialThread&) = delete;
    SerialThread& operator=(const SerialThread&) = delete;
    // Runs `fn` on the thread and waits for it; rethrows what it threw.
    void run(const std::function<void()>& fn);

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable wake_;
    const std::function<void()>* task_ = nullptr;
    std::exception_ptr error_;
    bool quit_ = false;
    std::thread thread_;
};

}  // namespace unclip::cli
