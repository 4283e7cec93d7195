#include "ui/mainwindow/mainwindow.h"

#include "ui/common/icons.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/pipelinebackend.h"
#include "ui/mainwindow/newimagedialog.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif

namespace unclip::ui {

namespace {
bool maskIsEmpty(const QImage& mask) {
    for (int y = 0; y < mask.height(); ++y) {
        const uchar* row = mask.constScanLine(y);
        for (int x = 0; x < mask.width(); ++x)
            if (row[x]) return false;
    }
    return true;
}
}  // namespace

MainWindow::MainWindow(InferenceController* controller, QWidget* parent)
    : QMainWindow(parent), m_doc(new Document(this)), m_canvas(new Canvas(this)),
      m_inference(controller ? controller : new InferenceController({}, this)) {
    setObjectName("mainWindow");
    setWindowIcon(applicationIcon());
    setCentralWidget(m_canvas);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    m_doc->setStrokeMergeWindowMs(settings::strokeMergeWindowMs());

    createActions();
    createMenus();
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
    connect(m_canvas, &Canvas::fileDropped, this, [this](const QString& path) {
        if (maybeSave()) openFile(path);
    });
    connect(m_canvas, &Canvas::imageDropped, this, &MainWindow::pasteImage);
    connect(m_canvas, &Canvas::zoomChanged, this, &MainWindow::updateZoomLabel);
    connect(m_canvas, &Canvas::cursorMoved, this, [this](const QPoint& p, bool inside) {
        m_positionLabel->setText(inside ? tr("%1, %2").arg(p.x()).arg(p.y()) : QString());
    });

    readSettings();
    newDocument(QSize(512, 512));
    updateTitle();
}

MainWindow::~MainWindow() = default;

// ---- actions, menus, tool bars ------------------------------------------------------------

QAction* MainWindow::makeAction(const QString& name, const QString& text, const QString& icon,
                                const QList<QKeySequence>& shortcuts, const QString& tip) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!icon.isEmpty()) a->setIcon(themedIcon(icon));
    if (!shortcuts.isEmpty()) a->setShortcuts(shortcuts);
    QString status = tip.isEmpty() ? QString(text).remove('&').remove(QStringLiteral("…")) : tip;
    if (!shortcuts.isEmpty()) {
        a->setToolTip(QStringLiteral("%1 (%2)").arg(status, shortcuts.first().toString(QKeySequence::NativeText)));
    } else {
        a->setToolTip(status);
    }
    a->setStatusTip(status);
    m_actions.insert(name, a);
    addAction(a);  // shortcuts work even when menus/tool bars are hidden
    return a;
}

