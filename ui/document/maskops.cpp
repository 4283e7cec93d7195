#include "ui/document/maskops.h"

#include "ui/document/commands.h"

#include <QUndoStack>

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
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), PatchCommand::tr("Invert mask"), [](QImage& m) {
                    m.invertPixels();
                }));
}

bool clearMask(Document* doc) {
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), PatchCommand::tr("Clear mask"),
                                   [](QImage& m) { m.fill(0); }));
}

bool fillMask(Document* doc) {
    return push(doc, makeLayerEdit(doc, Layer::Mask, whole(doc), PatchCommand::tr("Fill mask"),
                                   [](QImage& m) { m.fill(255); }));
}

bool setMaskRect(Document* doc, const QRect& rect, int value) {
    const QRect r = rect.normalized().intersected(whole(doc));
    const QString text = value > 0 ? PatchCommand::tr("Rectangle to mask") : PatchCommand::tr("Rectangle out of mask");
    return push(doc, makeLayerEdit(doc, Layer::Mask, r, text, [&](QImage& m) {
                    for (int y = r.top(); y <= r.bottom(); ++y) memset(m.scanLine(y) + r.left(), value, size_t(r.width()));
                }));
}

}  // namespace unclip::ui
