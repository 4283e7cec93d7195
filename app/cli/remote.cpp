// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/remote.h"

#include "core/common/error.h"
#include "core/server/run_request.h"

#include <cstdlib>

namespace unclip::cli {

std::set<std::string> Backend::option_names() { return {"--server", "--token"}; }

std::string Backend::help() {
    return "  --server URL            run on an `unclip serve` at URL (e.g. http://gpu-box:8787) instead\n"
           "                          of loading the model here; the server's model and device are used\n"
           "  --token TOKEN           the server's bearer token (default: $UNCLIP_SERVER_TOKEN)\n";
}

Backend::Backend(const Args& args, const CommonOptions& options, const std::string& command, const std::string& kind,
                 const std::vector<std::string>& needed) {
    if (!args.has("--server")) {
        pipeline_ = load_pipeline(options, command, needed);
        image_size_ = pipeline_->image_size();
        return;
    }
    for (const char* local_only : {"--model", "--image-encoder", "--device", "--dtype"})
        if (args.has(local_only))
            throw RequestError(std::string("option ") + local_only + " applies to this machine; with --server the server's model runs: drop " +
                               local_only);
    server::ClientOptions co;
    co.url = args.get("--server");
    const char* env = std::getenv("UNCLIP_SERVER_TOKEN");
    co.token = args.get("--token", env ? env : "");
    client_ = std::make_unique<server::Client>(co);
    const nlohmann::json info = client_->info();
    const nlohmann::json mode = info.value("modes", nlohmann::json::object()).value(kind, nlohmann::json::object());
    if (!mode.value("available", false))
        throw ModelError("the server at " + co.url + " cannot run " + command + ": its model lacks " +
                         mode.value("missing", std::string("what this needs")));
    image_size_ = info.value("model", nlohmann::json::object()).value("image_size", 0);
}

Backend::~Backend() = default;

pipeline::Result Backend::run(const pipeline::AnyRequest& request) {
    return run_with_progress([&](const pipeline::RunControl& control) {
        if (client_) return client_->run(request, control).result;
        return server::run_request(*pipeline_, request, control).result;
    });
}

torch::Tensor Backend::score(const std::vector<torch::Tensor>& images, const std::vector<std::string>& texts) {
    if (!client_) return pipeline_->score(images, texts);
    pipeline::ScoreRequest r;
    r.images = images;
    r.texts = texts;
    return client_->run(r).scores;
}

int Backend::image_size() const { return image_size_; }

}  // namespace unclip::cli
