// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow/shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
QString settingsKey(const QAction* a) { return QStringLiteral("shortcuts/") + a->objectName(); }
}  // namespace

ShortcutsDialog::ShortcutsDialog(const QList<QAction*>& actions, const QHash<QString, QList<QKeySequence>>& defaults,
                                 QWidget* parent)
    : QDialog(parent), m_actions(actions), m_defaults(defaults) {
    setObjectName("shortcutsDialog");
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto* layout = new QVBoxLayout(this);
    m_table = new QTableWidget(int(actions.size()), 2, this);
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Key")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (int row = 0; row < actions.size(); ++row) {
        QAction* a = actions.at(row);
        auto* name = new QTableWidgetItem(QString(a->text()).remove('&'));
        name->setFlags(Qt::ItemIsEnabled);
        name->setToolTip(a->statusTip());
        m_table->setItem(row, 0, name);
        auto* edit = new QKeySequenceEdit(a->shortcut(), m_table);
        edit->setObjectName(a->objectName());
        m_table->setCellWidget(row, 1, edit);
    }
    layout->addWidget(m_table, 1);
    m_problem = new QLabel(this);
    m_problem->setObjectName("problem");
    m_problem->setWordWrap(true);
    m_problem->setVisible(false);
    layout->addWidget(m_problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ShortcutsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, &ShortcutsDialog::resetToDefaults);
    layout->addWidget(buttons);
    resize(520, 560);
}

QKeySequenceEdit* ShortcutsDialog::editFor(const QString& actionName) const {
    return m_table->findChild<QKeySequenceEdit*>(actionName);
}

QString ShortcutsDialog::problem() const { return m_problem->isVisible() ? m_problem->text() : QString(); }

void ShortcutsDialog::resetToDefaults() {
    for (QAction* a : m_actions)
        if (QKeySequenceEdit* e = editFor(a->objectName())) e->setKeySequence(m_defaults.value(a->objectName()).value(0));
}

void ShortcutsDialog::accept() {
    // One key, one action: Qt would otherwise refuse the key as ambiguous on both.
    QHash<QKeySequence, QAction*> owner;
    for (QAction* a : m_actions) {
        const QKeySequence key = editFor(a->objectName())->keySequence();
        if (key.isEmpty()) continue;
        if (QAction* other = owner.value(key)) {
            m_problem->setText(tr("%1 is given to both “%2” and “%3”: change one of them.")
                                   .arg(key.toString(QKeySequence::NativeText), QString(other->text()).remove('&'),
                                        QString(a->text()).remove('&')));
            m_problem->setVisible(true);
            return;
        }
        owner.insert(key, a);
    }
    QSettings s;
    for (QAction* a : m_actions) {
        const QKeySequence key = editFor(a->objectName())->keySequence();
        const QList<QKeySequence> defaults = m_defaults.value(a->objectName());
        if (key == defaults.value(0)) {
            s.remove(settingsKey(a));  // the default (with its second key, e.g. Ctrl+Enter)
            a->setShortcuts(defaults);
        } else {
            s.setValue(settingsKey(a), key.toString(QKeySequence::PortableText));
            a->setShortcut(key);
        }
    }
    QDialog::accept();
}

void ShortcutsDialog::applySaved(const QList<QAction*>& actions) {
    QSettings s;
    for (QAction* a : actions)
        if (s.contains(settingsKey(a)))
            a->setShortcut(QKeySequence::fromString(s.value(settingsKey(a)).toString(), QKeySequence::PortableText));
}

}  // namespace unclip::ui
