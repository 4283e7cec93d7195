// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A real `unclip serve` server (core/server) on a free loopback port, serving its own pipeline on
// the golden models, for the server, client and soak tests. Stopped and joined on destruction.
#include "core/pipeline/unclip_pipeline.h"
#include "core/server/client.h"
#include "core/server/server.h"
#include "tests/support/golden_pipeline.h"

#include <chrono>
#include <memory>
#include <thread>

namespace unclip::test {

class LoopbackServer {
public:
    // On the golden Karlo pipeline, or on the pipeline given.
    explicit LoopbackServer(server::ServerOptions options = {}, std::unique_ptr<pipeline::UnclipPipeline> pipeline = nullptr)
        : pipeline_(pipeline ? std::move(pipeline) : load_golden_pipeline()) {
        options.host = "127.0.0.1";
        options.port = 0;
        options.version = "test";
        token_ = options.token;
        server_ = std::make_unique<server::Server>(*pipeline_, options);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->serve(); });
        auto c = client();
        for (int i = 0; i < 500 && !c->healthy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~LoopbackServer() { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    std::unique_ptr<server::Client> client(const std::string& token = "\x01") const {
        server::ClientOptions o;
        o.url = url();
        o.token = token == "\x01" ? token_ : token;
        o.read_timeout_s = 60;
        return std::make_unique<server::Client>(o);
    }

private:
    std::unique_ptr<pipeline::UnclipPipeline> pipeline_;
    std::unique_ptr<server::Server> server_;
    std::string token_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace unclip::test
