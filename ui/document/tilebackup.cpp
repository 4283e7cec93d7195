// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/tilebackup.h"

#include "ui/document/patch.h"

namespace unclip::ui {

void TileBackup::touch(const QRect& rect) {
    const QRect r = rect.intersected(m_layer->rect());
    if (r.isEmpty()) return;
    m_bounds |= r;
    for (int ty = r.top() / m_tile; ty <= r.bottom() / m_tile; ++ty)
        for (int tx = r.left() / m_tile; tx <= r.right() / m_tile; ++tx) {
            const quint64 key = (quint64(quint32(ty)) << 32) | quint32(tx);
            if (m_tiles.contains(key)) continue;
            m_tiles.insert(key, m_layer->copy(QRect(tx * m_tile, ty * m_tile, m_tile, m_tile)));
        }
}

QImage TileBackup::before(const QRect& bounds) const {
    QImage out = m_layer->copy(bounds);
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it) {
        const QPoint at(int(quint32(it.key())) * m_tile, int(it.key() >> 32) * m_tile);
        const QRect tileRect(at, it.value().size());
        if (!tileRect.intersects(bounds)) continue;
        blitImage(out, it.value(), at - bounds.topLeft());
    }
    return out;
}

}  // namespace unclip::ui
