// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow/mainwindow.h"

#include "ui/app/translations.h"
#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/canvas/frametool.h"
#include "ui/document/autosave.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/document/titledcommand.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/fileformats/safesave.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/pipelinebackend.h"
#include "ui/inference/recipe.h"
#include "ui/mainwindow/canvassizedialog.h"
#include "ui/mainwindow/newimagedialog.h"
#include "ui/panels/embeddingpanels.h"
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
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScreen>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>

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

// ---- actions, menus, tool bars ------------------------------------------------------------

namespace {
void setActionTexts(QAction* a, const QString& text, const QString& tip, const QList<QKeySequence>& shortcuts) {
    a->setText(text);
    const QString status = tip.isEmpty() ? QString(text).remove('&').remove(QStringLiteral("…")) : tip;
    if (!shortcuts.isEmpty()) {
        a->setToolTip(QStringLiteral("%1 (%2)").arg(status, shortcuts.first().toString(QKeySequence::NativeText)));
    } else {
        a->setToolTip(status);
    }
    a->setStatusTip(status);
}
}  // namespace

QAction* MainWindow::makeAction(const QString& name, const QString& text, const QString& icon,
                                const QList<QKeySequence>& shortcuts, const QString& tip) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!icon.isEmpty()) a->setIcon(themedIcon(icon));
    // A platform's standard key can equal the explicit one (QKeySequence::Quit is Ctrl+Q here) or
    // be empty (Preferences): a key listed twice on one action makes Qt refuse it as ambiguous,
    // and an empty first key hides the key in the menu.
    QList<QKeySequence> unique;
    for (const QKeySequence& k : shortcuts)
        if (!k.isEmpty() && !unique.contains(k)) unique.append(k);
    if (!unique.isEmpty()) a->setShortcuts(unique);
    setActionTexts(a, text, tip, unique);
    m_actions.insert(name, a);
    addAction(a);  // shortcuts work even when menus/tool bars are hidden
    return a;
}

QAction* MainWindow::makeAction(const QString& name, const char* text, const QString& icon,
                                const QList<QKeySequence>& shortcuts, const char* tip) {
    QAction* a = makeAction(name, m_rt->t(text), icon, shortcuts, tip ? m_rt->t(tip) : QString());
    m_rt->add([this, a, text, tip] { setActionTexts(a, m_rt->t(text), tip ? m_rt->t(tip) : QString(), a->shortcuts()); });
    return a;
}

QMenu* MainWindow::addMenu(QMenu* parent, const char* title) {
    QMenu* m = parent ? parent->addMenu(QString()) : menuBar()->addMenu(QString());
    m_rt->add([this, m, title] { m->setTitle(m_rt->t(title)); });
    return m;
}

