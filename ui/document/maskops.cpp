// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/maskops.h"

#include "ui/document/commands.h"

#include <QPainter>
#include <QUndoStack>

#include <algorithm>

namespace unclip::ui {

namespace {
bool push(Document* doc, QUndoCommand* cmd) {
    if (!cmd) return false;
    doc->undoStack()->push(cmd);
    return true;
}
QRect whole(const Document* doc) { return QRect(QPoint(0, 0), doc->size()); }
}  // namespace

bool invertMask(Document* doc) {
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), [] { return PatchCommand::tr("Invert mask"); },
                                   [](QImage& m) { m.invertPixels(); }));
}

bool clearMask(Document* doc) {
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), [] { return PatchCommand::tr("Clear mask"); },
                                   [](QImage& m) { m.fill(0); }));
}

bool fillMask(Document* doc) {
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), [] { return PatchCommand::tr("Fill mask"); },
                                   [](QImage& m) { m.fill(255); }));
}

bool setMaskRect(Document* doc, const QRect& rect, int value) {
    const QRect r = rect.normalized().intersected(whole(doc));
    const HistoryTitle title = [add = value > 0] {
        return add ? PatchCommand::tr("Rectangle to mask") : PatchCommand::tr("Rectangle out of mask");
    };
    return push(doc, makeLayerEdit(doc, Layer::Mask, r, title, [&](QImage& m) {
                    for (int y = r.top(); y <= r.bottom(); ++y) memset(m.scanLine(y) + r.left(), value, size_t(r.width()));
                }));
}

bool setMaskPolygon(Document* doc, const QPolygonF& outline, bool erase) {
    if (outline.size() < 3) return false;
    const QRect r = outline.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1).intersected(whole(doc));
    if (r.isEmpty()) return false;
    // Coverage of the outline inside its bounding box (antialiased edge).
    QImage coverage(r.size(), QImage::Format_ARGB32_Premultiplied);
    coverage.fill(0);
    {
        QPainter p(&coverage);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::black);
        p.translate(-r.topLeft());
        p.drawPolygon(outline, Qt::WindingFill);
    }
    const HistoryTitle title = [erase] {
        return erase ? PatchCommand::tr("Lasso out of mask") : PatchCommand::tr("Lasso to mask");
    };
    return push(doc, makeLayerEdit(doc, Layer::Mask, r, title, [&](QImage& m) {
                    for (int y = 0; y < r.height(); ++y) {
                        const auto* c = reinterpret_cast<const QRgb*>(coverage.constScanLine(y));
                        uchar* row = m.scanLine(r.top() + y) + r.left();
                        for (int x = 0; x < r.width(); ++x) {
                            const int a = qAlpha(c[x]);
                            row[x] = uchar(erase ? std::min<int>(row[x], 255 - a) : std::max<int>(row[x], a));
                        }
                    }
                }));
}

}  // namespace unclip::ui
