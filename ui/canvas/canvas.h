// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The document view: zoom (wheel, keyboard, fit), pan (space-drag, middle button), a checkerboard
// outside the image and under transparent pixels, the mask as a translucent overlay, and the mask
// tools (brush, eraser, rectangle). Repaints only what changed; high-DPI aware (zoom counts device
// pixels per image pixel).
#include "ui/canvas/maskoverlay.h"
#include "ui/document/document.h"

#include <QPointer>
#include <QPolygonF>
#include <QWidget>

#include <memory>

class QVariantAnimation;

namespace unclip::ui {

class FrameTool;
class MaskStroke;

enum class Tool { Brush, Eraser, Rectangle, Lasso, Frame };

class Canvas : public QWidget {
    Q_OBJECT

public:
    explicit Canvas(QWidget* parent = nullptr);
    ~Canvas() override;

    void setDocument(Document* doc);
    Document* document() const { return m_doc; }

    Tool tool() const { return m_tool; }
    int brushSize() const { return m_brushSize; }      // diameter in image pixels
    double brushHardness() const { return m_hardness; }  // 0..1
    bool maskVisible() const { return m_maskVisible; }
    // The generation frame: drawn on the canvas, edited with Tool::Frame (ui/canvas/frametool.h).
    FrameTool* frameTool() const { return m_frameTool; }

    double zoom() const { return m_zoom; }  // device pixels per image pixel
    QPointF imageToWidget(const QPointF& p) const;
    QPointF widgetToImage(const QPointF& p) const;
    QRectF imageRectInWidget() const;
    void setZoomAnimationMs(int ms) { m_animationMs = ms; }

    static constexpr double kMinZoom = 1.0 / 64.0;
    static constexpr double kMaxZoom = 64.0;
    static constexpr int kMaxBrush = 2000;

public Q_SLOTS:
    void setTool(unclip::ui::Tool tool);
    void setBrushSize(int diameter);
    void setBrushHardness(double hardness);
    void growBrush();
    void shrinkBrush();
    void setMaskVisible(bool visible);
    // The mask's colour and opacity (Settings); an outline is always drawn around it.
    void setMaskOverlay(const QColor& color, double opacity);
    const MaskOverlay& maskOverlay() const { return m_maskOverlay; }
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void zoomActualPixels();
    // Zooms keeping the image point under `widgetPos` in place.
    void setZoomAt(double zoom, const QPointF& widgetPos);

Q_SIGNALS:
    void zoomChanged(double zoom);
    void cursorMoved(const QPoint& imagePos, bool insideImage);
    void brushSizeChanged(int diameter);
    void brushHardnessChanged(double hardness);
    void toolChanged(unclip::ui::Tool tool);
    // Drag and drop: files go through the same path as File > Open.
    void fileDropped(const QString& path);
    void imageDropped(const QImage& image);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool event(QEvent* event) override;  // pinch zoom (touchpad native gestures, touch screens)

private:
    void onDocumentChanged(unclip::ui::Layer layer, const QRect& rect);
    void onDocumentReset();
    double logicalScale() const;
    void updateImageRect(const QRect& imageRect);
    QRectF brushOutline(const QPointF& widgetPos) const;
    void updateCursorShape();
    void beginStroke(const QPointF& widgetPos, float pressure);
    void continueStroke(const QPointF& widgetPos, float pressure);
    void endStroke();
    void setPointer(const QPointF& widgetPos);
    void animateZoomTo(double zoom);
    void clampOffset();

    QPointer<Document> m_doc;
    Tool m_tool = Tool::Brush;
    int m_brushSize = 48;
    double m_hardness = 0.8;
    bool m_maskVisible = true;

    double m_zoom = 1.0;
    QPointF m_offset;  // widget position of the image's top-left corner
    bool m_fitMode = true;
    int m_animationMs = 120;
    QVariantAnimation* m_zoomAnimation = nullptr;

    std::unique_ptr<MaskStroke> m_stroke;
    bool m_tabletActive = false;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPointF m_panLast;
    bool m_selecting = false;
    QPointF m_selStart, m_selEnd;  // image coordinates
    bool m_selErase = false;
    QPolygonF m_lasso;  // image coordinates while a lasso is drawn
    double m_pinchStartZoom = 1.0;
    QPointF m_pointer{-1e9, -1e9};  // widget coordinates of the pointer (brush outline)
    MaskOverlay m_maskOverlay;
    FrameTool* m_frameTool = nullptr;
};

}  // namespace unclip::ui