void MainWindow::createActions() {
    connect(makeAction("new", QT_TR_NOOP("&New…"), "document-new", {QKeySequence::New}, QT_TR_NOOP("Start a blank picture")),
            &QAction::triggered, this, &MainWindow::newFile);
    connect(makeAction("open", QT_TR_NOOP("&Open…"), "document-open", {QKeySequence::Open},
                       QT_TR_NOOP("Open a picture or an OpenRaster document")),
            &QAction::triggered, this, &MainWindow::open);
    connect(makeAction("save", QT_TR_NOOP("&Save"), "document-save", {QKeySequence::Save},
                       QT_TR_NOOP("Save the picture, mask and recipes as OpenRaster (.ora)")),
            &QAction::triggered, this, [this] {  // in the background: the window keeps working
                const QString path = m_doc->filePath().isEmpty() ? askSaveAsPath() : m_doc->filePath();
                saveAsChosen(path);
            });
    connect(makeAction("saveAs", QT_TR_NOOP("Save &As…"), "document-save-as",
                       {QKeySequence::SaveAs, QKeySequence(tr("Ctrl+Shift+S"))},
                       QT_TR_NOOP("Save under another name: OpenRaster keeps everything, PNG/JPEG/WebP the picture")),
            &QAction::triggered, this, [this] { saveAsChosen(askSaveAsPath()); });
    connect(makeAction("exportPng", QT_TR_NOOP("&Export PNG…"), "document-export", {QKeySequence(tr("Ctrl+E"))},
                       QT_TR_NOOP("Export the picture as PNG with its generation parameters")),
            &QAction::triggered, this, &MainWindow::exportPng);
    connect(makeAction("settings", QT_TR_NOOP("Se&ttings…"), "settings", {QKeySequence::Preferences, QKeySequence(tr("Ctrl+,"))}),
            &QAction::triggered, this, &MainWindow::showSettings);
    QAction* quit = makeAction("quit", QT_TR_NOOP("&Quit"), "", {QKeySequence::Quit, QKeySequence(tr("Ctrl+Q"))});
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    // Own undo/redo actions (not QUndoStack::createUndoAction) so their prefix follows the language.
    QUndoStack* stack = m_doc->undoStack();
    QAction* undo = makeAction("undo", QT_TR_NOOP("&Undo"), "edit-undo", QKeySequence::keyBindings(QKeySequence::Undo));
    QAction* redo = makeAction("redo", QT_TR_NOOP("&Redo"), "edit-redo",
                               QKeySequence::keyBindings(QKeySequence::Redo) << QKeySequence(tr("Ctrl+Y")));
    connect(undo, &QAction::triggered, stack, &QUndoStack::undo);
    connect(redo, &QAction::triggered, stack, &QUndoStack::redo);
    auto updateUndoRedo = [this, stack, undo, redo] {
        undo->setEnabled(stack->canUndo());
        redo->setEnabled(stack->canRedo());
        undo->setText(stack->undoText().isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(stack->undoText()));
        redo->setText(stack->redoText().isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(stack->redoText()));
    };
    connect(stack, &QUndoStack::indexChanged, this, updateUndoRedo);
    connect(stack, &QUndoStack::cleanChanged, this, updateUndoRedo);
    m_rt->add(updateUndoRedo);
    connect(makeAction("canvasSize", QT_TR_NOOP("&Canvas Size…"), "", {QKeySequence(tr("Ctrl+Alt+C"))},
                       QT_TR_NOOP("Extend or crop the canvas; new area is masked for outpainting")),
            &QAction::triggered, this, &MainWindow::canvasSize);
    connect(makeAction("copy", QT_TR_NOOP("&Copy"), "edit-copy", {QKeySequence::Copy},
                       QT_TR_NOOP("Copy the picture to the clipboard")),
            &QAction::triggered, this, &MainWindow::copyImage);
    connect(makeAction("paste", QT_TR_NOOP("&Paste"), "edit-paste", {QKeySequence::Paste},
                       QT_TR_NOOP("Replace the picture with the image on the clipboard")),
            &QAction::triggered, this, &MainWindow::paste);

    connect(makeAction("zoomIn", QT_TR_NOOP("Zoom &In"), "zoom-in", {QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))}),
            &QAction::triggered, m_canvas, &Canvas::zoomIn);
    connect(makeAction("zoomOut", QT_TR_NOOP("Zoom &Out"), "zoom-out", {QKeySequence::ZoomOut}), &QAction::triggered, m_canvas,
            &Canvas::zoomOut);
    connect(makeAction("zoomFit", QT_TR_NOOP("&Fit to Window"), "zoom-fit-best", {QKeySequence(tr("Ctrl+0"))}),
            &QAction::triggered, m_canvas, &Canvas::zoomToFit);
    connect(makeAction("zoomActual", QT_TR_NOOP("&Actual Pixels"), "zoom-original", {QKeySequence(tr("Ctrl+1"))}),
            &QAction::triggered, m_canvas, &Canvas::zoomActualPixels);
    QAction* fullScreen = makeAction("fullScreen", QT_TR_NOOP("F&ull Screen"), "view-fullscreen", {QKeySequence(tr("F11"))},
                                     QT_TR_NOOP("Use the whole screen for the window"));
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, &MainWindow::toggleFullScreen);
    connect(makeAction("resetLayout", QT_TR_NOOP("Reset &Layout"), "", {},
                       QT_TR_NOOP("Put every panel back where it was at the first start")),
            &QAction::triggered, this, &MainWindow::resetLayout);
    QAction* showMask = makeAction("showMask", QT_TR_NOOP("Show &Mask"), "", {QKeySequence(tr("Ctrl+M"))},
                                   QT_TR_NOOP("Show the mask as a coloured overlay with an outline (colour and opacity: Settings)"));
    showMask->setCheckable(true);
    showMask->setChecked(true);
    connect(showMask, &QAction::toggled, m_canvas, &Canvas::setMaskVisible);

    auto* tools = new QActionGroup(this);
    QAction* brush = makeAction("brush", QT_TR_NOOP("&Brush"), "brush", {QKeySequence(tr("B"))}, QT_TR_NOOP("Paint the mask"));
    QAction* eraser = makeAction("eraser", QT_TR_NOOP("&Eraser"), "eraser", {QKeySequence(tr("E"))}, QT_TR_NOOP("Erase the mask"));
    QAction* rect = makeAction("rectangle", QT_TR_NOOP("&Rectangle"), "rectangle", {QKeySequence(tr("R"))},
                               QT_TR_NOOP("Drag a rectangle into the mask (Alt: out of the mask)"));
    QAction* lasso = makeAction("lasso", QT_TR_NOOP("&Lasso"), "lasso", {QKeySequence(tr("L"))},
                                QT_TR_NOOP("Draw an outline to add to the mask (Alt: cut out of the mask)"));
    QAction* frameTool = makeAction("frameTool", QT_TR_NOOP("Generation &Frame"), "frame", {QKeySequence(tr("F"))},
                                    QT_TR_NOOP("Place the square the model draws in: drag to move or resize it, past "
                                               "the picture's edge to outpaint; double-click for the automatic frame"));
    for (QAction* a : {brush, eraser, rect, lasso, frameTool}) {
        a->setCheckable(true);
        tools->addAction(a);
    }
    connect(frameTool, &QAction::triggered, this, [this] { setTool(Tool::Frame); });
    connect(makeAction("autoFrame", QT_TR_NOOP("&Automatic Frame"), "", {},
                       QT_TR_NOOP("Generate in a frame found around the mask again")),
            &QAction::triggered, this, [this] { m_canvas->frameTool()->resetToAutomatic(); });
    brush->setChecked(true);
    connect(brush, &QAction::triggered, this, [this] { setTool(Tool::Brush); });
    connect(eraser, &QAction::triggered, this, [this] { setTool(Tool::Eraser); });
    connect(rect, &QAction::triggered, this, [this] { setTool(Tool::Rectangle); });
    connect(lasso, &QAction::triggered, this, [this] { setTool(Tool::Lasso); });
    connect(makeAction("swapTool", QT_TR_NOOP("S&wap Brush and Eraser"), "", {QKeySequence(tr("X"))},
                       QT_TR_NOOP("Switch between painting and erasing the mask")),
            &QAction::triggered, this, &MainWindow::swapBrushAndEraser);
    connect(makeAction("brushBigger", QT_TR_NOOP("Bigger Brush"), "", {QKeySequence(tr("]"))}), &QAction::triggered, m_canvas,
            &Canvas::growBrush);
    connect(makeAction("brushSmaller", QT_TR_NOOP("Smaller Brush"), "", {QKeySequence(tr("["))}), &QAction::triggered,
            m_canvas, &Canvas::shrinkBrush);
    connect(makeAction("invertMask", QT_TR_NOOP("&Invert Mask"), "mask-invert", {QKeySequence(tr("Ctrl+I"))}),
            &QAction::triggered, this, [this] { unclip::ui::invertMask(m_doc); });
    connect(makeAction("clearMask", QT_TR_NOOP("&Clear Mask"), "mask-clear", {QKeySequence(QKeySequence::Delete)}),
            &QAction::triggered, this, [this] { unclip::ui::clearMask(m_doc); });
    connect(makeAction("fillMask", QT_TR_NOOP("&Fill Mask"), "mask-fill", {QKeySequence(tr("Ctrl+Shift+F"))},
                       QT_TR_NOOP("Mask the whole picture")),
            &QAction::triggered, this, [this] { unclip::ui::fillMask(m_doc); });

    QAction* gen = makeAction("generate", QT_TR_NOOP("&Generate"), "generate",
                              {QKeySequence(tr("Ctrl+Return")), QKeySequence(tr("Ctrl+Enter"))},
                              QT_TR_NOOP("Run the pipeline with the Prompt panel's settings"));
    connect(gen, &QAction::triggered, this, &MainWindow::generate);
    QAction* cancel = makeAction("cancel", QT_TR_NOOP("&Cancel"), "cancel", {QKeySequence(Qt::Key_Escape)},
                                 QT_TR_NOOP("Stop the running generation and drop the queued ones"));
    cancel->setEnabled(false);
    connect(cancel, &QAction::triggered, this, &MainWindow::cancelGeneration);
    connect(makeAction("rerunRecipe", QT_TR_NOOP("&Re-run Last Recipe"), "", {QKeySequence(tr("Ctrl+Shift+R"))},
                       QT_TR_NOOP("Run the picture's last recipe again (same prompt, seed and settings)")),
            &QAction::triggered, this, [this] {
                if (m_doc->recipes().isEmpty()) {
                    statusBar()->showMessage(tr("This picture has no generation recipe"), 4000);
                    return;
                }
                loadRecipe(m_doc->recipes().last().toObject(), true);
            });

    connect(makeAction("help", QT_TR_NOOP("unclip-studio &Help"), "help-contents", {QKeySequence::HelpContents, QKeySequence(tr("F1"))},
                       QT_TR_NOOP("How to work with the editor, and every key")),
            &QAction::triggered, this, &MainWindow::showHelp);
    QAction* about = makeAction("about", QT_TR_NOOP("&About unclip-studio"), "", {});
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::about);
    connect(makeAction("shortcuts", QT_TR_NOOP("&Keyboard Shortcuts…"), "", {}, QT_TR_NOOP("Change the key of any menu command")),
            &QAction::triggered, this, &MainWindow::editShortcuts);
    QAction* aboutQt = makeAction("aboutQt", QT_TR_NOOP("About &Qt"), "", {});
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus() {
    QMenu* file = addMenu(nullptr, QT_TR_NOOP("&File"));
    file->addAction(action("new"));
    file->addAction(action("open"));
    m_recentMenu = addMenu(file, QT_TR_NOOP("Open &Recent"));
    m_recentMenu->setObjectName("recentMenu");
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    file->addSeparator();
    file->addAction(action("save"));
    file->addAction(action("saveAs"));
    file->addAction(action("exportPng"));
    file->addSeparator();
    file->addAction(action("settings"));
    file->addAction(action("shortcuts"));
    file->addSeparator();
    file->addAction(action("quit"));

    QMenu* edit = addMenu(nullptr, QT_TR_NOOP("&Edit"));
    edit->addAction(action("undo"));
    edit->addAction(action("redo"));
    edit->addSeparator();
    edit->addAction(action("copy"));
    edit->addAction(action("paste"));

    QMenu* image = addMenu(nullptr, QT_TR_NOOP("&Image"));
    image->addAction(action("canvasSize"));

    QMenu* view = addMenu(nullptr, QT_TR_NOOP("&View"));
    view->addAction(action("zoomIn"));
    view->addAction(action("zoomOut"));
    view->addAction(action("zoomFit"));
    view->addAction(action("zoomActual"));
    view->addSeparator();
    view->addAction(action("showMask"));
    view->addAction(action("fullScreen"));
    view->addSeparator();
    m_panelsMenu = addMenu(view, QT_TR_NOOP("&Panels"));
    m_panelsMenu->setObjectName("panelsMenu");
    view->addAction(action("resetLayout"));

    QMenu* mask = addMenu(nullptr, QT_TR_NOOP("&Mask"));
    mask->addAction(action("brush"));
    mask->addAction(action("eraser"));
    mask->addAction(action("rectangle"));
    mask->addAction(action("lasso"));
    mask->addAction(action("swapTool"));
    mask->addSeparator();
    mask->addAction(action("brushBigger"));
    mask->addAction(action("brushSmaller"));
    mask->addSeparator();
    mask->addAction(action("invertMask"));
    mask->addAction(action("clearMask"));
    mask->addAction(action("fillMask"));

    QMenu* gen = addMenu(nullptr, QT_TR_NOOP("&Generate"));
    gen->addAction(action("generate"));
    gen->addAction(action("frameTool"));
    gen->addAction(action("autoFrame"));
    gen->addAction(action("cancel"));
    gen->addSeparator();
    gen->addAction(action("rerunRecipe"));
    m_recipesMenu = addMenu(gen, QT_TR_NOOP("Recipes of This &Picture"));
    m_recipesMenu->setObjectName("recipesMenu");
    connect(m_recipesMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecipesMenu);

    QMenu* help = addMenu(nullptr, QT_TR_NOOP("&Help"));
    help->addAction(action("help"));
    help->addSeparator();
    help->addAction(action("about"));
    help->addAction(action("aboutQt"));
}

