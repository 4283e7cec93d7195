// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/cli/cli_runner.h"

#include "tests/support/test_harness.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace unclip::test {
namespace {

CliEnv& env_mut() {
    static CliEnv e;
    return e;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

const CliEnv& cli_env() { return env_mut(); }

std::string work_path(const std::string& name) { return cli_env().work + "/" + name; }
std::string golden_file(const std::string& relative) { return cli_env().golden + "/" + relative; }
bool file_exists(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}
int line_count(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n + (!s.empty() && s.back() != '\n' ? 1 : 0);
}

CliRun run_unclip(const std::vector<std::string>& args, double interrupt_after_s) {
    static int counter = 0;
    const std::string out_path = work_path(".run" + std::to_string(counter) + ".out");
    const std::string err_path = work_path(".run" + std::to_string(counter) + ".err");
    ++counter;
    std::vector<std::string> argv_s = {cli_env().unclip};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int in = ::open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0 || ::chdir(cli_env().work.c_str()) != 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::unsetenv("UNCLIP_MODEL_DIR");
        ::signal(SIGINT, SIG_DFL);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    if (interrupt_after_s > 0) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(interrupt_after_s);
        bool done = false;
        while (std::chrono::steady_clock::now() < deadline) {
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                done = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (!done) {
            ::kill(pid, SIGINT);
            ::waitpid(pid, &status, 0);
        }
    } else {
        ::waitpid(pid, &status, 0);
    }
    CliRun r;
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signalled = true;
        r.exit_code = 128 + WTERMSIG(status);
    }
    r.out = read_all(out_path);
    r.err = read_all(err_path);
    return r;
}

int cli_test_main(int argc, char** argv) {
    // Listing the cases (ctest's discovery at build time) needs no binary, golden folder or work dir.
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--list-", 0) == 0 || a == "-ltc" || a == "-lts" || a == "-lr" || a == "--count" || a == "-c" ||
            a == "--help" || a == "-h" || a == "--version" || a == "-v")
            return run_all(argc, argv);
    }
    CliEnv& e = env_mut();
    std::vector<char*> rest = {argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--unclip" || a == "--golden" || a == "--work") && i + 1 < argc) {
            (a == "--unclip" ? e.unclip : a == "--golden" ? e.golden : e.work) = argv[++i];
        } else {
            rest.push_back(argv[i]);
        }
    }
    if (const char* g = std::getenv("UNCLIP_GOLDEN_DIR"); g && *g) e.golden = g;
    const char* d = std::getenv("UNCLIP_TEST_DEVICE");
    e.device = d && *d ? d : "cpu";
    const char* t = std::getenv("UNCLIP_TEST_THREADS");
    e.threads = t && *t ? t : "1";
    if (e.unclip.empty() || e.golden.empty() || e.work.empty()) {
        std::cerr << "usage: " << argv[0] << " --unclip PATH --golden DIR --work DIR [filter]\n";
        return 2;
    }
    e.unclip = fs::absolute(e.unclip).string();
    e.golden = fs::absolute(e.golden).string();
    e.work = fs::absolute(e.work).string();
    std::error_code ec;
    fs::remove_all(e.work, ec);
    fs::create_directories(e.work);
    if (!fs::exists(e.unclip)) {
        std::cerr << "unclip binary '" << e.unclip << "' does not exist\n";
        return 2;
    }
    std::cerr << "unclip: " << e.unclip << "\ngolden: " << e.golden << "\nwork: " << e.work << "\ndevice: " << e.device
              << "\n";
    return run_all(static_cast<int>(rest.size()), rest.data());
}

}  // namespace unclip::test
