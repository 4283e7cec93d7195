// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Remembers a layer's pixels before a stroke writes over them, tile by tile and only where the
// stroke goes, so a stroke on a 4096 x 4096 mask costs what it touches, not the whole mask.
#include <QHash>
#include <QImage>
#include <QRect>

namespace unclip::ui {

class TileBackup {
public:
    explicit TileBackup(const QImage* layer, int tileSize = 64) : m_layer(layer), m_tile(tileSize) {}
    // Call before writing into `rect`: saves every tile it meets that was not saved yet.
    void touch(const QRect& rect);
    // The layer as it was before the first write, over `bounds`.
    QImage before(const QRect& bounds) const;
    QRect touchedBounds() const { return m_bounds; }

private:
    const QImage* m_layer;
    int m_tile;
    QHash<quint64, QImage> m_tiles;
    QRect m_bounds;
};

}  // namespace unclip::ui
