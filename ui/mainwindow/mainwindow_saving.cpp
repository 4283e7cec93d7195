// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: saving in the background, autosave settings and crash recovery
// (docs/reliability.md, "Saving and crash recovery").
#include "ui/mainwindow/mainwindow.h"

#include "ui/document/autosave.h"
#include "ui/document/document.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/fileformats/safesave.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageWriter>
#include <QLocale>
#include <QPainter>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>

namespace unclip::ui {

QString MainWindow::askSaveAsPath() {
    const QString suggestion = m_doc->sourcePath().isEmpty()
                                   ? QDir(settings::lastFolder()).filePath(tr("untitled") + ".ora")
                                   : QFileInfo(m_doc->sourcePath()).absolutePath() + "/" +
                                         QFileInfo(m_doc->sourcePath()).completeBaseName() + ".ora";
    // OpenRaster keeps everything; the flat formats keep the picture only (PNG also its recipes).
    const QStringList filters = {oraFilter(), tr("PNG image, flattened (*.png)"), tr("JPEG image, flattened (*.jpg *.jpeg)"),
                                 tr("WebP image, flattened (*.webp)")};
    static const char* const kSuffixes[] = {".ora", ".png", ".jpg", ".webp"};
    QString chosen = filters.first();
    QString path = QFileDialog::getSaveFileName(this, tr("Save As"), suggestion, filters.join(";;"), &chosen);
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += QLatin1String(kSuffixes[std::max<qsizetype>(0, filters.indexOf(chosen))]);
    return path;
}

bool MainWindow::saveAsChosen(const QString& path) {
    if (path.isEmpty()) return false;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "ora") return startSave(path);
    return exportImageTo(path);
}

