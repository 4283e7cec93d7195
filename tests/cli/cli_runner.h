// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Running the built `unclip` binary from the CLI tests: every test program is started as
//   test_cli_x --unclip PATH --golden DIR --work DIR [filter]
// (tests/cli/CMakeLists.txt passes them), and runs `unclip` in the scratch folder with its stdout
// and stderr captured. UNCLIP_GOLDEN_DIR in the environment overrides --golden, as for the core tests;
// UNCLIP_TEST_DEVICE=cuda runs the golden parity commands on the GPU, UNCLIP_TEST_THREADS sets --threads.
#include <csignal>
#include <string>
#include <vector>

namespace unclip::test {

struct CliEnv {
    std::string unclip;  // the binary
    std::string golden;  // the golden folder
    std::string work;    // scratch folder (created, emptied at start)
    std::string device;  // --device for the parity runs: $UNCLIP_TEST_DEVICE, default "cpu"
    std::string threads; // --threads for the pipeline runs: $UNCLIP_TEST_THREADS, default "1" (the tiny
                         // models gain nothing from more, and busy machines lose a lot)
};
const CliEnv& cli_env();

struct CliRun {
    int exit_code = -1;    // the exit status, or 128 + signal when killed by a signal
    bool signalled = false;
    std::string out, err;  // captured stdout / stderr
};

// Runs `unclip args...` in the scratch folder (UNCLIP_MODEL_DIR removed from its environment).
// With interrupt_after_s > 0, SIGINT is sent to it after that many seconds.
CliRun run_unclip(const std::vector<std::string>& args, double interrupt_after_s = 0);

// Paths inside the scratch / golden folders.
std::string work_path(const std::string& name);
std::string golden_file(const std::string& relative);
bool file_exists(const std::string& path);
// Number of lines of `s` (a last line without '\n' counts).
int line_count(const std::string& s);

// Parses --unclip/--golden/--work, prepares the scratch folder, runs the registered cases.
int cli_test_main(int argc, char** argv);

}  // namespace unclip::test

#define UNCLIP_CLI_TEST_MAIN() \
    int main(int argc, char** argv) { return ::unclip::test::cli_test_main(argc, argv); }
