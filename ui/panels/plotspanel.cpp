// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/plotspanel.h"

#include "ui/common/retranslator.h"
#include "ui/panels/qcustomplot_include.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <map>

namespace unclip::ui {

namespace {

QColor seriesColor(int index, bool text) {
    // A blue, B orange; the text series use the same hue, darker and dashed.
    static const QColor base[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                  QColor(0xd6, 0x27, 0x28)};
    const QColor c = base[index % 4];
    return text ? c.darker(130) : c;
}

QColor stageColor(pipeline::Stage stage) {
    switch (stage) {
    case pipeline::Stage::Prior: return QColor(0x94, 0x67, 0xbd);
    case pipeline::Stage::Decoder: return QColor(0x1f, 0x77, 0xb4);
    case pipeline::Stage::SuperRes: return QColor(0x2c, 0xa0, 0x2c);
    case pipeline::Stage::Invert: return QColor(0xff, 0x7f, 0x0e);
    }
    return QColor(0x7f, 0x7f, 0x7f);
}

QLabel* titleLabel(QWidget* parent) {
    auto* l = new QLabel(parent);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    l->setWordWrap(true);
    return l;
}

// Puts the legend in a row of its own above the axes while it has entries; an empty legend row
// would squeeze the axes.
void placeLegend(QCustomPlot* plot) {
    QCPLayoutGrid* grid = plot->plotLayout();
    const bool placed = grid->rowCount() > 1 && grid->hasElement(0, 0) && grid->element(0, 0) == plot->legend;
    const bool want = plot->legend->itemCount() > 0;
    plot->legend->setVisible(want);
    if (want && !placed) {
        grid->insertRow(0);
        grid->addElement(0, 0, plot->legend);
        grid->setRowStretchFactor(0, 0.001);
    } else if (!want && placed) {
        grid->take(plot->legend);
        grid->simplify();
    }
}

}  // namespace

PlotsPanel::PlotsPanel(QWidget* parent) : QWidget(parent) {
    setObjectName("plotsPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Plots"));
    auto* layout = new QVBoxLayout(this);
    m_similarityTitle = titleLabel(this);
    m_similarityTitle->setObjectName("similarityTitle");
    m_similarity = new QCustomPlot(this);
    m_similarity->setObjectName("similarityPlot");
    m_similarity->setMinimumSize(280, 180);
    m_timingTitle = titleLabel(this);
    m_timingTitle->setObjectName("timingTitle");
    m_timing = new QCustomPlot(this);
    m_timing->setObjectName("timingPlot");
    m_timing->setMinimumSize(280, 150);
    layout->addWidget(m_similarityTitle);
    layout->addWidget(m_similarity, 3);
    layout->addWidget(m_timingTitle);
    layout->addWidget(m_timing, 2);

    for (QCustomPlot* p : {m_similarity, m_timing}) styleAxes(p);
    m_similarity->xAxis->setRange(0.0, 1.0);
    m_similarity->yAxis->setRange(0.0, 1.0);
    for (QCustomPlot* p : {m_similarity, m_timing}) {
        // The legend in a row of its own above the axes, entries side by side: never over the data.
        p->legend->setVisible(true);
        p->legend->setBrush(Qt::NoBrush);
        p->legend->setBorderPen(Qt::NoPen);
        p->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        p->legend->setTextColor(palette().text().color());
        p->legend->setMargins(QMargins(4, 2, 4, 0));
        p->axisRect()->insetLayout()->take(p->legend);  // placed above the axes while it has entries
        p->legend->setVisible(false);
    }
    m_cursor = new QCPItemStraightLine(m_similarity);
    m_cursor->setPen(QPen(QColor(0, 0, 0, 110), 1.5, Qt::DashLine));
    m_cursor->point1->setCoords(0.0, 0.0);
    m_cursor->point2->setCoords(0.0, 1.0);
    // Titles, axis labels and legends: what they say is made again from the plots' data.
    rt->add([this] { nameSimilarityPlot(); });
    rt->add([this] { nameTimingPlot(); });
}

void PlotsPanel::styleAxes(QCustomPlot* plot) {
    plot->setAntialiasedElements(QCP::aeAll);
    plot->setBackground(palette().base());
    for (QCPAxis* a : {plot->xAxis, plot->yAxis}) {
        a->grid()->setPen(QPen(QColor(0, 0, 0, 30), 1, Qt::SolidLine));
        a->grid()->setSubGridVisible(false);
        a->setBasePen(QPen(palette().text().color(), 1));
        a->setTickPen(QPen(palette().text().color(), 1));
        a->setSubTickPen(Qt::NoPen);
        a->setTickLabelColor(palette().text().color());
        a->setLabelColor(palette().text().color());
    }
}

