// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A rectangle of one layer's pixels, stored compressed: undo commands keep only what an edit
// touched (before and after), so long histories stay small and undo is a copy, not a re-render.
#include "ui/document/historystore.h"

#include <QByteArray>
#include <QImage>
#include <QRect>

namespace unclip::ui {

class Patch {
public:
    Patch() = default;
    // Copies `rect` (clipped to the layer) out of `layer`.
    static Patch capture(const QImage& layer, const QRect& rect);
    // Stores `pixels` (already cut out, in the layer's format) as the rectangle at `topLeft`.
    static Patch fromImage(const QImage& pixels, const QPoint& topLeft);

    bool isNull() const { return m_rect.isEmpty(); }
    QRect rect() const { return m_rect; }
    // Compressed size, wherever the bytes are.
    qsizetype bytes() const { return m_blob ? m_blobSize : m_data.size(); }
    // Hands the compressed bytes to `store` (which may move them to disk under memory pressure).
    void moveTo(HistoryStore& store);
    bool isOnDisk() const { return HistoryStore::isOnDisk(m_blob); }
    QImage toImage() const;
    // Writes the pixels back into `layer` (same format, large enough). False when the stored
    // bytes could not be read back or do not fit the layer (the layer is then unchanged).
    bool apply(QImage& layer) const;

private:
    QRect m_rect;
    QImage::Format m_format = QImage::Format_Invalid;
    QByteArray compressed() const;

    QByteArray m_data;  // qCompress'd rows, tightly packed (until moved into a HistoryStore)
    HistoryStore::Handle m_blob;
    qsizetype m_blobSize = 0;
};

// Copies `src` into `dst` with src's top-left at `at` (same format, clipped).
void blitImage(QImage& dst, const QImage& src, const QPoint& at);

}  // namespace unclip::ui
