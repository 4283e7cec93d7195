// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whole-mask operations as undo commands (pushed onto the document's stack). Each returns whether
// anything changed.
#include <QPolygonF>
#include <QRect>

namespace unclip::ui {

class Document;

bool invertMask(Document* doc);
bool clearMask(Document* doc);
bool fillMask(Document* doc);
// value 255 adds the rectangle to the mask, 0 removes it.
bool setMaskRect(Document* doc, const QRect& rect, int value);
// A freehand (lasso) outline in image coordinates, filled with antialiased edges: added to the mask
// (erase false) or cut out of it.
bool setMaskPolygon(Document* doc, const QPolygonF& outline, bool erase);

}  // namespace unclip::ui
