// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Backend on an `unclip serve` (Settings > Inference > A server, or A local server program): the
// same jobs as in-process (jobrunner.h), run through the core client (core/server/client.h). A
// crash or out-of-memory in the model cannot take the painting down with it; with a managed
// program, the next job after a crash restarts it.
#include "core/server/child_server.h"
#include "core/server/client.h"
#include "ui/inference/jobrunner.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace unclip::ui {

class RemoteBackend : public PipelineBackend {
public:
    // settings.inference "server": connects to serverUrl with serverToken; "program": starts
    // serverProgram on `modelDir` (+ encoder, device, precision, threads) as a private child.
    void load(const ModelSettings& settings, const QString& modelDir) override;
    bool isLoaded() const override { return m_client != nullptr; }
    QString summary() const override;
    QMap<pipeline::Mode, QString> unavailableModes() const override;
    int imageSize() const override;
    ModelInfo modelInfo() const override;
    GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) override;

    const nlohmann::json& info() const { return m_info; }
    server::ChildServer* child() { return m_child.get(); }  // the managed program, if any

private:
    void connect(const std::string& url, const std::string& token);

    std::unique_ptr<server::ChildServer> m_child;
    std::unique_ptr<server::Client> m_client;
    nlohmann::json m_info;
    JobRunner m_runner;
};

}  // namespace unclip::ui
