// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/seedwidget.h"

#include "ui/common/icons.h"
#include "ui/common/retranslator.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QStyle>
#include <QStyleOptionSpinBox>
#include <QToolButton>

#include <algorithm>

namespace unclip::ui {

SeedSpinBox::SeedSpinBox(QWidget* parent) : QAbstractSpinBox(parent) {
    setObjectName("seedValue");
    lineEdit()->setText(QStringLiteral("0"));
    connect(lineEdit(), &QLineEdit::textEdited, this, &SeedSpinBox::takeText);
    connect(this, &QAbstractSpinBox::editingFinished, this, [this] { lineEdit()->setText(QString::number(m_value)); });
}

void SeedSpinBox::setValue(quint64 value) {
    value = std::min(value, kMaxSeed);
    const bool changed = value != m_value;
    m_value = value;
    if (lineEdit()->text() != QString::number(value)) lineEdit()->setText(QString::number(value));
    if (changed) Q_EMIT valueChanged(value);
}

void SeedSpinBox::takeText() {
    bool ok = false;
    const quint64 v = lineEdit()->text().toULongLong(&ok);
    if (ok && v <= kMaxSeed && v != m_value) {
        m_value = v;
        Q_EMIT valueChanged(v);
    }
}

void SeedSpinBox::stepBy(int steps) {
    const qint64 s = steps;
    quint64 v = m_value;
    if (s < 0) v = quint64(-s) > v ? 0 : v - quint64(-s);
    else v = kMaxSeed - v < quint64(s) ? kMaxSeed : v + quint64(s);
    setValue(v);
    selectAll();
}

QAbstractSpinBox::StepEnabled SeedSpinBox::stepEnabled() const {
    StepEnabled e = StepNone;
    if (m_value > 0) e |= StepDownEnabled;
    if (m_value < kMaxSeed) e |= StepUpEnabled;
    return e;
}

QValidator::State SeedSpinBox::validate(QString& input, int&) const {
    if (input.isEmpty()) return QValidator::Intermediate;
    for (QChar c : input)
        if (!c.isDigit()) return QValidator::Invalid;
    bool ok = false;
    const quint64 v = input.toULongLong(&ok);
    return ok && v <= kMaxSeed ? QValidator::Acceptable : QValidator::Invalid;
}

void SeedSpinBox::fixup(QString& input) const { input = QString::number(m_value); }

QSize SeedSpinBox::sizeHint() const {
    // Room for the widest seed; the box may be squeezed to a dozen digits before it scrolls.
    ensurePolished();
    const int w = fontMetrics().horizontalAdvance(QString::number(kMaxSeed)) + 4;
    QStyleOptionSpinBox opt;
    initStyleOption(&opt);
    const QSize content(w, lineEdit()->sizeHint().height());
    return style()->sizeFromContents(QStyle::CT_SpinBox, &opt, content, this);
}

QSize SeedSpinBox::minimumSizeHint() const {
    ensurePolished();
    const int w = fontMetrics().horizontalAdvance(QStringLiteral("0000000000")) + 4;
    QStyleOptionSpinBox opt;
    initStyleOption(&opt);
    return style()->sizeFromContents(QStyle::CT_SpinBox, &opt, QSize(w, lineEdit()->minimumSizeHint().height()), this);
}

SeedWidget::SeedWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("seed");
    auto* rt = new Retranslator(this);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_spin = new SeedSpinBox(this);
    m_lock = new QToolButton(this);
    m_lock->setObjectName("seedLock");
    m_lock->setCheckable(true);
    m_lock->setIcon(themedIcon("lock"));
    rt->toolTip(m_lock, QT_TR_NOOP("Lock the seed (otherwise every run draws a new one)"));
    m_dice = new QToolButton(this);
    m_dice->setObjectName("seedDice");
    m_dice->setIcon(themedIcon("dice"));
    rt->toolTip(m_dice, QT_TR_NOOP("Draw a random seed"));
    row->addWidget(m_spin, 1);
    row->addWidget(m_lock);
    row->addWidget(m_dice);
    setFocusProxy(m_spin);  // a label's mnemonic focuses the number
    connect(m_dice, &QToolButton::clicked, this, &SeedWidget::roll);
    connect(m_spin, &SeedSpinBox::valueChanged, this, &SeedWidget::valueChanged);
}

quint64 SeedWidget::value() const { return m_spin->value(); }
void SeedWidget::setValue(quint64 seed) { m_spin->setValue(seed); }
bool SeedWidget::isLocked() const { return m_lock->isChecked(); }
void SeedWidget::setLocked(bool locked) { m_lock->setChecked(locked); }
void SeedWidget::roll() { m_spin->setValue(QRandomGenerator::global()->bounded(kMaxSeed + 1)); }

void SeedWidget::prepare() {
    if (!isLocked()) roll();
}

}  // namespace unclip::ui
