// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/promptpanel.h"

#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/panels/seedwidget.h"
#include "ui/settings/promptsettings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {

QPlainTextEdit* textBox(int lines, QWidget* parent) {
    auto* e = new QPlainTextEdit(parent);
    e->setTabChangesFocus(true);
    const int h = e->fontMetrics().lineSpacing() * lines + 12;
    e->setMinimumHeight(h);
    e->setMaximumHeight(h + e->fontMetrics().lineSpacing() * 2);
    return e;
}

QSpinBox* spin(int lo, int hi, int value, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    return s;
}

QDoubleSpinBox* dspin(double lo, double hi, double step, double value, QWidget* parent) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(2);
    s->setValue(value);
    return s;
}

}  // namespace

PromptPanel::PromptPanel(QAction* generateAction, QAction* cancelAction, QWidget* parent) : QWidget(parent) {
    setObjectName("promptPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Prompt"));
    // The fields scroll; Generate, the progress and the messages under it stay in view at any
    // dock height. The main window does not wrap this panel in a scroll area of its own.
    setProperty("scrollsItself", true);
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName("promptScroll");
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* fields = new QWidget(scroll);
    fields->setObjectName("promptFields");
    auto* layout = new QVBoxLayout(fields);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_mode = new QComboBox(this);
    m_mode->setObjectName("mode");
    for (pipeline::Mode m : editorModes()) m_mode->addItem(modeDisplayName(m), int(m));
    rt->add([this] {
        for (int i = 0; i < m_mode->count(); ++i)
            m_mode->setItemText(i, modeDisplayName(pipeline::Mode(m_mode->itemData(i).toInt())));
    });
    form->addRow(rt->label(QT_TR_NOOP("M&ode:"), this, m_mode), m_mode);
    layout->addLayout(form);

    auto* promptLabel = rt->label(QT_TR_NOOP("&Prompt:"), this);
    m_prompt = textBox(3, this);
    m_prompt->setObjectName("prompt");
    promptLabel->setBuddy(m_prompt);
    layout->addWidget(promptLabel);
    layout->addWidget(m_prompt);
    auto* negLabel = rt->label(QT_TR_NOOP("&Negative prompt:"), this);
    m_negative = textBox(2, this);
    rt->add([this] { m_negative->setPlaceholderText(tr("What to avoid (optional)")); });
    m_negative->setObjectName("negativePrompt");
    negLabel->setBuddy(m_negative);
    layout->addWidget(negLabel);
    layout->addWidget(m_negative);

    auto* modeForm = new QFormLayout;
    m_targetLabel = new QLabel(this);
    m_target = new QLineEdit(this);
    m_target->setObjectName("target");
    m_targetLabel->setBuddy(m_target);
    modeForm->addRow(m_targetLabel, m_target);
    m_featherLabel = rt->label(QT_TR_NOOP("Fea&ther:"), this);
    m_feather = dspin(0, 256, 1, 8, this);
    rt->add([this] { m_feather->setSuffix(tr(" px")); });
    rt->toolTip(m_feather, QT_TR_NOOP("Softens the edge of the mask inward so the new pixels blend in"));
    m_featherLabel->setBuddy(m_feather);
    modeForm->addRow(m_featherLabel, m_feather);
    m_thetaLabel = rt->label(QT_TR_NOOP("&Strength:"), this);
    m_theta = dspin(0, 1, 0.05, 0.5, this);
    m_thetaLabel->setBuddy(m_theta);
    modeForm->addRow(m_thetaLabel, m_theta);
    layout->addLayout(modeForm);

    m_quick = new QCheckBox(this);
    m_quick->setObjectName("quickCandidates");
    rt->text(m_quick, QT_TR_NOOP("&Quick candidates"));
    rt->toolTip(m_quick, QT_TR_NOOP("Show the small decoder pictures first (a fraction of the time) and "
                                    "upscale only the one you pick"));
    modeForm->addRow(QString(), m_quick);
    auto* sampling = new QGroupBox(this);
    rt->add([sampling] { sampling->setTitle(tr("Sampling")); });
    auto* sform = new QFormLayout(sampling);
    m_samplingForm = sform;
    sform->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_seed = new SeedWidget(this);  // the same seed field as every other panel
    sform->addRow(rt->label(QT_TR_NOOP("See&d:"), this, m_seed), m_seed);
    m_batch = spin(1, 16, 1, this);
    m_batch->setObjectName("batch");
    sform->addRow(rt->label(QT_TR_NOOP("Batch si&ze:"), this, m_batch), m_batch);
    // Kandinsky 2.2 draws at any size (in its multiple of pixels); the range follows the model
    // (setModelInfo). Hidden for Karlo and for Inpaint, which draws the frame at the model's size.
    m_sizeRow = new QWidget(this);
    m_sizeRow->setObjectName("outputSize");
    auto* sizeLayout = new QHBoxLayout(m_sizeRow);
    sizeLayout->setContentsMargins(0, 0, 0, 0);
    m_width = spin(16, 4096, 512, this);
    m_width->setObjectName("outputWidth");
    m_height = spin(16, 4096, 512, this);
    m_height->setObjectName("outputHeight");
    auto* times = new QLabel(QStringLiteral("×"), m_sizeRow);
    sizeLayout->addWidget(m_width, 1);
    sizeLayout->addWidget(times);
    sizeLayout->addWidget(m_height, 1);
    rt->add([this] { updateSizeTexts(); });
    sform->addRow(rt->label(QT_TR_NOOP("&Width × height:"), this, m_width), m_sizeRow);
    sform->setRowVisible(m_sizeRow, false);
    m_priorSteps = spin(1, 1000, 25, this);
    m_decoderSteps = spin(1, 1000, 25, this);
    m_superResSteps = spin(1, 1000, 7, this);
    m_priorGuidance = dspin(0, 50, 0.5, 4.0, this);
    m_decoderGuidance = dspin(0, 50, 0.5, 8.0, this);
    m_priorSteps->setObjectName("priorSteps");
    m_decoderSteps->setObjectName("decoderSteps");
    m_superResSteps->setObjectName("superResSteps");
    m_priorGuidance->setObjectName("priorGuidance");
    m_decoderGuidance->setObjectName("decoderGuidance");
    // Per-stage steps and guidance are tuned rarely: folded under an expander so the panel fits
    // a 720-pixel-high screen (the fold state is remembered).
    m_stagesToggle = new QToolButton(this);
    m_stagesToggle->setObjectName("stagesToggle");
    m_stagesToggle->setCheckable(true);
    m_stagesToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_stagesToggle->setAutoRaise(true);
    m_stagesToggle->setArrowType(Qt::RightArrow);
    rt->text(m_stagesToggle, QT_TR_NOOP("Steps and guidance per stage"));
    m_stages = new QWidget(this);
    m_stages->setObjectName("stages");
    auto* stagesForm = new QFormLayout(m_stages);
    m_stagesForm = stagesForm;
    stagesForm->setContentsMargins(0, 0, 0, 0);
    stagesForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    stagesForm->addRow(rt->label(QT_TR_NOOP("Prior steps:"), this), m_priorSteps);
    stagesForm->addRow(rt->label(QT_TR_NOOP("Decoder steps:"), this), m_decoderSteps);
    stagesForm->addRow(rt->label(QT_TR_NOOP("Super-res steps:"), this), m_superResSteps);
    stagesForm->addRow(rt->label(QT_TR_NOOP("Prior guidance:"), this), m_priorGuidance);
    stagesForm->addRow(rt->label(QT_TR_NOOP("Decoder guidance:"), this), m_decoderGuidance);
    m_stages->setVisible(false);
    connect(m_stagesToggle, &QToolButton::toggled, this, [this](bool open) {
        m_stagesToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_stages->setVisible(open);
    });
    sform->addRow(m_stagesToggle);
    sform->addRow(m_stages);
    auto* modelRow = new QHBoxLayout;
    m_device = new QComboBox(this);
    m_device->setObjectName("device");
    m_device->addItem(QStringLiteral("cpu"));
    m_precision = new QComboBox(this);
    m_precision->setObjectName("precision");
    for (const char* p : {"float32", "float16", "bfloat16"}) m_precision->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    rt->toolTip(m_device, QT_TR_NOOP("Where the model runs (the model is reloaded before the next generation)"));
    rt->toolTip(m_precision, QT_TR_NOOP("float32 is exact; float16 and bfloat16 halve the memory (float16 needs a GPU)"));
    modelRow->addWidget(m_device, 1);
    modelRow->addWidget(m_precision, 1);
    sform->addRow(rt->label(QT_TR_NOOP("Device, precision:"), this), modelRow);
    auto emitModel = [this] { Q_EMIT modelOptionsChanged(device(), precision()); };
    connect(m_device, &QComboBox::activated, this, emitModel);
    connect(m_precision, &QComboBox::activated, this, emitModel);
    layout->addWidget(sampling);
    layout->addStretch(1);
    scroll->setWidget(fields);
    outer->addWidget(scroll, 1);

    auto* buttons = new QHBoxLayout;
    auto* generate = new QToolButton(this);
    generate->setObjectName("generateButton");
    generate->setDefaultAction(generateAction);
    generate->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    generate->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    generate->setMinimumHeight(32);
    auto* cancel = new QToolButton(this);
    cancel->setObjectName("cancelButton");
    cancel->setDefaultAction(cancelAction);
    cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    cancel->setMinimumHeight(32);
    buttons->addWidget(generate, 1);
    buttons->addWidget(cancel);
    outer->addLayout(buttons);
    m_jobProgress = new QProgressBar(this);
    m_jobProgress->setObjectName("jobProgress");
    m_jobProgress->setVisible(false);
    m_jobProgress->setTextVisible(true);
    m_jobProgress->setAlignment(Qt::AlignCenter);
    outer->addWidget(m_jobProgress);
    m_feedback = new QLabel(this);
    m_feedback->setObjectName("feedback");
    m_feedback->setWordWrap(true);
    m_feedback->setTextFormat(Qt::PlainText);
    m_feedback->setVisible(false);
    outer->addWidget(m_feedback);
    m_offerInpaint = new QPushButton(this);
    m_offerInpaint->setObjectName("offerInpaint");
    rt->text(m_offerInpaint, QT_TR_NOOP("Switch to Inpaint"));
    m_offerInpaint->setVisible(false);
    connect(m_offerInpaint, &QPushButton::clicked, this, [this] {
        setMode(pipeline::Mode::Inpaint);
        showFeedback(tr("Inpaint: Generate repaints only the masked area."));
    });
    outer->addWidget(m_offerInpaint);
    // A message is already translated: after a language switch it would stay in the old one.
    rt->add([this] { showFeedback({}); });

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        if (mode() == pipeline::Mode::Inpaint && inpaintOffered()) showFeedback({});
        updateModeWidgets();
        Q_EMIT modeChanged(mode());
    });
    rt->add([this] { updateModeWidgets(); });
}

