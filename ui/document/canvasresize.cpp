// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/canvasresize.h"

#include <QPainter>

#include <algorithm>
#include <cstring>

namespace unclip::ui {

namespace {

// Copies each new pixel from the nearest pixel of the old area [ox, ox+w) x [oy, oy+h).
template <typename Pixel>
void replicateEdges(QImage& img, const QRect& old) {
    for (int y = 0; y < img.height(); ++y) {
        const int sy = std::clamp(y, old.top(), old.bottom());
        const auto* src = reinterpret_cast<const Pixel*>(img.constScanLine(sy));
        auto* dst = reinterpret_cast<Pixel*>(img.scanLine(y));
        if (sy != y) {
            for (int x = 0; x < img.width(); ++x) dst[x] = src[std::clamp(x, old.left(), old.right())];
        } else {
            for (int x = 0; x < old.left(); ++x) dst[x] = src[old.left()];
            for (int x = old.right() + 1; x < img.width(); ++x) dst[x] = src[old.right()];
        }
    }
}

}  // namespace

QMargins marginsForAnchor(const QSize& from, const QSize& to, Qt::Alignment anchor) {
    const int dw = to.width() - from.width(), dh = to.height() - from.height();
    int left = dw / 2, top = dh / 2;
    if (anchor & Qt::AlignLeft) left = 0;
    else if (anchor & Qt::AlignRight) left = dw;
    if (anchor & Qt::AlignTop) top = 0;
    else if (anchor & Qt::AlignBottom) top = dh;
    return QMargins(left, top, dw - left, dh - top);
}

ResizedCanvas resizeCanvas(const QImage& image, const QImage& mask, const QMargins& m, CanvasFill fill,
                           const QColor& color, bool maskNewArea, int maxSide) {
    const qint64 w = qint64(image.width()) + m.left() + m.right();
    const qint64 h = qint64(image.height()) + m.top() + m.bottom();
    if (image.isNull() || w < 1 || h < 1 || w > maxSide || h > maxSide) return {};
    ResizedCanvas out;
    out.image = QImage(int(w), int(h), QImage::Format_RGBA8888);
    if (out.image.isNull()) return {};  // allocation failed
    out.mask = QImage(int(w), int(h), QImage::Format_Grayscale8);
    if (out.mask.isNull()) return {};
    out.image.fill(fill == CanvasFill::Color ? color : QColor(0, 0, 0, 0));
    out.mask.fill(maskNewArea ? 255 : 0);
    const QPoint at(m.left(), m.top());
    // Where the old picture lands, clipped to the new canvas.
    const QRect old = QRect(at, image.size()).intersected(out.image.rect());
    const QImage src = image.convertToFormat(QImage::Format_RGBA8888);
    const QImage srcMask = mask.size() == image.size() ? mask.convertToFormat(QImage::Format_Grayscale8)
                                                       : QImage(image.size(), QImage::Format_Grayscale8);
    for (int y = old.top(); y <= old.bottom(); ++y) {
        std::memcpy(out.image.scanLine(y) + qsizetype(old.left()) * 4,
                    src.constScanLine(y - at.y()) + qsizetype(old.left() - at.x()) * 4, size_t(old.width()) * 4);
        if (mask.size() == image.size())
            std::memcpy(out.mask.scanLine(y) + old.left(), srcMask.constScanLine(y - at.y()) + (old.left() - at.x()),
                        size_t(old.width()));
        else
            std::memset(out.mask.scanLine(y) + old.left(), 0, size_t(old.width()));
    }
    if (fill == CanvasFill::Edge && !old.isEmpty()) replicateEdges<quint32>(out.image, old);
    return out;
}

}  // namespace unclip::ui
