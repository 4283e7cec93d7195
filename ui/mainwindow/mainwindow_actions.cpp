// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: every menu command as one row of a table (createActions), and the standard actions
// artists expect from Krita or GIMP — copy the picture, full screen, swap brush and eraser (X),
// and the help window (F1) listing the workflow and every key.
#include "ui/mainwindow/mainwindow.h"

#include "ui/canvas/frametool.h"
#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/mainwindow/shortcutsdialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTextBrowser>
#include <QUndoStack>
#include <QVBoxLayout>

#include <functional>

namespace unclip::ui {

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

namespace {
// How a row of the action table is set up beyond its texts and keys.
enum ActionFlag {
    Checkable = 1,
    Checked = 2,
    Disabled = 4,
    MaskTool = 8,  // one of the exclusive mask tools (checkable, in one QActionGroup)
};

// One row of the table in createActions().
struct ActionSpec {
    const char* name;          // objectName and the key of MainWindow::action()
    const char* text;          // QT_TR_NOOP in MainWindow's context: retranslated on a language change
    const char* icon;          // themed icon name; "" for none
    QList<QKeySequence> keys;  // the first is the one menus and tool tips show
    const char* tip;           // status and tool tip (QT_TR_NOOP); nullptr: the text without '&' and '…'
    std::function<void()> triggered;  // connected to QAction::triggered
    std::function<void(bool)> toggled = {};  // connected to QAction::toggled
    unsigned flags = 0;
    QAction::MenuRole role = QAction::TextHeuristicRole;
};
}  // namespace

void MainWindow::createActions() {
    // Own undo/redo actions (not QUndoStack::createUndoAction) so their prefix follows the language.
    QUndoStack* stack = m_doc->undoStack();
    // The table is built here, not statically: key strings are translated (tr) when the window is made.
    const ActionSpec specs[] = {
        {"new", QT_TR_NOOP("&New…"), "document-new", {QKeySequence::New}, QT_TR_NOOP("Start a blank picture"),
         [this] { newFile(); }},
        {"open", QT_TR_NOOP("&Open…"), "document-open", {QKeySequence::Open},
         QT_TR_NOOP("Open a picture or an OpenRaster document"), [this] { open(); }},
        {"save", QT_TR_NOOP("&Save"), "document-save", {QKeySequence::Save},
         QT_TR_NOOP("Save the picture, mask and recipes as OpenRaster (.ora)"),
         [this] {  // in the background: the window keeps working
             const QString path = m_doc->filePath().isEmpty() ? askSaveAsPath() : m_doc->filePath();
             saveAsChosen(path);
         }},
        {"saveAs", QT_TR_NOOP("Save &As…"), "document-save-as", {QKeySequence::SaveAs, QKeySequence(tr("Ctrl+Shift+S"))},
         QT_TR_NOOP("Save under another name: OpenRaster keeps everything, PNG/JPEG/WebP the picture"),
         [this] { saveAsChosen(askSaveAsPath()); }},
        {"exportPng", QT_TR_NOOP("&Export PNG…"), "document-export", {QKeySequence(tr("Ctrl+E"))},
         QT_TR_NOOP("Export the picture as PNG with its generation parameters"), [this] { exportPng(); }},
        {"settings", QT_TR_NOOP("Se&ttings…"), "settings", {QKeySequence::Preferences, QKeySequence(tr("Ctrl+,"))}, nullptr,
         [this] { showSettings(); }},
        {"quit", QT_TR_NOOP("&Quit"), "", {QKeySequence::Quit, QKeySequence(tr("Ctrl+Q"))}, nullptr, [this] { close(); },
         {}, 0, QAction::QuitRole},

        {"undo", QT_TR_NOOP("&Undo"), "edit-undo", QKeySequence::keyBindings(QKeySequence::Undo), nullptr,
         [stack] { stack->undo(); }},
        {"redo", QT_TR_NOOP("&Redo"), "edit-redo", QKeySequence::keyBindings(QKeySequence::Redo) << QKeySequence(tr("Ctrl+Y")),
         nullptr, [stack] { stack->redo(); }},
        {"canvasSize", QT_TR_NOOP("&Canvas Size…"), "", {QKeySequence(tr("Ctrl+Alt+C"))},
         QT_TR_NOOP("Extend or crop the canvas; new area is masked for outpainting"), [this] { canvasSize(); }},
        {"copy", QT_TR_NOOP("&Copy"), "edit-copy", {QKeySequence::Copy}, QT_TR_NOOP("Copy the picture to the clipboard"),
         [this] { copyImage(); }},
        {"paste", QT_TR_NOOP("&Paste"), "edit-paste", {QKeySequence::Paste},
         QT_TR_NOOP("Replace the picture with the image on the clipboard"), [this] { paste(); }},

        {"zoomIn", QT_TR_NOOP("Zoom &In"), "zoom-in", {QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))}, nullptr,
         [this] { m_canvas->zoomIn(); }},
        {"zoomOut", QT_TR_NOOP("Zoom &Out"), "zoom-out", {QKeySequence::ZoomOut}, nullptr, [this] { m_canvas->zoomOut(); }},
        {"zoomFit", QT_TR_NOOP("&Fit to Window"), "zoom-fit-best", {QKeySequence(tr("Ctrl+0"))}, nullptr,
         [this] { m_canvas->zoomToFit(); }},
        {"zoomActual", QT_TR_NOOP("&Actual Pixels"), "zoom-original", {QKeySequence(tr("Ctrl+1"))}, nullptr,
         [this] { m_canvas->zoomActualPixels(); }},
        {"fullScreen", QT_TR_NOOP("F&ull Screen"), "view-fullscreen", {QKeySequence(tr("F11"))},
         QT_TR_NOOP("Use the whole screen for the window"), {}, [this](bool on) { toggleFullScreen(on); }, Checkable},
        {"resetLayout", QT_TR_NOOP("Reset &Layout"), "", {}, QT_TR_NOOP("Put every panel back where it was at the first start"),
         [this] { resetLayout(); }},
        {"showMask", QT_TR_NOOP("Show &Mask"), "", {QKeySequence(tr("Ctrl+M"))},
         QT_TR_NOOP("Show the mask as a coloured overlay with an outline (colour and opacity: Settings)"), {},
         [this](bool on) { m_canvas->setMaskVisible(on); }, Checkable | Checked},