void PromptPanel::updateModeWidgets() {
    const pipeline::Mode m = mode();
    const bool target = m == pipeline::Mode::TextDiff || m == pipeline::Mode::Interpolation;
    m_targetLabel->setVisible(target);
    m_target->setVisible(target);
    m_targetLabel->setText(m == pipeline::Mode::TextDiff ? tr("&Target:") : tr("&Blend towards:"));
    m_target->setPlaceholderText(m == pipeline::Mode::TextDiff ? tr("What the picture should show instead")
                                                               : tr("A text to interpolate the picture towards"));
    m_featherLabel->setVisible(m == pipeline::Mode::Inpaint);
    m_feather->setVisible(m == pipeline::Mode::Inpaint);
    m_thetaLabel->setVisible(m == pipeline::Mode::TextDiff);
    m_theta->setVisible(m == pipeline::Mode::TextDiff);
    // Kandinsky 2.2 has no super-resolution stage: no quick candidates, no super-res steps.
    const bool superRes = familyHasSuperRes(m_info.family);
    m_quick->setVisible(m == pipeline::Mode::TextToImage && superRes);
    m_stagesForm->setRowVisible(m_superResSteps, superRes);
    m_samplingForm->setRowVisible(m_sizeRow, drawsAnySize() && m != pipeline::Mode::Inpaint);
    m_prompt->setPlaceholderText(m == pipeline::Mode::TextDiff
                                     ? tr("What the picture shows now")
                                     : m == pipeline::Mode::Inpaint
                                           ? tr("What to paint into the masked area (empty: continue the picture)")
                                           : tr("What the picture shows, e.g. “a red fox in the snow, watercolor”"));
}

