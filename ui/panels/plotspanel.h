// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Plots dock (QCustomPlot): along the interpolation slider, the CLIP similarity of every
// rendered frame to A and to B (and to their texts), with a line following the slider; and how
// long each step of the last run took, one bar per step, coloured by stage.
#include "ui/inference/generation.h"
#include "ui/panels/interpolationpanel.h"

#include <QWidget>

#include <optional>

class QCustomPlot;
class QCPItemStraightLine;
class QLabel;

namespace unclip::ui {

class PlotsPanel : public QWidget {
    Q_OBJECT

public:
    explicit PlotsPanel(QWidget* parent = nullptr);

    QCustomPlot* similarityPlot() const { return m_similarity; }
    QCustomPlot* timingPlot() const { return m_timing; }

public Q_SLOTS:
    void setSimilarity(const unclip::ui::InterpolationPanel::Similarity& similarity);
    void setCursorPosition(double position);
    // mode: the kind of run (named in the title); timings as the worker recorded them.
    void setTimings(const QList<unclip::ui::StepTiming>& timings, unclip::pipeline::Mode mode);

private:
    // Titles, axis labels and legend entries in the current language, from the data shown
    // (run again on every language change); then replots.
    void nameSimilarityPlot();
    void nameTimingPlot();
    void styleAxes(QCustomPlot* plot);

    QCustomPlot* m_similarity;
    QCustomPlot* m_timing;
    QCPItemStraightLine* m_cursor;
    QLabel* m_similarityTitle;
    QLabel* m_timingTitle;
    InterpolationPanel::Similarity m_similarityData;
    QList<pipeline::Stage> m_timingStages;      // the stage of each bar series, in plottable order
    std::optional<pipeline::Mode> m_timingMode;  // none before the first run
    double m_timingTotalMs = 0.0;
};

}  // namespace unclip::ui
