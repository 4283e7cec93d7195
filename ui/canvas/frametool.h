// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation frame on the canvas (core/pipeline/frame.h says what it does): drawn as a dashed
// square with the scale the model draws at, and edited with the Frame tool: drag inside it to move
// it, drag a corner to resize it (kept square, snapping to the model's size), drag elsewhere for a
// new one, double-click for the automatic frame again. Dragging it past the picture's edge
// outpaints. It also shows a result inside the frame before Apply.
#include <QImage>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QRect>
#include <QString>

class QPainter;
class QTimer;

namespace unclip::ui {

class Canvas;
class Document;

class FrameTool : public QObject {
    Q_OBJECT

public:
    explicit FrameTool(Canvas* canvas);

    void setDocument(Document* doc);
    // The model's picture side (0 = not known yet: Karlo's 256 is assumed) and the automatic
    // frame's context padding.
    void setModelSize(int side);
    int modelSize() const;
    void setContext(int pixels);
    // Whether the frame is drawn (Inpaint, a placed frame, or the Frame tool active).
    void setShown(bool shown);
    bool isShown() const { return m_shown; }

    // The frame a job would use now: the placed one, else the automatic one around the mask
    // (null when the mask is empty).
    QRect frame() const;
    bool isAutomatic() const;
    // "256 px for a 600 px frame: 2.3× enlarged", prefixed "Automatic frame" when automatic.
    QString caption() const;

    // A result drawn inside its frame until cleared (null image clears).
    void setPreview(const QImage& image, const QRect& frame);
    QRect previewFrame() const { return m_preview.isNull() ? QRect() : m_previewFrame; }

    // Mouse handling with the Frame tool (image coordinates; `tolerance` = image pixels a handle
    // reaches). press returns false when it did not start a drag.
    bool press(const QPointF& imagePos, double tolerance);
    void move(const QPointF& imagePos, double tolerance);
    void release();
    void resetToAutomatic();
    bool isDragging() const { return m_drag != Drag::None; }

    // Draws frame, handles (with the tool active) and caption; the painter is in widget space.
    void paint(QPainter& p, bool toolActive) const;

Q_SIGNALS:
    void changed();  // frame, caption or preview: repaint

private:
    enum class Drag { None, Move, Resize, Create };
    void scheduleBounds();
    void updateBounds();
    QRect snapped(QRect r, double tolerance) const;

    Canvas* m_canvas;
    QPointer<Document> m_doc;
    QTimer* m_boundsTimer;
    QRect m_maskBounds;
    int m_modelSize = 0;
    int m_context = 32;
    bool m_shown = false;
    QImage m_preview;
    QRect m_previewFrame;

    Drag m_drag = Drag::None;
    bool m_moved = false;
    QPointF m_dragStart;
    QRect m_dragFrame;   // the frame when the drag began
    QPoint m_anchor;     // resize/create: the fixed corner
};

}  // namespace unclip::ui
