// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The GUI side of inference: starts the worker on its own QThread, loads the model when the
// settings change (lazily, before the next job), queues jobs, cancels them, and hands each job's
// signals to its JobHandle. Only this object is used from widgets.
#include "ui/inference/inferenceworker.h"
#include "ui/inference/jobhandle.h"

#include <QHash>
#include <QObject>
#include <QThread>

namespace unclip::ui {

class InferenceController : public QObject {
    Q_OBJECT

public:
    // factory: the backend to create on the worker thread (default: createPipelineBackend).
    explicit InferenceController(InferenceWorker::BackendFactory factory = {}, QObject* parent = nullptr);
    ~InferenceController() override;

    // Takes effect before the next job (or now with loadModel()).
    void setModelSettings(const ModelSettings& settings);
    ModelSettings modelSettings() const { return m_settings; }
    void loadModel();

    // Queues a job and returns its handle, whose signals carry this job only (owned by the
    // controller, deleted after its final signal). The model is loaded first when needed.
    JobHandle* submit(const GenerationParams& params, const QImage& image = {}, const QImage& mask = {});
    // Queues a fully built job (the embedding tools' options); its id is assigned here.
    JobHandle* submitJob(GenerationJob job);
    // Cancels the running job and drops every queued one.
    void cancelAll();
    bool isBusy() const { return !m_pending.isEmpty(); }
    int pendingCount() const { return int(m_pending.size()); }
    // The job as it was submitted (parameters and snapshots), while it is pending.
    const GenerationJob* job(int id) const;
    // Its handle while it is pending, else null.
    JobHandle* handle(int id) const { return m_pending.value(id); }

Q_SIGNALS:
    void modelLoading(const QString& modelDir);
    void modelLoaded(const QString& summary);
    // After a load: pipeline::Mode (as int, in a string key) -> why the loaded model cannot run it.
    void modesUnavailable(const QVariantMap& reasons);
    // The loaded model's picture side (0 = unknown): the generation frame's natural size.
    void modelImageSize(int side);
    // The loaded model's family, sizes and sampling defaults (after modelImageSize).
    void modelInfo(const unclip::ui::ModelInfo& info);
    void modelLoadFailed(const QString& message);
    // The warm-up after a load ended (InferenceWorker::warmUpFinished: "done", "cancelled", ...).
    void warmUpFinished(const QString& result);
    // Every job's events, for listeners that follow the whole queue (the status bar's stage, step
    // and time, the timing plot, the failure dialog); each job's own submitter listens to its
    // JobHandle. A handle's signal goes out before the matching one here.
    void jobStarted(int id);
    void progress(int id, const unclip::ui::ProgressUpdate& update);
    // `job` is the submitted job (its params and image/mask snapshots).
    void jobFinished(const unclip::ui::GenerationJob& job, const unclip::ui::GenerationOutput& output);
    void jobFailed(int id, const QString& message);
    void jobCancelled(int id);
    void busyChanged(bool busy);

    // Internal: queued to the worker.
    void requestLoad(const unclip::ui::ModelSettings& settings, const QString& modelDir);
    void requestRun(const unclip::ui::GenerationJob& job);

private:
    // The handle's final signal has gone out: forget the job, delete the handle later.
    void finishJob(JobHandle* handle);

    QThread m_thread;
    InferenceWorker* m_worker;
    ModelSettings m_settings;
    bool m_needLoad = true;
    int m_nextId = 1;
    QHash<int, JobHandle*> m_pending;  // children of this controller
};

}  // namespace unclip::ui