void MainWindow::createToolBars() {
    QToolBar* main = addToolBar(QString());
    m_rt->add([this, main] { main->setWindowTitle(tr("Main")); });
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

    QToolBar* tools = addToolBar(QString());
    m_rt->add([this, tools] { tools->setWindowTitle(tr("Mask Tools")); });
    tools->setObjectName("toolsToolBar");
    for (const char* name : {"brush", "eraser", "rectangle", "lasso", "frameTool"}) tools->addAction(action(name));
    tools->addSeparator();
    auto* sizeLabel = m_rt->label(QT_TR_NOOP(" Size: "), tools);
    m_brushSize = new QSpinBox(tools);
    m_brushSize->setObjectName("brushSize");
    m_brushSize->setRange(1, Canvas::kMaxBrush);
    m_rt->add([this] { m_brushSize->setSuffix(tr(" px")); });
    m_rt->toolTip(m_brushSize, QT_TR_NOOP("Brush diameter ([ and ] change it)"));
    m_brushSize->setValue(m_canvas->brushSize());
    tools->addWidget(sizeLabel);
    tools->addWidget(m_brushSize);
    auto* hardLabel = m_rt->label(QT_TR_NOOP("  Hardness: "), tools);
    m_hardness = new QSlider(Qt::Horizontal, tools);
    m_hardness->setObjectName("brushHardness");
    m_hardness->setRange(0, 100);
    m_hardness->setFixedWidth(110);
    m_rt->toolTip(m_hardness, QT_TR_NOOP("Edge of the brush: 0 soft, 100 hard"));
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
    // Panels scroll inside their dock rather than asking for more room than a small screen has
    // (a dock's minimum size is then the scroll area's, and the window never grows by itself).
    if (qobject_cast<QAbstractScrollArea*>(widget) || widget->property("scrollsItself").toBool()) {
        dock->setWidget(widget);  // scrolls already (the History list, the Prompt panel's fields)
    } else {
        auto* scroll = new QScrollArea(dock);
        scroll->setObjectName(objectName + QStringLiteral("Scroll"));
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(widget);
        dock->setWidget(scroll);
    }
    // The dock's title follows its panel's window title, which panels keep translated.
    if (widget->windowTitle().isEmpty()) widget->setWindowTitle(title);
    else dock->setWindowTitle(widget->windowTitle());
    connect(widget, &QWidget::windowTitleChanged, dock, &QDockWidget::setWindowTitle);
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createDocks() {
    m_prompt = new PromptPanel(action("generate"), action("cancel"), this);
    QDockWidget* promptDock = addPanel(m_prompt, tr("Prompt"), "promptDock", Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_doc->undoStack(), this);
    m_history->setObjectName("history");
    m_rt->add([this] {
        m_history->setWindowTitle(tr("History"));
        m_history->setEmptyLabel(tr("<Original picture>"));
        m_history->doItemsLayout();  // the steps' names changed in place: no model signal says so
    });
    m_history->setCleanIcon(themedIcon("document-save"));
    m_history->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_history, &QWidget::customContextMenuRequested, this, &MainWindow::showHistoryMenu);
    QDockWidget* historyDock = addPanel(m_history, tr("History"), "historyDock", Qt::RightDockWidgetArea);
    splitDockWidget(promptDock, historyDock, Qt::Vertical);
    m_results = new ResultsPanel(this);
    QDockWidget* resultsDock = addPanel(m_results, tr("Results"), "resultsDock", Qt::BottomDockWidgetArea);
    connect(m_results, &ResultsPanel::applyRequested, this, &MainWindow::applyResult);
    connect(m_results, &ResultsPanel::upscaleRequested, this, &MainWindow::upscaleCandidate);
    // The generation frame: shown for the modes that use it, with the selected result inside.
    connect(m_results, &ResultsPanel::currentResultChanged, this, &MainWindow::previewResultInFrame);
    connect(m_prompt, &PromptPanel::modeChanged, this, &MainWindow::updateFrameShown);
    connect(m_doc, &Document::generationFrameChanged, this, &MainWindow::updateFrameShown);
    connect(m_doc, &Document::contentReset, this, [this] { previewResultInFrame(-1); });
    connect(m_inference, &InferenceController::modelImageSize, m_canvas->frameTool(), &FrameTool::setModelSize);
    // The family's steps, guidance and sizes (Kandinsky 2.2: output size, no super-resolution).
    connect(m_inference, &InferenceController::modelInfo, m_prompt, &PromptPanel::setModelInfo);
    m_canvas->frameTool()->setContext(settings::frameContext());
    updateFrameShown();
    // The Prompt panel's device/precision are the model settings (as in Settings): saved, and the
    // model reloads before the next job.
    connect(m_prompt, &PromptPanel::modelOptionsChanged, this, [this](const QString& device, const QString& precision) {
        ModelSettings s = settings::modelSettings();
        s.device = device;
        s.precision = precision;
        settings::setModelSettings(s);
        m_inference->setModelSettings(s);
        statusBar()->showMessage(tr("The model will run on %1 in %2 from the next generation on").arg(device, precision), 4000);
    });
    // Variations, Interpolation, Text diff and Plots docks (ui/panels/embeddingpanels.h).
    PanelContext context;
    context.inference = m_inference;
    context.document = m_doc;
    context.results = m_results;
    context.baseParams = [this] { return m_prompt->params(); };
    createEmbeddingPanels(
        this, context,
        [this](QWidget* w, const QString& title, const QString& name, Qt::DockWidgetArea area) {
            return addPanel(w, title, name, area);
        },
        [this](const QString& text) { statusBar()->showMessage(text, 5000); });
}

