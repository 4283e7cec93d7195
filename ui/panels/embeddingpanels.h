// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Creates the embedding-tool docks (Variations, Interpolation, Text diff, Plots) in a main
// window: the first three tabbed with the Prompt dock, Plots beside the Results dock, wired to the
// inference controller, to each other and to the status bar.
#include "ui/panels/panelcontext.h"

#include <QString>
#include <Qt>

#include <functional>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace unclip::ui {

class InterpolationPanel;
class PlotsPanel;
class TextDiffPanel;
class VariationsPanel;

struct EmbeddingPanels {
    VariationsPanel* variations = nullptr;
    InterpolationPanel* interpolation = nullptr;
    TextDiffPanel* textDiff = nullptr;
    PlotsPanel* plots = nullptr;
};

using AddPanelFunction =
    std::function<QDockWidget*(QWidget* widget, const QString& title, const QString& objectName, Qt::DockWidgetArea area)>;

EmbeddingPanels createEmbeddingPanels(QMainWindow* window, const PanelContext& context, const AddPanelFunction& addPanel,
                                      const std::function<void(const QString&)>& showStatus);

}  // namespace unclip::ui
