// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/variationspanel.h"

#include "ui/common/retranslator.h"
#include "ui/panels/imageslot.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
constexpr int kCell = 96;
}

VariationsPanel::VariationsPanel(const PanelContext& context, QWidget* parent)
    : EmbeddingPanel(context, QStringLiteral("variations"), parent) {
    setObjectName("variationsPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Variations"));
    auto* layout = new QVBoxLayout(this);
    m_source = new ImageSlot(context, false, this);
    m_source->setObjectName("source");
    rt->add([this] { m_source->setTitle(tr("Image to vary")); });
    layout->addWidget(m_source);

    auto* form = new QGridLayout;
    m_count = new QSpinBox(this);
    m_count->setObjectName("count");
    m_count->setRange(1, 16);
    m_count->setValue(4);
    m_structure = new QSlider(Qt::Horizontal, this);
    m_structure->setObjectName("structure");
    m_structure->setRange(0, 100);
    m_structure->setPageStep(10);
    rt->toolTip(m_structure, QT_TR_NOOP("0: free variations; 1: keep the layout of the image exactly (DDIM inversion)"));
    m_structureValue = new QLabel(this);
    m_structureValue->setObjectName("structureValue");
    m_structureValue->setMinimumWidth(36);
    form->addWidget(rt->label(QT_TR_NOOP("&Count:"), this, m_count), 0, 0);
    form->addWidget(m_count, 0, 1);
    form->addWidget(rt->label(QT_TR_NOOP("See&d:"), this, seedBox()), 0, 2);
    form->addWidget(seedBox(), 0, 3);
    form->addWidget(rt->label(QT_TR_NOOP("&Structure:"), this, m_structure), 1, 0);
    form->addWidget(m_structure, 1, 1, 1, 2);
    form->addWidget(m_structureValue, 1, 3);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    layout->addLayout(form);

    m_generate = new QPushButton(this);
    m_generate->setObjectName("generateButton");
    rt->text(m_generate, QT_TR_NOOP("Ma&ke variations"));
    rt->toolTip(m_generate, QT_TR_NOOP("Generate the variations in the background"));
    layout->addWidget(m_generate);
    layout->addWidget(progressRow());
    layout->addWidget(noteLabel());

    m_grid = new QListWidget(this);
    m_grid->setObjectName("grid");
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setMovement(QListView::Static);
    m_grid->setWrapping(true);
    m_grid->setIconSize(QSize(kCell, kCell));
    m_grid->setSpacing(4);
    m_grid->setUniformItemSizes(true);
    m_grid->setMinimumHeight(2 * kCell + 40);
    m_grid->setDragEnabled(true);
    m_grid->setDragDropMode(QAbstractItemView::DragOnly);
    layout->addWidget(m_grid, 1);
    rt->add([this] {
        if (m_job) updatePlaceholders();
        else
            for (int i = 0; i < m_grid->count() && i < m_results.size(); ++i) nameItem(i);
    });

    auto* buttons = new QHBoxLayout;
    m_apply = new QPushButton(this);
    m_apply->setObjectName("applyButton");
    rt->text(m_apply, QT_TR_NOOP("A&pply"));
    rt->toolTip(m_apply, QT_TR_NOOP("Put the selected variation into the picture (Return or double-click in the grid)"));
    m_again = new QPushButton(this);
    m_again->setObjectName("varyAgainButton");
    rt->text(m_again, QT_TR_NOOP("Vary &this one again"));
    rt->toolTip(m_again, QT_TR_NOOP("Make variations of the selected variation"));
    buttons->addWidget(m_apply);
    buttons->addWidget(m_again);
    layout->addLayout(buttons);

    connect(m_structure, &QSlider::valueChanged, this,
            [this](int v) { m_structureValue->setText(QStringLiteral("%1").arg(QLocale().toString(v / 100.0, 'f', 2))); });
    connect(m_generate, &QPushButton::clicked, this, &VariationsPanel::generate);
    connect(m_apply, &QPushButton::clicked, this, &VariationsPanel::applyCurrent);
    connect(m_again, &QPushButton::clicked, this, &VariationsPanel::varyAgain);
    connect(m_grid, &QListWidget::itemActivated, this, &VariationsPanel::applyCurrent);  // double-click, Return
    connect(m_grid, &QListWidget::currentRowChanged, this, &VariationsPanel::updateButtons);
    connect(m_source, &ImageSlot::changed, this, &VariationsPanel::updateButtons);
    connect(m_source, &ImageSlot::message, this, &EmbeddingPanel::message);
    connect(this, &EmbeddingPanel::workingChanged, this, &VariationsPanel::updateButtons);
    m_structureValue->setText(QLocale().toString(0.0, 'f', 2));
    updateButtons();
}

// While placeholders fill the grid nothing is selectable (the earlier results come back on cancel).
int VariationsPanel::currentIndex() const { return m_job ? -1 : m_grid->currentRow(); }
void VariationsPanel::setCurrentIndex(int index) { m_grid->setCurrentRow(index); }
void VariationsPanel::setVariationCount(int n) { m_count->setValue(n); }
void VariationsPanel::setStructure(double s) { m_structure->setValue(qRound(s * 100.0)); }
double VariationsPanel::structure() const { return m_structure->value() / 100.0; }