void MainWindow::createStatusBar() {
    m_stageLabel = new QLabel(this);
    m_stageLabel->setObjectName("stageLabel");
    m_stepLabel = new QLabel(this);
    m_stepLabel->setObjectName("stepLabel");
    m_timeLabel = new QLabel(this);
    m_timeLabel->setObjectName("timeLabel");
    m_timeLabel->setToolTip(tr("Time since the job started, and an estimate of what is left"));
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
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName("modelLabel");
    statusBar()->addPermanentWidget(m_modelLabel);
    statusBar()->addPermanentWidget(m_stageLabel);
    statusBar()->addPermanentWidget(m_stepLabel);
    statusBar()->addPermanentWidget(m_timeLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->addPermanentWidget(m_sizeLabel);
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->showMessage(tr("Ready"), 3000);
}

void MainWindow::connectInference() {
    connect(m_inference, &InferenceController::modelLoading, this, [this](const QString& dir) {
        m_stageLabel->setText(tr("Loading model…"));
        m_prompt->showProgress(tr("Loading the model…"), 0, 0);
        m_stepLabel->clear();
        statusBar()->showMessage(tr("Loading the model from %1…").arg(QDir::toNativeSeparators(dir)));
    });
    connect(m_inference, &InferenceController::modelLoaded, this, [this](const QString& summary) {
        m_lastLoadError.clear();
        m_stageLabel->clear();
        statusBar()->showMessage(tr("Model loaded: %1").arg(summary), 5000);
        m_modelLabel->setToolTip(summary);
    });
    // Which family is loaded stays in view (Kandinsky 2.2 and Karlo offer different controls).
    connect(m_inference, &InferenceController::modelInfo, this, [this](const ModelInfo& info) {
        m_modelLabel->setText(info.title.isEmpty() || info.imageSize <= 0
                                  ? info.title
                                  : tr("%1, %2 px").arg(info.title).arg(info.imageSize));
    });
    connect(m_inference, &InferenceController::modesUnavailable, m_prompt, &PromptPanel::setUnavailableModes);
    connect(m_inference, &InferenceController::modelLoadFailed, this, [this](const QString& message) {
        m_lastLoadError = message;
        m_modelLabel->clear();
        m_modelLabel->setToolTip({});
        m_stageLabel->setText(tr("No model"));
        statusBar()->showMessage(message);
        m_prompt->showFeedback(tr("The model could not be loaded: check the model folder in Settings (Ctrl+,)"),
                               PromptPanel::Feedback::Warning);
        showMessage(tr("Cannot load the model"), message, true);
    });
    connect(m_inference, &InferenceController::jobStarted, this, [this](int id) {
        if (const GenerationJob* job = m_inference->job(id)) m_clock.start(job->params);
        m_timeLabel->setText(m_clock.text());
        m_stageLabel->setText(tr("Starting…"));
        m_progress->setRange(0, 0);
        m_prompt->showProgress(tr("Starting… %1").arg(m_clock.text()), 0, 0);
    });
    connect(m_inference, &InferenceController::progress, this, &MainWindow::onProgress);
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (!m_timeLabel->text().isEmpty()) m_timeLabel->setText(m_clock.text());
    });
    connect(m_inference, &InferenceController::jobFinished, this, &MainWindow::onJobFinished);
    connect(m_inference, &InferenceController::jobFailed, this, [this](int, const QString& message) {
        m_results->clearPreview();
        if (message == m_lastLoadError) return;  // already shown
        statusBar()->showMessage(tr("Generation failed: %1").arg(message));
        m_prompt->showFeedback(tr("Generation failed: %1").arg(message), PromptPanel::Feedback::Warning);
        showMessage(tr("Generation failed"), message, true);
    });
    connect(m_inference, &InferenceController::jobCancelled, this, [this](int) {
        m_results->clearPreview();
        statusBar()->showMessage(tr("Generation cancelled"), 4000);
        m_prompt->showFeedback(tr("Generation cancelled"));
    });
    connect(m_inference, &InferenceController::busyChanged, this, &MainWindow::onBusyChanged);
}

