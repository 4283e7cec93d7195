// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one seed field every panel uses (Prompt, Variations, Interpolation, Text diff): a 64-bit
// number box, a lock (locked: every run uses the seed shown; unlocked: each run draws a new one)
// and a dice button that draws one now.
#include <QAbstractSpinBox>
#include <QWidget>

class QToolButton;

namespace unclip::ui {

// Recipes keep the seed as a JSON number, which is exact up to 2^53: larger seeds would not
// re-run the same picture.
inline constexpr quint64 kMaxSeed = (quint64(1) << 53) - 1;

// A spin box for 0..kMaxSeed (QSpinBox stops at 2^31 - 1). Digits only, no group separators:
// a seed is copied and pasted, not read as an amount.
class SeedSpinBox : public QAbstractSpinBox {
    Q_OBJECT

public:
    explicit SeedSpinBox(QWidget* parent = nullptr);
    quint64 value() const { return m_value; }
    void setValue(quint64 value);

    void stepBy(int steps) override;
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void valueChanged(quint64 value);

protected:
    StepEnabled stepEnabled() const override;

private:
    void takeText();
    quint64 m_value = 0;
};

class SeedWidget : public QWidget {
    Q_OBJECT

public:
    explicit SeedWidget(QWidget* parent = nullptr);

    quint64 value() const;
    void setValue(quint64 seed);  // clamped to kMaxSeed
    bool isLocked() const;
    void setLocked(bool locked);
    void roll();     // a new random seed now
    void prepare();  // before a run: a new seed unless locked
    SeedSpinBox* spinBox() const { return m_spin; }

Q_SIGNALS:
    void valueChanged(quint64 seed);

private:
    SeedSpinBox* m_spin;
    QToolButton* m_lock;
    QToolButton* m_dice;
};

}  // namespace unclip::ui
