// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/settingsdialog.h"

#include "ui/inference/generation.h"
#include "ui/settings/inferencesettings.h"

#include "ui/settings/modelfoldercheck.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QSpinBox>
#include <QColorDialog>
#include <QPainter>
#include <QPixmap>
#include <QThread>
#include <QToolButton>
#include <QTimer>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {

QWidget* folderRow(QLineEdit* edit, QWidget* parent, const QString& title) {
    auto* row = new QWidget(parent);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(SettingsDialog::tr("Browse…"), row);
    h->addWidget(edit, 1);
    h->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, row, title] {
        const QString start = edit->text().isEmpty() ? QDir::homePath() : edit->text();
        const QString dir = QFileDialog::getExistingDirectory(row, title, start);
        if (!dir.isEmpty()) edit->setText(QDir::toNativeSeparators(dir));
    });
    return row;
}

}  // namespace

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
    setObjectName("settingsDialog");
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_modelDir = new QLineEdit(this);
    m_modelDir->setObjectName("modelDir");
    const QString def = settings::effectiveModelDir(ModelSettings{});
    m_modelDir->setPlaceholderText(def.isEmpty() ? tr("No default model found") : tr("Default: %1").arg(def));
    m_modelDir->setToolTip(tr("Karlo: its folder (karlo-v1-alpha). Kandinsky 2.2: the prior folder "
                              "(kandinsky-2-2-prior), with the decoders in the two rows below."));
    form->addRow(tr("&Model folder:"), folderRow(m_modelDir, this, tr("Model folder")));
    m_encoderDir = new QLineEdit(this);
    m_encoderDir->setObjectName("encoderDir");
    m_encoderDir->setPlaceholderText(tr("Optional: a folder with image_encoder and feature_extractor"));
    m_encoderRow = folderRow(m_encoderDir, this, tr("Image encoder folder"));
    form->addRow(tr("&Image encoder folder:"), m_encoderRow);
    // Kandinsky 2.2 comes as three folders: the prior (the model folder) and these two.
    m_decoderDir = new QLineEdit(this);
    m_decoderDir->setObjectName("decoderDir");
    m_decoderDir->setPlaceholderText(tr("Kandinsky 2.2: kandinsky-2-2-decoder (text → image, variations, interpolation, "
                                        "text diffs)"));
    m_decoderRow = folderRow(m_decoderDir, this, tr("Decoder folder"));
    form->addRow(tr("D&ecoder folder:"), m_decoderRow);
    m_inpaintDir = new QLineEdit(this);
    m_inpaintDir->setObjectName("inpaintDir");
    m_inpaintDir->setPlaceholderText(tr("Kandinsky 2.2: kandinsky-2-2-decoder-inpaint (Inpaint)"));
    m_inpaintRow = folderRow(m_inpaintDir, this, tr("Inpainting decoder folder"));
    form->addRow(tr("Inp&ainting decoder folder:"), m_inpaintRow);
    m_offload = new QCheckBox(tr("Se&quential offload"), this);
    m_offload->setObjectName("sequentialOffload");
    form->addRow(QString(), m_offload);
    // The folders are checked as soon as they are chosen: what is wrong shows here, not at Generate.
    m_modelCheck = new QLabel(this);
    m_modelCheck->setObjectName("modelDirCheck");
    m_modelCheck->setWordWrap(true);
    m_modelCheck->setTextFormat(Qt::PlainText);
    m_modelCheck->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_modelCheck);
    auto* checkLater = new QTimer(this);
    checkLater->setSingleShot(true);
    checkLater->setInterval(400);  // typing a path: check once the user pauses
    connect(checkLater, &QTimer::timeout, this, &SettingsDialog::checkModelDir);
    for (QLineEdit* edit : {m_modelDir, m_encoderDir, m_decoderDir, m_inpaintDir}) {
        connect(edit, &QLineEdit::textChanged, checkLater, qOverload<>(&QTimer::start));
        connect(edit, &QLineEdit::editingFinished, this, &SettingsDialog::checkModelDir);
    }

    m_device = new QComboBox(this);
    m_device->setObjectName("device");
    m_device->setEditable(true);
    m_device->addItems({"cpu", "cuda", "cuda:1"});
    form->addRow(tr("&Device:"), m_device);
    m_precision = new QComboBox(this);
    m_precision->setObjectName("precision");
    m_precision->addItem(tr("float32 (exact)"), "float32");
    m_precision->addItem(tr("float16 (GPU)"), "float16");
    m_precision->addItem(tr("bfloat16"), "bfloat16");
    form->addRow(tr("&Precision:"), m_precision);
    m_threads = new QSpinBox(this);
    m_threads->setObjectName("threads");
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    form->addRow(tr("CPU &threads:"), m_threads);

    m_inference = new InferenceSettings(this);
    form->addRow(tr("I&nference:"), m_inference);

    m_language = new QComboBox(this);
    m_language->setObjectName("language");
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), "en");
    m_language->addItem(QStringLiteral("Deutsch"), "de");
    form->addRow(tr("&Language:"), m_language);

    // The mask overlay: a colour that stands out on the pictures at hand, and how strongly.
    m_maskColor = new QToolButton(this);
    m_maskColor->setObjectName("maskColor");
    m_maskColor->setToolTip(tr("The colour of the mask on the canvas (an outline is always drawn around it)"));
    connect(m_maskColor, &QToolButton::clicked, this, [this] {
        const QColor c = QColorDialog::getColor(m_maskColorValue, this, tr("Mask colour"));
        if (c.isValid()) setMaskColor(c);
    });
    m_maskOpacity = new QSpinBox(this);
    m_maskOpacity->setObjectName("maskOpacity");
    m_maskOpacity->setRange(5, 100);
    m_maskOpacity->setSuffix(tr(" %"));
    m_maskOpacity->setToolTip(tr("How strongly the mask colour covers the picture"));
    auto* maskRow = new QHBoxLayout;
    maskRow->addWidget(m_maskColor);
    maskRow->addWidget(m_maskOpacity);
    maskRow->addStretch(1);
    auto* maskLabel = new QLabel(tr("Mask &overlay:"), this);
    maskLabel->setBuddy(m_maskColor);  // the mnemonic works, and no '&' shows
    form->addRow(maskLabel, maskRow);

    m_mergeWindow = new QSpinBox(this);
    m_mergeWindow->setObjectName("mergeWindow");
    m_mergeWindow->setRange(0, 10000);
    m_mergeWindow->setSingleStep(100);
    m_mergeWindow->setSuffix(tr(" ms"));
    m_mergeWindow->setSpecialValueText(tr("Off (one undo step per stroke)"));
    m_mergeWindow->setToolTip(tr("Strokes made within this time of each other become one undo step"));
    form->addRow(tr("&Merge strokes within:"), m_mergeWindow);
    m_historyMemory = new QSpinBox(this);
    m_historyMemory->setObjectName("historyMemory");
    m_historyMemory->setRange(16, 1 << 20);
    m_historyMemory->setSingleStep(128);
    m_historyMemory->setSuffix(tr(" MB"));
    m_historyMemory->setToolTip(tr("Undo history is unlimited: beyond this much memory the oldest steps move to a "
                                   "scratch file on disk"));
    form->addRow(tr("&History memory:"), m_historyMemory);
    m_signature = new QCheckBox(tr("Mark exported images with a &signature"), this);
    m_signature->setObjectName("exportSignature");
    m_signature->setToolTip(tr("A row of five small coloured squares in the lower-right corner of exported "
                               "images, as DALL·E 2 marks its pictures (the parameters are always written)"));
    form->addRow(QString(), m_signature);
    m_autosave = new QCheckBox(tr("A&utosave for crash recovery, every"), this);
    m_autosave->setObjectName("autosave");
    m_autosave->setToolTip(tr("Unsaved changes are copied in the background to the application's data folder; "
                              "after a crash the next start offers to recover them"));
    m_autosaveSeconds = new QSpinBox(this);
    m_autosaveSeconds->setObjectName("autosaveSeconds");
    m_autosaveSeconds->setRange(5, 3600);
    m_autosaveSeconds->setSingleStep(15);
    m_autosaveSeconds->setSuffix(tr(" s"));
    connect(m_autosave, &QCheckBox::toggled, m_autosaveSeconds, &QWidget::setEnabled);
    auto* autosaveRow = new QHBoxLayout;
    autosaveRow->addWidget(m_autosave);
    autosaveRow->addWidget(m_autosaveSeconds);
    autosaveRow->addStretch(1);
    form->addRow(QString(), autosaveRow);
    layout->addLayout(form);

    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    resize(560, sizeHint().height());
}