bool MainWindow::exportImageTo(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png") return exportPngTo(path);
    QString error;
    if (suffix != "jpg" && suffix != "jpeg" && suffix != "webp") {
        error = tr("“.%1” is not a format unclip-studio writes: use .ora, .png, .jpg or .webp.").arg(suffix);
    } else {
        // JPEG has no transparency: the picture is put on white first.
        QImage image = m_doc->image();
        if (suffix != "webp") {
            QImage flat(image.size(), QImage::Format_RGB888);
            flat.fill(Qt::white);
            QPainter(&flat).drawImage(0, 0, image);
            image = flat;
        }
        QImageWriter writer(path, suffix == "webp" ? QByteArray("webp") : QByteArray("jpeg"));
        writer.setQuality(92);
        if (!writer.write(image)) error = writer.errorString();
    }
    if (!error.isEmpty()) {
        showMessage(tr("Cannot save"), tr("Cannot save “%1”:\n%2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    settings::setLastFolder(QFileInfo(path).absolutePath());
    statusBar()->showMessage(tr("Saved a flat copy as %1 (the mask and history stay only in .ora)").arg(QFileInfo(path).fileName()),
                             6000);
    return true;
}

bool MainWindow::startSave(const QString& path) {
    if (m_doc->isNull() || path.isEmpty()) return false;
    const QString target = QFileInfo(path).absoluteFilePath();
    // A snapshot: QImages are implicitly shared, and every tool detaches before writing, so
    // editing on while the saver thread encodes is safe.
    const DocumentContent content{m_doc->image(), m_doc->mask(), m_doc->recipes(), m_doc->foreignLayers(), {},
                                  m_doc->generationFrame()};
    const quint64 serial = m_autosave->changeSerial();
    statusBar()->showMessage(tr("Saving %1…").arg(QFileInfo(target).fileName()));
    m_saver->run([target, content] { return saveOraSafely(target, content, /*keepBackup=*/true); },
                 [this, target, serial](const SaveOutcome& r) { finishSave(target, serial, r); });
    return true;
}

bool MainWindow::isSaving() const { return m_saver->isBusy(); }

void MainWindow::waitForSave() {
    if (m_saver->isBusy()) m_saver->waitForDone();
}

void MainWindow::finishSave(const QString& path, quint64 serial, const SaveOutcome& r) {
    m_lastSaveOk = r.ok;
    const QString name = QFileInfo(path).fileName();
    if (!r.ok) {
        statusBar()->showMessage(tr("Saving %1 failed").arg(name), 8000);
        showMessage(tr("Cannot save"),
                    tr("Cannot save “%1”:\n%2\n\nThe file on disk was not changed.")
                        .arg(QDir::toNativeSeparators(path), r.error),
                    true);
        Q_EMIT saveFinished(path, false);
        return;
    }
    m_doc->setFilePath(path);
    // Edits made while the saver thread was writing are not in the file: the document stays
    // modified (and autosaved) then.
    const bool complete = m_autosave->changeSerial() == serial;
    if (complete) {
        m_doc->undoStack()->setClean();
        m_autosave->discard();
    }
    settings::addRecentFile(path);
    settings::setLastFolder(QFileInfo(path).absolutePath());
    updateTitle();
    QString message = complete ? tr("Saved %1").arg(name)
                               : tr("Saved %1 (without the changes made while it was being saved)").arg(name);
    if (!r.warning.isEmpty()) message += QStringLiteral(" — ") + r.warning;
    statusBar()->showMessage(message, 5000);
    Q_EMIT saveFinished(path, true);
}

void MainWindow::applyAutosaveSettings() {
    m_autosave->setIntervalSeconds(settings::autosaveIntervalSeconds());
    m_autosave->setEnabled(settings::autosaveEnabled());
}

// ---- recovery -----------------------------------------------------------------------------

void MainWindow::offerRecovery() {
    if (m_recoveryBox) return;
    for (const auto& o : m_orphans) o->release();
    m_orphans = AutosaveSession::claimOrphans();
    showNextRecovery();
}

void MainWindow::showNextRecovery() {
    if (m_orphans.isEmpty() || m_recoveryBox) return;
    const std::shared_ptr<OrphanedAutosave> orphan = m_orphans.takeFirst();
    const QString when = QLocale().toString(orphan->savedAt.toLocalTime(), QLocale::ShortFormat);
    auto* box = new QMessageBox(QMessageBox::Question, tr("Recover unsaved work"),
                                tr("unclip-studio did not close properly. Unsaved work on “%1” was autosaved at %2.\n\n"
                                   "Recover it? (Later keeps the copy for the next start.)")
                                    .arg(orphan->displayName, when),
                                QMessageBox::NoButton, this);
    box->setObjectName("recoveryBox");
    if (!orphan->filePath.isEmpty())
        box->setInformativeText(tr("Its file: %1").arg(QDir::toNativeSeparators(orphan->filePath)));
    QPushButton* recover = box->addButton(tr("&Recover"), QMessageBox::AcceptRole);
    recover->setObjectName("recoverButton");
    QPushButton* discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName("discardButton");
    QPushButton* later = box->addButton(tr("&Later"), QMessageBox::RejectRole);
    later->setObjectName("laterButton");
    box->setDefaultButton(recover);
    box->setEscapeButton(later);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_recoveryBox = box;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, orphan, recover, discard](QAbstractButton* b) {
        if (m_recoveryBox == box) m_recoveryBox = nullptr;
        if (b == recover) recoverAutosave(orphan);
        else if (b == discard) orphan->remove();
        else orphan->release();
        QTimer::singleShot(0, this, &MainWindow::showNextRecovery);
    });
    connect(box, &QObject::destroyed, this, [this, box] {
        if (m_recoveryBox == box) m_recoveryBox = nullptr;
    });
    box->open();
}

void MainWindow::recoverAutosave(const std::shared_ptr<OrphanedAutosave>& orphan) {
    if (!maybeSave()) {
        orphan->release();
        return;
    }
    DocumentContent content;
    QString error;
    if (!loadOra(orphan->oraPath, &content, &error)) {
        showMessage(tr("Recover unsaved work"),
                    tr("The autosaved copy cannot be read:\n%1\n\nIt stays in “%2”.")
                        .arg(error, QDir::toNativeSeparators(orphan->oraPath)),
                    true);
        orphan->release();
        return;
    }
    waitForSave();
    m_doc->reset(content.image, content.mask, content.recipes);
    m_doc->setForeignLayers(content.foreignLayers);
    m_doc->setGenerationFrame(content.generationFrame);
    m_doc->setFilePath(orphan->filePath);
    m_doc->setSourcePath(orphan->sourcePath.isEmpty() ? orphan->filePath : orphan->sourcePath);
    m_doc->undoStack()->resetClean();  // recovered work is unsaved until the user saves it
    if (!m_autosave->adopt(*orphan)) {
        // Keep the orphan's copy until ours is written.
        m_autosave->saveNow();
        orphan->release();
    }
    updateTitle();
    statusBar()->showMessage(tr("Recovered “%1”: save it to keep it").arg(orphan->displayName), 8000);
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

}  // namespace unclip::ui
