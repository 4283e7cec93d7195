// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/fileformats/safesave.h"

#include "ui/fileformats/oraformat.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace unclip::ui {

QString backupPathFor(const QString& path) { return path + QLatin1Char('~'); }

namespace {

// The file at `path` becomes `backup` too (replacing an older backup). False when neither a hard
// link nor a copy could be made.
bool keepPreviousVersion(const QString& path, const QString& backup) {
    if (QFileInfo::exists(backup) || QFileInfo(backup).isSymLink()) {
        if (!QFile::remove(backup)) return false;
    }
#ifdef Q_OS_UNIX
    if (::link(QFile::encodeName(path).constData(), QFile::encodeName(backup).constData()) == 0) return true;
#endif
    return QFile::copy(path, backup);
}

// Qt reports a failed buffered write as "Unknown error"; errno says what happened (ENOSPC,
// EFBIG, EDQUOT, EIO).
QString describeWriteError(const QString& qtError, int err) {
#ifdef EDQUOT
    if (err == EDQUOT) err = ENOSPC;
#endif
    if (err == ENOSPC)
        return QCoreApplication::translate("SafeSave", "the disk is full (%1)").arg(qt_error_string(err));
    if (err == EFBIG)
        return QCoreApplication::translate("SafeSave", "the file would be too large for this disk or account (%1)")
            .arg(qt_error_string(err));
    if (err != 0 && (qtError.isEmpty() || qtError == QLatin1String("Unknown error"))) return qt_error_string(err);
    return qtError.isEmpty() ? QCoreApplication::translate("SafeSave", "the data could not be written") : qtError;
}

}  // namespace

SaveOutcome writeFileAtomically(const QString& path, const QByteArray& bytes, bool keepBackup) {
    SaveOutcome r;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        r.error = file.errorString();
        return r;
    }
    errno = 0;
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        r.error = describeWriteError(file.errorString(), errno);
        file.cancelWriting();
        return r;
    }
    // Nothing on disk has changed yet: the bytes are in a temporary file beside the target.
    const QFileInfo target(path);
    if (keepBackup && target.isFile() && !keepPreviousVersion(path, backupPathFor(path)))
        r.warning = QCoreApplication::translate("SafeSave", "The previous version could not be kept as “%1”.")
                        .arg(QFileInfo(backupPathFor(path)).fileName());
    // Flushes, syncs and renames over the target; on failure the temporary file is removed and
    // the target is as it was.
    errno = 0;
    if (!file.commit()) {
        r.error = describeWriteError(file.errorString(), errno);
        r.warning.clear();
        return r;
    }
    r.ok = true;
    return r;
}

SaveOutcome saveOraSafely(const QString& path, const DocumentContent& content, bool keepBackup) {
    SaveOutcome r;
    QByteArray bytes;
    if (!encodeOra(content, &bytes, &r.error)) return r;
    r = writeFileAtomically(path, bytes, keepBackup);
    if (!r.ok) return r;
    QFile check(path);
    if (!check.open(QIODevice::ReadOnly) || check.readAll() != bytes) {
        r.ok = false;
        r.error = QCoreApplication::translate("OraFormat", "the saved file does not read back identically");
    }
    return r;
}

// ---- BackgroundSaver -----------------------------------------------------------------------

BackgroundSaver::BackgroundSaver(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);  // one write after another: saves of the same file stay ordered
    m_pool.setExpiryTimeout(5000);
    m_pool.setObjectName("saver");
}

BackgroundSaver::~BackgroundSaver() { m_pool.waitForDone(); }

void BackgroundSaver::run(Work work, Done done) {
    if (m_pending++ == 0) Q_EMIT busyChanged(true);
    m_pool.start([this, work = std::move(work), done = std::move(done)]() mutable {
        SaveOutcome outcome;
        try {
            outcome = work();
        } catch (const std::bad_alloc&) {
            outcome.ok = false;
            outcome.error = QCoreApplication::translate("SafeSave", "not enough memory to encode the document");
        } catch (const std::exception& e) {
            outcome.ok = false;
            outcome.error = QString::fromUtf8(e.what());
        }
        // Back on this object's thread; dropped if the object is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, done = std::move(done), outcome] {
                if (done) done(outcome);
                if (--m_pending == 0) Q_EMIT busyChanged(false);
            },
            Qt::QueuedConnection);
    });
}

void BackgroundSaver::waitForDone() {
    m_pool.waitForDone();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

}  // namespace unclip::ui
