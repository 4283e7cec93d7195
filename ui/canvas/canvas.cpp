// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvas.h"

#include "ui/canvas/frametool.h"

#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/document/maskstroke.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGesture>
#include <QGestureEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTabletEvent>
#include <QUndoStack>
#include <QVariantAnimation>
#include <QWheelEvent>
#include <QtMath>

#include <cmath>

namespace unclip::ui {

namespace {

QPixmap checkerTile(const QColor& a, const QColor& b, int cell) {
    QPixmap tile(2 * cell, 2 * cell);
    tile.fill(a);
    QPainter p(&tile);
    p.fillRect(0, 0, cell, cell, b);
    p.fillRect(cell, cell, cell, cell, b);
    return tile;
}

bool isOpenableFile(const QString& path) {
    static const QStringList exts = {"ora", "png", "jpg", "jpeg", "jpe", "webp", "bmp", "dib"};
    return exts.contains(QFileInfo(path).suffix().toLower());
}

}  // namespace

Canvas::Canvas(QWidget* parent) : QWidget(parent) {
    setObjectName("canvas");
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAcceptDrops(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_TabletTracking);
    grabGesture(Qt::PinchGesture);  // touch screens; touchpads send native zoom gestures
    setMinimumSize(200, 150);
    m_frameTool = new FrameTool(this);
    connect(m_frameTool, &FrameTool::changed, this, qOverload<>(&QWidget::update));
    m_zoomAnimation = new QVariantAnimation(this);
    m_zoomAnimation->setEasingCurve(QEasingCurve::OutCubic);
    connect(m_zoomAnimation, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        setZoomAt(v.toDouble(), QPointF(width() / 2.0, height() / 2.0));
    });
    updateCursorShape();
}

Canvas::~Canvas() = default;

void Canvas::setDocument(Document* doc) {
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_stroke.reset();
    m_doc = doc;
    if (m_doc) {
        connect(m_doc, &Document::changed, this, &Canvas::onDocumentChanged);
        connect(m_doc, &Document::contentReset, this, &Canvas::onDocumentReset);
    }
    m_frameTool->setDocument(doc);
    onDocumentReset();
}

void Canvas::onDocumentReset() {
    m_stroke.reset();
    m_selecting = false;
    if (m_doc && !m_doc->isNull()) m_maskOverlay.reset(m_doc->mask());
    zoomToFit();
    update();
}

void Canvas::onDocumentChanged(Layer layer, const QRect& rect) {
    if (layer == Layer::Mask) m_maskOverlay.update(m_doc->mask(), rect);
    updateImageRect(rect);
}

void Canvas::setMaskOverlay(const QColor& color, double opacity) {
    m_maskOverlay.setColor(color, opacity);
    update();
}

double Canvas::logicalScale() const { return m_zoom / devicePixelRatioF(); }

QPointF Canvas::imageToWidget(const QPointF& p) const { return p * logicalScale() + m_offset; }

QPointF Canvas::widgetToImage(const QPointF& p) const { return (p - m_offset) / logicalScale(); }

QRectF Canvas::imageRectInWidget() const {
    if (!m_doc || m_doc->isNull()) return {};
    const double s = logicalScale();
    return QRectF(m_offset, QSizeF(m_doc->size().width() * s, m_doc->size().height() * s));
}

void Canvas::updateImageRect(const QRect& imageRect) {
    const QRectF r(imageToWidget(imageRect.topLeft()), imageToWidget(imageRect.bottomRight() + QPoint(1, 1)));
    update(r.toAlignedRect().adjusted(-2, -2, 2, 2));
}

// ---- painting ------------------------------------------------------------------------------

