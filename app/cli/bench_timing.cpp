// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/bench_timing.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace unclip::cli {

Times times_now() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return {std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(),
            static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec)};
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

SerialThread::SerialThread() : thread_([this] { loop(); }) {}

SerialThread::~SerialThread() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void SerialThread::run(const std::function<void()>& fn) {
    std::unique_lock<std::mutex> lock(mutex_);
    task_ = &fn;
    error_ = nullptr;
    wake_.notify_all();
    wake_.wait(lock, [&] { return task_ == nullptr; });
    if (error_) std::rethrow_exception(error_);
}

void SerialThread::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return quit_ || task_ != nullptr; });
        if (quit_) return;
        try {
            (*task_)();
        } catch (...) {
            error_ = std::current_exception();
        }
        task_ = nullptr;
        wake_.notify_all();
    }
}

}  // namespace unclip::cli