// ---- settings, title ----------------------------------------------------------------------

void MainWindow::readSettings() {
    m_inference->setModelSettings(settings::modelSettings());
    m_prompt->setDeviceOptions(availableDevices());
    m_prompt->setModelOptions(settings::modelSettings().device, settings::modelSettings().precision);
    m_canvas->setBrushSize(settings::brushSize());
    m_canvas->setBrushHardness(settings::brushHardness());
    m_canvas->setMaskOverlay(settings::maskColor(), settings::maskOpacity());
    m_prompt->restoreState();
    announceModelFamily(settings::modelSettings());
    // The layout is remembered per screen size: a laptop screen and a large monitor each keep theirs.
    const QString key = screenKey();
    const QByteArray geometry = settings::windowGeometry(key);
    m_layoutRestored = !geometry.isEmpty() && restoreGeometry(geometry) && restoreState(settings::windowState(key));
    if (!m_layoutRestored) {
        // First start on this screen size: the available screen area, never more.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 720);
        setGeometry(available);
        applyDefaultDockSizes();
    }
    fitToScreen();
}

QString MainWindow::screenKey() const {
    const QSize s = screen() ? screen()->availableGeometry().size() : QSize();
    return QStringLiteral("%1x%2").arg(s.width()).arg(s.height());
}