void PromptPanel::showFeedback(const QString& text, Feedback kind) {
    m_offerInpaint->setVisible(false);  // offerInpaint() shows it after the text
    m_feedbackWarning = kind == Feedback::Warning && !text.isEmpty();
    // A refusal stands out: bold, in the palette's link colour (readable in light and dark themes).
    QFont f = font();
    f.setBold(m_feedbackWarning);
    m_feedback->setFont(f);
    QPalette pal = palette();
    if (m_feedbackWarning) pal.setColor(QPalette::WindowText, palette().color(QPalette::Link));
    m_feedback->setPalette(pal);
    m_feedback->setText(text);
    m_feedback->setVisible(!text.isEmpty());
}

QString PromptPanel::feedbackText() const { return m_feedback->text(); }

void PromptPanel::offerInpaint() {
    showFeedback(tr("You painted a mask. %1 does not use it; Inpaint repaints only the masked area.").arg(modeDisplayName(mode())));
    m_offerInpaint->setVisible(true);
}

bool PromptPanel::inpaintOffered() const { return !m_offerInpaint->isHidden(); }

void PromptPanel::showProgress(const QString& text, int step, int total) {
    m_jobProgress->setRange(0, std::max(0, total));
    m_jobProgress->setValue(total > 0 ? std::clamp(step, 0, total) : 0);
    m_jobProgress->setFormat(text);
    m_jobProgress->setToolTip(text);
    m_jobProgress->setVisible(true);
}

