// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/inferencecontroller.h"

namespace unclip::ui {

InferenceController::InferenceController(InferenceWorker::BackendFactory factory, QObject* parent)
    : QObject(parent), m_worker(new InferenceWorker(std::move(factory))) {
    qRegisterMetaType<GenerationJob>();
    qRegisterMetaType<ProgressUpdate>();
    qRegisterMetaType<GenerationOutput>();
    qRegisterMetaType<ModelSettings>();
    qRegisterMetaType<ModelInfo>();
    m_thread.setObjectName("inference");
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(this, &InferenceController::requestLoad, m_worker, &InferenceWorker::loadModel, Qt::QueuedConnection);
    connect(this, &InferenceController::requestRun, m_worker, &InferenceWorker::runJob, Qt::QueuedConnection);

    connect(m_worker, &InferenceWorker::modelLoading, this, &InferenceController::modelLoading, Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::modelLoaded, this, &InferenceController::modelLoaded, Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::modelImageSize, this, &InferenceController::modelImageSize, Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::modelInfo, this, &InferenceController::modelInfo, Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::modesUnavailable, this, &InferenceController::modesUnavailable,
            Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::modelLoadFailed, this, &InferenceController::modelLoadFailed,
            Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::warmUpFinished, this, &InferenceController::warmUpFinished,
            Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobStarted, this,
        [this](int id) {
            if (JobHandle* h = m_pending.value(id)) Q_EMIT h->started();
            Q_EMIT jobStarted(id);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::progress, this,
        [this](int id, const ProgressUpdate& u) {
            if (JobHandle* h = m_pending.value(id)) Q_EMIT h->progress(u);
            Q_EMIT progress(id, u);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobFinished, this,
        [this](int id, const GenerationOutput& out) {
            JobHandle* h = m_pending.value(id);
            if (!h) return;
            h->markDone();
            Q_EMIT h->finished(out);
            Q_EMIT jobFinished(h->job(), out);
            finishJob(h);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobFailed, this,
        [this](int id, const QString& message) {
            JobHandle* h = m_pending.value(id);
            if (h) {
                h->markDone();
                Q_EMIT h->failed(message);
            }
            Q_EMIT jobFailed(id, message);
            if (h) finishJob(h);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobCancelled, this,
        [this](int id) {
            JobHandle* h = m_pending.value(id);
            if (h) {
                h->markDone();
                Q_EMIT h->cancelled();
            }
            Q_EMIT jobCancelled(id);
            if (h) finishJob(h);
        },
        Qt::QueuedConnection);
    m_thread.start();
}

InferenceController::~InferenceController() {
    cancelAll();
    m_worker->cancelWarmUp();  // quitting right after a load waits for one model call at most
    m_thread.quit();
    m_thread.wait();
}

void InferenceController::setModelSettings(const ModelSettings& settings) {
    if (settings != m_settings) m_needLoad = true;
    m_settings = settings;
}

void InferenceController::loadModel() {
    m_needLoad = false;
    m_worker->cancelWarmUp();  // the model it warms is about to go
    Q_EMIT requestLoad(m_settings, settings::effectiveModelDir(m_settings));
}

JobHandle* InferenceController::submit(const GenerationParams& params, const QImage& image, const QImage& mask) {
    GenerationJob job;
    job.params = params;
    job.image = image;
    job.mask = mask;
    return submitJob(job);
}

JobHandle* InferenceController::submitJob(GenerationJob job) {
    // Noted before the load (if one is needed) is requested: the worker may finish a quick load
    // before this thread gets further, and must then skip the warm-up rather than start it.
    m_worker->noteJobQueued();
    if (m_needLoad) loadModel();
    job.id = m_nextId++;
    const bool wasBusy = isBusy();
    auto* handle = new JobHandle(job, this);
    m_pending.insert(job.id, handle);
    Q_EMIT requestRun(job);
    if (!wasBusy) Q_EMIT busyChanged(true);
    return handle;
}

void InferenceController::cancelAll() {
    for (JobHandle* h : std::as_const(m_pending)) h->cancel();
}

const GenerationJob* InferenceController::job(int id) const {
    const JobHandle* h = m_pending.value(id);
    return h ? &h->job() : nullptr;
}

void InferenceController::finishJob(JobHandle* handle) {
    if (m_pending.remove(handle->id()) && m_pending.isEmpty()) Q_EMIT busyChanged(false);
    handle->deleteLater();
}

}  // namespace unclip::ui
