// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/job_queue.h"

#include "core/common/error.h"
#include "core/io/base64.h"
#include "core/io/png_io.h"

#include <c10/util/Exception.h>
#include <torch/torch.h>

#include <random>

namespace unclip::server {

const char* state_name(JobState s) {
    switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    }
    return "?";
}

bool is_terminal_event(const std::string& type) {
    return type == "done" || type == "failed" || type == "cancelled";
}

Job::Job(std::string id, pipeline::AnyRequest request, bool previews)
    : id_(std::move(id)), request_(std::move(request)), previews_(previews) {}

JobState Job::state() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

bool Job::finished() const {
    const JobState s = state();
    return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled;
}

std::vector<Event> Job::events_from(size_t from, std::chrono::milliseconds wait) const {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, wait, [&] {
        return events_.size() > from || state_ == JobState::Done || state_ == JobState::Failed ||
               state_ == JobState::Cancelled;
    });
    if (from >= events_.size()) return {};
    return std::vector<Event>(events_.begin() + static_cast<std::ptrdiff_t>(from), events_.end());
}

std::shared_ptr<const Output> Job::output() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return output_;
}

size_t Job::event_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_.size();
}

std::string Job::failure() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
}

void Job::cancel() {
    cancel_.cancel();
    // A queued job never reaches the runner's model calls: end it here (the runner skips it). The
    // check and the end are one step, so the runner cannot start it in between.
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ != JobState::Queued) return;
        state_ = JobState::Cancelled;
        events_.push_back({state_name(JobState::Cancelled), nlohmann::json::object()});
    }
    changed_.notify_all();
}

void Job::push(Event e) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        events_.push_back(std::move(e));
    }
    changed_.notify_all();
}

void Job::finish(JobState state, std::shared_ptr<const Output> output, const std::string& message, const char* kind) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ == JobState::Done || state_ == JobState::Failed || state_ == JobState::Cancelled) return;
        state_ = state;
        output_ = std::move(output);
        failure_ = message;
        nlohmann::json data = nlohmann::json::object();
        if (state == JobState::Failed) data = {{"message", message}, {"kind", kind}};
        events_.push_back({state_name(state), data});
    }
    changed_.notify_all();
}

JobQueue::JobQueue(Runner runner, size_t max_jobs, size_t keep_finished, WarmUp warm_up)
    : runner_(std::move(runner)), warm_up_(std::move(warm_up)), max_jobs_(max_jobs), keep_finished_(keep_finished) {
    thread_ = std::thread([this] { run_loop(); });
}

JobQueue::~JobQueue() { shutdown(); }

std::shared_ptr<Job> JobQueue::submit(pipeline::AnyRequest request, bool previews, bool listed) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw ShuttingDown("the server is shutting down and takes no new jobs");
    size_t pending = running_ ? 1 : 0;
    for (const auto& j : queue_)
        if (!j->finished()) ++pending;
    if (pending >= max_jobs_)
        throw QueueFull("the queue is full (" + std::to_string(pending) + " jobs waiting or running): try again later");
    // Ids are not guessable, so one client cannot cancel or read another's job by counting.
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char id[40];
    std::snprintf(id, sizeof id, "%06llx-%016llx", static_cast<unsigned long long>(++counter_ & 0xFFFFFF),
                  static_cast<unsigned long long>(rng()));
    auto job = std::make_shared<Job>(id, std::move(request), previews);
    job->push({"queued", {{"position", pending}}});
    queue_.push_back(job);
    if (listed) jobs_[job->id()] = job;
    warm_up_cancel_.cancel();  // a job is waiting: the warm-up gives way within one model call
    wake_.notify_one();
    return job;
}

std::shared_ptr<Job> JobQueue::find(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

size_t JobQueue::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = running_ ? 1 : 0;
    for (const auto& j : queue_)
        if (!j->finished()) ++n;
    return n;
}

size_t JobQueue::listed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.size();
}

void JobQueue::forget_old_locked() {
    while (finished_order_.size() > keep_finished_) {
        jobs_.erase(finished_order_.front());
        finished_order_.pop_front();
    }
}

void JobQueue::shutdown() {
    std::vector<std::shared_ptr<Job>> to_cancel;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
        warm_up_cancel_.cancel();
        to_cancel.assign(queue_.begin(), queue_.end());
        if (running_) to_cancel.push_back(running_);
    }
    for (auto& j : to_cancel) j->cancel();
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

namespace {

// Progress as an event; a preview adds the predicted picture(s) as base64 PNGs.
Event progress_event(const pipeline::Progress& p) {
    return {"progress", {{"stage", pipeline::stage_name(p.stage)}, {"step", p.step}, {"total", p.total}}};
}

Event preview_event(const pipeline::Progress& p) {
    nlohmann::json images = nlohmann::json::array();
    torch::Tensor t = p.preview.to(torch::kCPU, torch::kFloat32);
    for (int64_t i = 0; i < t.size(0); ++i) images.push_back(io::base64_encode(io::encode_png(t[i])));
    return {"preview", {{"stage", pipeline::stage_name(p.stage)}, {"step", p.step}, {"total", p.total}, {"images", images}}};
}

}  // namespace

void JobQueue::run_loop() {
    if (warm_up_ && !warm_up_cancel_.cancelled()) warm_up_(warm_up_cancel_);
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping and nothing left
            job = queue_.front();
            queue_.pop_front();
            running_ = job;
        }
        bool start = false;
        {
            std::lock_guard<std::mutex> lock(job->mutex_);
            if (job->state_ == JobState::Queued) {  // not cancelled while it waited
                job->state_ = JobState::Running;
                start = true;
            }
        }
        if (start) {
            job->push({"started", {{"run", runs_++}}});
            pipeline::RunControl control;
            control.cancel = &job->cancel_;
            control.want_previews = job->previews_;
            control.on_progress = [&job](const pipeline::Progress& p) {
                job->push(progress_event(p));
                if (p.preview.defined() && job->previews_) job->push(preview_event(p));
            };
            try {
                if (job->cancel_.cancelled()) throw Cancelled();
                auto out = std::make_shared<Output>(runner_(job->request_, control));
                job->finish(JobState::Done, std::move(out), "");
            } catch (const Cancelled&) {
                job->finish(JobState::Cancelled, nullptr, "");
            } catch (const RequestError& e) {
                job->finish(JobState::Failed, nullptr, e.what(), "request");
            } catch (const ModelError& e) {
                job->finish(JobState::Failed, nullptr, e.what(), "model");
            } catch (const c10::Error& e) {
                // Out of memory and other LibTorch errors: the first line (the rest is a backtrace).
                std::string msg = e.what_without_backtrace();
                if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
                job->finish(JobState::Failed, nullptr, msg, "runtime");
            } catch (const std::exception& e) {
                job->finish(JobState::Failed, nullptr, e.what(), "runtime");
            }
            // The request's pictures are no longer needed; the result stays until forgotten.
            job->request_ = pipeline::AnyRequest{};
        }
        std::lock_guard<std::mutex> lock(mutex_);
        running_.reset();
        if (jobs_.count(job->id())) {
            finished_order_.push_back(job->id());
            forget_old_locked();
        }
    }
}

}  // namespace unclip::server
