// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the inference worker runs: the unCLIP pipeline in this process (backend_unclip.cpp) or on
// an `unclip serve` (backend_remote.cpp). Tests substitute their own.
#include "ui/inference/generation.h"

#include <QMap>

#include <functional>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace unclip::ui {

// Thrown by run() when the job's cancel flag was set.
class GenerationCancelled : public std::runtime_error {
public:
    GenerationCancelled() : std::runtime_error("cancelled") {}
};

// Where a run's progress goes. Every step is reported through operator(); previewDue() is asked
// before a step's preview is computed or converted, and a backend skips that work when it says
// no (the worker answers from its progress throttle: a preview it would drop costs nothing).
// Asking twice for the same step gives the same answer. Made from a plain callable (every
// preview due) or from both.
class ProgressSink {
public:
    using Report = std::function<void(const ProgressUpdate&)>;
    using PreviewDue = std::function<bool(pipeline::Stage stage, int step, int total)>;
    ProgressSink() = default;
    ProgressSink(Report report, PreviewDue due) : m_report(std::move(report)), m_due(std::move(due)) {}
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, ProgressSink> &&
                                                std::is_invocable_v<F&, const ProgressUpdate&>>>
    ProgressSink(F&& report) : m_report(std::forward<F>(report)) {}  // NOLINT: implicit on purpose

    void operator()(const ProgressUpdate& update) const {
        if (m_report) m_report(update);
    }
    bool previewDue(pipeline::Stage stage, int step, int total) const { return !m_due || m_due(stage, step, total); }

private:
    Report m_report;
    PreviewDue m_due;
};

class PipelineBackend {
public:
    using ProgressFn = ProgressSink;
    virtual ~PipelineBackend() = default;
    // Loads the models of `modelDir` (already checked to exist). Throws std::exception with a
    // message to show; the previous model (if any) is gone either way.
    virtual void load(const ModelSettings& settings, const QString& modelDir) = 0;
    virtual bool isLoaded() const = 0;
    // One line about what is loaded ("unclip-emoji: 256 px, text→image, variations, inpaint").
    virtual QString summary() const = 0;
    // The modes the loaded model cannot run, each with the reason (the missing components).
    virtual QMap<pipeline::Mode, QString> unavailableModes() const { return {}; }
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
    // Right after a load, on the same thread: pays the first run's one-time costs (kernel choice
    // and loading, allocator growth) so the user's first job runs as fast as the next
    // (pipeline::warm_up). Returns "done", "cancelled" (within one model call of `cancel` being
    // set) or "nothing"; the default, for backends with nothing to warm (a server warms itself),
    // returns "nothing". Errors are the caller's to swallow: a warm-up never fails a load.
    virtual QString warmUp(const CancelHandle& cancel) {
        (void)cancel;
        return QStringLiteral("nothing");
    }
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
