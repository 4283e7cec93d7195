// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Saving without losing work (docs/reliability.md, "Saving and crash recovery").
//
// writeFileAtomically: the bytes go to a temporary file beside the target (QSaveFile), which
// replaces the target only once completely written and flushed; a failure at any point (disk
// full, no permission, the target is a folder) leaves the previous file untouched. With
// keepBackup the previous version stays beside it as "<name>~" (a hard link to the old file, so
// keeping it costs no copy; a copy where links are not possible).
//
// BackgroundSaver: encodes and writes on a thread of its own, one save after another, so the
// window keeps working while a large document is written. Callers hand it a snapshot of the
// document (QImages are implicitly shared: taking one is cheap, and the editor's next write into
// a layer detaches it).
#include "ui/fileformats/documentio.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace unclip::ui {

// The previous version kept by a save: "<path>~".
QString backupPathFor(const QString& path);

struct SaveOutcome {
    bool ok = false;
    QString error;    // why it failed (translated); the previous file is unchanged
    QString warning;  // saved, but something minor failed (e.g. the backup could not be kept)
};

SaveOutcome writeFileAtomically(const QString& path, const QByteArray& bytes, bool keepBackup);
// encodeOra, writeFileAtomically, then the file is read back and compared.
SaveOutcome saveOraSafely(const QString& path, const DocumentContent& content, bool keepBackup);

class BackgroundSaver : public QObject {
    Q_OBJECT

public:
    using Work = std::function<SaveOutcome()>;
    using Done = std::function<void(const SaveOutcome&)>;

    explicit BackgroundSaver(QObject* parent = nullptr);
    ~BackgroundSaver() override;  // waits for the write in flight; its `done` is not called

    // Runs `work` on the saver thread (after any earlier work); `done` runs afterwards on this
    // object's thread, from the event loop (or from waitForDone()).
    void run(Work work, Done done);
    bool isBusy() const { return m_pending > 0; }
    // Blocks until every queued write has finished, then calls their `done` callbacks.
    void waitForDone();

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    QThreadPool m_pool;
    int m_pending = 0;
};

}  // namespace unclip::ui
