// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// History steps that can name themselves again. QUndoCommand keeps its text as a fixed string,
// translated once when the step was made; after a live language switch the History dock and the
// Undo/Redo actions would keep the old language. A TitledCommand keeps how to make its name (a
// function over the values it needs, translating at call time) and retitleHistory() asks every
// step of a stack for its name again.
#include <QString>
#include <QUndoCommand>

#include <functional>

class QUndoStack;

namespace unclip::ui {

// Makes a step's name in the current language, e.g.
// [w, h] { return MainWindow::tr("Canvas size %1 × %2").arg(w).arg(h); }
using HistoryTitle = std::function<QString()>;

class TitledCommand : public QUndoCommand {
public:
    explicit TitledCommand(HistoryTitle title, QUndoCommand* parent = nullptr);

    // Replaces how the step is named (and names it now), e.g. when steps merge.
    void setTitle(HistoryTitle title);
    // Sets the text again from the title (after a language change).
    void retitle();

private:
    HistoryTitle m_title;
};

// Renames every TitledCommand on `stack` (and their children) in the current language. Views of
// the stack read the texts when they paint; a QUndoView keeps its row layout until it is laid out
// again (QUndoView::doItemsLayout()).
void retitleHistory(QUndoStack* stack);

}  // namespace unclip::ui
