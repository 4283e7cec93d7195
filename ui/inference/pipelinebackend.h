// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the inference worker runs: the unCLIP pipeline in this process (backend_unclip.cpp) or on
// an `unclip serve` (backend_remote.cpp). Tests substitute their own.
#include "ui/inference/generation.h"

#include <QMap>

#include <functional>
#include <memory>
#include <stdexcept>

namespace unclip::ui {

// Thrown by run() when the job's cancel flag was set.
class GenerationCancelled : public std::runtime_error {
public:
    GenerationCancelled() : std::runtime_error("cancelled") {}
};

class PipelineBackend {
public:
    using ProgressFn = std::function<void(const ProgressUpdate&)>;
    virtual ~PipelineBackend() = default;
    // Loads the models of `modelDir` (already checked to exist). Throws std::exception with a
    // message to show; the previous model (if any) is gone either way.
    virtual void load(const ModelSettings& settings, const QString& modelDir) = 0;
    virtual bool isLoaded() const = 0;
    // One line about what is loaded ("unclip-emoji: 256 px, text→image, variations, inpaint").
    virtual QString summary() const = 0;
    // The modes the loaded model cannot run, each with the reason (the missing components).
    virtual QMap<GenerationMode, QString> unavailableModes() const { return {}; }
    // The side of the pictures the model draws (the generation frame's natural size); 0 = unknown.
    virtual int imageSize() const { return 0; }
    // The loaded model's family, sizes and sampling defaults (the default: an unknown family
    // drawing imageSize(), which the Prompt dock treats as Karlo).
    virtual ModelInfo modelInfo() const {
        ModelInfo info;
        info.imageSize = imageSize();
        return info;
    }
    // Runs one job on the calling thread; stops soon after job.cancel is set. Throws
    // GenerationCancelled or std::exception.
    virtual GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) = 0;
};

// The pipeline in this process (backend_unclip.cpp).
std::unique_ptr<PipelineBackend> createPipelineBackend();
// The backend `settings.inference` asks for: this process (createPipelineBackend), or an
// `unclip serve` (backend_remote.h).
std::unique_ptr<PipelineBackend> createBackendFor(const ModelSettings& settings);
// One paragraph about the `unclip serve` at `url` (its /v1/info: version, LibTorch, device,
// precision, model, modes), or why it cannot be reached. For Settings > Inference > Test.
QString describeServer(const QString& url, const QString& token);
// The model the settings name, read cheaply from its config files before it is loaded (models
// load before the first job): its family with the family's sampling defaults, and for Kandinsky
// 2.2 its sizes; an empty family when it cannot be told (no folder set, a server's model, an
// unreadable folder).
ModelInfo modelFamilyOf(const ModelSettings& settings);
// What LibTorch this build runs on, e.g. "LibTorch 1.13.1, cpu".
QString pipelineBuildSummary();
// The devices this build can run on here: "cpu", then "cuda", "cuda:1"... for each visible GPU.
QStringList availableDevices();

}  // namespace unclip::ui
