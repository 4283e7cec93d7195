#pragma once
// The Plots dock (QCustomPlot): along the interpolation slider, the CLIP similarity of every
// rendered frame to A and to B (and to their texts), with a line following the slider; and how
// long each step of the last run took, one bar per step, coloured by stage.
#include "ui/inference/generation.h"
#include "ui/panels/interpolationpanel.h"

#include <QWidget>

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
    // `what`: the kind of run ("Variations"); timings as the worker recorded them.
    void setTimings(const QList<unclip::ui::StepTiming>& timings, const QString& what);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void styleAxes(QCustomPlot* plot);

    QCustomPlot* m_similarity;
    QCustomPlot* m_timing;
    QCPItemStraightLine* m_cursor;
    QLabel* m_similarityTitle;
    QLabel* m_timingTitle;
    QString m_timingWhat;
    double m_timingTotalMs = 0.0;
    bool m_haveSimilarity = false;
};

}  // namespace unclip::ui
