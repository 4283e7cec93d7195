// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/embeddingpanels.h"

#include "ui/inference/inferencecontroller.h"
#include "ui/panels/interpolationpanel.h"
#include "ui/panels/plotspanel.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/panels/variationspanel.h"

#include <QDockWidget>
#include <QMainWindow>

namespace unclip::ui {

EmbeddingPanels createEmbeddingPanels(QMainWindow* window, const PanelContext& context, const AddPanelFunction& addPanel,
                                      const std::function<void(const QString&)>& showStatus) {
    EmbeddingPanels p;
    p.variations = new VariationsPanel(context, window);
    p.interpolation = new InterpolationPanel(context, window);
    p.textDiff = new TextDiffPanel(context, window);
    p.plots = new PlotsPanel(window);

    auto dock = [&](QWidget* panel, const char* name, Qt::DockWidgetArea area) {
        QDockWidget* d = addPanel(panel, panel->windowTitle(), QString::fromLatin1(name), area);
        QObject::connect(panel, &QWidget::windowTitleChanged, d, &QDockWidget::setWindowTitle);
        return d;
    };
    QDockWidget* variations = dock(p.variations, "variationsDock", Qt::RightDockWidgetArea);
    QDockWidget* interpolation = dock(p.interpolation, "interpolationDock", Qt::RightDockWidgetArea);
    QDockWidget* textDiff = dock(p.textDiff, "textDiffDock", Qt::RightDockWidgetArea);
    QDockWidget* plots = dock(p.plots, "plotsDock", Qt::BottomDockWidgetArea);
    if (auto* prompt = window->findChild<QDockWidget*>("promptDock")) {
        window->tabifyDockWidget(prompt, variations);
        window->tabifyDockWidget(variations, interpolation);
        window->tabifyDockWidget(interpolation, textDiff);
        prompt->raise();
    }
    // Plots share the Results place as a tab: side by side they do not fit a small screen.
    if (auto* results = window->findChild<QDockWidget*>("resultsDock")) {
        window->tabifyDockWidget(results, plots);
        results->raise();
    }

    for (EmbeddingPanel* panel : std::initializer_list<EmbeddingPanel*>{p.variations, p.interpolation, p.textDiff})
        QObject::connect(panel, &EmbeddingPanel::message, window, [showStatus](const QString& text) {
            if (showStatus && !text.isEmpty()) showStatus(text);
        });
    QObject::connect(p.interpolation, &InterpolationPanel::similarityChanged, p.plots,
                     [p] { p.plots->setSimilarity(p.interpolation->similarity()); });
    QObject::connect(p.interpolation, &InterpolationPanel::sliderPositionChanged, p.plots, &PlotsPanel::setCursorPosition);
    if (context.inference)
        QObject::connect(context.inference, &InferenceController::jobFinished, p.plots,
                         [p](const GenerationJob& job, const GenerationOutput& out) {
                             if (!out.timings.isEmpty()) p.plots->setTimings(out.timings, job.params.mode);
                         });
    return p;
}

}  // namespace unclip::ui
