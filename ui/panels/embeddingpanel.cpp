// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/embeddingpanel.h"

#include "ui/common/retranslator.h"
#include "ui/document/document.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/jobhandle.h"
#include "ui/panels/seedwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QSpinBox>
#include <QToolButton>

namespace unclip::ui {

EmbeddingPanel::EmbeddingPanel(const PanelContext& context, const QString& origin, QWidget* parent)
    : QWidget(parent), m_context(context), m_origin(origin) {
    // The base's own strings keep its class as their context (the panels' Retranslators use theirs).
    auto* rt = new Retranslator(this, "unclip::ui::EmbeddingPanel");
    m_progressRow = new QWidget(this);
    m_progressRow->setObjectName("progressRow");
    auto* row = new QHBoxLayout(m_progressRow);
    row->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName("progress");
    m_progress->setTextVisible(true);
    m_progress->setAlignment(Qt::AlignCenter);
    m_cancel = new QToolButton(m_progressRow);
    m_cancel->setObjectName("cancelButton");
    rt->text(m_cancel, QT_TR_NOOP("Cancel"));
    rt->toolTip(m_cancel, QT_TR_NOOP("Stop this panel's jobs (the other docks' jobs go on)"));
    row->addWidget(m_progress, 1);
    row->addWidget(m_cancel);
    m_progressRow->setVisible(false);
    connect(m_cancel, &QToolButton::clicked, this, &EmbeddingPanel::cancelJobs);
    // Messages show in the panel where the action was attempted (the status bar gets them too).
    m_note = new QLabel(this);
    m_note->setObjectName("note");
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setVisible(false);
    connect(this, &EmbeddingPanel::message, m_note, [this](const QString& text) {
        m_note->setText(text);
        m_note->setVisible(!text.isEmpty());
    });
    m_seed = new SeedWidget(this);
    m_seed->setValue(42);
    m_seed->setLocked(true);  // the tools compare runs: the seed stays until changed
}

quint64 EmbeddingPanel::seed() const { return m_seed->value(); }
void EmbeddingPanel::setSeed(quint64 seed) { m_seed->setValue(seed); }
void EmbeddingPanel::prepareSeed() { m_seed->prepare(); }

QString EmbeddingPanel::progressText(const ProgressUpdate& u) {
    if (u.total <= 0) return tr("Waiting…");
    return tr("%1 %2 / %3").arg(stageDisplayName(u.stage)).arg(u.step).arg(u.total);
}

void EmbeddingPanel::cancelJobs() {
    if (!m_context.inference) return;
    // The worker checks the flag before every model call and before it starts a queued job.
    for (const QPointer<JobHandle>& job : std::as_const(m_jobs))
        if (job) job->cancel();
    if (!m_jobs.isEmpty()) m_progress->setFormat(tr("Cancelling…"));
}

GenerationParams EmbeddingPanel::baseParams(pipeline::Mode mode) const {
    GenerationParams p = m_context.baseParams ? m_context.baseParams() : GenerationParams();
    p.mode = mode;
    p.sampling.seed = m_seed->value();
    p.batch = 1;
    p.quickCandidates = false;
    p.upscaleIndex = -1;
    return p;
}

int EmbeddingPanel::submit(GenerationJob job) {
    job.embedding.origin = m_origin;
    const bool was = isWorking();
    JobHandle* handle = m_context.inference->submitJob(job);
    const int id = handle->id();
    m_jobs.insert(id, handle);
    // This job's signals only (its handle): no other dock's jobs to filter out.
    connect(handle, &JobHandle::finished, this, [this, handle](const GenerationOutput& out) {
        finish(handle->id());
        jobFinished(handle->job(), out);
    });
    connect(handle, &JobHandle::failed, this, [this, id](const QString& error) {
        finish(id);
        jobEnded(id, error);
        // In the panel, where the job was started (the main window may show a dialog too).
        Q_EMIT message(tr("Failed: %1").arg(error));
    });
    connect(handle, &JobHandle::cancelled, this, [this, id] {
        finish(id);
        jobEnded(id, QString());
        Q_EMIT message(tr("Cancelled"));
    });
    connect(handle, &JobHandle::progress, this, [this, id](const ProgressUpdate& u) {
        m_progress->setRange(0, std::max(1, u.total));
        m_progress->setValue(u.step);
        // Which stage and step, and how many jobs of this panel wait behind this one.
        QString text = progressText(u);
        if (m_jobs.size() > 1) text += tr(" (+%n queued)", nullptr, int(m_jobs.size()) - 1);
        m_progress->setFormat(text);
        jobProgress(id, u);
    });
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("Waiting…"));
    m_progressRow->setVisible(true);
    m_note->clear();
    m_note->setVisible(false);
    if (!was) Q_EMIT workingChanged(true);
    return id;
}

void EmbeddingPanel::finish(int id) {
    m_jobs.remove(id);
    if (m_jobs.isEmpty()) {
        m_progressRow->setVisible(false);
        Q_EMIT workingChanged(false);
    }
}

bool EmbeddingPanel::apply(const GenerationResult& result) {
    QString error;
    if (!m_context.document || !ui::applyResult(m_context.document, result, &error)) {
        Q_EMIT message(error);
        return false;
    }
    Q_EMIT message(tr("Applied (one undo step)"));
    return true;
}

QPixmap thumbnailPixmap(const QImage& image, int side) {
    if (image.isNull()) return {};
    const bool enlarge = image.width() < side && image.height() < side;
    // Integer enlargement of small images keeps their pixels sharp; larger ones are smoothed down.
    if (enlarge) {
        const int f = std::max(1, side / std::max(image.width(), image.height()));
        return QPixmap::fromImage(image.scaled(image.size() * f, Qt::KeepAspectRatio, Qt::FastTransformation));
    }
    return QPixmap::fromImage(image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

}  // namespace unclip::ui
