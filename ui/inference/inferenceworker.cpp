// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/inferenceworker.h"

#include "ui/inference/outofmemory.h"

#include <QDir>
#include <QFileInfo>

namespace unclip::ui {

ProgressThrottle::ProgressThrottle(int intervalMs) : m_intervalMs(intervalMs) { m_sinceSent.start(); }

bool ProgressThrottle::due(pipeline::Stage stage, int step, int total) {
    if (m_asked && step == m_askedStep && total == m_askedTotal && stage == m_askedStage) return m_decision;
    m_asked = true;
    m_askedStage = stage;
    m_askedStep = step;
    m_askedTotal = total;
    m_decision = !m_sentAny || step >= total || stage != m_sentStage || m_sinceSent.elapsed() >= m_intervalMs;
    return m_decision;
}

bool ProgressThrottle::take(pipeline::Stage stage, int step, int total) {
    const bool send = due(stage, step, total);
    m_asked = false;
    if (send) {
        m_sentAny = true;
        m_sentStage = stage;
        m_sinceSent.restart();
    }
    return send;
}

InferenceWorker::InferenceWorker(BackendFactory factory, QObject* parent)
    : QObject(parent), m_factory(std::move(factory)) {
    m_loadError = tr("No model is loaded.");
}

InferenceWorker::~InferenceWorker() = default;

void InferenceWorker::unloadModel() {
    m_backend.reset();
    m_loadError = tr("No model is loaded.");
}

void InferenceWorker::loadModel(const ModelSettings& settings, const QString& modelDir) {
    m_backend.reset();  // free the old model first: two may not fit in memory
    Q_EMIT modelLoading(modelDir);
    const bool onServer = settings.inference == QLatin1String("server");  // the server has its own model
    if (!onServer && modelDir.isEmpty()) {
        m_loadError = tr("No model folder is set. Choose one in Settings.");
        Q_EMIT modelLoadFailed(m_loadError);
        return;
    }
    if (!onServer && !QFileInfo(modelDir).isDir()) {
        m_loadError = tr("The model folder “%1” does not exist.").arg(QDir::toNativeSeparators(modelDir));
        Q_EMIT modelLoadFailed(m_loadError);
        return;
    }
    try {
        std::unique_ptr<PipelineBackend> backend = m_factory ? m_factory() : createBackendFor(settings);
        backend->load(settings, modelDir);
        m_backend = std::move(backend);
        m_loadError.clear();
        Q_EMIT modelLoaded(m_backend->summary());
        QVariantMap reasons;
        const QMap<pipeline::Mode, QString> unavailable = m_backend->unavailableModes();
        for (auto it = unavailable.cbegin(); it != unavailable.cend(); ++it)
            reasons.insert(QString::number(int(it.key())), it.value());
        Q_EMIT modesUnavailable(reasons);
        Q_EMIT modelImageSize(m_backend->imageSize());
        Q_EMIT modelInfo(m_backend->modelInfo());
    } catch (const std::exception& e) {
        m_loadError = isOutOfMemory(e) ? outOfMemoryMessage(/*loading=*/true, e.what())
                                       : tr("Cannot load the model from “%1”: %2")
                                             .arg(QDir::toNativeSeparators(modelDir), QString::fromUtf8(e.what()));
        Q_EMIT modelLoadFailed(m_loadError);
        return;
    }
    warmUp();  // the editor is usable already: the first job makes it give way
}

void InferenceWorker::noteJobQueued() {
    QMutexLocker lock(&m_warmUpMutex);
    ++m_jobsQueued;
    if (m_warmUpCancel) requestCancel(m_warmUpCancel);
}

void InferenceWorker::cancelWarmUp() {
    QMutexLocker lock(&m_warmUpMutex);
    if (m_warmUpCancel) requestCancel(m_warmUpCancel);
}

void InferenceWorker::warmUp() {
    CancelHandle cancel = makeCancelHandle();
    {
        QMutexLocker lock(&m_warmUpMutex);
        if (m_jobsQueued > 0) {
            Q_EMIT warmUpFinished(QStringLiteral("skipped"));
            return;
        }
        m_warmUpCancel = cancel;
    }
    QString result;
    try {
        result = m_backend->warmUp(cancel);
    } catch (const std::exception& e) {
        // Out of memory at the warm-up's shapes, say: the jobs will report what they meet.
        result = QStringLiteral("failed: ") + QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
    }
    {
        QMutexLocker lock(&m_warmUpMutex);
        m_warmUpCancel.reset();
    }
    Q_EMIT warmUpFinished(result);
}

void InferenceWorker::runJob(const GenerationJob& job) {
    {
        QMutexLocker lock(&m_warmUpMutex);
        if (m_jobsQueued > 0) --m_jobsQueued;
    }
    if (isCancelled(job.cancel)) {
        Q_EMIT jobCancelled(job.id);
        return;
    }
    if (!m_backend || !m_backend->isLoaded()) {
        Q_EMIT jobFailed(job.id, m_loadError.isEmpty() ? tr("No model is loaded.") : m_loadError);
        return;
    }
    Q_EMIT jobStarted(job.id);
    const int id = job.id;
    QList<StepTiming> timings;
    QElapsedTimer sinceStart;
    sinceStart.start();
    // Throttled, except the first and last step of every stage: the window always learns that a
    // stage began (a fast model's whole decoder stage can fit in one interval). The backend asks
    // the same throttle before it makes a step's preview, so dropped steps cost no preview.
    ProgressThrottle throttle(kProgressIntervalMs);
    auto onProgress = [&](const ProgressUpdate& u) {
        timings.append(StepTiming{u.stage, u.step, u.total, double(sinceStart.nsecsElapsed()) / 1e6});
        if (throttle.take(u.stage, u.step, u.total)) Q_EMIT progress(id, u);
    };
    auto previewDue = [&](pipeline::Stage stage, int step, int total) { return throttle.due(stage, step, total); };
    try {
        GenerationOutput out = m_backend->run(job, ProgressSink(onProgress, previewDue));
        if (out.timings.isEmpty()) out.timings = timings;
        if (isCancelled(job.cancel)) Q_EMIT jobCancelled(id);
        else Q_EMIT jobFinished(id, out);
    } catch (const GenerationCancelled&) {
        Q_EMIT jobCancelled(id);
    } catch (const std::exception& e) {
        // Out of memory included: the job's buffers are gone with the stack, the model stays
        // loaded, and the next job runs.
        Q_EMIT jobFailed(id, isOutOfMemory(e) ? outOfMemoryMessage(/*loading=*/false, e.what())
                                              : QString::fromUtf8(e.what()));
    }
}

}  // namespace unclip::ui
