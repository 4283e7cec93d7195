// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Lives on the inference thread: owns the one loaded pipeline and runs jobs one after another
// (queued invocations queue up naturally). Talks to the GUI only through queued signals.
#include "ui/inference/pipelinebackend.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QVariantMap>

namespace unclip::ui {

// Which progress steps of one job go out: the first step of the job and of every stage, the last
// step of every stage, and otherwise one step per interval. Decided once per step: the backend asks
// before it computes the step's preview (due()), the worker asks again when the step is reported
// and gets the same answer, so a preview is made exactly for the steps that are sent.
class ProgressThrottle {
public:
    explicit ProgressThrottle(int intervalMs);
    bool due(pipeline::Stage stage, int step, int total);
    // The step is reported: consumes the decision (the next report is a new step).
    bool take(pipeline::Stage stage, int step, int total);

private:
    int m_intervalMs;
    QElapsedTimer m_sinceSent;
    pipeline::Stage m_sentStage = pipeline::Stage::Prior;
    bool m_sentAny = false;
    // The pending decision for the step asked about last.
    bool m_asked = false, m_decision = false;
    pipeline::Stage m_askedStage = pipeline::Stage::Prior;
    int m_askedStep = 0, m_askedTotal = 0;
};

class InferenceWorker : public QObject {
    Q_OBJECT

public:
    using BackendFactory = std::function<std::unique_ptr<PipelineBackend>()>;
    explicit InferenceWorker(BackendFactory factory, QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Progress is sent at most this often (the last step of a stage always goes out).
    static constexpr int kProgressIntervalMs = 50;

    // Thread-safe, called by the controller on the GUI thread. A job is on its way to runJob():
    // a warm-up running now gives way within one model call, and none starts until it has run.
    void noteJobQueued();
    // Stops a running warm-up within one model call (a new load, quitting).
    void cancelWarmUp();

public Q_SLOTS:
    void loadModel(const unclip::ui::ModelSettings& settings, const QString& modelDir);
    void runJob(const unclip::ui::GenerationJob& job);
    void unloadModel();

Q_SIGNALS:
    void modelLoading(const QString& modelDir);
    void modelLoaded(const QString& summary);
    void modesUnavailable(const QVariantMap& reasons);
    void modelImageSize(int side);
    void modelInfo(const unclip::ui::ModelInfo& info);
    void modelLoadFailed(const QString& message);
    void jobStarted(int id);
    void progress(int id, const unclip::ui::ProgressUpdate& update);
    void jobFinished(int id, const unclip::ui::GenerationOutput& output);
    void jobFailed(int id, const QString& message);
    void jobCancelled(int id);
    // After a load, the model's warm-up (PipelineBackend::warmUp) ended: "done", "cancelled",
    // "nothing", "skipped" (a job was already waiting) or "failed: message".
    void warmUpFinished(const QString& result);

private:
    void warmUp();

    BackendFactory m_factory;
    std::unique_ptr<PipelineBackend> m_backend;
    QString m_loadError;
    // Guards the two below, which the GUI thread touches through noteJobQueued/cancelWarmUp.
    QMutex m_warmUpMutex;
    CancelHandle m_warmUpCancel;  // the running warm-up's; null when none runs
    int m_jobsQueued = 0;         // noted by the controller, not yet started by runJob()
};

}  // namespace unclip::ui
