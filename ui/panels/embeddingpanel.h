// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Common base of the embedding-tool docks: submits jobs through the one inference controller,
// follows each through its JobHandle, shows their progress (with a Cancel for this panel's jobs) and
// applies results as undo steps. Each
// panel names its widgets through its own Retranslator (ui/common/retranslator.h), so that the
// strings keep the panel's class as their translation context and follow a live language switch.
#include "ui/document/applyresult.h"
#include "ui/panels/panelcontext.h"
#include "ui/panels/seedwidget.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QSpinBox;
class QToolButton;

namespace unclip::ui {

class JobHandle;

class EmbeddingPanel : public QWidget {
    Q_OBJECT

public:
    EmbeddingPanel(const PanelContext& context, const QString& origin, QWidget* parent = nullptr);

    const PanelContext& context() const { return m_context; }
    // Whether one of this panel's jobs is queued or running.
    bool isWorking() const { return !m_jobs.isEmpty(); }
    quint64 seed() const;
    void setSeed(quint64 seed);

public Q_SLOTS:
    // Cancels this panel's queued and running jobs (the other docks' jobs go on).
    void cancelJobs();

Q_SIGNALS:
    void workingChanged(bool working);
    void message(const QString& text);  // for the status bar

protected:
    // The Prompt dock's steps/guidance with this panel's mode and seed.
    GenerationParams baseParams(pipeline::Mode mode) const;
    // Queues `job` (origin set to this panel) and returns its id.
    int submit(GenerationJob job);
    // Pushes one undo command; shows why not in message() otherwise.
    bool apply(const GenerationResult& result);

    virtual void jobFinished(const GenerationJob& job, const GenerationOutput& output) = 0;
    // A failed (error set) or cancelled (error empty) job, after it left the panel's jobs.
    virtual void jobEnded(int /*id*/, const QString& /*error*/) {}
    // A progress report of one of this panel's jobs, after the progress bar took it. The preview
    // (when there is one) is left as a QImage: a panel turns it into a pixmap only when it paints.
    virtual void jobProgress(int /*id*/, const ProgressUpdate& /*update*/) {}
    // "Decoder 3 / 25" (or "Waiting…" before the first report).
    static QString progressText(const ProgressUpdate& update);

    QProgressBar* progressBar() const { return m_progress; }
    // The progress bar with the Cancel button beside it, for the panel's layout (hidden when idle).
    QWidget* progressRow() const { return m_progressRow; }
    // Where the panel's messages show (a refusal, an error, "Applied"), under its progress bar.
    QLabel* noteLabel() const { return m_note; }
    // The seed field (locked: runs use the seed shown); prepareSeed() before a run draws a new
    // one when the user unlocked it.
    SeedWidget* seedBox() const { return m_seed; }
    void prepareSeed();

private:
    void finish(int id);

    PanelContext m_context;
    QString m_origin;
    QHash<int, QPointer<JobHandle>> m_jobs;  // this panel's queued and running jobs
    QWidget* m_progressRow;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QLabel* m_note;
    SeedWidget* m_seed;
};

// A QImage scaled into a square thumbnail of `side` pixels (pixel art stays crisp when enlarged).
QPixmap thumbnailPixmap(const QImage& image, int side);

}  // namespace unclip::ui