ModelSettings SettingsDialog::modelSettings() const {
    ModelSettings s;
    s.modelDir = QDir::fromNativeSeparators(m_modelDir->text().trimmed());
    s.encoderDir = QDir::fromNativeSeparators(m_encoderDir->text().trimmed());
    s.decoderDir = QDir::fromNativeSeparators(m_decoderDir->text().trimmed());
    s.inpaintDir = QDir::fromNativeSeparators(m_inpaintDir->text().trimmed());
    s.offload = m_offload->isChecked();
    s.device = m_device->currentText().trimmed();
    s.precision = m_precision->currentData().toString();
    s.threads = m_threads->value();
    m_inference->apply(s);
    return s;
}

void SettingsDialog::setModelSettings(const ModelSettings& s) {
    m_modelDir->setText(QDir::toNativeSeparators(s.modelDir));
    m_encoderDir->setText(QDir::toNativeSeparators(s.encoderDir));
    m_decoderDir->setText(QDir::toNativeSeparators(s.decoderDir));
    m_inpaintDir->setText(QDir::toNativeSeparators(s.inpaintDir));
    m_offload->setChecked(s.offload);
    m_device->setCurrentText(s.device);
    const int p = m_precision->findData(s.precision);
    m_precision->setCurrentIndex(p < 0 ? 0 : p);
    m_threads->setValue(s.threads);
    m_inference->set(s);
}

