// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: building the window (actions, menus, docks, status bar in the files next to this
// one), messages, the title, closing, the language, Settings and About. The rest lives in
// mainwindow_actions.cpp (the action table and the standard actions), mainwindow_menus.cpp,
// mainwindow_docks.cpp (docks, status bar, inference signals), mainwindow_layout.cpp (geometry and
// settings), mainwindow_document.cpp (New, Open, Paste, Canvas Size), mainwindow_saving.cpp,
// mainwindow_generation.cpp and mainwindow_feedback.cpp.
#include "ui/mainwindow/mainwindow.h"

#include "ui/app/translations.h"
#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/document/autosave.h"
#include "ui/document/document.h"
#include "ui/document/titledcommand.h"
#include "ui/fileformats/safesave.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/pipelinebackend.h"
#include "ui/panels/promptpanel.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif

namespace unclip::ui {

MainWindow::MainWindow(InferenceController* controller, QWidget* parent)
    : QMainWindow(parent), m_doc(new Document(this)), m_canvas(new Canvas(this)),
      m_inference(controller ? controller : new InferenceController({}, this)) {
    setObjectName("mainWindow");
    setWindowIcon(applicationIcon());
    setCentralWidget(m_canvas);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    // The right-hand docks (Prompt, History) run the full height; Results sits under the canvas.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    m_doc->setStrokeMergeWindowMs(settings::strokeMergeWindowMs());
    m_doc->history().setBudget(qint64(settings::historyMemoryMB()) << 20);
    m_rt = new Retranslator(this);
    // History steps are named again first: the Undo/Redo actions and the History dock, whose
    // setters come later, read those names.
    m_rt->add([this] { retitleHistory(m_doc->undoStack()); });
    // Status-bar messages are transient and already translated: drop the old language's one.
    m_rt->add([this] { statusBar()->clearMessage(); });
    m_saver = new BackgroundSaver(this);
    m_autosave = new AutosaveSession(m_doc, this);
    applyAutosaveSettings();

    createActions();
    createMenus();
    applySavedShortcuts();
    createToolBars();
    createDocks();
    createStatusBar();
    connectInference();

    m_canvas->setDocument(m_doc);
    connect(m_doc->undoStack(), &QUndoStack::cleanChanged, this, [this](bool clean) { setWindowModified(!clean); });
    connect(m_doc, &Document::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &Document::contentReset, this, [this] {
        m_sizeLabel->setText(tr("%1 × %2").arg(m_doc->size().width()).arg(m_doc->size().height()));
    });
    m_rt->add([this] {
        updateTitle();
        if (!m_doc->isNull()) m_sizeLabel->setText(tr("%1 × %2").arg(m_doc->size().width()).arg(m_doc->size().height()));
        updateZoomLabel(m_canvas->zoom());
    });
    connect(m_canvas, &Canvas::fileDropped, this, [this](const QString& path) {
        if (maybeSave()) openFile(path);
    });
    connect(m_canvas, &Canvas::imageDropped, this, &MainWindow::pasteImage);
    // A mask painted outside Inpaint mode: the Prompt panel offers Inpaint (checked once the
    // stroke's events are through, not for every dab).
    connect(m_doc->undoStack(), &QUndoStack::indexChanged, this, [this] {
        QTimer::singleShot(0, this, &MainWindow::offerInpaintAfterMasking);
    });
    connect(m_prompt, &PromptPanel::modeChanged, this, [this] { m_inpaintOffered = false; });
    connect(m_doc, &Document::historyError, this, [this](const QString& message) {
        showMessage(tr("Undo history"), message, true);
    });
    connect(m_canvas, &Canvas::zoomChanged, this, &MainWindow::updateZoomLabel);
    connect(m_canvas, &Canvas::cursorMoved, this, [this](const QPoint& p, bool inside) {
        m_positionLabel->setText(inside ? tr("%1, %2").arg(p.x()).arg(p.y()) : QString());
    });

    m_defaultLayout = saveState();
    readSettings();
    newDocument(QSize(512, 512));
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::showMessage(const QString& title, const QString& text, bool error) {
    if (m_lastBox) m_lastBox->close();
    auto* box = new QMessageBox(error ? QMessageBox::Warning : QMessageBox::Information, title, text, QMessageBox::Ok, this);
    box->setObjectName(error ? "errorBox" : "infoBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_lastBox = box;
    connect(box, &QObject::destroyed, this, [this, box] {
        if (m_lastBox == box) m_lastBox = nullptr;
    });
    box->open();  // window-modal, does not block the caller
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — unclip-studio").arg(m_doc->displayName()));
    setWindowFilePath(m_doc->sourcePath());
}

void MainWindow::updateZoomLabel(double zoom) { m_zoomLabel->setText(tr("%1 %").arg(QLocale().toString(zoom * 100.0, 'f', zoom < 0.1 ? 1 : 0))); }

void MainWindow::closeEvent(QCloseEvent* event) {
    waitForSave();  // a save in flight completes (and reports) before anything else
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    writeSettings();
    m_inference->cancelAll();
    m_autosave->discard();  // a clean exit leaves no autosave behind
    event->accept();
}

void MainWindow::setTool(Tool tool) {
    m_canvas->setTool(tool);
    action(tool == Tool::Brush       ? "brush"
           : tool == Tool::Eraser    ? "eraser"
           : tool == Tool::Rectangle ? "rectangle"
           : tool == Tool::Frame     ? "frameTool"
                                     : "lasso")
        ->setChecked(true);
    updateFrameShown();
}

void MainWindow::setLanguage(const QString& code) {
    // Installing the translators sends LanguageChange to every widget; each Retranslator re-sets
    // its strings, so the whole window switches without a restart.
    const QString loaded = installTranslations(code);
    statusBar()->showMessage(tr("Language: %1").arg(QLocale(loaded).nativeLanguageName()), 4000);
}

// ---- dialogs ------------------------------------------------------------------------------

void MainWindow::announceModelFamily(const ModelSettings& s) {
    const ModelInfo info = modelFamilyOf(s);
    if (info.family.isEmpty()) return;
    // Sizes the last load gave stay until the next load says otherwise.
    const ModelInfo& known = m_prompt->modelInfo();
    if (info.family == known.family && (info.imageSize == 0 || info.imageSize == known.imageSize)) return;
    m_prompt->setModelInfo(info);
}

void MainWindow::showSettings() {
    SettingsDialog dialog(this);
    dialog.load();
    const QString oldLanguage = settings::language();
    if (dialog.exec() != QDialog::Accepted) return;
    dialog.save();
    m_inference->setModelSettings(dialog.modelSettings());
    announceModelFamily(dialog.modelSettings());
    m_prompt->setModelOptions(dialog.modelSettings().device, dialog.modelSettings().precision);
    m_doc->setStrokeMergeWindowMs(dialog.strokeMergeWindowMs());
    m_canvas->setMaskOverlay(dialog.maskColor(), dialog.maskOpacity());
    m_doc->history().setBudget(qint64(dialog.historyMemoryMB()) << 20);
    applyAutosaveSettings();
    if (dialog.language() != oldLanguage) setLanguage(dialog.language());
}

void MainWindow::about() {
    auto* box = new QMessageBox(this);
    box->setObjectName("aboutBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About unclip-studio"));
    box->setIconPixmap(applicationIcon().pixmap(96, 96));
    box->setText(tr("<h3>unclip-studio %1</h3>"
                    "<p>A native image editor running unCLIP models (Karlo, Kandinsky 2.2) locally: "
                    "inpainting with a painted mask, variations, interpolation and text diffs.</p>")
                     .arg(QStringLiteral(UNCLIP_VERSION)));
    box->setInformativeText(tr("Qt %1 · %2").arg(QString::fromLatin1(qVersion()), pipelineBuildSummary()));
    box->open();
}

}  // namespace unclip::ui