        {"brush", QT_TR_NOOP("&Brush"), "brush", {QKeySequence(tr("B"))}, QT_TR_NOOP("Paint the mask"),
         [this] { setTool(Tool::Brush); }, {}, MaskTool | Checked},
        {"eraser", QT_TR_NOOP("&Eraser"), "eraser", {QKeySequence(tr("E"))}, QT_TR_NOOP("Erase the mask"),
         [this] { setTool(Tool::Eraser); }, {}, MaskTool},
        {"rectangle", QT_TR_NOOP("&Rectangle"), "rectangle", {QKeySequence(tr("R"))},
         QT_TR_NOOP("Drag a rectangle into the mask (Alt: out of the mask)"), [this] { setTool(Tool::Rectangle); }, {},
         MaskTool},
        {"lasso", QT_TR_NOOP("&Lasso"), "lasso", {QKeySequence(tr("L"))},
         QT_TR_NOOP("Draw an outline to add to the mask (Alt: cut out of the mask)"), [this] { setTool(Tool::Lasso); }, {},
         MaskTool},
        {"frameTool", QT_TR_NOOP("Generation &Frame"), "frame", {QKeySequence(tr("F"))},
         QT_TR_NOOP("Place the square the model draws in: drag to move or resize it, past "
                    "the picture's edge to outpaint; double-click for the automatic frame"),
         [this] { setTool(Tool::Frame); }, {}, MaskTool},
        {"autoFrame", QT_TR_NOOP("&Automatic Frame"), "", {}, QT_TR_NOOP("Generate in a frame found around the mask again"),
         [this] { m_canvas->frameTool()->resetToAutomatic(); }},
        {"swapTool", QT_TR_NOOP("S&wap Brush and Eraser"), "", {QKeySequence(tr("X"))},
         QT_TR_NOOP("Switch between painting and erasing the mask"), [this] { swapBrushAndEraser(); }},
        {"brushBigger", QT_TR_NOOP("Bigger Brush"), "", {QKeySequence(tr("]"))}, nullptr, [this] { m_canvas->growBrush(); }},
        {"brushSmaller", QT_TR_NOOP("Smaller Brush"), "", {QKeySequence(tr("["))}, nullptr, [this] { m_canvas->shrinkBrush(); }},
        {"invertMask", QT_TR_NOOP("&Invert Mask"), "mask-invert", {QKeySequence(tr("Ctrl+I"))}, nullptr,
         [this] { unclip::ui::invertMask(m_doc); }},
        {"clearMask", QT_TR_NOOP("&Clear Mask"), "mask-clear", {QKeySequence(QKeySequence::Delete)}, nullptr,
         [this] { unclip::ui::clearMask(m_doc); }},
        {"fillMask", QT_TR_NOOP("&Fill Mask"), "mask-fill", {QKeySequence(tr("Ctrl+Shift+F"))}, QT_TR_NOOP("Mask the whole picture"),
         [this] { unclip::ui::fillMask(m_doc); }},

