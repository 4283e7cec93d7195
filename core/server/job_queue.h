// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Jobs of one server: a FIFO queue with one runner thread (one model per device runs one job at a
// time), each job's event log (progress, previews, the end), its result, and cancellation. A job
// that fails or is cancelled ends with that event; the runner goes on with the next.
#include "core/server/run_request.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace unclip::server {

struct Event {
    std::string type;     // "queued", "started", "progress", "preview", "done", "failed", "cancelled"
    nlohmann::json data;
};
// Whether an event of this type ends a job's stream ("done", "failed", "cancelled").
bool is_terminal_event(const std::string& type);

enum class JobState { Queued, Running, Done, Failed, Cancelled };
const char* state_name(JobState s);

class Job {
public:
    Job(std::string id, pipeline::AnyRequest request, bool previews);

    const std::string& id() const { return id_; }
    JobState state() const;
    bool finished() const;
    // Events from index `from` on, waiting up to `wait` for at least one (or for the end).
    std::vector<Event> events_from(size_t from, std::chrono::milliseconds wait) const;
    // The output once Done (nullptr otherwise).
    std::shared_ptr<const Output> output() const;
    std::string failure() const;  // the message of a failed job
    size_t event_count() const;
    void cancel();                // a queued job ends at once; a running one within one model call

private:
    friend class JobQueue;
    void push(Event e);
    // `kind` of a failure: "request" (bad input), "model" (missing component), "runtime" (e.g. out of memory).
    void finish(JobState state, std::shared_ptr<const Output> output, const std::string& message,
                const char* kind = "runtime");

    const std::string id_;
    pipeline::AnyRequest request_;
    const bool previews_;
    pipeline::CancelToken cancel_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<Event> events_;
    JobState state_ = JobState::Queued;
    std::shared_ptr<const Output> output_;
    std::string failure_;
};

class JobQueue {
public:
    using Runner = std::function<Output(const pipeline::AnyRequest&, const pipeline::RunControl&)>;
    // Run first on the runner thread (pipeline::warm_up); the first job submitted, or shutdown(),
    // cancels it.
    using WarmUp = std::function<void(const pipeline::CancelToken&)>;
    // `max_jobs`: jobs queued or running at once; `keep_finished`: finished jobs kept for fetching.
    JobQueue(Runner runner, size_t max_jobs, size_t keep_finished, WarmUp warm_up = {});
    ~JobQueue();

    // Throws QueueFull when max_jobs are waiting or running, ShuttingDown after shutdown().
    std::shared_ptr<Job> submit(pipeline::AnyRequest request, bool previews, bool listed = true);
    std::shared_ptr<Job> find(const std::string& id) const;
    size_t pending() const;     // queued + running
    size_t listed() const;      // jobs findable by id
    // Refuses new jobs, cancels every queued and running one, waits for the runner to stop.
    void shutdown();

    struct QueueFull : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    struct ShuttingDown : std::runtime_error {
        using std::runtime_error::runtime_error;
    };

private:
    void run_loop();
    void forget_old_locked();

    Runner runner_;
    WarmUp warm_up_;
    pipeline::CancelToken warm_up_cancel_;
    const size_t max_jobs_, keep_finished_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::shared_ptr<Job> running_;
    std::map<std::string, std::shared_ptr<Job>> jobs_;  // listed jobs by id
    std::deque<std::string> finished_order_;            // listed finished jobs, oldest first
    bool stopping_ = false;
    uint64_t counter_ = 0;
    uint64_t runs_ = 0;  // jobs started so far (the runner's thread only)
    std::thread thread_;
};

}  // namespace unclip::server