void MainWindow::createActions() {
    connect(makeAction("new", tr("&New…"), "document-new", {QKeySequence::New}, tr("Start a blank picture")),
            &QAction::triggered, this, &MainWindow::newFile);
    connect(makeAction("open", tr("&Open…"), "document-open", {QKeySequence::Open},
                       tr("Open a picture or an OpenRaster document")),
            &QAction::triggered, this, &MainWindow::open);
    connect(makeAction("save", tr("&Save"), "document-save", {QKeySequence::Save},
                       tr("Save the picture, mask and recipes as OpenRaster (.ora)")),
            &QAction::triggered, this, &MainWindow::save);
    connect(makeAction("saveAs", tr("Save &As…"), "document-save-as", {QKeySequence::SaveAs}), &QAction::triggered,
            this, &MainWindow::saveAs);
    connect(makeAction("exportPng", tr("&Export PNG…"), "document-export", {QKeySequence(tr("Ctrl+E"))},
                       tr("Export the picture as PNG with its generation parameters")),
            &QAction::triggered, this, &MainWindow::exportPng);
    connect(makeAction("settings", tr("Se&ttings…"), "settings", {QKeySequence::Preferences, QKeySequence(tr("Ctrl+,"))}),
            &QAction::triggered, this, &MainWindow::showSettings);
    QAction* quit = makeAction("quit", tr("&Quit"), "", {QKeySequence::Quit, QKeySequence(tr("Ctrl+Q"))});
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QAction* undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName("undo");
    undo->setIcon(themedIcon("edit-undo"));
    undo->setShortcuts(QKeySequence::Undo);
    m_actions.insert("undo", undo);
    addAction(undo);
    QAction* redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName("redo");
    redo->setIcon(themedIcon("edit-redo"));
    redo->setShortcuts(QKeySequence::Redo);
    m_actions.insert("redo", redo);
    addAction(redo);
    connect(makeAction("paste", tr("&Paste"), "edit-paste", {QKeySequence::Paste},
                       tr("Replace the picture with the image on the clipboard")),
            &QAction::triggered, this, &MainWindow::paste);

    connect(makeAction("zoomIn", tr("Zoom &In"), "zoom-in", {QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))}),
            &QAction::triggered, m_canvas, &Canvas::zoomIn);
    connect(makeAction("zoomOut", tr("Zoom &Out"), "zoom-out", {QKeySequence::ZoomOut}), &QAction::triggered, m_canvas,
            &Canvas::zoomOut);
    connect(makeAction("zoomFit", tr("&Fit to Window"), "zoom-fit-best", {QKeySequence(tr("Ctrl+0"))}),
            &QAction::triggered, m_canvas, &Canvas::zoomToFit);
    connect(makeAction("zoomActual", tr("&Actual Pixels"), "zoom-original", {QKeySequence(tr("Ctrl+1"))}),
            &QAction::triggered, m_canvas, &Canvas::zoomActualPixels);
    QAction* showMask = makeAction("showMask", tr("Show &Mask"), "", {QKeySequence(tr("Ctrl+M"))},
                                   tr("Show the mask as a red overlay"));
    showMask->setCheckable(true);
    showMask->setChecked(true);
    connect(showMask, &QAction::toggled, m_canvas, &Canvas::setMaskVisible);

    auto* tools = new QActionGroup(this);
    QAction* brush = makeAction("brush", tr("&Brush"), "brush", {QKeySequence(tr("B"))}, tr("Paint the mask"));
    QAction* eraser = makeAction("eraser", tr("&Eraser"), "eraser", {QKeySequence(tr("E"))}, tr("Erase the mask"));
    QAction* rect = makeAction("rectangle", tr("&Rectangle"), "rectangle", {QKeySequence(tr("R"))},
                               tr("Drag a rectangle into the mask (Alt: out of the mask)"));
    for (QAction* a : {brush, eraser, rect}) {
        a->setCheckable(true);
        tools->addAction(a);
    }
    brush->setChecked(true);
    connect(brush, &QAction::triggered, this, [this] { setTool(Tool::Brush); });
    connect(eraser, &QAction::triggered, this, [this] { setTool(Tool::Eraser); });
    connect(rect, &QAction::triggered, this, [this] { setTool(Tool::Rectangle); });
    connect(makeAction("brushBigger", tr("Bigger Brush"), "", {QKeySequence(tr("]"))}), &QAction::triggered, m_canvas,
            &Canvas::growBrush);
    connect(makeAction("brushSmaller", tr("Smaller Brush"), "", {QKeySequence(tr("["))}), &QAction::triggered,
            m_canvas, &Canvas::shrinkBrush);
    connect(makeAction("invertMask", tr("&Invert Mask"), "mask-invert", {QKeySequence(tr("Ctrl+I"))}),
            &QAction::triggered, this, [this] { unclip::ui::invertMask(m_doc); });
    connect(makeAction("clearMask", tr("&Clear Mask"), "mask-clear", {QKeySequence(QKeySequence::Delete)}),
            &QAction::triggered, this, [this] { unclip::ui::clearMask(m_doc); });
    connect(makeAction("fillMask", tr("&Fill Mask"), "mask-fill", {QKeySequence(tr("Ctrl+Shift+F"))},
                       tr("Mask the whole picture")),
            &QAction::triggered, this, [this] { unclip::ui::fillMask(m_doc); });

    QAction* gen = makeAction("generate", tr("&Generate"), "generate",
                              {QKeySequence(tr("Ctrl+Return")), QKeySequence(tr("Ctrl+Enter"))},
                              tr("Run the pipeline with the Prompt panel's settings"));
    connect(gen, &QAction::triggered, this, &MainWindow::generate);
    QAction* cancel = makeAction("cancel", tr("&Cancel"), "cancel", {QKeySequence(Qt::Key_Escape)},
                                 tr("Stop the running generation and drop the queued ones"));
    cancel->setEnabled(false);
    connect(cancel, &QAction::triggered, this, &MainWindow::cancelGeneration);

    QAction* about = makeAction("about", tr("&About unclip-studio"), "", {});
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::about);
    QAction* aboutQt = makeAction("aboutQt", tr("About &Qt"), "", {});
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("new"));
    file->addAction(action("open"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName("recentMenu");
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    file->addSeparator();
    file->addAction(action("save"));
    file->addAction(action("saveAs"));
    file->addAction(action("exportPng"));
    file->addSeparator();
    file->addAction(action("settings"));
    file->addSeparator();
    file->addAction(action("quit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action("undo"));
    edit->addAction(action("redo"));
    edit->addSeparator();
    edit->addAction(action("paste"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(action("zoomIn"));
    view->addAction(action("zoomOut"));
    view->addAction(action("zoomFit"));
    view->addAction(action("zoomActual"));
    view->addSeparator();
    view->addAction(action("showMask"));
    view->addSeparator();
    m_panelsMenu = view->addMenu(tr("&Panels"));
    m_panelsMenu->setObjectName("panelsMenu");

    QMenu* mask = menuBar()->addMenu(tr("&Mask"));
    mask->addAction(action("brush"));
    mask->addAction(action("eraser"));
    mask->addAction(action("rectangle"));
    mask->addSeparator();
    mask->addAction(action("brushBigger"));
    mask->addAction(action("brushSmaller"));
    mask->addSeparator();
    mask->addAction(action("invertMask"));
    mask->addAction(action("clearMask"));
    mask->addAction(action("fillMask"));

    QMenu* gen = menuBar()->addMenu(tr("&Generate"));
    gen->addAction(action("generate"));
    gen->addAction(action("cancel"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action("about"));
    help->addAction(action("aboutQt"));
}

void MainWindow::createToolBars() {
    QToolBar* main = addToolBar(tr("Main"));
    main->setObjectName("mainToolBar");
    for (const char* name : {"new", "open", "save"}) main->addAction(action(name));
    main->addSeparator();
    main->addAction(action("undo"));
    main->addAction(action("redo"));
    main->addSeparator();
    for (const char* name : {"zoomIn", "zoomOut", "zoomFit", "zoomActual"}) main->addAction(action(name));
    main->addSeparator();
    main->addAction(action("generate"));
    main->addAction(action("cancel"));

    QToolBar* tools = addToolBar(tr("Mask Tools"));
    tools->setObjectName("toolsToolBar");
    for (const char* name : {"brush", "eraser", "rectangle"}) tools->addAction(action(name));
    tools->addSeparator();
    auto* sizeLabel = new QLabel(tr(" Size: "), tools);
    m_brushSize = new QSpinBox(tools);
    m_brushSize->setObjectName("brushSize");
    m_brushSize->setRange(1, Canvas::kMaxBrush);
    m_brushSize->setSuffix(tr(" px"));
    m_brushSize->setToolTip(tr("Brush diameter ([ and ] change it)"));
    m_brushSize->setValue(m_canvas->brushSize());
    tools->addWidget(sizeLabel);
    tools->addWidget(m_brushSize);
    auto* hardLabel = new QLabel(tr("  Hardness: "), tools);
    m_hardness = new QSlider(Qt::Horizontal, tools);
    m_hardness->setObjectName("brushHardness");
    m_hardness->setRange(0, 100);
    m_hardness->setFixedWidth(110);
    m_hardness->setToolTip(tr("Edge of the brush: 0 soft, 100 hard"));
    m_hardness->setValue(qRound(m_canvas->brushHardness() * 100));
    tools->addWidget(hardLabel);
    tools->addWidget(m_hardness);
    tools->addSeparator();
    for (const char* name : {"invertMask", "clearMask", "fillMask"}) tools->addAction(action(name));

    connect(m_brushSize, &QSpinBox::valueChanged, m_canvas, &Canvas::setBrushSize);
    connect(m_canvas, &Canvas::brushSizeChanged, m_brushSize, &QSpinBox::setValue);
    connect(m_hardness, &QSlider::valueChanged, this, [this](int v) { m_canvas->setBrushHardness(v / 100.0); });
    connect(m_canvas, &Canvas::brushHardnessChanged, this, [this](double h) { m_hardness->setValue(qRound(h * 100)); });
}

QDockWidget* MainWindow::addPanel(QWidget* widget, const QString& title, const QString& objectName,
                                  Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createDocks() {
    m_prompt = new PromptPanel(action("generate"), action("cancel"), this);
    QDockWidget* promptDock = addPanel(m_prompt, tr("Prompt"), "promptDock", Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_doc->undoStack(), this);
    m_history->setObjectName("history");
    m_history->setEmptyLabel(tr("<Original picture>"));
    m_history->setCleanIcon(themedIcon("document-save"));
    QDockWidget* historyDock = addPanel(m_history, tr("History"), "historyDock", Qt::RightDockWidgetArea);
    splitDockWidget(promptDock, historyDock, Qt::Vertical);
    m_results = new ResultsPanel(this);
    QDockWidget* resultsDock = addPanel(m_results, tr("Results"), "resultsDock", Qt::BottomDockWidgetArea);
    resizeDocks({resultsDock}, {m_results->minimumSizeHint().height()}, Qt::Vertical);
    resizeDocks({promptDock}, {380}, Qt::Horizontal);
    connect(m_results, &ResultsPanel::applyRequested, this, &MainWindow::applyResult);
    // Variations, Interpolation, Text diff and Plots panels plug in here through addPanel().
}

void MainWindow::createStatusBar() {
    m_stageLabel = new QLabel(this);
    m_stageLabel->setObjectName("stageLabel");
    m_stepLabel = new QLabel(this);
    m_stepLabel->setObjectName("stepLabel");
    m_progress = new QProgressBar(this);
    m_progress->setObjectName("progress");
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_positionLabel = new QLabel(this);
    m_positionLabel->setMinimumWidth(80);
    m_sizeLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName("zoomLabel");
    m_zoomLabel->setMinimumWidth(56);
    m_zoomLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    statusBar()->addPermanentWidget(m_stageLabel);
    statusBar()->addPermanentWidget(m_stepLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->addPermanentWidget(m_sizeLabel);
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->showMessage(tr("Ready"), 3000);
}

void MainWindow::connectInference() {
    connect(m_inference, &InferenceController::modelLoading, this, [this](const QString& dir) {
        m_stageLabel->setText(tr("Loading model…"));
        m_stepLabel->clear();
        statusBar()->showMessage(tr("Loading the model from %1…").arg(QDir::toNativeSeparators(dir)));
    });
    connect(m_inference, &InferenceController::modelLoaded, this, [this](const QString& summary) {
        m_lastLoadError.clear();
        m_stageLabel->clear();
        statusBar()->showMessage(tr("Model loaded: %1").arg(summary), 5000);
    });
    connect(m_inference, &InferenceController::modelLoadFailed, this, [this](const QString& message) {
        m_lastLoadError = message;
        m_stageLabel->setText(tr("No model"));
        statusBar()->showMessage(message);
        showMessage(tr("Cannot load the model"), message, true);
    });
    connect(m_inference, &InferenceController::jobStarted, this, [this](int) {
        m_stageLabel->setText(tr("Starting…"));
        m_progress->setRange(0, 0);
    });
    connect(m_inference, &InferenceController::progress, this, &MainWindow::onProgress);
    connect(m_inference, &InferenceController::jobFinished, this, &MainWindow::onJobFinished);
    connect(m_inference, &InferenceController::jobFailed, this, [this](int, const QString& message) {
        m_results->clearPreview();
        if (message == m_lastLoadError) return;  // already shown
        statusBar()->showMessage(tr("Generation failed: %1").arg(message));
        showMessage(tr("Generation failed"), message, true);
    });
    connect(m_inference, &InferenceController::jobCancelled, this, [this](int) {
        m_results->clearPreview();
        statusBar()->showMessage(tr("Generation cancelled"), 4000);
    });
    connect(m_inference, &InferenceController::busyChanged, this, &MainWindow::onBusyChanged);
}

// ---- settings, title ----------------------------------------------------------------------

void MainWindow::readSettings() {
    m_inference->setModelSettings(settings::modelSettings());
    m_canvas->setBrushSize(settings::brushSize());
    m_canvas->setBrushHardness(settings::brushHardness());
    m_prompt->restoreState();
    const QByteArray geometry = settings::windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) resize(1400, 900);
    restoreState(settings::windowState());
}

void MainWindow::writeSettings() {
    settings::setWindowGeometry(saveGeometry(), saveState());
    settings::setBrushSize(m_canvas->brushSize());
    settings::setBrushHardness(m_canvas->brushHardness());
    m_prompt->saveState();
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — unclip-studio").arg(m_doc->displayName()));
    setWindowFilePath(m_doc->sourcePath());
}

void MainWindow::updateZoomLabel(double zoom) { m_zoomLabel->setText(tr("%1 %").arg(zoom * 100.0, 0, 'f', zoom < 0.1 ? 1 : 0)); }

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = settings::recentFiles();
    int n = 0;
    for (const QString& f : files) {
        ++n;
        const QString label = n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(QFileInfo(f).fileName())
                                     : QFileInfo(f).fileName();
        QAction* a = m_recentMenu->addAction(label);
        a->setToolTip(QDir::toNativeSeparators(f));
        a->setStatusTip(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] {
            if (!maybeSave()) return;
            if (!QFileInfo::exists(f)) {
                settings::removeRecentFile(f);
                showMessage(tr("Open Recent"), tr("“%1” no longer exists.").arg(QDir::toNativeSeparators(f)), true);
                return;
            }
            openFile(f);
        });
    }
    if (files.isEmpty()) m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear List"));
    clear->setEnabled(!files.isEmpty());
    connect(clear, &QAction::triggered, this, [] {
        for (const QString& f : settings::recentFiles()) settings::removeRecentFile(f);
    });
}

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

// ---- files --------------------------------------------------------------------------------

void MainWindow::newDocument(const QSize& size, const QColor& background) {
    m_doc->reset(Document::blankImage(size, background));
    m_doc->setFilePath({});
    m_doc->setSourcePath({});
    updateTitle();
}

void MainWindow::newFile() {
    if (!maybeSave()) return;
    NewImageDialog dialog(this);
    if (!m_doc->isNull()) dialog.setImageSize(m_doc->size());
    if (dialog.exec() != QDialog::Accepted) return;
    newDocument(dialog.imageSize(), dialog.background());
    statusBar()->showMessage(tr("New picture, %1 × %2").arg(dialog.imageSize().width()).arg(dialog.imageSize().height()), 3000);
}

void MainWindow::open() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open"), settings::lastFolder(), openFilter());
    if (!path.isEmpty()) openFile(path);
}

bool MainWindow::openFile(const QString& path) {
    DocumentContent content;
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = loadDocument(path, &content, &error);
    QApplication::restoreOverrideCursor();
    if (!ok) {
        showMessage(tr("Cannot open"), tr("Cannot open “%1”:\n%2").arg(QDir::toNativeSeparators(path), error), true);
        statusBar()->showMessage(tr("Cannot open %1").arg(QFileInfo(path).fileName()), 5000);
        return false;
    }
    m_doc->reset(content.image, content.mask, content.recipes);
    const bool ora = QFileInfo(path).suffix().compare("ora", Qt::CaseInsensitive) == 0;
    m_doc->setFilePath(ora ? QFileInfo(path).absoluteFilePath() : QString());
    m_doc->setSourcePath(QFileInfo(path).absoluteFilePath());
    settings::addRecentFile(path);
    settings::setLastFolder(QFileInfo(path).absolutePath());
    updateTitle();
    QString message = tr("Opened %1 (%2 × %3)").arg(QFileInfo(path).fileName()).arg(content.image.width()).arg(content.image.height());
    if (!content.recipes.isEmpty()) {
        message += tr(", %n generation recipe(s)", nullptr, int(content.recipes.size()));
        const QJsonObject last = content.recipes.last().toObject();
        if (!last.isEmpty()) m_prompt->setToolTip(recipeSummary(last));
    }
    statusBar()->showMessage(message, 5000);
    return true;
}

bool MainWindow::save() {
    if (m_doc->filePath().isEmpty()) return saveAs();
    return saveTo(m_doc->filePath());
}

bool MainWindow::saveAs() {
    QString suggestion = m_doc->sourcePath().isEmpty()
                             ? QDir(settings::lastFolder()).filePath(tr("untitled") + ".ora")
                             : QFileInfo(m_doc->sourcePath()).absolutePath() + "/" +
                                   QFileInfo(m_doc->sourcePath()).completeBaseName() + ".ora";
    QString path = QFileDialog::getSaveFileName(this, tr("Save As"), suggestion, oraFilter());
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += ".ora";
    return saveTo(path);
}

bool MainWindow::saveTo(const QString& path) {
    DocumentContent content{m_doc->image(), m_doc->mask(), m_doc->recipes()};
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = saveOra(path, content, &error);
    QApplication::restoreOverrideCursor();
    if (!ok) {
        showMessage(tr("Cannot save"), tr("Cannot save “%1”:\n%2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    m_doc->setFilePath(QFileInfo(path).absoluteFilePath());
    m_doc->undoStack()->setClean();
    settings::addRecentFile(path);
    settings::setLastFolder(QFileInfo(path).absolutePath());
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
    return true;
}

void MainWindow::exportPng() {
    const QString base = m_doc->sourcePath().isEmpty() ? tr("untitled") : QFileInfo(m_doc->sourcePath()).completeBaseName();
    QString path = QFileDialog::getSaveFileName(this, tr("Export PNG"), QDir(settings::lastFolder()).filePath(base + ".png"),
                                                pngFilter());
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += ".png";
    exportPngTo(path);
}

bool MainWindow::exportPngTo(const QString& path) {
    QString error;
    if (!ui::exportPng(path, m_doc->image(), m_doc->recipes(), &error)) {
        showMessage(tr("Cannot export"), tr("Cannot export “%1”:\n%2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    settings::setLastFolder(QFileInfo(path).absolutePath());
    statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 4000);
    return true;
}

void MainWindow::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasImage()) {
        pasteImage(qvariant_cast<QImage>(mime->imageData()));
        return;
    }
    if (mime && mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) {
                if (maybeSave()) openFile(url.toLocalFile());
                return;
            }
    }
    statusBar()->showMessage(tr("The clipboard holds no image"), 3000);
}

void MainWindow::pasteImage(const QImage& image) {
    if (image.isNull()) return;
    const QImage img = image.convertToFormat(QImage::Format_RGBA8888);
    m_doc->undoStack()->push(new ReplaceContentCommand(m_doc, img, Document::blankMask(img.size()), tr("Paste image")));
    statusBar()->showMessage(tr("Pasted an image of %1 × %2").arg(img.width()).arg(img.height()), 3000);
}

bool MainWindow::maybeSave() {
    if (!isWindowModified() || !m_askBeforeDiscarding) return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("“%1” has unsaved changes. Save them?").arg(m_doc->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName("unsavedBox");
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save: return save();
    case QMessageBox::Discard: return true;
    default: return false;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    writeSettings();
    m_inference->cancelAll();
    event->accept();
}

// ---- generation ---------------------------------------------------------------------------

void MainWindow::setTool(Tool tool) {
    m_canvas->setTool(tool);
    action(tool == Tool::Brush ? "brush" : tool == Tool::Eraser ? "eraser" : "rectangle")->setChecked(true);
}

void MainWindow::generate() {
    m_prompt->prepareSeed();
    const GenerationParams params = m_prompt->params();
    if (params.mode == GenerationMode::Inpaint && maskIsEmpty(m_doc->mask())) {
        statusBar()->showMessage(tr("Paint the area to regenerate with the mask brush first"), 5000);
        return;
    }
    if ((params.mode == GenerationMode::TextDiff || params.mode == GenerationMode::Interpolate) && params.target.isEmpty()) {
        statusBar()->showMessage(tr("Enter the target text first"), 5000);
        return;
    }
    const QImage image = modeUsesImage(params.mode) ? m_doc->image() : QImage();
    const QImage mask = params.mode == GenerationMode::Inpaint ? m_doc->mask() : QImage();
    m_inference->submit(params, image, mask);
    const int queued = m_inference->pendingCount();
    statusBar()->showMessage(queued > 1 ? tr("Queued (%1 waiting)").arg(queued - 1) : tr("Generating…"), 3000);
}

void MainWindow::cancelGeneration() {
    if (!m_inference->isBusy()) return;
    m_inference->cancelAll();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onProgress(int, const ProgressUpdate& u) {
    m_stageLabel->setText(stageDisplayName(u.stage));
    m_stepLabel->setText(tr("%1 / %2").arg(u.step).arg(u.total));
    m_progress->setRange(0, std::max(1, u.total));
    m_progress->setValue(u.step);
    m_results->showPreview(u.preview, tr("%1: step %2 of %3").arg(stageDisplayName(u.stage)).arg(u.step).arg(u.total));
}

void MainWindow::onJobFinished(const GenerationJob& job, const GenerationOutput& output) {
    for (int i = 0; i < output.images.size(); ++i) {
        GenerationResult r;
        r.image = output.images.at(i);
        r.recipe = i < output.recipes.size() ? output.recipes.at(i) : QJsonObject();
        r.params = job.params;
        r.mask = job.mask;
        m_results->addResult(r);
    }
    m_results->clearPreview();
    if (auto* dock = findChild<QDockWidget*>("resultsDock"); dock && !dock->isVisible()) dock->show();
    statusBar()->showMessage(tr("Generated %n image(s)", nullptr, int(output.images.size())), 5000);
}

void MainWindow::onBusyChanged(bool busy) {
    action("cancel")->setEnabled(busy);
    m_progress->setVisible(busy);
    if (!busy) {
        m_stageLabel->clear();
        m_stepLabel->clear();
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
}

void MainWindow::applyResult(const GenerationResult& result) {
    QString error;
    if (!ui::applyResult(m_doc, result, &error)) {
        showMessage(tr("Cannot apply the result"), error, true);
        return;
    }
    statusBar()->showMessage(tr("Applied the result (seed %1)").arg(result.params.seed), 3000);
}

// ---- dialogs ------------------------------------------------------------------------------

void MainWindow::showSettings() {
    SettingsDialog dialog(this);
    dialog.load();
    const QString oldLanguage = settings::language();
    if (dialog.exec() != QDialog::Accepted) return;
    dialog.save();
    m_inference->setModelSettings(dialog.modelSettings());
    m_doc->setStrokeMergeWindowMs(dialog.strokeMergeWindowMs());
    if (dialog.language() != oldLanguage)
        showMessage(tr("Language"), tr("The new language takes effect when unclip-studio starts next."), false);
}

void MainWindow::about() {
    auto* box = new QMessageBox(this);
    box->setObjectName("aboutBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About unclip-studio"));
    box->setIconPixmap(applicationIcon().pixmap(96, 96));
    box->setText(tr("<h3>unclip-studio %1</h3>"
                    "<p>A native image editor running the unCLIP (Karlo) pipeline locally: inpainting "
                    "with a painted mask, variations, interpolation and text diffs.</p>")
                     .arg(QStringLiteral(UNCLIP_VERSION)));
    box->setInformativeText(tr("Qt %1 · %2").arg(QString::fromLatin1(qVersion()), pipelineBuildSummary()));
    box->open();
}

}  // namespace unclip::ui