        {"generate", QT_TR_NOOP("&Generate"), "generate", {QKeySequence(tr("Ctrl+Return")), QKeySequence(tr("Ctrl+Enter"))},
         QT_TR_NOOP("Run the pipeline with the Prompt panel's settings"), [this] { generate(); }},
        {"cancel", QT_TR_NOOP("&Cancel"), "cancel", {QKeySequence(Qt::Key_Escape)},
         QT_TR_NOOP("Stop the running generation and drop the queued ones"), [this] { cancelGeneration(); }, {}, Disabled},
        {"rerunRecipe", QT_TR_NOOP("&Re-run Last Recipe"), "", {QKeySequence(tr("Ctrl+Shift+R"))},
         QT_TR_NOOP("Run the picture's last recipe again (same prompt, seed and settings)"),
         [this] {
             if (m_doc->recipes().isEmpty()) {
                 statusBar()->showMessage(tr("This picture has no generation recipe"), 4000);
                 return;
             }
             loadRecipe(m_doc->recipes().last().toObject(), true);
         }},

        {"help", QT_TR_NOOP("unclip-studio &Help"), "help-contents", {QKeySequence::HelpContents, QKeySequence(tr("F1"))},
         QT_TR_NOOP("How to work with the editor, and every key"), [this] { showHelp(); }},
        {"about", QT_TR_NOOP("&About unclip-studio"), "", {}, nullptr, [this] { about(); }, {}, 0, QAction::AboutRole},
        {"shortcuts", QT_TR_NOOP("&Keyboard Shortcuts…"), "", {}, QT_TR_NOOP("Change the key of any menu command"),
         [this] { editShortcuts(); }},
        {"aboutQt", QT_TR_NOOP("About &Qt"), "", {}, nullptr, [] { QApplication::aboutQt(); }, {}, 0, QAction::AboutQtRole},
    };

    auto* tools = new QActionGroup(this);
    for (const ActionSpec& s : specs) {
        QAction* a = makeAction(QString::fromLatin1(s.name), s.text, QString::fromLatin1(s.icon), s.keys, s.tip);
        if (s.role != QAction::TextHeuristicRole) a->setMenuRole(s.role);
        if (s.flags & (Checkable | MaskTool)) a->setCheckable(true);
        if (s.flags & MaskTool) tools->addAction(a);
        if (s.flags & Checked) a->setChecked(true);
        if (s.flags & Disabled) a->setEnabled(false);
        if (s.triggered) connect(a, &QAction::triggered, this, s.triggered);
        if (s.toggled) connect(a, &QAction::toggled, this, s.toggled);
    }

    QAction* undo = action("undo");
    QAction* redo = action("redo");
    auto updateUndoRedo = [this, stack, undo, redo] {
        undo->setEnabled(stack->canUndo());
        redo->setEnabled(stack->canRedo());
        undo->setText(stack->undoText().isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(stack->undoText()));
        redo->setText(stack->redoText().isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(stack->redoText()));
    };
    connect(stack, &QUndoStack::indexChanged, this, updateUndoRedo);
    connect(stack, &QUndoStack::cleanChanged, this, updateUndoRedo);
    m_rt->add(updateUndoRedo);
}

