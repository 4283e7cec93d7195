// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow/canvassizedialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
const Qt::Alignment kAnchors[9] = {
    Qt::AlignLeft | Qt::AlignTop,    Qt::AlignHCenter | Qt::AlignTop,    Qt::AlignRight | Qt::AlignTop,
    Qt::AlignLeft | Qt::AlignVCenter, Qt::AlignCenter,                   Qt::AlignRight | Qt::AlignVCenter,
    Qt::AlignLeft | Qt::AlignBottom, Qt::AlignHCenter | Qt::AlignBottom, Qt::AlignRight | Qt::AlignBottom};
const char* const kArrows[9] = {"↖", "↑", "↗", "←", "●", "→", "↙", "↓", "↘"};
}  // namespace

CanvasSizeDialog::CanvasSizeDialog(const QSize& current, int maxSide, QWidget* parent)
    : QDialog(parent), m_current(current) {
    setObjectName("canvasSizeDialog");
    setWindowTitle(tr("Canvas Size"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_width = new QSpinBox(this);
    m_width->setObjectName("width");
    m_width->setRange(1, maxSide);
    m_width->setSuffix(tr(" px"));
    m_width->setValue(current.width());
    m_height = new QSpinBox(this);
    m_height->setObjectName("height");
    m_height->setRange(1, maxSide);
    m_height->setSuffix(tr(" px"));
    m_height->setValue(current.height());
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Height:"), m_height);

    auto* grid = new QGridLayout;
    grid->setSpacing(2);
    m_anchors = new QButtonGroup(this);
    for (int i = 0; i < 9; ++i) {
        auto* b = new QToolButton(this);
        b->setObjectName(QStringLiteral("anchor%1").arg(i));
        b->setText(QString::fromUtf8(kArrows[i]));
        b->setCheckable(true);
        b->setFixedSize(28, 28);
        b->setToolTip(tr("Keep the picture here; the canvas grows away from it"));
        m_anchors->addButton(b, i);
        grid->addWidget(b, i / 3, i % 3);
    }
    auto* gridBox = new QWidget(this);
    gridBox->setLayout(grid);
    form->addRow(tr("&Anchor:"), gridBox);

    m_fill = new QComboBox(this);
    m_fill->setObjectName("fill");
    m_fill->addItem(tr("Edge pixels (best start for outpainting)"), int(CanvasFill::Edge));
    m_fill->addItem(tr("White"), int(CanvasFill::Color));
    m_fill->addItem(tr("Transparent"), int(CanvasFill::Transparent));
    form->addRow(tr("&Fill new area with:"), m_fill);
    m_mask = new QCheckBox(tr("&Mask the new area (then Generate in Inpaint mode outpaints it)"), this);
    m_mask->setObjectName("maskNewArea");
    m_mask->setChecked(true);
    form->addRow(QString(), m_mask);
    layout->addLayout(form);
    m_summary = new QLabel(this);
    m_summary->setObjectName("summary");
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);

    connect(m_width, &QSpinBox::valueChanged, this, &CanvasSizeDialog::updateSummary);
    connect(m_height, &QSpinBox::valueChanged, this, &CanvasSizeDialog::updateSummary);
    connect(m_anchors, &QButtonGroup::idClicked, this, &CanvasSizeDialog::updateSummary);
    setAnchor(Qt::AlignCenter);
}

QSize CanvasSizeDialog::newSize() const { return QSize(m_width->value(), m_height->value()); }

void CanvasSizeDialog::setNewSize(const QSize& size) {
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}

Qt::Alignment CanvasSizeDialog::anchor() const {
    const int id = m_anchors->checkedId();
    return id < 0 ? Qt::Alignment(Qt::AlignCenter) : kAnchors[id];
}

void CanvasSizeDialog::setAnchor(Qt::Alignment anchor) {
    for (int i = 0; i < 9; ++i)
        if (kAnchors[i] == anchor) m_anchors->button(i)->setChecked(true);
    updateSummary();
}

CanvasFill CanvasSizeDialog::fill() const { return CanvasFill(m_fill->currentData().toInt()); }

void CanvasSizeDialog::setFill(CanvasFill fill) { m_fill->setCurrentIndex(m_fill->findData(int(fill))); }

bool CanvasSizeDialog::maskNewArea() const { return m_mask->isChecked(); }

void CanvasSizeDialog::updateSummary() {
    const QMargins m = margins();
    m_summary->setText(tr("%1 × %2 → %3 × %4 (left %5, top %6, right %7, bottom %8 px; negative values crop)")
                           .arg(m_current.width())
                           .arg(m_current.height())
                           .arg(newSize().width())
                           .arg(newSize().height())
                           .arg(m.left())
                           .arg(m.top())
                           .arg(m.right())
                           .arg(m.bottom()));
}

}  // namespace unclip::ui
