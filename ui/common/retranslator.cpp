// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/retranslator.h"

#include <QAbstractButton>
#include <QAction>
#include <QCoreApplication>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QWidget>

namespace unclip::ui {

Retranslator::Retranslator(QWidget* owner, const char* context)
    : QObject(owner), m_context(context ? QByteArray(context) : QByteArray(owner->metaObject()->className())) {
    owner->installEventFilter(this);
}

QString Retranslator::t(const char* source, const char* disambiguation, int n) const {
    return QCoreApplication::translate(m_context.constData(), source, disambiguation, n);
}

void Retranslator::add(std::function<void()> setter) {
    setter();
    m_setters.push_back(std::move(setter));
}

QLabel* Retranslator::label(const char* source, QWidget* parent, QWidget* buddy) {
    auto* l = new QLabel(parent);
    if (buddy) l->setBuddy(buddy);
    text(l, source);
    return l;
}

void Retranslator::text(QLabel* label, const char* source) {
    add([this, label, source] { label->setText(t(source)); });
}

void Retranslator::text(QAbstractButton* button, const char* source) {
    add([this, button, source] { button->setText(t(source)); });
}

void Retranslator::text(QAction* action, const char* source) {
    add([this, action, source] { action->setText(t(source)); });
}

void Retranslator::placeholderText(QLineEdit* edit, const char* source) {
    add([this, edit, source] { edit->setPlaceholderText(t(source)); });
}

void Retranslator::toolTip(QWidget* widget, const char* source) {
    add([this, widget, source] { widget->setToolTip(t(source)); });
}

void Retranslator::windowTitle(QWidget* widget, const char* source) {
    add([this, widget, source] { widget->setWindowTitle(t(source)); });
}

void Retranslator::retranslate() {
    for (const auto& f : m_setters) f();
}

bool Retranslator::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::LanguageChange && watched == parent()) retranslate();
    return QObject::eventFilter(watched, event);
}

}  // namespace unclip::ui
