// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/frametool.h"

#include "core/imaging/mask_ops.h"
#include "core/pipeline/frame.h"
#include "ui/canvas/canvas.h"
#include "ui/common/qtcv.h"
#include "ui/document/document.h"

#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace unclip::ui {

namespace {

constexpr int kAssumedModelSize = 256;  // Karlo's and the embedded model's picture side
constexpr int kMinFrameSide = 8;

double distance(const QPointF& a, const QPointF& b) { return std::hypot(a.x() - b.x(), a.y() - b.y()); }

}  // namespace

FrameTool::FrameTool(Canvas* canvas) : QObject(canvas), m_canvas(canvas), m_boundsTimer(new QTimer(this)) {
    // Mask bounds cost a pass over the mask: once a stroke pauses, not per brush dab.
    m_boundsTimer->setSingleShot(true);
    m_boundsTimer->setInterval(120);
    connect(m_boundsTimer, &QTimer::timeout, this, &FrameTool::updateBounds);
}

void FrameTool::setDocument(Document* doc) {
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_doc = doc;
    m_preview = QImage();
    if (m_doc) {
        connect(m_doc, &Document::changed, this, [this](Layer layer, const QRect&) {
            if (layer == Layer::Mask) scheduleBounds();
        });
        connect(m_doc, &Document::contentReset, this, [this] {
            m_preview = QImage();
            updateBounds();
        });
        connect(m_doc, &Document::generationFrameChanged, this, &FrameTool::changed);
    }
    updateBounds();
}

void FrameTool::setModelSize(int side) {
    if (side == m_modelSize) return;
    m_modelSize = side;
    Q_EMIT changed();
}

int FrameTool::modelSize() const { return m_modelSize > 0 ? m_modelSize : kAssumedModelSize; }

void FrameTool::setContext(int pixels) {
    if (pixels == m_context) return;
    m_context = std::max(0, pixels);
    Q_EMIT changed();
}

void FrameTool::setShown(bool shown) {
    if (shown == m_shown) return;
    m_shown = shown;
    Q_EMIT changed();
}

void FrameTool::scheduleBounds() { m_boundsTimer->start(); }

void FrameTool::updateBounds() {
    m_boundsTimer->stop();
    QRect bounds;
    if (m_doc && !m_doc->isNull()) {
        const cv::Rect b = imaging::mask_bounds(constMatView(m_doc->mask()));
        if (!b.empty()) bounds = QRect(b.x, b.y, b.width, b.height);
    }
    if (bounds == m_maskBounds) return;
    m_maskBounds = bounds;
    Q_EMIT changed();
}

bool FrameTool::isAutomatic() const { return !m_doc || m_doc->generationFrame().isNull(); }

QRect FrameTool::frame() const {
    if (!m_doc || m_doc->isNull()) return {};
    if (!m_doc->generationFrame().isNull()) return m_doc->generationFrame();
    if (m_boundsTimer->isActive()) const_cast<FrameTool*>(this)->updateBounds();
    if (m_maskBounds.isEmpty()) return {};
    // The pipeline's own rule, so the frame shown is the frame the job will use.
    const QRect& b = m_maskBounds;
    const pipeline::Frame f = pipeline::auto_frame_for_bounds(pipeline::Frame{b.x(), b.y(), b.width(), b.height()},
                                                              m_doc->size().height(), m_doc->size().width(), modelSize(),
                                                              m_context);
    return QRect(int(f.x), int(f.y), int(f.width), int(f.height));
}

QString FrameTool::caption() const {
    const QRect f = frame();
    if (f.isNull()) return {};
    const int side = std::max(f.width(), f.height());
    const double scale = double(side) / modelSize();
    QString text;
    if (scale > 1.0)
        text = tr("%1 px for a %2 px frame: %3× enlarged")
                   .arg(modelSize())
                   .arg(side)
                   .arg(QLocale().toString(std::ceil(scale * 10) / 10, 'f', 1));
    else
        text = tr("%1 px frame at the model's full resolution").arg(side);
    const QRect picture(QPoint(0, 0), m_doc->size());
    if (!picture.contains(f)) text = tr("%1, outpainting").arg(text);
    return isAutomatic() ? tr("Automatic frame: %1").arg(text) : text;
}

void FrameTool::setPreview(const QImage& image, const QRect& frame) {
    m_preview = image;
    m_previewFrame = frame;
    Q_EMIT changed();
}

// ---- editing --------------------------------------------------------------------------------

QRect FrameTool::snapped(QRect r, double tolerance) const {
    const QSize canvas = m_doc->size();
    // Edges snap to the picture's edges when close (a frame flush with the border is common).
    if (std::abs(r.left()) <= tolerance) r.moveLeft(0);
    if (std::abs(r.top()) <= tolerance) r.moveTop(0);
    if (std::abs(r.left() + r.width() - canvas.width()) <= tolerance) r.moveLeft(canvas.width() - r.width());
    if (std::abs(r.top() + r.height() - canvas.height()) <= tolerance) r.moveTop(canvas.height() - r.height());
    return r;
}