void MainWindow::fitToScreen() {
    if (!screen() || isFullScreen()) return;
    const QRect available = screen()->availableGeometry();
    const QRect frame = frameGeometry();
    const QMargins margins(geometry().left() - frame.left(), geometry().top() - frame.top(),
                           frame.right() - geometry().right(), frame.bottom() - geometry().bottom());
    if (available.contains(frame)) return;
    const QRect inner = available.marginsRemoved(margins);
    QRect g = geometry();
    g.setSize(g.size().boundedTo(inner.size()));
    g.moveLeft(std::clamp(g.left(), inner.left(), inner.right() - g.width() + 1));
    g.moveTop(std::clamp(g.top(), inner.top(), inner.bottom() - g.height() + 1));
    setGeometry(g);
}

void MainWindow::applyDefaultDockSizes() {
    // Proportions that leave the canvas the most room on any screen from 1280 × 720 up.
    const QSize size = this->size();
    auto* prompt = findChild<QDockWidget*>("promptDock");
    auto* history = findChild<QDockWidget*>("historyDock");
    auto* results = findChild<QDockWidget*>("resultsDock");
    if (prompt) resizeDocks({prompt}, {std::clamp(size.width() * 3 / 10, 300, 440)}, Qt::Horizontal);
    if (prompt && history)
        resizeDocks({prompt, history}, {size.height() * 3 / 4, size.height() / 4}, Qt::Vertical);
    if (results) resizeDocks({results}, {std::clamp(size.height() / 4, 200, 280)}, Qt::Vertical);
}

