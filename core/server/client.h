// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one client of `unclip serve` (Qt-free): used by the CLI's --server, the editor's remote
// backend and the tests. Results come back as float tensors (safetensors), exactly as the server's
// pipeline computed them.
#include "core/common/error.h"
#include "core/server/job_queue.h"
#include "core/server/run_request.h"

#include <functional>
#include <memory>
#include <string>

namespace unclip::server {

struct ClientOptions {
    std::string url;            // "http://127.0.0.1:8787"
    std::string token;          // bearer token, "" = none
    int connect_timeout_s = 10;
    int read_timeout_s = 120;   // the server sends something at least every second while a job lives
};

// An error answer of the server (4xx/5xx) or a server that cannot be reached (status 0). The message
// names the server's address and carries the server's own message.
class ServerError : public Error {
public:
    ServerError(int status, const std::string& message) : Error(message), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

// One request at a time per Client (use one per thread), except cancel().
class Client {
public:
    explicit Client(ClientOptions options);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    const std::string& url() const;
    nlohmann::json info();
    bool healthy();  // GET /v1/health answered 200; never throws

    // POST /v1/jobs: the job's id. 400 answers throw RequestError (the server's message).
    std::string submit(const pipeline::AnyRequest& request, bool previews = false);
    std::string submit_json(const std::string& body, bool previews = false);
    // GET /v1/jobs/ID/events from the start: every event to `on_event` (may be empty) until the
    // terminal one, which is returned. `cancel`, when set during the wait, sends DELETE once.
    Event follow(const std::string& id, const std::function<void(const Event&)>& on_event,
                 const pipeline::CancelToken* cancel = nullptr);
    Output result(const std::string& id);  // GET /v1/jobs/ID/result?format=safetensors
    // DELETE /v1/jobs/ID on a connection of its own: callable from any thread, also during follow().
    void cancel(const std::string& id);

    // The request through POST /v1/run, as the pipeline's own call behaves: progress (and previews
    // when asked) to control.on_progress; control.cancel closes the connection, which cancels the
    // job, and throws unclip::Cancelled. A failed job throws RequestError / ModelError / Error with
    // the server's message; an unreachable server throws ServerError naming it.
    Output run(const pipeline::AnyRequest& request, const pipeline::RunControl& control = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits a Server-Sent Events byte stream into events (incremental: feed chunks as they come).
class SseParser {
public:
    // Calls `on_event` for every complete event in the bytes fed so far.
    void feed(const char* data, size_t size, const std::function<void(const std::string& type, const std::string& data)>& on_event);

private:
    std::string buffer_;
};

}  // namespace unclip::server
