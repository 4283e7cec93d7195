// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One brush or eraser stroke on the mask: dabs are interpolated between input points and
// painted straight into the document's mask; finish() turns the touched rectangle into one undo
// command (pixels before and after only).
#include "core/imaging/brush.h"
#include "ui/document/tilebackup.h"

#include <QPointF>
#include <QRect>

class QUndoCommand;

namespace unclip::ui {

class Document;

class MaskStroke {
public:
    // diameter in image pixels; hardness 0..1.
    MaskStroke(Document* doc, bool erase, float diameter, float hardness);
    // Adds a point in image coordinates; pressure 0..1 scales the dab size (1 for a mouse).
    // Returns the rectangle that changed (may be empty).
    QRect addPoint(const QPointF& imagePos, float pressure = 1.0f);
    // The stroke as an undo command (nullptr when it changed nothing). Push it onto the stack.
    QUndoCommand* finish();
    QRect dirtyRect() const { return m_dirty; }

private:
    Document* m_doc;
    bool m_erase;
    float m_radius;
    float m_hardness;
    imaging::StrokeInterpolator m_interp;
    TileBackup m_backup;
    QRect m_dirty;
};

}  // namespace unclip::ui
