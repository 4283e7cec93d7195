// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: what replaces or reshapes the picture — New, Open (every way of opening goes
// through openFile), Paste and drop, and Image > Canvas Size.
#include "ui/mainwindow/mainwindow.h"

#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/document/titledcommand.h"
#include "ui/fileformats/documentio.h"
#include "ui/inference/recipe.h"
#include "ui/mainwindow/canvassizedialog.h"
#include "ui/mainwindow/newimagedialog.h"
#include "ui/panels/promptpanel.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QMimeData>
#include <QStatusBar>
#include <QUndoStack>

namespace unclip::ui {

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
        m_prompt->setMode(pipeline::Mode::Inpaint);
        statusBar()->showMessage(tr("The new area is masked: Generate (Ctrl+Enter) paints it"), 6000);
    }
    return true;
}

}  // namespace unclip::ui
