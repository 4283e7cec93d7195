// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/autosave.h"

#include "ui/document/document.h"
#include "ui/fileformats/safesave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <atomic>

namespace unclip::ui {

namespace {

QString newSessionId() {
    static const qint64 start = QDateTime::currentMSecsSinceEpoch();
    static std::atomic<int> counter{0};
    return QStringLiteral("%1-%2-%3").arg(QCoreApplication::applicationPid()).arg(start).arg(++counter);
}

bool isSessionId(const QString& id) {
    static const QRegularExpression re(QStringLiteral("^\\d+-\\d+-\\d+$"));
    return re.match(id).hasMatch();
}

std::shared_ptr<QLockFile> makeLock(const QString& id) {
    auto lock = std::make_shared<QLockFile>(QDir(AutosaveSession::directory()).filePath(id + ".lock"));
    // Stale only when its process is gone (pid + program name + host), never merely by age: a
    // session may run for days.
    lock->setStaleLockTime(0);
    return lock;
}

// Removes "<id>.ora", "<id>.json" and what an interrupted write left ("<id>.ora.XXXXXX"), but
// not the lock.
void removeSessionFiles(const QString& id) {
    QDir dir(AutosaveSession::directory());
    const QStringList files = dir.entryList({id + ".*"}, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString& f : files) {
        if (f == id + ".lock" || f.startsWith(id + ".lock.")) continue;
        dir.remove(f);
    }
}

}  // namespace

void OrphanedAutosave::remove() {
    removeSessionFiles(id);
    if (lock) lock->unlock();
    lock.reset();
}

void OrphanedAutosave::release() {
    if (lock) lock->unlock();
    lock.reset();
}

QString AutosaveSession::directory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

AutosaveSession::AutosaveSession(Document* doc, QObject* parent)
    : QObject(parent), m_doc(doc), m_id(newSessionId()), m_saver(new BackgroundSaver(this)), m_timer(new QTimer(this)) {
    QDir().mkpath(directory());
    auto lock = makeLock(m_id);
    if (lock->tryLock(0)) {
        m_lock = lock;
    } else {
        qWarning("autosave: cannot lock %s (error %d); autosave is off for this window",
                 qPrintable(QDir(directory()).filePath(m_id + ".lock")), int(lock->error()));
    }
    auto bump = [this] { ++m_serial; };
    connect(doc, &Document::changed, this, bump);
    connect(doc, &Document::contentReset, this, bump);
    connect(doc, &Document::recipesChanged, this, bump);
    connect(doc->undoStack(), &QUndoStack::indexChanged, this, bump);
    m_timer->setObjectName("autosaveTimer");
    m_timer->setInterval(m_intervalSeconds * 1000);
    connect(m_timer, &QTimer::timeout, this, [this] { saveNow(); });
    if (m_lock && m_enabled) m_timer->start();
}

AutosaveSession::~AutosaveSession() {
    m_timer->stop();
    m_saver->waitForDone();
    if (m_lock) removeSessionFiles(m_id);
}

QString AutosaveSession::oraPath() const { return QDir(directory()).filePath(m_id + ".ora"); }
QString AutosaveSession::metaPath() const { return QDir(directory()).filePath(m_id + ".json"); }

void AutosaveSession::setEnabled(bool enabled) {
    m_enabled = enabled;
    if (m_enabled && m_lock) m_timer->start();
    else m_timer->stop();
}

void AutosaveSession::setIntervalSeconds(int seconds) {
    m_intervalSeconds = std::max(1, seconds);
    m_timer->setInterval(m_intervalSeconds * 1000);
}

bool AutosaveSession::needsSave() const {
    return m_lock && !m_doc->isNull() && !m_doc->undoStack()->isClean() && m_serial != m_savedSerial;
}

bool AutosaveSession::isWriting() const { return m_saver->isBusy(); }

void AutosaveSession::waitForDone() { m_saver->waitForDone(); }

bool AutosaveSession::saveNow() {
    if (!m_lock || !m_enabled || isWriting()) return false;
    if (m_doc->undoStack()->isClean()) {
        // Saved (or back at the saved state): the file on disk has it all.
        if (m_hasFiles) removeFiles();
        m_savedSerial = m_serial;
        return false;
    }
    if (!needsSave()) return false;
    const DocumentContent content{m_doc->image(), m_doc->mask(), m_doc->recipes(), m_doc->foreignLayers(), {},
                                  m_doc->generationFrame()};
    const QJsonObject meta{{"id", m_id},
                           {"pid", QCoreApplication::applicationPid()},
                           {"filePath", m_doc->filePath()},
                           {"sourcePath", m_doc->sourcePath()},
                           {"displayName", m_doc->displayName()},
                           {"savedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                           {"width", m_doc->size().width()},
                           {"height", m_doc->size().height()},
                           {"version", QCoreApplication::applicationVersion()}};
    const quint64 serial = m_serial;
    const QString ora = oraPath(), metaFile = metaPath();
    m_saver->run(
        [content, meta, ora, metaFile] {
            SaveOutcome r = saveOraSafely(ora, content, /*keepBackup=*/false);
            if (!r.ok) return r;
            return writeFileAtomically(metaFile, QJsonDocument(meta).toJson(QJsonDocument::Indented), false);
        },
        [this, serial](const SaveOutcome& r) {
            if (r.ok) {
                m_savedSerial = serial;
                m_hasFiles = true;
            } else {
                qWarning("autosave failed: %s", qPrintable(r.error));
            }
            Q_EMIT written(r.ok, r.error);
        });
    return true;
}

void AutosaveSession::removeFiles() {
    if (m_lock) removeSessionFiles(m_id);
    m_hasFiles = false;
}

void AutosaveSession::discard() {
    m_saver->waitForDone();
    removeFiles();
    m_savedSerial = m_serial;
}

QList<std::shared_ptr<OrphanedAutosave>> AutosaveSession::claimOrphans() {
    QList<std::shared_ptr<OrphanedAutosave>> out;
    QDir dir(directory());
    if (!dir.exists()) return out;
    QSet<QString> ids;
    for (const QString& f : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QString id = f.section('.', 0, 0);
        if (isSessionId(id)) ids.insert(id);
    }
    for (const QString& id : ids) {
        auto lock = makeLock(id);
        if (!lock->tryLock(0)) continue;  // its editor is running (or another one is offering it right now)
        auto o = std::make_shared<OrphanedAutosave>();
        o->id = id;
        o->lock = lock;
        const QString ora = dir.filePath(id + ".ora");
        if (!QFileInfo::exists(ora)) {  // crashed before its first autosave: nothing to recover
            o->remove();
            continue;
        }
        o->oraPath = ora;
        o->savedAt = QFileInfo(ora).lastModified();
        QFile metaFile(dir.filePath(id + ".json"));
        if (metaFile.open(QIODevice::ReadOnly) && metaFile.size() < (1 << 20)) {
            const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
            o->filePath = meta.value("filePath").toString();
            o->sourcePath = meta.value("sourcePath").toString();
            o->displayName = meta.value("displayName").toString();
            const QDateTime at = QDateTime::fromString(meta.value("savedAt").toString(), Qt::ISODateWithMs);
            if (at.isValid()) o->savedAt = at;
        }
        if (o->displayName.isEmpty())
            o->displayName = o->filePath.isEmpty() ? QCoreApplication::translate("Autosave", "Untitled")
                                                   : QFileInfo(o->filePath).fileName();
        out.append(o);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->savedAt > b->savedAt; });
    return out;
}

bool AutosaveSession::adopt(OrphanedAutosave& orphan) {
    if (!m_lock || orphan.oraPath.isEmpty()) return false;
    m_saver->waitForDone();
    removeFiles();
    if (!QFile::rename(orphan.oraPath, oraPath())) return false;
    const QString oldMeta = QDir(directory()).filePath(orphan.id + ".json");
    if (QFileInfo::exists(oldMeta)) QFile::rename(oldMeta, metaPath());
    m_hasFiles = true;
    m_savedSerial = m_serial;
    orphan.remove();
    return true;
}

}  // namespace unclip::ui
