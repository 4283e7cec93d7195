// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An `unclip serve` started as a child process on a private loopback port with a random token:
// what the editor's "A local server program" runs (an `unclip` built against another LibTorch,
// e.g. a CUDA one), and what tests use to drive a real server program. Qt-free (POSIX).
#include <string>
#include <sys/types.h>
#include <vector>

namespace unclip::server {

struct ChildServerOptions {
    std::string program;            // path of the `unclip` binary
    std::vector<std::string> args;  // after "serve": --model DIR, --device ... (not --host/--port/--token)
    int start_timeout_s = 600;      // loading a large model takes a while
};

class ChildServer {
public:
    explicit ChildServer(ChildServerOptions options);
    ~ChildServer();  // stop()
    ChildServer(const ChildServer&) = delete;
    ChildServer& operator=(const ChildServer&) = delete;

    // Starts the program when it is not running (the first time, or after it exited or crashed)
    // and waits until /v1/health answers. Throws unclip::Error with the program's last messages.
    void ensure_running();
    bool running();
    // SIGTERM (the server cancels its job and exits 0), SIGKILL after `grace_s`.
    void stop(int grace_s = 10);

    std::string url() const;                       // http://127.0.0.1:PORT of the running child
    const std::string& token() const { return token_; }  // passed in its environment, never on its command line
    pid_t pid() const { return pid_; }
    int starts() const { return starts_; }         // how often it was started (restarts + 1)

private:
    ChildServerOptions options_;
    std::string token_;
    pid_t pid_ = -1;
    int port_ = 0;
    int starts_ = 0;
    std::string log_path_;  // its stderr, for messages when it fails
};

}  // namespace unclip::server
