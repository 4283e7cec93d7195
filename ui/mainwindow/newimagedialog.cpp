// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow/newimagedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>
#include <QVBoxLayout>

namespace unclip::ui {

NewImageDialog::NewImageDialog(QWidget* parent) : QDialog(parent) {
    setObjectName("newImageDialog");
    setWindowTitle(tr("New Picture"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_preset = new QComboBox(this);
    m_preset->addItem(tr("Custom"), QSize());
    for (int s : {256, 512, 768, 1024, 2048}) m_preset->addItem(tr("%1 × %1 (square)").arg(s), QSize(s, s));
    m_preset->addItem(tr("1024 × 768 (landscape)"), QSize(1024, 768));
    m_preset->addItem(tr("768 × 1024 (portrait)"), QSize(768, 1024));
    form->addRow(tr("&Preset:"), m_preset);
    m_width = new QSpinBox(this);
    m_width->setObjectName("width");
    m_width->setRange(1, kMaxSide);
    m_width->setSuffix(tr(" px"));
    m_height = new QSpinBox(this);
    m_height->setObjectName("height");
    m_height->setRange(1, kMaxSide);
    m_height->setSuffix(tr(" px"));
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Height:"), m_height);
    m_background = new QComboBox(this);
    m_background->addItem(tr("White"), QColor(Qt::white));
    m_background->addItem(tr("Black"), QColor(Qt::black));
    m_background->addItem(tr("Transparent"), QColor(Qt::transparent));
    form->addRow(tr("&Background:"), m_background);
    layout->addLayout(form);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        const QSize s = m_preset->currentData().toSize();
        if (s.isValid()) setImageSize(s);
    });
    setImageSize(QSize(512, 512));
}

QSize NewImageDialog::imageSize() const { return QSize(m_width->value(), m_height->value()); }

void NewImageDialog::setImageSize(const QSize& size) {
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}

QColor NewImageDialog::background() const { return m_background->currentData().value<QColor>(); }

}  // namespace unclip::ui