void SettingsDialog::checkModelDir() {
    const ModelSettings s = modelSettings();
    const QString dir = settings::effectiveModelDir(s);
    QString family;
    if (dir.isEmpty()) {
        m_lastCheckOk = false;
        m_modelCheck->setText(tr("No model folder: choose one (Browse…) to generate."));
    } else {
        // The folder that loads as the model folder (the default when none is typed), then the others.
        const ModelFoldersCheck r = checkModelFolders({{tr("Model folder"), dir},
                                                      {tr("Image encoder folder"), s.encoderDir},
                                                      {tr("Decoder folder"), s.decoderDir == dir ? QString() : s.decoderDir},
                                                      {tr("Inpainting decoder folder"), s.inpaintDir == dir ? QString() : s.inpaintDir}});
        m_lastCheckOk = r.ok;
        family = r.family;
        QStringList lines;
        const bool one = r.slots.size() == 1;
        const bool kandinsky = r.family == QLatin1String(kKandinskyFamily);
        for (int i = 0; i < r.folders.size(); ++i) {
            const ModelFolderCheck& c = r.folders.at(i);
            if (one) lines << (c.ok ? tr("✓ %1").arg(c.message) : tr("This folder cannot be used: %1").arg(c.message));
            // Kandinsky 2.2's three folders: what each is, in a few words (their parts make it too long).
            else if (c.ok) lines << tr("✓ %1: %2").arg(r.slots.at(i).title, kandinsky && !c.kind.isEmpty() ? c.kind : c.message);
            else lines << tr("%1 cannot be used: %2").arg(r.slots.at(i).title, c.message);
        }
        lines << r.problems << r.notes;
        m_modelCheck->setText(lines.join('\n'));
    }
    updateFolderRows(family);
    // A problem stands out in the palette's link colour, bold (readable in light and dark themes).
    QFont f = font();
    f.setBold(!m_lastCheckOk);
    m_modelCheck->setFont(f);
    QPalette pal = palette();
    if (!m_lastCheckOk) pal.setColor(QPalette::WindowText, palette().color(QPalette::Link));
    m_modelCheck->setPalette(pal);
    // A longer check (several folders, a problem) must not be cut off.
    if (isVisible()) fitHeight(/*shrink=*/false);
}

void SettingsDialog::fitCheckLabel() {
    // QFormLayout gives a word-wrapped label the height of its size hint, which wraps at a guessed
    // width (three short lines got room for seven): the height its text needs at its width.
    if (const int w = m_modelCheck->width(); w > 0) m_modelCheck->setFixedHeight(m_modelCheck->heightForWidth(w));
}

void SettingsDialog::fitHeight(bool shrink) {
    QLayout* l = layout();
    if (!l) return;
    l->activate();
    fitCheckLabel();
    l->activate();
    const int need = l->hasHeightForWidth() ? l->totalHeightForWidth(width()) : l->sizeHint().height();
    if (need > height() || (shrink && need > 0)) resize(width(), need);
}

void SettingsDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    fitHeight(/*shrink=*/true);  // the check's text came after the size was first set
}

void SettingsDialog::resizeEvent(QResizeEvent* event) {
    QDialog::resizeEvent(event);
    if (event->size().width() != event->oldSize().width()) fitCheckLabel();  // its lines wrap anew
}

void SettingsDialog::updateFolderRows(const QString& family) {
    const bool kandinsky = family == QLatin1String(kKandinskyFamily);
    const bool karlo = family == QLatin1String(kKarloFamily);
    // A row the family does not use is greyed out while empty (a folder typed there is still
    // shown and checked): Kandinsky's prior folder holds its own image encoder, and Karlo given
    // explicitly has no separate decoders.
    const bool explicitKarlo = karlo && !m_modelDir->text().trimmed().isEmpty();
    m_encoderRow->setEnabled(!kandinsky || !m_encoderDir->text().trimmed().isEmpty());
    m_decoderRow->setEnabled(!explicitKarlo || !m_decoderDir->text().trimmed().isEmpty());
    m_inpaintRow->setEnabled(!explicitKarlo || !m_inpaintDir->text().trimmed().isEmpty());
    // Core offloads Kandinsky 2.2 only (Karlo's stages are small enough to stay on the device).
    m_offload->setEnabled(kandinsky);
    m_offload->setToolTip(kandinsky ? tr("Keeps the models in main memory and moves each to the device only while its "
                                         "stage runs: slower, but a GPU with room for one stage runs the whole pipeline "
                                         "(Kandinsky 2.2 needs about 12 GB at 768 px)")
                                    : tr("For Kandinsky 2.2 only: Karlo's models stay on the device"));
}

QString SettingsDialog::modelCheckText() const { return m_modelCheck->text(); }

QString SettingsDialog::language() const { return m_language->currentData().toString(); }

void SettingsDialog::setLanguage(const QString& code) {
    const int i = m_language->findData(code);
    m_language->setCurrentIndex(i < 0 ? 0 : i);
}

void SettingsDialog::setMaskColor(const QColor& color) {
    m_maskColorValue = color;
    QPixmap swatch(32, 16);
    swatch.fill(color);
    QPainter(&swatch).drawRect(0, 0, 31, 15);
    m_maskColor->setIcon(QIcon(swatch));
    m_maskColor->setIconSize(swatch.size());
    m_maskColor->setText(color.name());
}

void SettingsDialog::setMaskOpacity(double opacity) { m_maskOpacity->setValue(qRound(opacity * 100.0)); }
double SettingsDialog::maskOpacity() const { return m_maskOpacity->value() / 100.0; }

int SettingsDialog::strokeMergeWindowMs() const { return m_mergeWindow->value(); }
void SettingsDialog::setStrokeMergeWindowMs(int ms) { m_mergeWindow->setValue(ms); }

int SettingsDialog::historyMemoryMB() const { return m_historyMemory->value(); }
void SettingsDialog::setHistoryMemoryMB(int mb) { m_historyMemory->setValue(mb); }

void SettingsDialog::load() {
    setModelSettings(settings::modelSettings());
    checkModelDir();
    setLanguage(settings::language());
    setStrokeMergeWindowMs(settings::strokeMergeWindowMs());
    setHistoryMemoryMB(settings::historyMemoryMB());
    setMaskColor(settings::maskColor());
    setMaskOpacity(settings::maskOpacity());
    m_signature->setChecked(settings::exportSignature());
    m_autosave->setChecked(settings::autosaveEnabled());
    m_autosaveSeconds->setValue(settings::autosaveIntervalSeconds());
    m_autosaveSeconds->setEnabled(m_autosave->isChecked());
}

void SettingsDialog::save() const {
    settings::setModelSettings(modelSettings());
    settings::setLanguage(language());
    settings::setStrokeMergeWindowMs(strokeMergeWindowMs());
    settings::setMaskColor(maskColor());
    settings::setMaskOpacity(maskOpacity());
    settings::setHistoryMemoryMB(historyMemoryMB());
    settings::setExportSignature(m_signature->isChecked());
    settings::setAutosaveEnabled(m_autosave->isChecked());
    settings::setAutosaveIntervalSeconds(m_autosaveSeconds->value());
}

}  // namespace unclip::ui
