// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the standard actions artists expect from Krita or GIMP — copy the picture, full
// screen, swap brush and eraser (X), and the help window (F1) listing the workflow and every key.
#include "ui/mainwindow/mainwindow.h"

#include "ui/common/retranslator.h"
#include "ui/document/document.h"
#include "ui/mainwindow/shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace unclip::ui {

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