namespace {
void collectMenuActions(QMenu* menu, QList<QAction*>* out) {
    for (QAction* a : menu->actions()) {
        if (a->menu()) collectMenuActions(a->menu(), out);
        else if (!a->isSeparator() && !a->objectName().isEmpty() && !out->contains(a)) out->append(a);
    }
}
}  // namespace

QList<QAction*> MainWindow::menuActionList() const {
    QList<QAction*> all;
    for (QAction* top : menuBar()->actions())
        if (top->menu()) collectMenuActions(top->menu(), &all);
    return all;
}

void MainWindow::applySavedShortcuts() {
    for (QAction* a : menuActionList()) m_defaultKeys.insert(a->objectName(), a->shortcuts());
    ShortcutsDialog::applySaved(menuActionList());
    m_rt->retranslate();  // tool tips name the keys
}

void MainWindow::editShortcuts() {
    ShortcutsDialog dialog(menuActionList(), m_defaultKeys, this);
    if (dialog.exec() == QDialog::Accepted) m_rt->retranslate();
}

void MainWindow::copyImage() {
    if (m_doc->isNull()) return;
    QApplication::clipboard()->setImage(m_doc->image());
    statusBar()->showMessage(tr("Copied the picture (%1 × %2) to the clipboard").arg(m_doc->size().width()).arg(m_doc->size().height()),
                             3000);
}

void MainWindow::toggleFullScreen(bool on) {
    if (on == isFullScreen()) return;
    if (on) {
        m_wasMaximized = isMaximized();
        showFullScreen();
    } else if (m_wasMaximized) {
        showMaximized();
    } else {
        showNormal();
    }
}

void MainWindow::swapBrushAndEraser() {
    setTool(m_canvas->tool() == Tool::Brush ? Tool::Eraser : Tool::Brush);
}

void MainWindow::showHelp() {
    auto* dialog = findChild<QDialog*>("helpDialog");
    QTextBrowser* text = dialog ? dialog->findChild<QTextBrowser*>() : nullptr;
    if (!dialog) {
        dialog = new QDialog(this);
        dialog->setObjectName("helpDialog");
        auto* layout = new QVBoxLayout(dialog);
        text = new QTextBrowser(dialog);
        text->setOpenExternalLinks(true);
        layout->addWidget(text);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        layout->addWidget(buttons);
        dialog->resize(560, 520);
    }
    dialog->setWindowTitle(tr("unclip-studio Help"));
    // Written each time it opens: the keys and names follow the language in use.
    QString html = tr("<h3>Working with unclip-studio</h3>"
                      "<ol><li>Write what you want in the Prompt panel and press Generate (Ctrl+Enter).</li>"
                      "<li>To change part of a picture, paint a mask over it with the brush (B), switch the "
                      "mode to Inpaint and Generate: only the masked area changes.</li>"
                      "<li>Pick a result in the Results panel and Apply it: one undo step.</li>"
                      "<li>Variations, Interpolation and Text diff are under View &gt; Panels.</li></ol>"
                      "<h3>Keys</h3>");
    html += QStringLiteral("<table cellspacing=\"2\">");
    for (QAction* menuAction : menuBar()->actions()) {
        QMenu* menu = menuAction->menu();
        if (!menu) continue;
        QString rows;
        for (QAction* a : menu->actions()) {
            if (a->shortcuts().isEmpty()) continue;
            QStringList keys;
            for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText).toHtmlEscaped();
            rows += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>")
                        .arg(QString(a->text()).remove('&').toHtmlEscaped(), keys.join(QStringLiteral(", ")));
        }
        if (!rows.isEmpty())
            html += QStringLiteral("<tr><td colspan=\"2\"><i>%1</i></td></tr>").arg(QString(menu->title()).remove('&').toHtmlEscaped()) + rows;
    }
    html += QStringLiteral("</table>");
    html += tr("<p>Alt and the underlined letter open a menu or go to a field.</p>");
    text->setHtml(html);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

}  // namespace unclip::ui
