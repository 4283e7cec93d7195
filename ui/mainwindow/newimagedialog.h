// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// File > New: the size and background of a blank picture.
#include <QColor>
#include <QDialog>
#include <QSize>

class QComboBox;
class QSpinBox;

namespace unclip::ui {

class NewImageDialog : public QDialog {
    Q_OBJECT

public:
    explicit NewImageDialog(QWidget* parent = nullptr);
    QSize imageSize() const;
    void setImageSize(const QSize& size);
    QColor background() const;

    static constexpr int kMaxSide = 16384;

private:
    QSpinBox* m_width;
    QSpinBox* m_height;
    QComboBox* m_preset;
    QComboBox* m_background;
};

}  // namespace unclip::ui