void Canvas::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    static const QPixmap outside = checkerTile(QColor(58, 58, 62), QColor(50, 50, 54), 12);
    static const QPixmap inside = checkerTile(QColor(255, 255, 255), QColor(214, 214, 214), 8);
    p.fillRect(event->rect(), QBrush(outside));
    if (!m_doc || m_doc->isNull()) return;

    const QRectF imgRect = imageRectInWidget();
    p.setClipRegion(event->region());
    p.fillRect(imgRect, QBrush(inside));
    p.save();
    p.translate(m_offset);
    p.scale(logicalScale(), logicalScale());
    // Smooth when shrinking; crisp pixels when zoomed in.
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    p.drawImage(QPointF(0, 0), m_doc->image());
    if (m_maskVisible) {
        m_maskOverlay.paint(p, m_doc->mask());
    }
    p.restore();

    m_frameTool->paint(p, m_tool == Tool::Frame);
    if (m_lasso.size() > 1) {
        QPolygonF outline;
        for (const QPointF& q : m_lasso) outline << imageToWidget(q);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(255, 255, 255, 40));
        p.setPen(QPen(Qt::white, 1, Qt::SolidLine));
        p.drawPolygon(outline);
        p.setPen(QPen(Qt::black, 1, Qt::DashLine));
        p.drawPolygon(outline);
    }
    if (m_selecting) {
        const QRectF sel = QRectF(imageToWidget(m_selStart), imageToWidget(m_selEnd)).normalized();
        p.setPen(QPen(Qt::white, 1, Qt::SolidLine));
        p.drawRect(sel);
        p.setPen(QPen(Qt::black, 1, Qt::DashLine));
        p.drawRect(sel);
    }
    if ((m_tool == Tool::Brush || m_tool == Tool::Eraser) && rect().contains(m_pointer.toPoint()) && !m_panning &&
        !m_spaceHeld) {
        const QRectF outline = brushOutline(m_pointer);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(Qt::NoBrush);
        if (outline.width() >= 4) {
            p.setPen(QPen(QColor(0, 0, 0, 160), 1.5));
            p.drawEllipse(outline);
            p.setPen(QPen(QColor(255, 255, 255, 220), 1.0, m_tool == Tool::Eraser ? Qt::DashLine : Qt::SolidLine));
            p.drawEllipse(outline.adjusted(0.75, 0.75, -0.75, -0.75));
        }
        // A small cross marks the centre.
        p.setPen(QPen(QColor(255, 255, 255, 220), 1));
        p.drawLine(m_pointer + QPointF(-3, 0), m_pointer + QPointF(3, 0));
        p.drawLine(m_pointer + QPointF(0, -3), m_pointer + QPointF(0, 3));
    }
}

QRectF Canvas::brushOutline(const QPointF& widgetPos) const {
    const double r = m_brushSize / 2.0 * logicalScale();
    return QRectF(widgetPos.x() - r, widgetPos.y() - r, 2 * r, 2 * r);
}

void Canvas::setPointer(const QPointF& widgetPos) {
    const QRectF old = brushOutline(m_pointer).adjusted(-4, -4, 4, 4);
    m_pointer = widgetPos;
    update(old.toAlignedRect());
    update(brushOutline(m_pointer).adjusted(-4, -4, 4, 4).toAlignedRect());
    if (m_doc && !m_doc->isNull()) {
        const QPointF ip = widgetToImage(widgetPos);
        const QPoint pixel(qFloor(ip.x()), qFloor(ip.y()));
        Q_EMIT cursorMoved(pixel, QRect(QPoint(0, 0), m_doc->size()).contains(pixel));
    }
}

// ---- view -----------------------------------------------------------------------------------

void Canvas::setZoomAt(double zoom, const QPointF& widgetPos) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF anchor = widgetToImage(widgetPos);
    m_zoom = zoom;
    m_offset = widgetPos - anchor * logicalScale();
    m_fitMode = false;
    clampOffset();
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void Canvas::clampOffset() {
    // Keep at least a corner of the image reachable.
    const QRectF r = imageRectInWidget();
    if (r.isEmpty()) return;
    const double margin = 48;
    if (r.right() < margin) m_offset.rx() += margin - r.right();
    if (r.bottom() < margin) m_offset.ry() += margin - r.bottom();
    if (r.left() > width() - margin) m_offset.rx() -= r.left() - (width() - margin);
    if (r.top() > height() - margin) m_offset.ry() -= r.top() - (height() - margin);
}

