// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Image > Canvas Size: the new size, where the old picture sits (a 3 x 3 anchor grid), how the new
// area is filled, and whether it is masked for outpainting.
#include "ui/document/canvasresize.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace unclip::ui {

class CanvasSizeDialog : public QDialog {
    Q_OBJECT

public:
    CanvasSizeDialog(const QSize& current, int maxSide, QWidget* parent = nullptr);

    QSize newSize() const;
    void setNewSize(const QSize& size);
    Qt::Alignment anchor() const;
    void setAnchor(Qt::Alignment anchor);
    CanvasFill fill() const;
    void setFill(CanvasFill fill);
    bool maskNewArea() const;
    QMargins margins() const { return marginsForAnchor(m_current, newSize(), anchor()); }

private:
    void updateSummary();

    QSize m_current;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QButtonGroup* m_anchors;
    QComboBox* m_fill;
    QCheckBox* m_mask;
    QLabel* m_summary;
};

}  // namespace unclip::ui