void MainWindow::resetLayout() {
    if (isFullScreen()) showNormal();
    restoreState(m_defaultLayout);
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        if (dock->isFloating()) dock->setFloating(false);
    }
    for (const char* name : {"promptDock", "historyDock", "resultsDock"})
        if (auto* dock = findChild<QDockWidget*>(QString::fromLatin1(name))) {
            dock->show();
            if (qstrcmp(name, "historyDock") != 0) dock->raise();
        }
    applyDefaultDockSizes();
    statusBar()->showMessage(tr("The panels are back in their first places"), 4000);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (m_shownOnce) return;
    m_shownOnce = true;
    // The frame's size is known only now (on X11 once the window manager framed the window, a
    // moment later): keep the whole window on the screen.
    fitToScreen();
    QTimer::singleShot(300, this, &MainWindow::fitToScreen);
    if (!m_layoutRestored) applyDefaultDockSizes();
}

void MainWindow::writeSettings() {
    settings::setWindowGeometry(saveGeometry(), saveState(), screenKey());
    settings::setBrushSize(m_canvas->brushSize());
    settings::setBrushHardness(m_canvas->brushHardness());
    m_prompt->saveState();
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — unclip-studio").arg(m_doc->displayName()));
    setWindowFilePath(m_doc->sourcePath());
}