void Canvas::animateZoomTo(double zoom) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (m_animationMs <= 0) {
        setZoomAt(zoom, QPointF(width() / 2.0, height() / 2.0));
        return;
    }
    m_zoomAnimation->stop();
    m_zoomAnimation->setDuration(m_animationMs);
    m_zoomAnimation->setStartValue(m_zoom);
    m_zoomAnimation->setEndValue(zoom);
    m_zoomAnimation->start();
}

void Canvas::zoomIn() {
    const double target = m_zoomAnimation->state() == QAbstractAnimation::Running ? m_zoomAnimation->endValue().toDouble()
                                                                                   : m_zoom;
    animateZoomTo(target * std::sqrt(2.0));
}

void Canvas::zoomOut() {
    const double target = m_zoomAnimation->state() == QAbstractAnimation::Running ? m_zoomAnimation->endValue().toDouble()
                                                                                   : m_zoom;
    animateZoomTo(target / std::sqrt(2.0));
}

void Canvas::zoomActualPixels() { animateZoomTo(1.0); }

void Canvas::zoomToFit() {
    m_zoomAnimation->stop();
    if (!m_doc || m_doc->isNull() || width() <= 0 || height() <= 0) {
        m_fitMode = true;
        return;
    }
    const QSize s = m_doc->size();
    const double margin = 24;
    const double sx = (width() - 2 * margin) / double(s.width());
    const double sy = (height() - 2 * margin) / double(s.height());
    const double logical = std::max(1e-6, std::min(sx, sy));
    m_zoom = std::clamp(logical * devicePixelRatioF(), kMinZoom, kMaxZoom);
    const double ls = logicalScale();
    m_offset = QPointF((width() - s.width() * ls) / 2.0, (height() - s.height() * ls) / 2.0);
    m_fitMode = true;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void Canvas::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (m_fitMode) zoomToFit();
}

bool Canvas::event(QEvent* event) {
    if (event->type() == QEvent::NativeGesture) {
        auto* g = static_cast<QNativeGestureEvent*>(event);
        if (g->gestureType() == Qt::ZoomNativeGesture) {  // touchpad pinch: value is the scale delta
            setZoomAt(m_zoom * (1.0 + g->value()), g->position());
            return true;
        }
        if (g->gestureType() == Qt::SmartZoomNativeGesture) {  // two-finger double tap
            zoomToFit();
            return true;
        }
    } else if (event->type() == QEvent::Gesture) {
        auto* ge = static_cast<QGestureEvent*>(event);
        if (auto* pinch = static_cast<QPinchGesture*>(ge->gesture(Qt::PinchGesture))) {
            if (pinch->state() == Qt::GestureStarted) m_pinchStartZoom = m_zoom;
            if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged)
                setZoomAt(m_pinchStartZoom * pinch->totalScaleFactor(), mapFromGlobal(pinch->centerPoint().toPoint()));
            ge->accept(pinch);
            return true;
        }
    }
    return QWidget::event(event);
}

void Canvas::wheelEvent(QWheelEvent* event) {
    const QPoint angle = event->angleDelta();
    if (!angle.isNull() && !(event->modifiers() & Qt::ShiftModifier)) {
        // Continuous: one notch (120) is 2^(1/4); high-resolution wheels zoom in small steps.
        setZoomAt(m_zoom * std::pow(2.0, angle.y() / 480.0), event->position());
    } else {
        QPoint delta = event->pixelDelta().isNull() ? angle / 2 : event->pixelDelta();
        if (event->modifiers() & Qt::ShiftModifier && delta.x() == 0) delta = QPoint(delta.y(), 0);
        m_offset += delta;
        m_fitMode = false;
        clampOffset();
        update();
    }
    event->accept();
}

// ---- tools ----------------------------------------------------------------------------------

void Canvas::setTool(Tool tool) {
    if (m_tool == tool) return;
    endStroke();
    m_tool = tool;
    updateCursorShape();
    update();
    Q_EMIT toolChanged(tool);
}

