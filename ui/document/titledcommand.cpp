// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/titledcommand.h"

#include <QUndoStack>

namespace unclip::ui {

TitledCommand::TitledCommand(HistoryTitle title, QUndoCommand* parent)
    : QUndoCommand(parent), m_title(std::move(title)) {
    retitle();
}

void TitledCommand::setTitle(HistoryTitle title) {
    m_title = std::move(title);
    retitle();
}

void TitledCommand::retitle() {
    if (m_title) setText(m_title());
}

namespace {
// QUndoStack and QUndoCommand hand out their steps as const only; the steps themselves are not
// const (the stack owns them), and a new text changes nothing of what they undo or redo.
void retitle(const QUndoCommand* command) {
    if (const auto* titled = dynamic_cast<const TitledCommand*>(command)) const_cast<TitledCommand*>(titled)->retitle();
    for (int i = 0; i < command->childCount(); ++i) retitle(command->child(i));
}
}  // namespace

void retitleHistory(QUndoStack* stack) {
    for (int i = 0; i < stack->count(); ++i) retitle(stack->command(i));
}

}  // namespace unclip::ui
