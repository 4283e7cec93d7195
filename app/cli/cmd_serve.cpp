// SPDX-License-Identifier: GPL-3.0-or-later
// unclip serve: the pipeline behind an HTTP API (core/server), for the editor on another machine
// or built with another LibTorch (a CUDA one), and for scripts. docs/api.md describes the API.
#include "app/cli/commands.h"
#include "app/cli/pipeline_options.h"
#include "core/common/error.h"
#include "core/server/openapi.h"
#include "core/server/server.h"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <unistd.h>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif

namespace unclip::cli {
namespace {

void print_serve_help() {
    std::cout << "usage: unclip serve --model DIR [--image-encoder DIR | --decoder DIR --inpaint-decoder DIR] [options]\n\n"
                 "Loads the model once and serves the HTTP API under /v1/ (docs/api.md): info, jobs (queued,\n"
                 "one at a time), their events (Server-Sent Events), results and cancel, and /v1/run (one\n"
                 "streamed response per request). Stops cleanly on SIGTERM or Ctrl+C: new jobs are refused,\n"
                 "the running one is cancelled, exit code 0.\n\n"
                 "options:\n"
              << common_options_help(kModelOptions)
              << "  --host ADDRESS          address to listen on (default 127.0.0.1; any other needs a token)\n"
                 "  --port N                port (default 8787; 0 picks a free one, printed on stdout)\n"
                 "  --token TOKEN           bearer token clients must send (default: $UNCLIP_SERVER_TOKEN);\n"
                 "                          never printed or logged\n"
                 "  --max-queue N           jobs waiting or running before 429 answers (default 32)\n"
                 "  --max-batch N           images per request (default 16)\n"
                 "  --max-steps N           steps per stage (default 1000)\n"
                 "  --max-pixels N          pixels per input picture (default 16777216)\n"
                 "  --max-body-mb N         request body size in MiB (default 64)\n"
                 "  --timeout S             drop a client that sends or reads nothing for S seconds (default 30)\n"
                 "  --no-warm-up            do not warm the model up after loading (by default a short run at\n"
                 "                          the jobs' shapes makes the first job as fast as the next; the first\n"
                 "                          job cancels it)\n"
                 "  --quiet                 no request log on stderr\n"
                 "  --openapi               print the OpenAPI description of the API and exit\n\n"
                 "example:\n"
                 "  unclip serve -m karlo-v1-alpha --image-encoder karlo-v1-alpha-image-variations --port 8787\n";
}

int g_signal_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int) {
    const char c = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &c, 1);
}

}  // namespace

int cmd_serve(const Argv& argv) {
    Args args(argv, {"--help", "--quiet", "--openapi", "--no-warm-up"},
              merge(common_option_names(kModelOptions), {"--host", "--port", "--token", "--max-queue", "--max-batch",
                                                         "--max-steps", "--max-pixels", "--max-body-mb", "--timeout"}));
    if (args.flag("--help")) {
        print_serve_help();
        return 0;
    }
    if (args.flag("--openapi")) {
        std::cout << server::openapi_document().dump(2) << "\n";
        return 0;
    }
    reject_positional(args);
    CommonOptions o = parse_common_options(args, kModelOptions);

    server::ServerOptions so;
    so.host = args.get("--host", "127.0.0.1");
    so.port = static_cast<int>(args.get_integer("--port", 8787, 0, 65535));
    const char* env_token = std::getenv("UNCLIP_SERVER_TOKEN");
    so.token = args.get("--token", env_token ? env_token : "");
    so.version = UNCLIP_VERSION;
    so.limits.max_queue = static_cast<size_t>(args.get_integer("--max-queue", 32, 1, 100000));
    so.limits.max_batch = static_cast<int>(args.get_integer("--max-batch", 16, 1, 64));
    so.limits.max_steps = static_cast<int>(args.get_integer("--max-steps", 1000, 1, 1000));
    so.limits.max_pixels = args.get_integer("--max-pixels", so.limits.max_pixels, 1, 100'000'000);
    so.limits.max_body_bytes = static_cast<size_t>(args.get_integer("--max-body-mb", 64, 1, 4096)) << 20;
    const int timeout = static_cast<int>(args.get_integer("--timeout", 30, 1, 3600));
    so.limits.read_timeout_s = so.limits.write_timeout_s = timeout;
    so.warm_up = !args.flag("--no-warm-up");
    if (!args.flag("--quiet")) so.log = [](const std::string& line) { std::cerr << "unclip serve: " << line << "\n"; };
    // Refuse an unsafe address before the (slow) model load.
    if (!server::is_loopback_host(so.host) && so.token.empty())
        throw RequestError("listening on " + so.host +
                           " (not loopback) needs a token: give --token TOKEN or set UNCLIP_SERVER_TOKEN");

    auto pl = load_pipeline(o, "serve", base_components());
    server::Server srv(*pl, so);
    const int port = srv.bind();

    // SIGTERM / SIGINT: a byte down a pipe (async-signal-safe); a thread stops the server.
    if (::pipe(g_signal_pipe) != 0) throw Error("cannot create a pipe for signal handling");
    std::signal(SIGPIPE, SIG_IGN);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    std::thread watcher([&srv] {
        char c = 0;
        while (::read(g_signal_pipe[0], &c, 1) < 0 && errno == EINTR) {
        }
        if (c == 1) std::cerr << "unclip serve: stopping (new jobs refused, the running one cancelled)\n";
        srv.stop();
    });

    std::cout << "unclip serve: listening on http://" << (so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host)
              << ":" << port << " (" << (so.token.empty() ? "no token" : "token required") << ")" << std::endl;
    srv.serve();
    srv.stop();
    // Wake the watcher if the server ended for another reason.
    const char quit = 2;
    [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &quit, 1);
    watcher.join();
    std::cerr << "unclip serve: stopped\n";
    return 0;
}

}  // namespace unclip::cli
