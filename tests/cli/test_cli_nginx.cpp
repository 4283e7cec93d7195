// SPDX-License-Identifier: GPL-3.0-or-later
// Several `unclip serve` behind Debian's nginx, as docs/deploy.md sets them up: two CPU servers on
// the golden model and nginx on loopback running the nginx block of docs/deploy.md (only its ports
// changed) as this user, everything in the scratch folder. 12 POST /v1/run jobs from 3 client
// threads through nginx each complete with the in-process pictures and progress events, and both
// servers took jobs (their request logs); with one server stopped the next jobs go to the other. A
// machine without nginx fails here with the package to install (./dev.sh installs it), never
// passes silently.
#include "core/common/torch_setup.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/server/client.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/test_harness.h"

#include <torch/torch.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#ifndef UNCLIP_SOURCE_DIR
#define UNCLIP_SOURCE_DIR "."
#endif

using namespace unclip;
using namespace unclip::test;
namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// nginx on $PATH, else where Debian puts it (/usr/sbin is not on every user's PATH); "" when absent.
std::string find_nginx() {
    std::vector<std::string> dirs;
    if (const char* path = std::getenv("PATH")) {
        std::istringstream in(path);
        for (std::string d; std::getline(in, d, ':');) dirs.push_back(d);
    }
    for (const char* d : {"/usr/sbin", "/sbin", "/usr/local/sbin"}) dirs.push_back(d);
    for (const auto& d : dirs) {
        const std::string p = d + "/nginx";
        if (!d.empty() && ::access(p.c_str(), X_OK) == 0) return p;
    }
    return "";
}

// A loopback port nothing listens on now (nginx binds it itself right after).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) ::close(fd);
    return port;
}