void PromptPanel::hideProgress() { m_jobProgress->setVisible(false); }
bool PromptPanel::progressVisible() const { return !m_jobProgress->isHidden(); }

void PromptPanel::setUnavailableModes(const QVariantMap& reasons) {
    auto* model = qobject_cast<QStandardItemModel*>(m_mode->model());
    if (!model) return;
    for (int i = 0; i < m_mode->count(); ++i) {
        const QString key = QString::number(m_mode->itemData(i).toInt());
        QStandardItem* item = model->item(i);
        item->setEnabled(!reasons.contains(key));
        item->setToolTip(reasons.value(key).toString());
    }
}

bool PromptPanel::isModeAvailable(pipeline::Mode mode) const {
    const auto* model = qobject_cast<const QStandardItemModel*>(m_mode->model());
    const int i = m_mode->findData(int(mode));
    return !model || i < 0 || model->item(i)->isEnabled();
}

void PromptPanel::setDeviceOptions(const QStringList& devices) {
    const QString current = device();
    const QSignalBlocker block(m_device);
    m_device->clear();
    m_device->addItems(devices);
    setModelOptions(current, precision());
}

void PromptPanel::setModelOptions(const QString& device, const QString& precision) {
    const QSignalBlocker b1(m_device), b2(m_precision);
    if (!device.isEmpty() && m_device->findText(device) < 0) m_device->addItem(device);  // e.g. a GPU not visible now
    m_device->setCurrentText(device.isEmpty() ? QStringLiteral("cpu") : device);
    const int p = m_precision->findData(precision);
    m_precision->setCurrentIndex(p < 0 ? 0 : p);
}

QString PromptPanel::device() const { return m_device->currentText(); }
QString PromptPanel::precision() const { return m_precision->currentData().toString(); }

pipeline::Mode PromptPanel::mode() const { return pipeline::Mode(m_mode->currentData().toInt()); }

void PromptPanel::setMode(pipeline::Mode mode) { m_mode->setCurrentIndex(m_mode->findData(int(mode))); }

bool PromptPanel::stagesExpanded() const { return m_stagesToggle->isChecked(); }
void PromptPanel::setStagesExpanded(bool open) { m_stagesToggle->setChecked(open); }

bool PromptPanel::seedLocked() const { return m_seed->isLocked(); }
void PromptPanel::setSeedLocked(bool locked) { m_seed->setLocked(locked); }

void PromptPanel::rollSeed() { m_seed->roll(); }

void PromptPanel::prepareSeed() {
    if (!seedLocked()) rollSeed();
}

GenerationParams PromptPanel::params() const {
    GenerationParams p;
    p.mode = mode();
    p.prompt = m_prompt->toPlainText().trimmed();
    p.negativePrompt = m_negative->toPlainText().trimmed();
    p.target = m_target->text().trimmed();
    p.sampling.seed = m_seed->value();
    p.batch = m_batch->value();
    p.sampling.prior_steps = m_priorSteps->value();
    p.sampling.decoder_steps = m_decoderSteps->value();
    p.sampling.super_res_steps = m_superResSteps->value();
    p.sampling.prior_guidance = float(m_priorGuidance->value());
    p.sampling.decoder_guidance = float(m_decoderGuidance->value());
    p.feather = m_feather->value();
    p.theta = m_theta->value();
    p.quickCandidates = p.mode == pipeline::Mode::TextToImage && m_quick->isChecked() && familyHasSuperRes(m_info.family);
    p.family = m_valuesFamily;
    if (drawsAnySize()) {
        p.sampling.width = m_width->value();
        p.sampling.height = m_height->value();
    }
    return p;
}

