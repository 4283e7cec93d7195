// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `unclip serve`: the pipeline behind a versioned HTTP/1.1 JSON API under /v1/ (docs/api.md,
// openapi_document()). One loaded model, one runner thread (FIFO queue), any number of clients.
// Loopback by default; any other address requires a bearer token. No Qt, no OpenCV.
#include "core/server/limits.h"
#include "core/server/run_request.h"

#include <functional>
#include <memory>
#include <string>

namespace unclip::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8787;        // 0: any free port (bind() returns it)
    std::string token;      // bearer token clients must send; required unless host is loopback
    Limits limits;
    std::string version;    // the program's version, for /v1/info
    // One line per request (method, path, status, job id; never headers or the token). Optional.
    std::function<void(const std::string&)> log;
    // Called on the runner thread as a job reports progress, just before its event is queued for
    // the clients (`unclip bench server` times event delivery from here). Optional; keep it cheap.
    std::function<void(const pipeline::Progress&)> on_progress;
    // Warm the model up (pipeline::warm_up) on the runner thread as soon as the server exists; the
    // first job cancels it within one model call. Logged through `log`.
    bool warm_up = true;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);
// Equal-length-independent comparison whose time does not depend on where the strings differ.
bool constant_time_equal(const std::string& a, const std::string& b);

class Server {
public:
    // Throws RequestError when the options are unsafe (a non-loopback host without a token).
    Server(pipeline::UnclipPipeline& pipeline, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket; returns the port. Throws unclip::Error when it cannot.
    int bind();
    // Serves until stop(); returns then.
    void serve();
    // Refuses new jobs (503), cancels the running and queued ones, closes every connection and
    // makes serve() return. Safe from any thread, more than once.
    void stop();

    nlohmann::json info() const;
    int port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace unclip::server