void MainWindow::updateZoomLabel(double zoom) { m_zoomLabel->setText(tr("%1 %").arg(QLocale().toString(zoom * 100.0, 'f', zoom < 0.1 ? 1 : 0))); }

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
    waitForSave();
    const bool possible = size.width() >= 1 && size.height() >= 1 && size.width() <= NewImageDialog::kMaxSide &&
                          size.height() <= NewImageDialog::kMaxSide;
    const QImage blank = possible ? Document::blankImage(size, background) : QImage();
    if (blank.isNull()) {  // too large, or not enough memory: keep the current picture
        showMessage(tr("New Picture"),
                    tr("A picture of %1 × %2 pixels is not possible (1 to %3 pixels per side, and enough memory).")
                        .arg(size.width())
                        .arg(size.height())
                        .arg(NewImageDialog::kMaxSide),
                    true);
        return;
    }
    m_doc->reset(blank);
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
    waitForSave();  // a save in flight finishes for the document it started from
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
    m_doc->setForeignLayers(content.foreignLayers);
    m_doc->setGenerationFrame(content.generationFrame);
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
    // How the file was read, when the user should know (layers combined and kept, a fallback).
    if (!content.notes.isEmpty()) showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), content.notes.join("\n\n"), false);
    return true;
}

bool MainWindow::save() {
    if (m_doc->filePath().isEmpty()) return saveAs();
    return saveTo(m_doc->filePath());
}

bool MainWindow::saveAs() {
    const QString path = askSaveAsPath();
    return !path.isEmpty() && saveTo(path);
}

bool MainWindow::saveTo(const QString& path) {
    // The same background save as File > Save, waited for (Save in the unsaved-changes box, tests).
    if (!startSave(path)) return false;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    waitForSave();
    QApplication::restoreOverrideCursor();
    return m_lastSaveOk;
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
    m_doc->undoStack()->push(
        new ReplaceContentCommand(m_doc, img, Document::blankMask(img.size()), [] { return tr("Paste image"); }));
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
    case QMessageBox::Discard:
        m_autosave->discard();  // the user chose to lose these changes: no recovery offer later
        return true;
    default: return false;
    }
}

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

// ---- generation ---------------------------------------------------------------------------

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

void MainWindow::canvasSize() {
    CanvasSizeDialog dialog(m_doc->size(), NewImageDialog::kMaxSide, this);
    if (dialog.exec() != QDialog::Accepted) return;
    resizeCanvasTo(dialog.margins(), dialog.fill(), dialog.maskNewArea());
}

bool MainWindow::resizeCanvasTo(const QMargins& margins, CanvasFill fill, bool maskNewArea) {
    if (margins.isNull()) return false;
    const ResizedCanvas r =
        resizeCanvas(m_doc->image(), m_doc->mask(), margins, fill, Qt::white, maskNewArea, NewImageDialog::kMaxSide);
    if (r.image.isNull()) {
        showMessage(tr("Canvas Size"),
                    tr("A canvas of %1 × %2 pixels is not possible (1 to %3 pixels per side, and enough memory).")
                        .arg(m_doc->size().width() + margins.left() + margins.right())
                        .arg(m_doc->size().height() + margins.top() + margins.bottom())
                        .arg(NewImageDialog::kMaxSide),
                    true);
        return false;
    }
    const HistoryTitle title = [w = r.image.width(), h = r.image.height()] {
        return tr("Canvas size %1 × %2").arg(w).arg(h);
    };
    m_doc->undoStack()->push(new ReplaceContentCommand(m_doc, r.image, r.mask, title));
    const bool grew = margins.left() > 0 || margins.top() > 0 || margins.right() > 0 || margins.bottom() > 0;
    if (maskNewArea && grew) {
        m_prompt->setMode(GenerationMode::Inpaint);
        statusBar()->showMessage(tr("The new area is masked: Generate (Ctrl+Enter) paints it"), 6000);
    }
    return true;
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
