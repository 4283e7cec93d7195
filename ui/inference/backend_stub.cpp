// SPDX-License-Identifier: GPL-3.0-or-later
// Backend for builds without core/pipeline: every load fails with a clear message.
#include "ui/inference/pipelinebackend.h"

#include <QCoreApplication>

namespace unclip::ui {

namespace {

class StubBackend : public PipelineBackend {
public:
    void load(const ModelSettings&, const QString&) override {
        throw std::runtime_error(QCoreApplication::translate("PipelineBackend",
                                                             "This build of unclip-studio has no inference pipeline.")
                                     .toStdString());
    }
    bool isLoaded() const override { return false; }
    QString summary() const override { return {}; }
    GenerationOutput run(const GenerationJob&, const ProgressFn&) override {
        throw std::runtime_error(
            QCoreApplication::translate("PipelineBackend", "No model is loaded.").toStdString());
    }
};

}  // namespace

std::unique_ptr<PipelineBackend> createPipelineBackend() { return std::make_unique<StubBackend>(); }
std::unique_ptr<PipelineBackend> createBackendFor(const ModelSettings&) { return std::make_unique<StubBackend>(); }
QString describeServer(const QString&, const QString&) {
    return QCoreApplication::translate("PipelineBackend", "This build of unclip-studio has no inference pipeline.");
}

QStringList availableDevices() { return {QStringLiteral("cpu")}; }

ModelInfo modelFamilyOf(const ModelSettings&) { return {}; }

QString pipelineBuildSummary() {
    return QCoreApplication::translate("PipelineBackend", "built without the inference pipeline");
}

}  // namespace unclip::ui