void Canvas::setBrushSize(int diameter) {
    diameter = std::clamp(diameter, 1, kMaxBrush);
    if (diameter == m_brushSize) return;
    const QRectF old = brushOutline(m_pointer).adjusted(-4, -4, 4, 4);
    m_brushSize = diameter;
    update(old.toAlignedRect());
    update(brushOutline(m_pointer).adjusted(-4, -4, 4, 4).toAlignedRect());
    Q_EMIT brushSizeChanged(diameter);
}

void Canvas::setBrushHardness(double hardness) {
    hardness = std::clamp(hardness, 0.0, 1.0);
    if (qFuzzyCompare(hardness + 1, m_hardness + 1)) return;
    m_hardness = hardness;
    Q_EMIT brushHardnessChanged(hardness);
}

// `[` and `]`: about 15 % per press, at least one pixel.
void Canvas::growBrush() { setBrushSize(std::max(m_brushSize + 1, int(std::lround(m_brushSize * 1.15)))); }
void Canvas::shrinkBrush() { setBrushSize(std::min(m_brushSize - 1, int(std::lround(m_brushSize / 1.15)))); }

void Canvas::setMaskVisible(bool visible) {
    m_maskVisible = visible;
    update();
}

void Canvas::updateCursorShape() {
    if (m_panning) setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld) setCursor(Qt::OpenHandCursor);
    else if (m_tool == Tool::Rectangle || m_tool == Tool::Lasso || m_tool == Tool::Frame) setCursor(Qt::CrossCursor);
    else setCursor(Qt::BlankCursor);  // the outline is the cursor
}

void Canvas::beginStroke(const QPointF& widgetPos, float pressure) {
    if (!m_doc || m_doc->isNull()) return;
    m_stroke = std::make_unique<MaskStroke>(m_doc, m_tool == Tool::Eraser, float(m_brushSize), float(m_hardness));
    m_stroke->addPoint(widgetToImage(widgetPos), pressure);
}

void Canvas::continueStroke(const QPointF& widgetPos, float pressure) {
    if (m_stroke) m_stroke->addPoint(widgetToImage(widgetPos), pressure);
}

void Canvas::endStroke() {
    if (!m_stroke) return;
    std::unique_ptr<MaskStroke> stroke = std::move(m_stroke);
    if (QUndoCommand* cmd = stroke->finish()) m_doc->undoStack()->push(cmd);
}

void Canvas::mouseDoubleClickEvent(QMouseEvent* event) {
    // With the Frame tool a double-click gives the automatic frame back.
    if (m_tool == Tool::Frame && event->button() == Qt::LeftButton) {
        m_frameTool->resetToAutomatic();
        return;
    }
    mousePressEvent(event);
}

void Canvas::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    const QPointF pos = event->position();
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panLast = pos;
        updateCursorShape();
        return;
    }
    if (event->button() != Qt::LeftButton || !m_doc || m_doc->isNull() || m_stroke || m_selecting) return;
    if (m_tool == Tool::Frame) {
        m_frameTool->press(widgetToImage(pos), 8.0 / logicalScale());  // handles reach 8 screen pixels
        return;
    }
    if (m_tool == Tool::Lasso) {
        m_lasso = QPolygonF{widgetToImage(pos)};
        m_selErase = event->modifiers() & Qt::AltModifier;
        update();
        return;
    }
    if (m_tool == Tool::Rectangle) {
        const QPointF ip = widgetToImage(pos);
        m_selStart = m_selEnd = QPointF(std::round(ip.x()), std::round(ip.y()));
        m_selErase = event->modifiers() & Qt::AltModifier;
        m_selecting = true;
        update();
        return;
    }
    beginStroke(pos, 1.0f);
}