bool FrameTool::press(const QPointF& ip, double tolerance) {
    if (!m_doc || m_doc->isNull()) return false;
    const QRect f = frame();
    m_dragStart = ip;
    m_dragFrame = f;
    m_moved = false;
    if (!f.isNull()) {
        const QPointF corners[4] = {QPointF(f.left(), f.top()), QPointF(f.left() + f.width(), f.top()),
                                    QPointF(f.left(), f.top() + f.height()),
                                    QPointF(f.left() + f.width(), f.top() + f.height())};
        for (int i = 0; i < 4; ++i)
            if (distance(ip, corners[i]) <= tolerance) {
                m_drag = Drag::Resize;
                m_anchor = corners[3 - i].toPoint();  // the opposite corner stays
                return true;
            }
        if (QRectF(f).contains(ip)) {
            m_drag = Drag::Move;
            return true;
        }
    }
    m_drag = Drag::Create;
    m_anchor = QPoint(qRound(ip.x()), qRound(ip.y()));
    return true;
}

void FrameTool::move(const QPointF& ip, double tolerance) {
    if (m_drag == Drag::None || !m_doc) return;
    QRect r;
    if (m_drag == Drag::Move) {
        const QPoint delta = (ip - m_dragStart).toPoint();
        r = snapped(m_dragFrame.translated(delta), tolerance);
    } else {
        // Square from the fixed corner toward the pointer; the model draws squares.
        const double dx = ip.x() - m_anchor.x(), dy = ip.y() - m_anchor.y();
        int side = int(std::lround(std::max(std::abs(dx), std::abs(dy))));
        if (std::abs(side - modelSize()) <= std::max(tolerance, 0.04 * modelSize())) side = modelSize();
        side = std::max(side, kMinFrameSide);
        const int x = dx < 0 ? m_anchor.x() - side : m_anchor.x();
        const int y = dy < 0 ? m_anchor.y() - side : m_anchor.y();
        r = QRect(x, y, side, side);
    }
    // A frame must keep touching the picture (core/pipeline/frame.cpp: check_frame).
    const QRect picture(QPoint(0, 0), m_doc->size());
    if (!r.intersects(picture)) return;
    m_moved = true;
    m_doc->setGenerationFrame(r);
}

void FrameTool::release() {
    // A click without a drag on empty canvas places a model-sized frame centred there.
    if (m_drag == Drag::Create && !m_moved && m_doc) {
        const int side = modelSize();
        QRect r(m_anchor.x() - side / 2, m_anchor.y() - side / 2, side, side);
        if (r.intersects(QRect(QPoint(0, 0), m_doc->size()))) m_doc->setGenerationFrame(r);
    }
    m_drag = Drag::None;
}

void FrameTool::resetToAutomatic() {
    if (m_doc) m_doc->setGenerationFrame(QRect());
}

// ---- drawing --------------------------------------------------------------------------------

void FrameTool::paint(QPainter& p, bool toolActive) const {
    if (!m_doc || m_doc->isNull()) return;
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    if (!m_preview.isNull() && !m_previewFrame.isNull()) {
        const QRectF target(m_canvas->imageToWidget(m_previewFrame.topLeft()),
                            m_canvas->imageToWidget(m_previewFrame.topLeft() + QPointF(m_previewFrame.width(), m_previewFrame.height())));
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(target, m_preview);
    }
    const QRect f = frame();
    if ((m_shown || toolActive) && !f.isNull()) {
        const QRectF r(m_canvas->imageToWidget(f.topLeft()),
                       m_canvas->imageToWidget(f.topLeft() + QPointF(f.width(), f.height())));
        // Two pens so the frame shows on any picture; dots when automatic, dashes when placed.
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(0, 0, 0, 200), 1.0));
        p.drawRect(r);
        p.setPen(QPen(QColor(255, 255, 255, 230), 1.0, isAutomatic() ? Qt::DotLine : Qt::DashLine));
        p.drawRect(r);
        if (toolActive) {
            for (const QPointF& c : {r.topLeft(), r.topRight(), r.bottomLeft(), r.bottomRight()}) {
                const QRectF handle(c - QPointF(4, 4), QSizeF(8, 8));
                p.fillRect(handle, QColor(255, 255, 255, 230));
                p.setPen(QPen(QColor(0, 0, 0, 200), 1.0));
                p.drawRect(handle);
            }
        }
        const QString text = caption();
        const QFontMetrics fm(p.font());
        const QRectF box(r.left(), r.top() - fm.height() - 6 >= 0 ? r.top() - fm.height() - 6 : r.top() + 2,
                         fm.horizontalAdvance(text) + 10, fm.height() + 4);
        p.fillRect(box, QColor(0, 0, 0, 150));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, text);
    }
    p.restore();
}

}  // namespace unclip::ui
