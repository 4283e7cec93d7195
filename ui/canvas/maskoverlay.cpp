// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/maskoverlay.h"

#include <QPainter>

#include <algorithm>

namespace unclip::ui {

namespace {
constexpr int kThreshold = 128;  // a pixel at least half masked counts as inside the outline
}

MaskOverlay::MaskOverlay() { setColor(QColor(255, 48, 96), 0.55); }

void MaskOverlay::setColor(const QColor& color, double opacity) {
    m_color = color.isValid() ? color : QColor(255, 48, 96);
    m_opacity = std::clamp(opacity, 0.0, 1.0);
    m_fill.resize(256);
    for (int v = 0; v < 256; ++v)
        m_fill[v] = qRgba(m_color.red(), m_color.green(), m_color.blue(), qRound(v * m_opacity));
}

void MaskOverlay::reset(const QImage& mask) {
    m_outline = QImage(mask.size(), QImage::Format_Indexed8);
    m_outline.setColorTable({qRgba(0, 0, 0, 0), qRgba(255, 255, 255, 255), qRgba(0, 0, 0, 255)});
    m_outline.fill(0);
    update(mask, mask.rect());
}

void MaskOverlay::update(const QImage& mask, const QRect& rect) {
    if (m_outline.size() != mask.size()) {
        reset(mask);
        return;
    }
    // A pixel's outline state depends on its neighbours: one pixel more on every side.
    const QRect r = rect.adjusted(-1, -1, 1, 1).intersected(mask.rect());
    const int w = mask.width(), h = mask.height();
    for (int y = r.top(); y <= r.bottom(); ++y) {
        const uchar* row = mask.constScanLine(y);
        const uchar* up = y > 0 ? mask.constScanLine(y - 1) : nullptr;
        const uchar* down = y + 1 < h ? mask.constScanLine(y + 1) : nullptr;
        uchar* out = m_outline.scanLine(y);
        for (int x = r.left(); x <= r.right(); ++x) {
            bool edge = false;
            if (row[x] >= kThreshold) {
                edge = !up || !down || x == 0 || x + 1 == w || up[x] < kThreshold || down[x] < kThreshold ||
                       row[x - 1] < kThreshold || row[x + 1] < kThreshold;
            }
            // Dashes of three pixels, white then black: one of the two shows on any colour.
            out[x] = edge ? uchar(1 + ((x + y) / 3) % 2) : 0;
        }
    }
}

void MaskOverlay::paint(QPainter& p, const QImage& mask) const {
    // An indexed view over the mask's bytes (no copy): the colour table is the overlay.
    QImage fill(mask.constBits(), mask.width(), mask.height(), mask.bytesPerLine(), QImage::Format_Indexed8);
    fill.setColorTable(m_fill);
    p.drawImage(QPointF(0, 0), fill);
    if (m_outline.size() == mask.size()) p.drawImage(QPointF(0, 0), m_outline);
}

}  // namespace unclip::ui