void PlotsPanel::nameSimilarityPlot() {
    m_similarity->xAxis->setLabel(tr("interpolation position (A → B)"));
    m_similarity->yAxis->setLabel(tr("CLIP similarity"));
    for (int c = 0; c < m_similarity->graphCount(); ++c) m_similarity->graph(c)->setName(m_similarityData.name(c));
    m_similarityTitle->setText(m_similarityData.values.isEmpty()
                                   ? tr("Similarity of each frame to A and B (render an interpolation)")
                                   : tr("Similarity of each frame to A and B"));
    m_similarity->replot();
}

void PlotsPanel::nameTimingPlot() {
    m_timing->xAxis->setLabel(tr("step"));
    m_timing->yAxis->setLabel(tr("ms"));
    for (int i = 0; i < m_timing->plottableCount() && i < m_timingStages.size(); ++i)
        m_timing->plottable(i)->setName(stageDisplayName(m_timingStages[i]));
    m_timingTitle->setText(!m_timingMode ? tr("Time per step of the last run (none yet)")
                                         : tr("Time per step of the last run: %1, %2 s in all")
                                               .arg(modeDisplayName(*m_timingMode))
                                               .arg(QLocale().toString(m_timingTotalMs / 1000.0, 'f', 2)));
    m_timing->replot();
}

void PlotsPanel::setSimilarity(const InterpolationPanel::Similarity& s) {
    m_similarity->clearGraphs();
    m_similarityData = s;
    double lo = 1.0, hi = -1.0;
    for (int c = 0; c < s.values.size(); ++c) {
        const bool text = c < s.textSeries.size() && s.textSeries[c];
        const QList<double>& v = s.values[c];
        QCPGraph* g = m_similarity->addGraph();
        const QColor color = seriesColor(s.endpointB.value(c) ? 1 : 0, text);
        QPen pen(color, 2.2, text ? Qt::DashLine : Qt::SolidLine);
        g->setPen(pen);
        g->setScatterStyle(QCPScatterStyle(text ? QCPScatterStyle::ssDiamond : QCPScatterStyle::ssCircle, color,
                                           text ? color : QColor(Qt::white), 7));
        g->setLineStyle(QCPGraph::lsLine);
        QVector<double> x, y;
        for (int i = 0; i < v.size() && i < s.positions.size(); ++i) {
            x.append(s.positions[i]);
            y.append(v[i]);
            lo = std::min(lo, v[i]);
            hi = std::max(hi, v[i]);
        }
        g->setData(x, y, true);
    }
    if (hi >= lo) {
        const double pad = std::max(0.02, (hi - lo) * 0.12);
        m_similarity->yAxis->setRange(lo - pad, hi + pad);
    } else {
        m_similarity->yAxis->setRange(0.0, 1.0);
    }
    m_cursor->point2->setCoords(m_cursor->point1->coords().x(), m_similarity->yAxis->range().upper);
    m_similarity->xAxis->setRange(-0.02, 1.02);
    placeLegend(m_similarity);
    nameSimilarityPlot();
}

void PlotsPanel::setCursorPosition(double position) {
    m_cursor->point1->setCoords(position, 0.0);
    m_cursor->point2->setCoords(position, 1.0);
    m_similarity->replot(QCustomPlot::rpQueuedReplot);
}

void PlotsPanel::setTimings(const QList<StepTiming>& timings, pipeline::Mode mode) {
    m_timing->clearPlottables();
    m_timingStages.clear();
    m_timingMode = mode;
    m_timingTotalMs = timings.isEmpty() ? 0.0 : timings.last().ms;
    // One bar series per stage, in the order the stages ran.
    std::map<pipeline::Stage, QCPBars*> bars;
    double previous = 0.0, longest = 0.0;
    for (int i = 0; i < timings.size(); ++i) {
        const StepTiming& t = timings[i];
        const double ms = std::max(0.0, t.ms - previous);
        previous = t.ms;
        if (!bars.count(t.stage)) {
            auto* b = new QCPBars(m_timing->xAxis, m_timing->yAxis);
            m_timingStages << t.stage;  // named by nameTimingPlot()
            const QColor c = stageColor(t.stage);
            b->setPen(QPen(c.darker(120), 1));
            b->setBrush(c);
            b->setWidth(0.8);
            bars[t.stage] = b;
        }
        bars[t.stage]->addData(i + 1, ms);
        longest = std::max(longest, ms);
    }
    m_timing->xAxis->setRange(0.0, std::max<double>(2.0, timings.size() + 1));
    m_timing->yAxis->setRange(0.0, std::max(1.0, longest * 1.08));
    placeLegend(m_timing);
    nameTimingPlot();
}

}  // namespace unclip::ui
