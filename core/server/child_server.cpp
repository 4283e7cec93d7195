// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/child_server.h"

#include "core/common/error.h"
#include "core/server/client.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace unclip::server {
namespace {

std::string random_token() {
    unsigned char bytes[24] = {};
    std::ifstream in("/dev/urandom", std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    if (!in) throw Error("cannot read /dev/urandom for the server's token");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

std::string tail_of(const std::string& path, size_t lines) {
    std::ifstream in(path);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string out;
    for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += (out.empty() ? "" : " / ") + all[i];
    return out;
}

}  // namespace

ChildServer::ChildServer(ChildServerOptions options) : options_(std::move(options)), token_(random_token()) {
    char tmpl[] = "/tmp/unclip-serve-log-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    if (fd >= 0) ::close(fd);
    log_path_ = tmpl;
}

ChildServer::~ChildServer() {
    stop();
    if (!log_path_.empty()) std::remove(log_path_.c_str());
}

bool ChildServer::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

std::string ChildServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void ChildServer::ensure_running() {
    if (running()) return;
    if (::access(options_.program.c_str(), X_OK) != 0)
        throw Error("the server program '" + options_.program + "' does not exist or is not executable");
    int out[2];
    if (::pipe(out) != 0) throw Error("cannot start the server program: no pipe");
    std::vector<std::string> argv_s = {options_.program, "serve"};
    argv_s.insert(argv_s.end(), options_.args.begin(), options_.args.end());
    for (const char* a : {"--host", "127.0.0.1", "--port", "0", "--quiet"}) argv_s.push_back(a);
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The environment with the token, built before fork (the child may only exec).
    std::vector<std::string> env_s = {"UNCLIP_SERVER_TOKEN=" + token_};
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "UNCLIP_SERVER_TOKEN=", 20) != 0) env_s.push_back(*e);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw Error("cannot start the server program: fork failed");
    if (pid == 0) {
        ::dup2(out[1], 1);
        const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log >= 0) ::dup2(log, 2);
        ::close(out[0]);
        ::execve(options_.program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(out[1]);
    pid_ = pid;
    ++starts_;
    // Its first stdout line names the port: "unclip serve: listening on http://127.0.0.1:PORT (...)".
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.start_timeout_s);
    bool got_line = false;
    while (!got_line && std::chrono::steady_clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) {
            if (!running()) break;
            continue;
        }
        char c;
        const ssize_t n = ::read(out[0], &c, 1);
        if (n <= 0) break;
        if (c == '\n') got_line = true;
        else line += c;
    }
    ::close(out[0]);
    const auto colon = line.rfind(':', line.find(" ("));
    port_ = got_line && colon != std::string::npos ? std::atoi(line.c_str() + colon + 1) : 0;
    if (port_ <= 0) {
        const bool alive = running();
        if (alive) stop(2);
        const std::string why = tail_of(log_path_, 3);
        throw Error("the server program '" + options_.program + "' did not start" +
                    (alive ? " within " + std::to_string(options_.start_timeout_s) + " s" : "") +
                    (why.empty() ? std::string() : ": " + why));
    }
    ClientOptions co;
    co.url = url();
    co.token = token_;
    co.connect_timeout_s = 2;
    Client c(co);
    for (int i = 0; i < 250 && !c.healthy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!c.healthy()) throw Error("the server program started on " + url() + " but does not answer");
}

void ChildServer::stop(int grace_s) {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_s);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace unclip::server
