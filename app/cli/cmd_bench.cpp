// SPDX-License-Identifier: GPL-3.0-or-later
// unclip bench: speed and memory figures (modules, pipeline). See bench.h.
#include "app/cli/bench.h"
#include "app/cli/commands.h"
#include "core/common/error.h"

#include <iostream>

namespace unclip::cli {

int cmd_bench(const Argv& argv) {
    const char* help =
        "usage: unclip bench modules [--config golden|karlo|kandinsky | --model DIR] [--components LIST]\n"
        "                            [--device ...] [--dtype ...] [--batch N] [--repeat N] [--warmup N]\n"
        "       unclip bench pipeline (--model DIR [--decoder DIR] | --config karlo|kandinsky|golden)\n"
        "                             [--batch N] [--steps ...] [--width PX --height PX]\n"
        "                             [--offload on|off|both] [--device ...] [--dtype ...]\n"
        "       unclip bench inpaint [--model DIR] [--sizes 1024,4096,8192] [--region N] [--steps P,D,S]\n"
        "       unclip bench server [--model DIR] [--steps P,D,S] [--runs N] [--threads N]\n\n"
        "  modules    per-component forward time (median after warm-up) and peak memory, models built\n"
        "             from configs with random weights (golden tiny configs, Karlo's or Kandinsky 2.2's\n"
        "             full size)\n"
        "  pipeline   one text -> image run timed per stage; Kandinsky 2.2 with and without sequential\n"
        "             offload, with the peak memory of each (weights included)\n"
        "  inpaint    one small region inpainted on ever larger canvases (time and memory per canvas)\n"
        "  server     text -> image in-process and through `unclip serve` on loopback, alternating: the\n"
        "             server's overhead and its progress events' latency\n\n"
        "Plain tables for the README; nothing passes or fails. unclip bench SUBCOMMAND --help for details.\n\n"
        "examples:\n"
        "  unclip bench modules --config karlo --device cuda --dtype float16\n"
        "  unclip bench modules --config kandinsky --components unet,movq --device cuda\n"
        "  unclip bench pipeline --model karlo-v1-alpha --steps 25,25,7\n"
        "  unclip bench pipeline --config kandinsky --device cuda --dtype float16   # 768 px, offload off and on\n"
        "  unclip bench inpaint --sizes 1024,4096,8192\n"
        "  unclip bench server --threads 2                  # the embedded model, 256 px\n";
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
        std::cout << help;
        return argv.empty() ? 2 : 0;
    }
    const Argv rest(argv.begin() + 1, argv.end());
    if (argv[0] == "modules") return bench_modules(rest);
    if (argv[0] == "pipeline") return bench_pipeline(rest);
    if (argv[0] == "inpaint") return bench_inpaint(rest);
    if (argv[0] == "server") return bench_server(rest);
    throw RequestError("unknown bench '" + argv[0] + "' (use modules, pipeline, inpaint or server; see unclip bench --help)");
}

}  // namespace unclip::cli