void PromptPanel::setParams(const GenerationParams& p) {
    setMode(p.mode);
    m_prompt->setPlainText(p.prompt);
    m_negative->setPlainText(p.negativePrompt);
    m_target->setText(p.target);
    m_seed->setValue(p.sampling.seed);
    m_batch->setValue(p.batch);
    setStageValues(p);
    // A recipe of a family drawing at any size brings its size; Karlo's (0) leave the size as set.
    if (p.sampling.width > 0) m_width->setValue(p.sampling.width);
    if (p.sampling.height > 0) m_height->setValue(p.sampling.height);
    m_feather->setValue(p.feather);
    m_theta->setValue(p.theta);
    m_quick->setChecked(p.quickCandidates);
}

void PromptPanel::setStageValues(const GenerationParams& p) {
    m_priorSteps->setValue(p.sampling.prior_steps);
    m_decoderSteps->setValue(p.sampling.decoder_steps);
    m_superResSteps->setValue(p.sampling.super_res_steps);
    m_priorGuidance->setValue(p.sampling.prior_guidance);
    m_decoderGuidance->setValue(p.sampling.decoder_guidance);
}

void PromptPanel::setModelInfo(const ModelInfo& info) {
    if (info.family.isEmpty()) return;  // nothing known about the model: keep what is set
    if (info.family != m_valuesFamily) {
        // The families' steps and guidance differ (Kandinsky 2.2's decoder takes 100 steps at
        // guidance 4): the new family's defaults, or what was set for it earlier in this session.
        m_familyValues.insert(m_valuesFamily, params());
        setStageValues(m_familyValues.value(info.family, info.defaults));
        m_valuesFamily = info.family;
    }
    m_info = info;
    if (drawsAnySize()) {
        const int step = info.sizeStep;
        auto roundUp = [step](int v) { return (v + step - 1) / step * step; };
        const int lo = roundUp(std::max(1, std::min(256, info.imageSize / 2)));
        const int hi = std::max(lo, std::min(4096, 4 * info.imageSize) / step * step);
        for (QSpinBox* s : {m_width, m_height}) {
            s->setRange(lo, hi);
            s->setSingleStep(step);
        }
        // Another model size (the real model, a small test model): start from its own size.
        if (m_sizeFor != info.imageSize) {
            m_width->setValue(info.imageSize);
            m_height->setValue(info.imageSize);
            m_sizeFor = info.imageSize;
        }
    }
    updateSizeTexts();
    updateModeWidgets();
}

void PromptPanel::updateSizeTexts() {
    const QString tip = tr("The size of the picture, rounded up to a multiple of %1 px. Into a placed generation "
                           "frame the picture takes the frame's shape, with the longer of these sides.")
                            .arg(std::max(1, m_info.sizeStep));
    for (QSpinBox* s : {m_width, m_height}) {
        s->setSuffix(tr(" px"));
        s->setToolTip(tip);
    }
}

void PromptPanel::saveState() const {
    PromptSettings st;
    st.params = params();
    // The size and the quick-candidates box as set, also where this model does not use them.
    st.params.sampling.width = m_width->value();
    st.params.sampling.height = m_height->value();
    st.params.quickCandidates = m_quick->isChecked();
    st.seedLocked = seedLocked();
    st.stagesOpen = stagesExpanded();
    st.sizeFor = m_sizeFor;
    // The last loaded model, so its family's controls show before it loads again.
    st.model.family = m_info.family;
    st.model.imageSize = m_info.imageSize;
    st.model.sizeStep = m_info.sizeStep;
    settings::setPromptSettings(st);
}

void PromptPanel::restoreState() {
    const PromptSettings st = settings::promptSettings();
    // The steps and guidance are this family's.
    m_valuesFamily = st.params.family;
    m_sizeFor = st.sizeFor;
    setSeedLocked(st.seedLocked);
    setStagesExpanded(st.stagesOpen);
    setParams(st.params);
    // The last model's controls and sizes (its values were saved with it: nothing is swapped).
    if (!st.model.family.isEmpty()) setModelInfo(st.model);
}

}  // namespace unclip::ui
