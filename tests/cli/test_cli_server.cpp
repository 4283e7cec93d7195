// SPDX-License-Identifier: GPL-3.0-or-later
// `unclip serve` as a program and the subcommands' --server: the pictures a subcommand writes through
// a server equal the ones it writes in-process (same recipe, same pixels); SIGTERM stops the server
// with exit code 0; a non-loopback address without a token is refused before anything loads.
#include "core/io/png_io.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/test_harness.h"

#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace unclip::test;

namespace {

// `unclip serve --port 0` as a child process; its first stdout line names the port.
struct ServeProcess {
    pid_t pid = -1;
    int port = 0;

    ServeProcess() {
        int out[2];
        if (::pipe(out) != 0) return;
        pid = ::fork();
        if (pid == 0) {
            ::dup2(out[1], 1);
            ::close(out[0]);
            const std::string model = golden_file("models/unclip-text2img"), enc = golden_file("models/unclip-variations");
            ::execl(cli_env().unclip.c_str(), "unclip", "serve", "--model", model.c_str(), "--image-encoder", enc.c_str(),
                    "--port", "0", "--threads", cli_env().threads.c_str(), "--quiet", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        FILE* f = ::fdopen(out[0], "r");
        char line[512] = {};
        if (f && std::fgets(line, sizeof line, f)) {
            const std::string s(line);
            const auto colon = s.rfind(':', s.find(" ("));
            if (colon != std::string::npos) port = std::atoi(s.c_str() + colon + 1);
        }
        if (f) std::fclose(f);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    // SIGTERM, then the exit status (or -1 when it did not exit within `limit_s`).
    int terminate(double limit_s = 20) {
        ::kill(pid, SIGTERM);
        const auto t0 = std::chrono::steady_clock::now();
        int status = 0;
        while (std::chrono::steady_clock::now() - t0 < std::chrono::duration<double>(limit_s)) {
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    ~ServeProcess() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

ServeProcess& server() {
    static ServeProcess s;
    return s;
}

const std::vector<std::string> kFast = {"--seed", "5", "--decoder-steps", "4", "--super-res-steps", "2", "--threads", "1"};
const std::vector<std::string> kPrior = {"--prior-steps", "3"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Runs `args` in-process (with the model options) and through the server; both PNGs must be equal.
void expect_same_pictures(const std::string& name, const std::vector<std::string>& args, const std::vector<std::string>& model) {
    const std::string local = work_path(name + "-local.png"), remote = work_path(name + "-remote.png");
    const CliRun a = run_unclip(with(with(with(args, model), kFast), {"-o", local}));
    const CliRun b = run_unclip(with(with(args, kFast), {"--server", server().url(), "-o", remote}));
    EXPECT_MSG(a.exit_code == 0, name << " in-process: " << a.err);
    EXPECT_MSG(b.exit_code == 0, name << " --server: " << b.err);
    if (a.exit_code != 0 || b.exit_code != 0) return;
    EXPECT_MSG(torch::equal(unclip::io::read_png(local), unclip::io::read_png(remote)), name << ": the pictures differ");
}

}  // namespace

TEST_CASE("serve starts on a free port") {
    REQUIRE(server().port > 0);
}

TEST_CASE("generate, vary, textdiff, inpaint and score through --server equal in-process") {
    const std::vector<std::string> text_model = {"--model", golden_file("models/unclip-text2img")};
    const std::vector<std::string> both = {"--model", golden_file("models/unclip-text2img"), "--image-encoder",
                                           golden_file("models/unclip-variations")};
    expect_same_pictures("generate", with({"generate", "--prompt", "a red fox", "--negative-prompt", "blur"}, kPrior), text_model);
    expect_same_pictures("upscale",
                         with({"generate", "--prompt", "a red fox", "--images-per-prompt", "2", "--upscale-candidate", "1"}, kPrior),
                         text_model);
    expect_same_pictures("vary", {"vary", "--image", golden_file("cases/img_a.png")}, {"--model", golden_file("models/unclip-variations")});
    expect_same_pictures("textdiff", {"textdiff", "--image", golden_file("cases/img_c.png"), "--description", "a house", "--target", "a castle"},
                         both);
    expect_same_pictures("inpaint", {"inpaint", "--image", golden_file("cases/img_a.png"), "--expand", "0,0,8,0", "--prompt", "sky", "--prior-steps", "3"},
                         text_model);
    const CliRun local = run_unclip(with({"score", "--image", golden_file("cases/img_a.png"), "--text", "a", "--text", "b"}, with(both, {"--threads", "1"})));
    const CliRun remote = run_unclip({"score", "--image", golden_file("cases/img_a.png"), "--text", "a", "--text", "b", "--server", server().url()});
    EXPECT_MSG(local.exit_code == 0 && remote.exit_code == 0, local.err << remote.err);
    EXPECT_EQ(local.out, remote.out);
}

TEST_CASE("--server with a model option, or an unreachable server, is a clear error") {
    const CliRun a = run_unclip({"generate", "--prompt", "x", "--server", server().url(), "--model", "/somewhere"});
    EXPECT_EQ(a.exit_code, 2);
    EXPECT(a.err.find("drop --model") != std::string::npos);
    const CliRun b = run_unclip({"generate", "--prompt", "x", "--server", "http://127.0.0.1:1"});
    EXPECT_EQ(b.exit_code, 1);
    EXPECT_MSG(b.err.find("cannot reach the server at http://127.0.0.1:1") != std::string::npos, b.err);
}

TEST_CASE("serve beyond loopback without a token is refused before loading") {
    const CliRun r = run_unclip({"serve", "--model", golden_file("models/unclip-text2img"), "--host", "0.0.0.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_MSG(r.err.find("needs a token") != std::string::npos, r.err);
}

TEST_CASE("SIGTERM stops the server with exit code 0") {
    EXPECT_EQ(server().terminate(), 0);
}

UNCLIP_CLI_TEST_MAIN()
