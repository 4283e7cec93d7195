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
    connect(m_worker, &InferenceWorker::jobStarted, this, &InferenceController::jobStarted, Qt::QueuedConnection);
    connect(m_worker, &InferenceWorker::progress, this, &InferenceController::progress, Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobFinished, this,
        [this](int id, const GenerationOutput& out) {
            const auto it = m_pending.constFind(id);
            if (it != m_pending.cend()) Q_EMIT jobFinished(*it, out);
            finishJob(id);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobFailed, this,
        [this](int id, const QString& message) {
            Q_EMIT jobFailed(id, message);
            finishJob(id);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &InferenceWorker::jobCancelled, this,
        [this](int id) {
            Q_EMIT jobCancelled(id);
            finishJob(id);
        },
        Qt::QueuedConnection);
    m_thread.start();
}

InferenceController::~InferenceController() {
    cancelAll();
    m_thread.quit();
    m_thread.wait();
}

void InferenceController::setModelSettings(const ModelSettings& settings) {
    if (settings != m_settings) m_needLoad = true;
    m_settings = settings;
}

void InferenceController::loadModel() {
    m_needLoad = false;
    Q_EMIT requestLoad(m_settings, settings::effectiveModelDir(m_settings));
}

int InferenceController::submit(const GenerationParams& params, const QImage& image, const QImage& mask) {
    GenerationJob job;
    job.params = params;
    job.image = image;
    job.mask = mask;
    return submitJob(job);
}

int InferenceController::submitJob(GenerationJob job) {
    if (m_needLoad) loadModel();
    job.id = m_nextId++;
    const bool wasBusy = isBusy();
    m_pending.insert(job.id, job);
    Q_EMIT requestRun(job);
    if (!wasBusy) Q_EMIT busyChanged(true);
    return job.id;
}

void InferenceController::cancelAll() {
    for (auto& job : m_pending) requestCancel(job.cancel);
}

const GenerationJob* InferenceController::job(int id) const {
    const auto it = m_pending.constFind(id);
    return it == m_pending.cend() ? nullptr : &*it;
}

void InferenceController::finishJob(int id) {
    if (m_pending.remove(id) && m_pending.isEmpty()) Q_EMIT busyChanged(false);
}

}  // namespace unclip::ui
