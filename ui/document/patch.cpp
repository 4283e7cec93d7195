// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/patch.h"

#include <cstring>

namespace unclip::ui {

namespace {
int bytesPerPixel(QImage::Format f) { return f == QImage::Format_Grayscale8 ? 1 : 4; }
}  // namespace

Patch Patch::capture(const QImage& layer, const QRect& rect) {
    const QRect r = rect.intersected(layer.rect());
    Patch p;
    if (r.isEmpty()) return p;
    p.m_rect = r;
    p.m_format = layer.format();
    const int bpp = bytesPerPixel(layer.format());
    const qsizetype row = qsizetype(r.width()) * bpp;
    QByteArray raw(row * r.height(), Qt::Uninitialized);
    for (int y = 0; y < r.height(); ++y)
        std::memcpy(raw.data() + y * row, layer.constScanLine(r.y() + y) + qsizetype(r.x()) * bpp, size_t(row));
    p.m_data = qCompress(raw, 1);
    return p;
}

Patch Patch::fromImage(const QImage& pixels, const QPoint& topLeft) {
    Patch p = capture(pixels, pixels.rect());
    p.m_rect.moveTopLeft(topLeft);
    return p;
}

void Patch::moveTo(HistoryStore& store) {
    if (m_blob || m_data.isEmpty()) return;
    m_blobSize = m_data.size();
    m_blob = store.put(std::move(m_data));
    m_data = QByteArray();
}

QByteArray Patch::compressed() const {
    if (!m_blob) return m_data;
    try {
        return HistoryStore::get(m_blob);
    } catch (const std::exception&) {
        return {};  // callers see a size mismatch and refuse
    }
}

QImage Patch::toImage() const {
    if (isNull()) return {};
    QImage img(m_rect.size(), m_format);
    const QByteArray raw = qUncompress(compressed());
    const int bpp = bytesPerPixel(m_format);
    const qsizetype row = qsizetype(m_rect.width()) * bpp;
    if (raw.size() != row * m_rect.height()) return {};
    for (int y = 0; y < m_rect.height(); ++y) std::memcpy(img.scanLine(y), raw.constData() + y * row, size_t(row));
    return img;
}

bool Patch::apply(QImage& layer) const {
    if (isNull()) return true;
    if (layer.format() != m_format) return false;
    const QByteArray raw = qUncompress(compressed());
    const int bpp = bytesPerPixel(m_format);
    const qsizetype row = qsizetype(m_rect.width()) * bpp;
    if (raw.size() != row * m_rect.height() || !layer.rect().contains(m_rect)) return false;
    for (int y = 0; y < m_rect.height(); ++y)
        std::memcpy(layer.scanLine(m_rect.y() + y) + qsizetype(m_rect.x()) * bpp, raw.constData() + y * row,
                    size_t(row));
    return true;
}

void blitImage(QImage& dst, const QImage& src, const QPoint& at) {
    if (dst.format() != src.format()) return;
    const QRect r = QRect(at, src.size()).intersected(dst.rect());
    if (r.isEmpty()) return;
    const int bpp = bytesPerPixel(dst.format());
    for (int y = r.top(); y <= r.bottom(); ++y)
        std::memcpy(dst.scanLine(y) + qsizetype(r.x()) * bpp,
                    src.constScanLine(y - at.y()) + qsizetype(r.x() - at.x()) * bpp, size_t(r.width()) * bpp);
}

}  // namespace unclip::ui
