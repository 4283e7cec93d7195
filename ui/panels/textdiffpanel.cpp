// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/textdiffpanel.h"

#include "ui/common/retranslator.h"
#include "ui/panels/imageslot.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
constexpr int kDiffView = 160;
QLabel* imageLabel(QWidget* parent, const char* name) {
    auto* l = new QLabel(parent);
    l->setObjectName(QString::fromLatin1(name));
    l->setFixedSize(kDiffView, kDiffView);
    l->setAlignment(Qt::AlignCenter);
    l->setFrameShape(QFrame::StyledPanel);
    return l;
}
}  // namespace

TextDiffPanel::TextDiffPanel(const PanelContext& context, QWidget* parent)
    : EmbeddingPanel(context, QStringLiteral("textdiff"), parent) {
    setObjectName("textDiffPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Text diff"));
    auto* layout = new QVBoxLayout(this);
    m_source = new ImageSlot(context, false, this);
    m_source->setObjectName("source");
    rt->add([this] { m_source->setTitle(tr("Image (empty: the picture)")); });
    layout->addWidget(m_source);

    auto* form = new QGridLayout;
    m_description = new QLineEdit(this);
    m_description->setObjectName("description");
    rt->placeholderText(m_description, QT_TR_NOOP("What the image shows, e.g. “a cat”"));
    m_target = new QLineEdit(this);
    m_target->setObjectName("target");
    rt->placeholderText(m_target, QT_TR_NOOP("What it should show, e.g. “a dog”"));
    m_theta = new QSlider(Qt::Horizontal, this);
    m_theta->setObjectName("theta");
    m_theta->setRange(0, 100);
    m_theta->setValue(50);
    m_theta->setPageStep(10);
    rt->toolTip(m_theta, QT_TR_NOOP("How far to turn the image embedding toward the text difference (0 = unchanged)"));
    m_thetaValue = new QLabel(this);
    m_thetaValue->setMinimumWidth(36);
    form->addWidget(rt->label(QT_TR_NOOP("&Shows now:"), this, m_description), 0, 0);
    form->addWidget(m_description, 0, 1, 1, 2);
    form->addWidget(rt->label(QT_TR_NOOP("Sh&ould show:"), this, m_target), 1, 0);
    form->addWidget(m_target, 1, 1, 1, 2);
    form->addWidget(rt->label(QT_TR_NOOP("&θ:"), this, m_theta), 2, 0);
    form->addWidget(m_theta, 2, 1);
    form->addWidget(m_thetaValue, 2, 2);
    form->addWidget(rt->label(QT_TR_NOOP("See&d:"), this, seedBox()), 3, 0);
    form->addWidget(seedBox(), 3, 1, 1, 2);
    form->setColumnStretch(1, 1);
    layout->addLayout(form);

    m_preview = new QPushButton(this);
    m_preview->setObjectName("previewButton");
    rt->text(m_preview, QT_TR_NOOP("&Preview"));
    rt->toolTip(m_preview, QT_TR_NOOP("Render the changed image in the background"));
    layout->addWidget(m_preview);
    layout->addWidget(progressRow());
    layout->addWidget(noteLabel());

    auto* views = new QGridLayout;
    m_before = imageLabel(this, "before");
    m_after = imageLabel(this, "after");
    auto* beforeCaption = rt->label(QT_TR_NOOP("Before"), this);
    m_afterCaption = new QLabel(this);
    m_afterCaption->setObjectName("afterCaption");
    beforeCaption->setAlignment(Qt::AlignCenter);
    m_afterCaption->setAlignment(Qt::AlignCenter);
    // What the preview shows: made again from the preview's θ (or the running render's progress).
    rt->add([this] {
        updateAfterCaption();
        updateRendering();
    });
    views->addWidget(m_before, 0, 0);
    views->addWidget(m_after, 0, 1);
    views->addWidget(beforeCaption, 1, 0);
    views->addWidget(m_afterCaption, 1, 1);
    layout->addLayout(views);
    m_apply = new QPushButton(this);
    m_apply->setObjectName("applyButton");
    rt->text(m_apply, QT_TR_NOOP("Appl&y"));
    rt->toolTip(m_apply, QT_TR_NOOP("Put the preview into the picture (one undo step)"));
    layout->addWidget(m_apply);
    layout->addStretch(1);

    connect(m_preview, &QPushButton::clicked, this, &TextDiffPanel::renderPreview);
    connect(m_apply, &QPushButton::clicked, this, &TextDiffPanel::applyPreview);
    connect(m_theta, &QSlider::valueChanged, this, &TextDiffPanel::updateThetaLabel);
    // Once there is a preview, letting go of the slider (or stepping it with keys) renders again.
    connect(m_theta, &QSlider::sliderReleased, this, [this] {
        if (hasPreview()) renderPreview();
    });
    connect(m_source, &ImageSlot::changed, this, [this] {
        m_before->setPixmap(thumbnailPixmap(m_source->image(), kDiffView - 4));
        updateButtons();
    });
    connect(m_source, &ImageSlot::message, this, &EmbeddingPanel::message);
    connect(m_description, &QLineEdit::textChanged, this, &TextDiffPanel::updateButtons);
    connect(m_target, &QLineEdit::textChanged, this, &TextDiffPanel::updateButtons);
    connect(m_target, &QLineEdit::returnPressed, this, &TextDiffPanel::renderPreview);
    connect(this, &EmbeddingPanel::workingChanged, this, &TextDiffPanel::updateButtons);
    updateThetaLabel();
    updateButtons();
}