void Canvas::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (m_panning) {
        m_offset += pos - m_panLast;
        m_panLast = pos;
        m_fitMode = false;
        clampOffset();
        update();
        return;
    }
    setPointer(pos);
    if (m_frameTool->isDragging() && (event->buttons() & Qt::LeftButton)) {
        m_frameTool->move(widgetToImage(pos), 8.0 / logicalScale());
        return;
    }
    if (!m_lasso.isEmpty() && (event->buttons() & Qt::LeftButton)) {
        const QPointF ip = widgetToImage(pos);
        // Points closer than a screen pixel add nothing but cost.
        if (QLineF(imageToWidget(m_lasso.last()), pos).length() >= 1.0) {
            m_lasso << ip;
            update();
        }
        return;
    }
    if (m_selecting) {
        const QRectF old = QRectF(imageToWidget(m_selStart), imageToWidget(m_selEnd)).normalized();
        const QPointF ip = widgetToImage(pos);
        m_selEnd = QPointF(std::round(ip.x()), std::round(ip.y()));
        const QRectF now = QRectF(imageToWidget(m_selStart), imageToWidget(m_selEnd)).normalized();
        update((old | now).toAlignedRect().adjusted(-2, -2, 2, 2));
        return;
    }
    if (m_stroke && (event->buttons() & Qt::LeftButton)) continueStroke(pos, 1.0f);
}

void Canvas::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        updateCursorShape();
        return;
    }
    if (m_frameTool->isDragging() && event->button() == Qt::LeftButton) {
        m_frameTool->release();
        return;
    }
    if (event->button() != Qt::LeftButton) return;
    if (!m_lasso.isEmpty()) {
        m_lasso << widgetToImage(event->position());
        const QPolygonF outline = m_lasso;
        m_lasso.clear();
        if (m_doc) setMaskPolygon(m_doc, outline, m_selErase);
        update();
        return;
    }
    if (m_selecting) {
        m_selecting = false;
        const QRect r = QRectF(m_selStart, m_selEnd).normalized().toRect();
        if (m_doc && r.width() > 0 && r.height() > 0) setMaskRect(m_doc, r, m_selErase ? 0 : 255);
        update();
        return;
    }
    if (m_stroke) {
        continueStroke(event->position(), 1.0f);
        endStroke();
    }
}

void Canvas::tabletEvent(QTabletEvent* event) {
    const QPointF pos = event->position();
    const float pressure = event->pressure() > 0 ? float(event->pressure()) : 1.0f;
    switch (event->type()) {
    case QEvent::TabletPress:
        if (event->button() != Qt::LeftButton || m_spaceHeld || m_tool == Tool::Rectangle || m_tool == Tool::Lasso) {
            event->ignore();  // falls back to the synthesized mouse event
            return;
        }
        m_tabletActive = true;
        setPointer(pos);
        beginStroke(pos, pressure);
        break;
    case QEvent::TabletMove:
        setPointer(pos);
        if (m_tabletActive && m_stroke) continueStroke(pos, pressure);
        else if (!m_tabletActive) {
            event->ignore();
            return;
        }
        break;
    case QEvent::TabletRelease:
        if (!m_tabletActive) {
            event->ignore();
            return;
        }
        m_tabletActive = false;
        endStroke();
        break;
    default: event->ignore(); return;
    }
    event->accept();
}

void Canvas::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        updateCursorShape();
        update();
        return;
    }
    QWidget::keyPressEvent(event);
}

void Canvas::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        m_panning = false;
        updateCursorShape();
        update();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void Canvas::leaveEvent(QEvent* event) {
    setPointer(QPointF(-1e9, -1e9));
    QWidget::leaveEvent(event);
}

void Canvas::focusOutEvent(QFocusEvent* event) {
    m_spaceHeld = false;
    updateCursorShape();
    QWidget::focusOutEvent(event);
}

// ---- drag and drop --------------------------------------------------------------------------

void Canvas::dragEnterEvent(QDragEnterEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile() && isOpenableFile(url.toLocalFile())) {
                event->acceptProposedAction();
                return;
            }
    }
    if (mime->hasImage()) event->acceptProposedAction();
}

void Canvas::dropEvent(QDropEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile() && isOpenableFile(url.toLocalFile())) {
                event->acceptProposedAction();
                Q_EMIT fileDropped(url.toLocalFile());
                return;
            }
    }
    if (mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (!image.isNull()) {
            event->acceptProposedAction();
            Q_EMIT imageDropped(image);
        }
    }
}

}  // namespace unclip::ui
