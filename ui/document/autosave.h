// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Autosave and crash recovery (docs/reliability.md, "Saving and crash recovery").
//
// Every editor window has one AutosaveSession with an id of its own ("<pid>-<start ms>-<n>") and,
// in <AppDataLocation>/autosave/:
//   <id>.lock  a QLockFile (pid, program name, host, boot id) held for the window's whole life;
//   <id>.ora   the document (image, mask, recipes), written in the background every N seconds and
//              after every applied generation, but only when the document has unsaved changes
//              that the last autosave does not have;
//   <id>.json  where the document came from (its .ora path, if any) and when it was autosaved.
// A clean exit, an explicit save or "Discard" removes the .ora and .json; the lock goes with the
// session. Files whose lock no running process holds (the owner crashed, or was killed) are
// orphans: claimOrphans() takes their locks, so two starting editors never offer the same one,
// and a running editor's autosave is never claimed.
#include <QDateTime>
#include <QObject>
#include <QString>

#include <memory>

class QLockFile;
class QTimer;

namespace unclip::ui {

class BackgroundSaver;
class Document;

// An autosave left behind by an editor that did not exit cleanly; its lock is held by the
// claiming process until release() or remove().
struct OrphanedAutosave {
    QString id;
    QString oraPath;      // "" when it crashed before the first autosave
    QString filePath;     // the .ora the document was saved as, "" if never
    QString sourcePath;   // the file it was opened from or saved to last
    QString displayName;  // title at the time of the autosave
    QDateTime savedAt;
    std::shared_ptr<QLockFile> lock;

    // Deletes the autosave (Discard).
    void remove();
    // Leaves the files for a later start (Later).
    void release();
};

class AutosaveSession : public QObject {
    Q_OBJECT

public:
    explicit AutosaveSession(Document* doc, QObject* parent = nullptr);
    // A clean end: waits for a write in flight and removes this session's files.
    ~AutosaveSession() override;

    // <AppDataLocation>/autosave (QStandardPaths::AppDataLocation).
    static QString directory();
    QString id() const { return m_id; }
    QString oraPath() const;
    QString metaPath() const;
    // False when the lock could not be taken (autosave then stays off for this window).
    bool isUsable() const { return bool(m_lock); }

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    void setIntervalSeconds(int seconds);
    int intervalSeconds() const { return m_intervalSeconds; }

    // Incremented by every change of the document (pixels, size, recipes, undo/redo).
    quint64 changeSerial() const { return m_serial; }
    // Unsaved changes the last autosave does not contain.
    bool needsSave() const;
    // Starts a background write when needsSave(); true when one started. When the document has
    // no unsaved changes any more, removes the autosave instead.
    bool saveNow();
    bool isWriting() const;
    void waitForDone();
    // Whether this session's .ora exists (the last write succeeded and it was not removed since).
    bool hasAutosave() const { return m_hasFiles; }
    // Removes this session's autosave (after an explicit save, or Discard). Waits for a write in
    // flight first.
    void discard();

    // Every orphan in directory() that this process could lock, newest first.
    static QList<std::shared_ptr<OrphanedAutosave>> claimOrphans();
    // After the orphan's .ora has been opened into the document: its files become this session's
    // autosave (renamed, so the recovered work is never without a copy on disk) and it is marked
    // as up to date.
    bool adopt(OrphanedAutosave& orphan);

Q_SIGNALS:
    // After every background write (ok or not).
    void written(bool ok, const QString& error);

private:
    void removeFiles();

    Document* m_doc;
    QString m_id;
    std::shared_ptr<QLockFile> m_lock;
    BackgroundSaver* m_saver;
    QTimer* m_timer;
    bool m_enabled = true;
    int m_intervalSeconds = 60;
    quint64 m_serial = 0;
    quint64 m_savedSerial = 0;
    bool m_hasFiles = false;
};

}  // namespace unclip::ui
