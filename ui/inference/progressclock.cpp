// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/progressclock.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace unclip::ui {

ProgressClock::ProgressClock(std::function<qint64()> clock) : m_clock(std::move(clock)) {
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
}

QList<QPair<pipeline::Stage, int>> ProgressClock::plannedStages(const GenerationParams& p) {
    QList<QPair<pipeline::Stage, int>> plan;
    const bool prior = p.mode == pipeline::Mode::TextToImage || p.mode == pipeline::Mode::Interpolation ||
                       (p.mode == pipeline::Mode::Inpaint && !p.prompt.isEmpty());
    if (prior && p.upscaleIndex < 0) plan.append({pipeline::Stage::Prior, p.sampling.prior_steps});
    if (p.upscaleIndex < 0) plan.append({pipeline::Stage::Decoder, p.sampling.decoder_steps});
    if (familyHasSuperRes(p.family) && (!p.quickCandidates || p.upscaleIndex >= 0))
        plan.append({pipeline::Stage::SuperRes, p.sampling.super_res_steps});
    return plan;
}

void ProgressClock::start(const GenerationParams& params) {
    m_start = m_clock();
    m_plan = plannedStages(params);
    m_stages.clear();
    m_current.reset();
}

void ProgressClock::update(const ProgressUpdate& u) {
    const qint64 now = m_clock();
    StageTimes& s = m_stages[u.stage];
    if (s.startMs < 0 || u.step < s.step) {  // a stage may run again (e.g. one pass per frame)
        s.startMs = now;
        s.firstStep = u.step;
    }
    s.lastMs = now;
    s.step = u.step;
    s.total = u.total;
    m_current = u.stage;
}

qint64 ProgressClock::elapsedMs() const { return m_clock() - m_start; }

qint64 ProgressClock::remainingMs() const {
    // Average time per step over everything measured so far.
    qint64 spent = 0;
    int steps = 0;
    for (const auto& [stage, s] : m_stages) {
        if (s.step > s.firstStep) {
            spent += s.lastMs - s.startMs;
            steps += s.step - s.firstStep;
        }
    }
    if (steps == 0) return -1;
    const double average = double(spent) / steps;
    double left = 0;
    bool reachedCurrent = !m_current;
    for (const auto& [stage, planned] : m_plan) {
        const auto it = m_stages.find(stage);
        if (stage == m_current) {
            reachedCurrent = true;
            const StageTimes& s = it->second;
            const double rate = s.step > s.firstStep ? double(s.lastMs - s.startMs) / (s.step - s.firstStep) : average;
            left += rate * std::max(0, s.total - s.step);
        } else if (reachedCurrent && it == m_stages.end()) {
            left += average * planned;
        }
    }
    return qint64(left);
}

QString ProgressClock::formatDuration(qint64 ms) {
    const qint64 s = std::max<qint64>(0, (ms + 500) / 1000);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString ProgressClock::text() const {
    const QString elapsed = formatDuration(elapsedMs());
    const qint64 left = remainingMs();
    if (left < 0) return elapsed;
    return QCoreApplication::translate("ProgressClock", "%1 · about %2 left").arg(elapsed, formatDuration(left));
}

}  // namespace unclip::ui
