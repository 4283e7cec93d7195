// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/historystore.h"

#include <QCoreApplication>
#include <QDir>
#include <QRecursiveMutex>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <deque>
#include <stdexcept>

namespace unclip::ui {

struct HistoryStore::State {
    QRecursiveMutex mutex;  // the GUI thread edits, but background savers may read patches
    qint64 budget = 0;
    qint64 memory = 0;
    qint64 disk = 0;
    std::unique_ptr<QTemporaryFile> file;
    QString error;
    std::deque<std::weak_ptr<Blob>> order;  // oldest first; may hold expired entries

    void spillOver();
    bool ensureFile();
};

class HistoryStore::Blob {
public:
    Blob(std::shared_ptr<State> state, QByteArray bytes) : state(std::move(state)), data(std::move(bytes)), size(data.size()) {}
    ~Blob() {
        QMutexLocker<QRecursiveMutex> lock(&state->mutex);
        if (offset < 0) state->memory -= size;
        else state->disk -= size;
    }
    std::shared_ptr<State> state;
    QByteArray data;      // empty once spilled
    qint64 size = 0;
    qint64 offset = -1;   // position in the scratch file once spilled
};

bool HistoryStore::State::ensureFile() {
    if (file) return true;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir)) dir = QDir::tempPath();
    auto f = std::make_unique<QTemporaryFile>(dir + "/undo-history-XXXXXX.bin");
    if (!f->open()) {
        error = QCoreApplication::translate("HistoryStore", "Cannot create the undo history file in %1: %2")
                    .arg(QDir::toNativeSeparators(dir), f->errorString());
        return false;
    }
    file = std::move(f);
    return true;
}

void HistoryStore::State::spillOver() {
    while (budget > 0 && memory > budget && !order.empty()) {
        std::shared_ptr<Blob> blob = order.front().lock();
        order.pop_front();
        if (!blob || blob->offset >= 0) continue;
        if (!ensureFile()) return;
        const qint64 at = file->size();
        if (!file->seek(at) || file->write(blob->data) != blob->size || !file->flush()) {
            error = QCoreApplication::translate("HistoryStore", "Cannot write the undo history file %1: %2")
                        .arg(QDir::toNativeSeparators(file->fileName()), file->errorString());
            order.push_front(blob);
            return;
        }
        blob->offset = at;
        blob->data = QByteArray();
        memory -= blob->size;
        disk += blob->size;
    }
}

HistoryStore::HistoryStore(qint64 budgetBytes) : m_state(std::make_shared<State>()) { m_state->budget = budgetBytes; }

HistoryStore::~HistoryStore() = default;

HistoryStore::Handle HistoryStore::put(QByteArray bytes) {
    auto blob = std::make_shared<Blob>(m_state, std::move(bytes));
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    m_state->memory += blob->size;
    m_state->order.push_back(blob);
    m_state->spillOver();
    return blob;
}

QByteArray HistoryStore::get(const Handle& handle) {
    if (!handle) return {};
    QMutexLocker<QRecursiveMutex> lock(&handle->state->mutex);
    if (handle->offset < 0) return handle->data;
    QTemporaryFile* f = handle->state->file.get();
    QByteArray out;
    if (f && f->seek(handle->offset)) out = f->read(handle->size);
    if (out.size() != handle->size)
        throw std::runtime_error(QCoreApplication::translate("HistoryStore", "Cannot read the undo history back from %1")
                                     .arg(f ? QDir::toNativeSeparators(f->fileName()) : QString())
                                     .toStdString());
    return out;
}

bool HistoryStore::isOnDisk(const Handle& handle) {
    if (!handle) return false;
    QMutexLocker<QRecursiveMutex> lock(&handle->state->mutex);
    return handle->offset >= 0;
}

void HistoryStore::setBudget(qint64 budgetBytes) {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    m_state->budget = budgetBytes;
    m_state->spillOver();
}

qint64 HistoryStore::budget() const {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    return m_state->budget;
}

qint64 HistoryStore::memoryBytes() const {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    return m_state->memory;
}

qint64 HistoryStore::diskBytes() const {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    return m_state->disk;
}

QString HistoryStore::scratchPath() const {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    return m_state->file ? m_state->file->fileName() : QString();
}

QString HistoryStore::lastError() const {
    QMutexLocker<QRecursiveMutex> lock(&m_state->mutex);
    return m_state->error;
}

}  // namespace unclip::ui
