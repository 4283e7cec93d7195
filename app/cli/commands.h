// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The `unclip` subcommands. Each takes the arguments after its name and returns the exit code;
// errors are thrown (unclip::Error) and printed as one line by main().
#include <string>
#include <vector>

namespace unclip::cli {

using Argv = std::vector<std::string>;

int cmd_inspect(const Argv& args);
int cmd_tokenize(const Argv& args);
int cmd_verify(const Argv& args);
int cmd_generate(const Argv& args);
int cmd_vary(const Argv& args);
int cmd_interpolate(const Argv& args);
int cmd_textdiff(const Argv& args);
int cmd_inpaint(const Argv& args);
int cmd_score(const Argv& args);
int cmd_mix(const Argv& args);
int cmd_bench(const Argv& args);
int cmd_serve(const Argv& args);

}  // namespace unclip::cli
