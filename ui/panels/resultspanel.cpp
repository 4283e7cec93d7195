// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/resultspanel.h"

#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/fileformats/documentio.h"
#include "ui/panels/imageslot.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
constexpr int kResultThumb = 112;
}

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
    setObjectName("resultsPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Results"));
    auto* layout = new QHBoxLayout(this);
    auto* previewBox = new QVBoxLayout;
    m_preview = new QLabel(this);
    m_preview->setObjectName("preview");
    m_preview->setFixedSize(kResultThumb, kResultThumb);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_previewCaption = new QLabel(this);
    rt->add([this] {
        if (m_preview->pixmap().isNull()) m_previewCaption->setText(tr("No job running"));
    });
    m_previewCaption->setAlignment(Qt::AlignCenter);
    m_previewCaption->setWordWrap(true);
    m_previewCaption->setMaximumWidth(kResultThumb + 20);
    previewBox->addWidget(m_preview);
    previewBox->addWidget(m_previewCaption);
    previewBox->addStretch(1);
    layout->addLayout(previewBox);

    m_list = new QListWidget(this);
    m_list->setObjectName("results");
    m_list->setViewMode(QListView::IconMode);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(false);
    m_list->setMovement(QListView::Static);
    m_list->setIconSize(QSize(kResultThumb, kResultThumb));
    m_list->setSpacing(4);
    // A fixed cell: thumbnails of any aspect ratio keep their caption in view.
    m_list->setGridSize(QSize(kResultThumb + 16, kResultThumb + 28));
    m_list->setMinimumHeight(kResultThumb + 44);
    // Thumbnails can be dragged onto the embedding tools' image slots (after setMovement, which
    // turns dragging off for Static).
    m_list->setDragEnabled(true);
    m_list->setDragDropMode(QAbstractItemView::DragOnly);
    layout->addWidget(m_list, 1);

    auto* buttons = new QVBoxLayout;
    m_apply = new QPushButton(themedIcon("apply"), QString(), this);
    m_apply->setObjectName("applyButton");
    rt->text(m_apply, QT_TR_NOOP("&Apply"));
    rt->toolTip(m_apply, QT_TR_NOOP("Put the selected result into the picture (inpainting: only the masked area)"));
    m_upscale = new QPushButton(themedIcon("zoom-in"), QString(), this);
    m_upscale->setObjectName("upscaleButton");
    rt->text(m_upscale, QT_TR_NOOP("&Upscale"));
    rt->toolTip(m_upscale, QT_TR_NOOP("Run the super-resolution stage for this quick candidate (the same picture a "
                                      "full run would give)"));
    m_remove = new QPushButton(this);
    rt->text(m_remove, QT_TR_NOOP("&Remove"));
    m_clear = new QPushButton(this);
    rt->text(m_clear, QT_TR_NOOP("C&lear All"));
    buttons->addWidget(m_apply);
    buttons->addWidget(m_upscale);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(m_apply, &QPushButton::clicked, this, &ResultsPanel::applyCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ResultsPanel::removeCurrent);
    connect(m_clear, &QPushButton::clicked, this, &ResultsPanel::clear);
    connect(m_upscale, &QPushButton::clicked, this, &ResultsPanel::upscaleCurrent);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &ResultsPanel::activate);
    rt->add([this] {
        for (int i = 0; i < m_list->count() && i < m_results.size(); ++i) {
            m_list->item(i)->setText(labelFor(m_results.at(i)));
            m_list->item(i)->setToolTip(tipFor(m_results.at(i)));
        }
    });
    connect(m_list, &QListWidget::currentRowChanged, this, &ResultsPanel::updateButtons);
    connect(m_list, &QListWidget::currentRowChanged, this, &ResultsPanel::currentResultChanged);
    updateButtons();
}

void ResultsPanel::addResult(const GenerationResult& result) {
    m_results.append(result);
    const QPixmap thumb = QPixmap::fromImage(result.image.scaled(kResultThumb, kResultThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    auto* item = new QListWidgetItem(QIcon(thumb), labelFor(result));
    item->setToolTip(tipFor(result));
    item->setData(kFullImageRole, result.image);  // a dragged thumbnail brings the full image (ImageSlot)
    m_list->addItem(item);
    m_list->setCurrentRow(m_list->count() - 1);
    m_list->scrollToItem(item);
    updateButtons();
}

QString ResultsPanel::labelFor(const GenerationResult& result) const {
    const int index = result.recipe.value("index").toInt(-1);
    if (isCandidate(result))
        return tr("Candidate #%1 · %2 px").arg(index + 1).arg(result.image.width());
    return result.params.batch > 1 && index >= 0 ? tr("Seed %1 · #%2").arg(result.params.sampling.seed).arg(index + 1)
                                                 : tr("Seed %1").arg(result.params.sampling.seed);
}

QString ResultsPanel::tipFor(const GenerationResult& result) {
    QString tip = modeDisplayName(result.params.mode);
    const QString summary = recipeSummary(result.recipe);
    if (!summary.isEmpty()) tip += "\n" + summary;
    return tip;
}

bool ResultsPanel::isCandidate(const GenerationResult& result) { return result.recipe.value("candidate").toBool(); }

int ResultsPanel::currentIndex() const { return m_list->currentRow(); }
void ResultsPanel::setCurrentIndex(int index) { m_list->setCurrentRow(index); }

void ResultsPanel::showPreview(const QImage& preview, const QString& caption) {
    if (!preview.isNull())
        m_preview->setPixmap(QPixmap::fromImage(preview.scaled(kResultThumb, kResultThumb, Qt::KeepAspectRatio, Qt::FastTransformation)));
    m_previewCaption->setText(caption);
}

void ResultsPanel::clearPreview() {
    m_preview->clear();
    m_previewCaption->setText(tr("No job running"));
}

void ResultsPanel::applyCurrent() {
    const int i = currentIndex();
    if (i >= 0 && i < m_results.size()) Q_EMIT applyRequested(m_results.at(i));
}

void ResultsPanel::upscaleCurrent() {
    const int i = currentIndex();
    if (i >= 0 && i < m_results.size() && isCandidate(m_results.at(i))) Q_EMIT upscaleRequested(m_results.at(i));
}

void ResultsPanel::activate() {
    const int i = currentIndex();
    if (i < 0 || i >= m_results.size()) return;
    if (isCandidate(m_results.at(i))) upscaleCurrent();
    else applyCurrent();
}

void ResultsPanel::removeCurrent() {
    const int i = currentIndex();
    if (i < 0 || i >= m_results.size()) return;
    m_results.removeAt(i);
    delete m_list->takeItem(i);
    updateButtons();
}

void ResultsPanel::clear() {
    m_results.clear();
    m_list->clear();
    updateButtons();
}

void ResultsPanel::updateButtons() {
    const bool has = currentIndex() >= 0;
    const bool candidate = has && currentIndex() < m_results.size() && isCandidate(m_results.at(currentIndex()));
    m_apply->setEnabled(has);
    m_upscale->setVisible(candidate);
    m_remove->setEnabled(has);
    m_clear->setEnabled(!m_results.isEmpty());
}

}  // namespace unclip::ui