// A child process with stderr (and, unless `stdout_pipe`, stdout) to `log`; killed on destruction.
class Process {
public:
    Process(const std::vector<std::string>& args, const std::string& log, bool stdout_pipe = false) {
        std::vector<std::string> copy = args;
        std::vector<char*> argv;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        int out[2] = {-1, -1};
        if (stdout_pipe && ::pipe(out) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) ::dup2(fd, 2);
            if (stdout_pipe) ::dup2(out[1], 1);
            else if (fd >= 0) ::dup2(fd, 1);
            if (stdout_pipe) ::close(out[0]);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        if (stdout_pipe) {
            ::close(out[1]);
            stdout_ = out[0];
        }
    }
    ~Process() {
        if (stdout_ >= 0) ::close(stdout_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // The first line of its stdout (stdout_pipe), "" when it ends first.
    std::string first_line() {
        std::string line;
        char c;
        while (stdout_ >= 0 && ::read(stdout_, &c, 1) == 1 && c != '\n') line += c;
        return line;
    }
    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
        pid_ = -1;
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    // Sends `sig` and waits up to `limit_s` for the exit status (-1: still running).
    int stop(int sig, double limit_s = 20) {
        if (pid_ > 0) ::kill(pid_, sig);
        const auto t0 = std::chrono::steady_clock::now();
        while (running()) {
            if (std::chrono::steady_clock::now() - t0 > std::chrono::duration<double>(limit_s)) return -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return status_;
    }

private:
    pid_t pid_ = -1;
    int stdout_ = -1;
    int status_ = -1;
};

const std::string kToken = "nginx-test-token";

// `unclip serve` on the golden text-to-image model, port 0, its request log in `log`.
struct Serve {
    std::string log;
    Process process;
    int port = 0;
    explicit Serve(const std::string& log_path)
        : log(log_path),
          process({cli_env().unclip, "serve", "--model", golden_file("models/unclip-text2img"), "--port", "0", "--threads",
                   cli_env().threads, "--token", kToken},
                  log_path, true) {
        // "unclip serve: listening on http://127.0.0.1:PORT (token required)"
        const std::string line = process.first_line();
        const auto colon = line.rfind(':', line.find(" ("));
        if (colon != std::string::npos) port = std::atoi(line.c_str() + colon + 1);
    }
    int jobs_run() const {
        std::istringstream in(read_file(log));
        int n = 0;
        for (std::string line; std::getline(in, line);) n += line.find("POST /v1/run 200") != std::string::npos;
        return n;
    }
};

// The ```nginx block of docs/deploy.md with its two upstream servers and its listen port replaced.
std::string deploy_nginx_block(int upstream_a, int upstream_b, int listen) {
    const std::string doc = read_file(std::string(UNCLIP_SOURCE_DIR) + "/docs/deploy.md");
    const auto start = doc.find("```nginx\n");
    const auto end = start == std::string::npos ? start : doc.find("```", start + 9);
    if (end == std::string::npos) return "";
    std::string block = doc.substr(start + 9, end - start - 9);
    block = std::regex_replace(block, std::regex(R"(server 127\.0\.0\.1:8780;)"), "server 127.0.0.1:" + std::to_string(upstream_a) + ";");
    block = std::regex_replace(block, std::regex(R"(server 127\.0\.0\.1:8781;)"), "server 127.0.0.1:" + std::to_string(upstream_b) + ";");
    block = std::regex_replace(block, std::regex(R"(listen 8080;)"), "listen 127.0.0.1:" + std::to_string(listen) + ";");
    return block;
}

// nginx.conf for `nginx -p DIR -c DIR/nginx.conf`: a main context of its own around the documented
// block, with every file nginx writes (pid, logs, temp folders) inside DIR.
std::string nginx_conf(const std::string& dir, const std::string& block) {
    std::ostringstream c;
    c << "# written by test_cli_nginx: docs/deploy.md's nginx block, ports changed, files in this folder\n"
      << "daemon off;\nworker_processes 1;\npid " << dir << "/nginx.pid;\nerror_log " << dir << "/error.log notice;\n";
    // As root nginx would hand its workers to 'nobody'; keep them this (test) user's.
    if (::geteuid() == 0) {
        const passwd* pw = ::getpwuid(::geteuid());
        const group* gr = ::getgrgid(::getegid());
        if (pw && gr) c << "user " << pw->pw_name << " " << gr->gr_name << ";\n";
    }
    c << "events { worker_connections 256; }\nhttp {\n"
      << "    access_log " << dir << "/access.log;\n";
    for (const char* t : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        c << "    " << t << "_temp_path " << dir << "/tmp/" << t << ";\n";
    c << block << "}\n";
    return c.str();
}

std::string tail(const std::string& text, size_t chars = 1500) {
    return text.size() > chars ? "..." + text.substr(text.size() - chars) : text;
}

pipeline::TextToImageRequest request(int i) {
    static const char* prompts[] = {"a red fox", "a blue house", "a green apple", "a yellow boat"};
    pipeline::TextToImageRequest r;
    r.prompts = {prompts[i % 4]};
    r.sampling.seed = 100 + static_cast<uint64_t>(i);
    r.sampling.prior_steps = 3;
    r.sampling.decoder_steps = 4;
    r.sampling.super_res_steps = 2;
    return r;
}

struct Job {
    int index = 0;
    server::Output output;
    int events = 0;  // progress events received
    std::string error;
};

// Jobs first..first+count-1 through POST /v1/run at `url` from `clients` threads, each its own client.
std::vector<Job> run_jobs(const std::string& url, int first, int count, int clients) {
    std::vector<Job> jobs(static_cast<size_t>(count));
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            server::ClientOptions co;
            co.url = url;
            co.token = kToken;
            server::Client client(co);
            for (int i; (i = next++) < count;) {
                Job& j = jobs[static_cast<size_t>(i)];
                j.index = first + i;
                pipeline::RunControl control;
                control.on_progress = [&j](const pipeline::Progress&) { ++j.events; };
                try {
                    j.output = client.run(request(j.index), control);
                } catch (const std::exception& e) {
                    j.error = e.what();
                }
            }
        });
    for (auto& t : threads) t.join();
    return jobs;
}

}  // namespace

TEST_CASE("12 /v1/run jobs from 3 clients through nginx on two servers: every picture as in-process and both servers work") {
    const std::string nginx = find_nginx();
    if (nginx.empty()) {
        report(__FILE__, __LINE__, "nginx is not installed (Debian package 'nginx'; ./dev.sh installs it): this test "
                                   "runs two servers behind it as docs/deploy.md describes");
        return;
    }
    Serve a(work_path("serve-a.log")), b(work_path("serve-b.log"));
    REQUIRE(a.port > 0 && b.port > 0);

    // nginx in the scratch folder; a port taken between free_port() and nginx's bind: try another.
    const std::string dir = work_path("nginx");
    fs::create_directories(dir + "/tmp");
    std::unique_ptr<Process> proxy;
    std::string url, why;
    for (int attempt = 0; attempt < 3 && url.empty(); ++attempt) {
        const int port = free_port();
        const std::string block = deploy_nginx_block(a.port, b.port, port);
        REQUIRE(!block.empty());
        EXPECT_MSG(block.find(":" + std::to_string(a.port) + ";") != std::string::npos &&
                       block.find(":" + std::to_string(b.port) + ";") != std::string::npos &&
                       block.find("listen 127.0.0.1:" + std::to_string(port) + ";") != std::string::npos,
                   "docs/deploy.md's nginx block no longer has 'server 127.0.0.1:8780;', 'server 127.0.0.1:8781;' and "
                   "'listen 8080;' for this test to replace:\n"
                       << block);
        std::ofstream(dir + "/nginx.conf") << nginx_conf(dir, block);
        proxy = std::make_unique<Process>(std::vector<std::string>{nginx, "-p", dir + "/", "-c", dir + "/nginx.conf", "-e", dir + "/error.log"},
                                          dir + "/stderr.log");
        server::ClientOptions co;
        co.url = "http://127.0.0.1:" + std::to_string(port);
        co.token = kToken;
        co.connect_timeout_s = 1;
        server::Client probe(co);
        for (int i = 0; i < 250 && proxy->running(); ++i) {
            if (probe.healthy()) {
                url = co.url;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (url.empty()) {
            why = tail(read_file(dir + "/stderr.log") + read_file(dir + "/error.log"));
            proxy->stop(SIGTERM, 5);
        }
    }
    EXPECT_MSG(!url.empty(), "nginx did not start or does not pass /v1/health on: " << why);
    if (url.empty()) return;

    // The in-process pictures and progress events of the same requests.
    pipeline::PipelineOptions po;
    po.model_dir = golden_file("models/unclip-text2img");
    // As the servers set themselves up for `--threads 1` (LibTorch and its BLAS).
    configure_threads(std::stoi(cli_env().threads));
    auto local = pipeline::UnclipPipeline::load(po);
    auto check = [&](const Job& j) {
        EXPECT_MSG(j.error.empty(), "job " << j.index << ": " << j.error);
        if (!j.error.empty()) return;
        int events = 0;
        pipeline::RunControl control;
        control.on_progress = [&events](const pipeline::Progress&) { ++events; };
        const torch::Tensor expected = local->text_to_image(request(j.index), control).images;
        const torch::Tensor got = j.output.result.images;
        EXPECT_MSG(got.defined() && got.sizes() == expected.sizes() && torch::equal(got, expected),
                   "job " << j.index << ": the picture through nginx differs from the in-process one");
        EXPECT_MSG(j.events == events, "job " << j.index << ": " << j.events << " progress events came through nginx, "
                                              << events << " in-process");
    };

    constexpr int kJobs = 12, kClients = 3;
    for (const Job& j : run_jobs(url, 0, kJobs, kClients)) check(j);
    const int a_first = a.jobs_run();

    // A rolling restart: with one server stopped, nginx passes the next jobs to the other.
    EXPECT_EQ(a.process.stop(SIGTERM), 0);
    for (const Job& j : run_jobs(url, kJobs, 2, 1)) check(j);

    // Graceful ends: nginx on SIGQUIT, the server on SIGTERM (exit 0); then its log is whole.
    EXPECT_EQ(proxy->stop(SIGQUIT), 0);
    EXPECT_EQ(b.process.stop(SIGTERM), 0);
    const int ja = a.jobs_run(), jb = b.jobs_run();
    std::cerr << "/v1/run jobs per server through nginx: " << ja << " + " << jb << " (the last 2 with the first stopped)\n";
    EXPECT_MSG(ja >= 1 && jb - 2 >= 1, "nginx sent every job to one server: " << ja << " + " << jb - 2);
    EXPECT_EQ(ja, a_first);
    EXPECT_MSG(ja + jb == kJobs + 2, "the servers logged " << ja << " + " << jb << " finished /v1/run requests, not " << kJobs + 2);
}

UNCLIP_CLI_TEST_MAIN()
