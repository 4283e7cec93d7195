// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Common base of the embedding-tool docks: submits jobs through the one inference controller,
// picks out its own jobs' signals, shows their progress and applies results as undo steps. Each
// panel names its widgets through its own Retranslator (ui/common/retranslator.h), so that the
// strings keep the panel's class as their translation context and follow a live language switch.
#include "ui/document/applyresult.h"
#include "ui/panels/panelcontext.h"
#include "ui/panels/seedwidget.h"

#include <QSet>
#include <QWidget>

class QLabel;
class QProgressBar;
class QSpinBox;

namespace unclip::ui {

class EmbeddingPanel : public QWidget {
    Q_OBJECT

public:
    EmbeddingPanel(const PanelContext& context, const QString& origin, QWidget* parent = nullptr);

    const PanelContext& context() const { return m_context; }
    // Whether one of this panel's jobs is queued or running.
    bool isWorking() const { return !m_jobs.isEmpty(); }
    quint64 seed() const;
    void setSeed(quint64 seed);

Q_SIGNALS:
    void workingChanged(bool working);
    void message(const QString& text);  // for the status bar

protected:
    // The Prompt dock's steps/guidance with this panel's mode and seed.
    GenerationParams baseParams(GenerationMode mode) const;
    // Queues `job` (origin set to this panel) and returns its id.
    int submit(GenerationJob job);
    // Pushes one undo command; shows why not in message() otherwise.
    bool apply(const GenerationResult& result);

    virtual void jobFinished(const GenerationJob& job, const GenerationOutput& output) = 0;
    virtual void jobEnded(int /*id*/, const QString& /*error*/) {}

    QProgressBar* progressBar() const { return m_progress; }
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
    QSet<int> m_jobs;
    QProgressBar* m_progress;
    QLabel* m_note;
    SeedWidget* m_seed;
};

// A QImage scaled into a square thumbnail of `side` pixels (pixel art stays crisp when enlarged).
QPixmap thumbnailPixmap(const QImage& image, int side);

}  // namespace unclip::ui
