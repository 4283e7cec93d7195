// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Elapsed time and an estimate of what is left for the running job. Stages run at very different
// speeds (the prior is cheap, the decoder is not), so each stage's own measured rate is used for
// its remaining steps, and the average rate so far for stages that have not started yet.
#include "ui/inference/generation.h"

#include <QHash>
#include <QStringList>

#include <functional>
#include <map>
#include <optional>

namespace unclip::ui {

class ProgressClock {
public:
    // clock: milliseconds (default: a monotonic timer); injectable for tests.
    explicit ProgressClock(std::function<qint64()> clock = {});

    // A job starts: the stages it will run and their step counts (from its parameters).
    void start(const GenerationParams& params);
    void update(const ProgressUpdate& update);

    qint64 elapsedMs() const;
    // -1 while there is nothing to go on (before the second step).
    qint64 remainingMs() const;
    // "0:12 · about 0:31 left" (or just the elapsed time while there is no estimate).
    QString text() const;

    static QString formatDuration(qint64 ms);
    // The stages a job with these parameters runs, with their step counts, in order.
    static QList<QPair<pipeline::Stage, int>> plannedStages(const GenerationParams& params);

private:
    struct StageTimes {
        qint64 startMs = -1;
        qint64 lastMs = -1;
        int firstStep = 0;
        int step = 0;
        int total = 0;
    };
    std::function<qint64()> m_clock;
    qint64 m_start = 0;
    QList<QPair<pipeline::Stage, int>> m_plan;
    std::map<pipeline::Stage, StageTimes> m_stages;
    std::optional<pipeline::Stage> m_current;  // none before the first step
};

}  // namespace unclip::ui
