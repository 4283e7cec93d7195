// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the menu bar (File, Edit, Image, View, Mask, Generate, Help, with Open Recent
// filled when it opens) and the two tool bars, from the actions createActions() made.
#include "ui/mainwindow/mainwindow.h"

#include "ui/common/retranslator.h"
#include "ui/settings/appsettings.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>

namespace unclip::ui {

QMenu* MainWindow::addMenu(QMenu* parent, const char* title) {
    QMenu* m = parent ? parent->addMenu(QString()) : menuBar()->addMenu(QString());
    m_rt->add([this, m, title] { m->setTitle(m_rt->t(title)); });
    return m;
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

}  // namespace unclip::ui
