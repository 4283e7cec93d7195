// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where undo history keeps its pixels. Every Patch's compressed bytes live here; while the total in
// memory exceeds the budget, the oldest ones are written to a scratch file on disk and read back
// only when undo/redo reaches them. So history is unlimited, memory stays bounded, and undoing a
// recent step (the common case) never touches the disk.
#include <QByteArray>
#include <QString>

#include <memory>

namespace unclip::ui {

class HistoryStore {
public:
    struct State;
    // A stored payload; freed (memory and bookkeeping) when the last Patch holding it goes away.
    class Blob;
    using Handle = std::shared_ptr<Blob>;

    // budgetBytes <= 0: never spill.
    explicit HistoryStore(qint64 budgetBytes = kDefaultBudget);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    static constexpr qint64 kDefaultBudget = 512ll << 20;

    Handle put(QByteArray bytes);
    // The payload, from memory or from the scratch file. Throws std::runtime_error when the scratch
    // file cannot be read back (the message names it).
    static QByteArray get(const Handle& handle);
    static bool isOnDisk(const Handle& handle);

    void setBudget(qint64 budgetBytes);
    qint64 budget() const;
    qint64 memoryBytes() const;  // payloads held in memory
    qint64 diskBytes() const;    // payloads spilled and still referenced
    QString scratchPath() const; // "" until something was spilled
    // Set when spilling failed (disk full, no temp dir): history then stays in memory.
    QString lastError() const;

private:
    std::shared_ptr<State> m_state;
};

}  // namespace unclip::ui