void TextDiffPanel::setDescription(const QString& text) { m_description->setText(text); }
void TextDiffPanel::setTarget(const QString& text) { m_target->setText(text); }
void TextDiffPanel::setTheta(double theta) { m_theta->setValue(qRound(theta * 100.0)); }
double TextDiffPanel::theta() const { return m_theta->value() / 100.0; }

void TextDiffPanel::updateThetaLabel() { m_thetaValue->setText(QStringLiteral("%1").arg(QLocale().toString(theta(), 'f', 2))); }

void TextDiffPanel::updateAfterCaption() {
    m_afterCaption->setText(hasPreview() ? tr("θ = %1").arg(QLocale().toString(m_result.params.theta, 'f', 2)) : tr("Preview"));
}

void TextDiffPanel::renderPreview() {
    if (!m_source->hasImage()) m_source->useDocument();
    if (!m_source->hasImage()) {
        Q_EMIT message(tr("Give an image first"));
        return;
    }
    if (m_target->text().trimmed().isEmpty()) {
        Q_EMIT message(tr("Enter what the image should show first"));
        return;
    }
    GenerationJob job;
    prepareSeed();
    job.params = baseParams(pipeline::Mode::TextDiff);
    job.params.prompt = m_description->text().trimmed();
    job.params.target = m_target->text().trimmed();
    job.params.theta = theta();
    job.image = m_source->image();
    m_job = submit(job);
    m_progressState = ProgressUpdate();
    m_livePreview = QImage();
    m_livePreviewShown = false;
    updateRendering();
    updateButtons();
}

void TextDiffPanel::jobProgress(int id, const ProgressUpdate& update) {
    if (id != m_job) return;
    m_progressState.stage = update.stage;
    m_progressState.step = update.step;
    m_progressState.total = update.total;
    if (!update.preview.isNull()) {
        m_livePreview = update.preview;
        m_livePreviewShown = false;
    }
    if (isVisible()) updateRendering();
}

void TextDiffPanel::showEvent(QShowEvent* event) {
    EmbeddingPanel::showEvent(event);
    updateRendering();
}

void TextDiffPanel::updateRendering() {
    if (!m_job) return;
    m_afterCaption->setText(tr("Rendering… %1").arg(progressText(m_progressState)));
    if (!m_livePreviewShown && !m_livePreview.isNull() && isVisible()) {
        m_after->setPixmap(thumbnailPixmap(m_livePreview, kDiffView - 4));
        m_livePreviewShown = true;
    }
}

void TextDiffPanel::jobEnded(int id, const QString&) {
    if (id != m_job) return;
    m_job = 0;
    m_livePreview = QImage();
    m_livePreviewShown = false;
    // Back to the last finished preview (or none); the note says why this one stopped.
    if (hasPreview()) m_after->setPixmap(thumbnailPixmap(m_result.image, kDiffView - 4));
    else m_after->clear();
    updateAfterCaption();
    updateButtons();
}

void TextDiffPanel::jobFinished(const GenerationJob& job, const GenerationOutput& output) {
    if (job.id != m_job || output.images.isEmpty()) return;  // a newer preview is on its way
    m_job = 0;
    m_livePreview = QImage();
    m_livePreviewShown = false;
    m_result.image = output.images.first();
    m_result.recipe = output.recipes.isEmpty() ? QJsonObject() : output.recipes.first();
    m_result.params = job.params;
    m_after->setPixmap(thumbnailPixmap(m_result.image, kDiffView - 4));
    updateAfterCaption();
    updateButtons();
    Q_EMIT previewReady();
}

void TextDiffPanel::applyPreview() {
    if (hasPreview()) apply(m_result);
}

void TextDiffPanel::updateButtons() {
    m_preview->setEnabled(!m_target->text().trimmed().isEmpty());
    m_apply->setEnabled(hasPreview());
}

}  // namespace unclip::ui
