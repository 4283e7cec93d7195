// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// File > Keyboard Shortcuts: every menu action with its key, editable; a key given to two actions
// is refused with the names of both. The keys are kept in QSettings ("shortcuts/<action>").
#include <QDialog>
#include <QHash>
#include <QKeySequence>
#include <QList>

class QAction;
class QKeySequenceEdit;
class QLabel;
class QTableWidget;

namespace unclip::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT

public:
    // defaults: each action's keys as the program made them (Reset puts them back).
    ShortcutsDialog(const QList<QAction*>& actions, const QHash<QString, QList<QKeySequence>>& defaults,
                    QWidget* parent = nullptr);

    // The edit for an action (by object name), for tests.
    QKeySequenceEdit* editFor(const QString& actionName) const;
    QString problem() const;  // why OK was refused, or ""

    // Applies the saved keys to `actions` (at start and after OK).
    static void applySaved(const QList<QAction*>& actions);

public Q_SLOTS:
    void accept() override;
    void resetToDefaults();

private:
    QList<QAction*> m_actions;
    QHash<QString, QList<QKeySequence>> m_defaults;
    QTableWidget* m_table;
    QLabel* m_problem;
};

}  // namespace unclip::ui
