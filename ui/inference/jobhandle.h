// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One queued job as its submitter sees it: InferenceController::submit() returns it, and its
// signals carry this job only (llama.cpp's server hands out a task the same way), so a dock never
// filters other docks' jobs. The controller owns it; it deletes itself (deleteLater) after its one
// final signal — finished, failed or cancelled — so keep it in a QPointer when holding on.
#include "ui/inference/generation.h"

#include <QObject>

namespace unclip::ui {

class JobHandle : public QObject {
    Q_OBJECT

public:
    int id() const { return m_job.id; }
    // The job as it was submitted (parameters, snapshots, options).
    const GenerationJob& job() const { return m_job; }
    // Stops the job (before its next model call, or before it starts when queued); cancelled()
    // follows.
    void cancel() const;
    // Whether the final signal went out (the handle is about to be deleted).
    bool isDone() const { return m_done; }

Q_SIGNALS:
    void started();
    // Throttled (InferenceWorker::kProgressIntervalMs); the last step of every stage always comes.
    void progress(const unclip::ui::ProgressUpdate& update);
    // One of these three ends the job; nothing is sent after it.
    void finished(const unclip::ui::GenerationOutput& output);
    void failed(const QString& message);
    void cancelled();

private:
    friend class InferenceController;
    JobHandle(GenerationJob job, QObject* parent);
    void markDone() { m_done = true; }

    GenerationJob m_job;
    bool m_done = false;
};

}  // namespace unclip::ui