void VariationsPanel::generate() {
    if (!m_source->hasImage()) m_source->useDocument();  // no image given: vary the picture
    if (!m_source->hasImage()) {
        Q_EMIT message(tr("Give an image to vary first"));
        return;
    }
    GenerationJob job;
    prepareSeed();
    job.params = baseParams(pipeline::Mode::Variation);
    job.params.batch = m_count->value();
    job.image = m_source->image();
    job.embedding.structure = structure();
    m_job = submit(job);
    showPlaceholders(job.params.batch);
    updateButtons();
}

void VariationsPanel::jobFinished(const GenerationJob& job, const GenerationOutput& output) {
    if (job.id == m_job) m_job = 0;
    m_results.clear();
    for (int i = 0; i < output.images.size(); ++i) {
        GenerationResult r;
        r.image = output.images.at(i);
        r.recipe = i < output.recipes.size() ? output.recipes.at(i) : QJsonObject();
        r.recipe.insert("structure_strength", job.embedding.structure);
        r.params = job.params;
        m_results.append(r);
    }
    fillGrid();
    updateButtons();
    Q_EMIT resultsArrived(int(m_results.size()));
}

void VariationsPanel::jobEnded(int id, const QString&) {
    if (id != m_job) return;
    m_job = 0;
    fillGrid();  // the earlier variations again; the note says why the run ended
    updateButtons();
}

void VariationsPanel::fillGrid() {
    m_preview = QImage();
    m_previewShown = false;
    m_progressState = ProgressUpdate();
    m_grid->clear();
    for (int i = 0; i < m_results.size(); ++i) {
        const GenerationResult& r = m_results.at(i);
        auto* item = new QListWidgetItem(QIcon(thumbnailPixmap(r.image, kCell)), QString());
        item->setData(kFullImageRole, r.image);  // dragged onto an image slot, it brings the full image
        m_grid->addItem(item);
        nameItem(i);
    }
    if (!m_results.isEmpty()) m_grid->setCurrentRow(0);
}

void VariationsPanel::showPlaceholders(int count) {
    m_grid->clear();
    m_preview = QImage();
    m_previewShown = false;
    m_progressState = ProgressUpdate();
    QPixmap blank(kCell, kCell);  // keeps the cells their final size
    blank.fill(palette().color(QPalette::Window));
    for (int i = 0; i < count; ++i) {
        auto* item = new QListWidgetItem(QIcon(blank), QString());
        item->setData(kPlaceholderRole, true);
        item->setFlags(Qt::ItemIsEnabled);  // nothing to select, apply or drag yet
        m_grid->addItem(item);
    }
    updatePlaceholders();
}

void VariationsPanel::jobProgress(int id, const ProgressUpdate& update) {
    if (id != m_job) return;
    m_progressState.stage = update.stage;
    m_progressState.step = update.step;
    m_progressState.total = update.total;
    if (!update.preview.isNull()) {
        m_preview = update.preview;  // shares the data: no copy, no conversion yet
        m_previewShown = false;
    }
    if (isVisible()) updatePlaceholders();
}

void VariationsPanel::showEvent(QShowEvent* event) {
    EmbeddingPanel::showEvent(event);
    if (m_job) updatePlaceholders();  // what arrived while the dock was hidden
}

void VariationsPanel::updatePlaceholders() {
    const QString progress = progressText(m_progressState);
    for (int i = 0; i < m_grid->count(); ++i) {
        QListWidgetItem* item = m_grid->item(i);
        if (!item->data(kPlaceholderRole).toBool()) continue;
        item->setText(tr("#%1 · %2").arg(i + 1).arg(progress));
        item->setToolTip(tr("Variation %1 is being made: %2").arg(i + 1).arg(progress));
    }
    // The pipeline previews the first picture of the batch only.
    if (!m_previewShown && !m_preview.isNull() && m_grid->count() > 0 && isVisible()) {
        m_grid->item(0)->setIcon(QIcon(thumbnailPixmap(m_preview, kCell)));
        m_previewShown = true;
    }
}

void VariationsPanel::nameItem(int i) {
    const GenerationResult& r = m_results.at(i);
    QListWidgetItem* item = m_grid->item(i);
    item->setText(tr("#%1").arg(i + 1));
    item->setToolTip(tr("Variation %1 · seed %2 · structure %3")
                         .arg(i + 1)
                         .arg(r.params.sampling.seed)
                         .arg(QLocale().toString(r.recipe.value("structure_strength").toDouble(), 'f', 2)));
}

void VariationsPanel::applyCurrent() {
    const int i = currentIndex();
    if (i >= 0 && i < m_results.size()) apply(m_results.at(i));
}

void VariationsPanel::varyAgain() {
    const int i = currentIndex();
    if (i < 0 || i >= m_results.size()) return;
    m_source->setImage(m_results.at(i).image);
    setSeed(seed() + 1);  // new noise for the next round
    generate();
}

void VariationsPanel::updateButtons() {
    const bool has = currentIndex() >= 0 && currentIndex() < m_results.size();
    m_apply->setEnabled(has);
    m_again->setEnabled(has && !isWorking());
    m_generate->setEnabled(!isWorking());
}

}  // namespace unclip::ui
