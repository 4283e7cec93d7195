// SPDX-License-Identifier: GPL-3.0-or-later
// `unclip`: the command-line face of unclip-studio's core (no Qt).
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/torch_setup.h"

#include <c10/util/Exception.h>

#include <cstring>
#include <functional>
#include <iostream>
#include <map>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif

namespace {

struct Command {
    std::function<int(const unclip::cli::Argv&)> run;
    const char* summary;
};

const std::map<std::string, Command>& commands() {
    using namespace unclip::cli;
    static const std::map<std::string, Command> table = {
        {"inspect", {cmd_inspect, "validate a diffusers model folder and describe its components"}},
        {"tokenize", {cmd_tokenize, "print CLIP token ids and attention masks as JSON"}},
        {"verify", {cmd_verify, "run every parity check against a golden reference folder"}},
        {"generate", {cmd_generate, "text -> image (prior, decoder, and Karlo's super-resolution)"}},
        {"vary", {cmd_vary, "variations of an image (optionally keeping its layout)"}},
        {"interpolate", {cmd_interpolate, "frames between two images and/or texts"}},
        {"textdiff", {cmd_textdiff, "change an image toward a text (DALL-E 2 text diff)"}},
        {"inpaint", {cmd_inpaint, "regenerate a masked region; --expand outpaints"}},
        {"score", {cmd_score, "CLIP similarity of images and texts as JSON"}},
        {"mix", {cmd_mix, "new pictures from a weighted mix of pictures and texts"}},
        {"bench", {cmd_bench, "speed and memory figures per component and per stage"}},
        {"serve", {cmd_serve, "serve the pipeline over HTTP (/v1/ API) for the editor and scripts"}},
    };
    return table;
}

void print_help() {
    std::cout << "unclip " << UNCLIP_VERSION << " - native unCLIP (Karlo, Kandinsky 2.2) tools\n\n"
              << "usage: unclip COMMAND [options]   (unclip COMMAND --help for details)\n\ncommands:\n";
    for (const auto& [name, c] : commands()) {
        std::cout << "  " << name;
        for (size_t i = name.size(); i < 13; ++i) std::cout << ' ';
        std::cout << c.summary << "\n";
    }
    std::cout << "\noptions:\n  -h, --help  this text\n  --version   print the version and the LibTorch build\n"
                 "\nexamples:\n"
                 "  unclip generate \"a red fox in the snow\" -s 42 -o fox.png   (the embedded emoji model)\n"
                 "  unclip generate -m karlo-v1-alpha -p \"a red fox\" -n \"blurry\" --seed -1\n"
                 "  unclip vary -m karlo-v1-alpha-image-variations --image fox.png --images-per-prompt 4\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        print_help();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::cout << "unclip " << UNCLIP_VERSION << " (" << unclip::torch_build_summary() << ")\n";
        return 0;
    }
    auto it = commands().find(argv[1]);
    if (it == commands().end()) {
        std::cerr << "unclip: unknown command '" << argv[1] << "' (see unclip --help)\n";
        return 2;
    }
    unclip::configure_threads();
    try {
        return it->second.run(unclip::cli::Argv(argv + 2, argv + argc));
    } catch (const unclip::Cancelled&) {
        std::cerr << "unclip " << argv[1] << ": cancelled; nothing was written\n";
        return 130;
    } catch (const unclip::RequestError& e) {
        std::cerr << "unclip " << argv[1] << ": " << e.what() << "\n";
        return 2;
    } catch (const c10::Error& e) {
        // LibTorch messages carry a C++ backtrace: show the first line of the message only.
        std::string msg = e.what_without_backtrace();
        if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
        if (msg.find("not implemented for 'Half'") != std::string::npos)
            msg += " (this LibTorch cannot run float16 on the CPU: use --dtype bfloat16 or float32, or --device cuda)";
        std::cerr << "unclip " << argv[1] << ": error: " << msg << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "unclip " << argv[1] << ": error: " << e.what() << "\n";
        return 1;
    }
}
