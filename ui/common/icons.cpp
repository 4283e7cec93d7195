// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/icons.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace unclip::ui {

namespace {

// Drawn on a 24 x 24 grid.
void draw(QPainter& p, const QString& name) {
    const QColor ink(60, 64, 72);
    const QColor accent(230, 60, 100);
    const QColor blue(52, 120, 220);
    QPen pen(ink, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    auto magnifier = [&](bool plus, bool minus) {
        p.drawEllipse(QPointF(10, 10), 6, 6);
        p.setPen(QPen(ink, 2.6, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(14.5, 14.5), QPointF(20, 20));
        p.setPen(pen);
        if (plus || minus) p.drawLine(QPointF(7, 10), QPointF(13, 10));
        if (plus) p.drawLine(QPointF(10, 7), QPointF(10, 13));
    };
    if (name == "document-new") {
        QPainterPath page;
        page.moveTo(6, 3);
        page.lineTo(14, 3);
        page.lineTo(19, 8);
        page.lineTo(19, 21);
        page.lineTo(6, 21);
        page.closeSubpath();
        p.setBrush(Qt::white);
        p.drawPath(page);
        p.drawPolyline(QPolygonF({QPointF(14, 3), QPointF(14, 8), QPointF(19, 8)}));
    } else if (name == "document-open") {
        p.setBrush(QColor(250, 210, 110));
        p.drawPolygon(QPolygonF({QPointF(3, 6), QPointF(9, 6), QPointF(11, 8), QPointF(20, 8), QPointF(20, 19),
                                 QPointF(3, 19)}));
        p.setBrush(QColor(255, 228, 150));
        p.drawPolygon(QPolygonF({QPointF(3, 19), QPointF(6, 11), QPointF(22, 11), QPointF(20, 19)}));
    } else if (name == "document-save" || name == "document-save-as") {
        p.setBrush(blue);
        p.drawRoundedRect(QRectF(4, 4, 16, 16), 2, 2);
        p.setBrush(Qt::white);
        p.drawRect(QRectF(8, 4, 8, 5));
        p.drawRect(QRectF(7, 13, 10, 7));
        if (name == "document-save-as") {
            p.setPen(QPen(accent, 2.2, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(14, 22), QPointF(22, 14));
        }
    } else if (name == "document-export") {
        p.drawRoundedRect(QRectF(3, 6, 13, 14), 2, 2);
        p.setPen(QPen(blue, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawLine(QPointF(10, 13), QPointF(21, 13));
        p.drawPolyline(QPolygonF({QPointF(17, 9), QPointF(21, 13), QPointF(17, 17)}));
    } else if (name == "edit-undo" || name == "edit-redo") {
        if (name == "edit-redo") {
            p.translate(24, 0);
            p.scale(-1, 1);
        }
        QPainterPath arc;
        arc.moveTo(6, 10);
        arc.cubicTo(10, 5, 20, 6, 20, 13);
        arc.cubicTo(20, 17, 17, 19, 13, 19);
        p.drawPath(arc);
        p.drawPolyline(QPolygonF({QPointF(5, 5), QPointF(6, 10), QPointF(11, 11)}));
    } else if (name == "edit-paste") {
        p.setBrush(QColor(230, 200, 150));
        p.drawRoundedRect(QRectF(5, 5, 14, 16), 2, 2);
        p.setBrush(Qt::white);
        p.drawRect(QRectF(9, 3, 6, 4));
    } else if (name == "zoom-in") {
        magnifier(true, true);
    } else if (name == "zoom-out") {
        magnifier(false, true);
    } else if (name == "zoom-fit-best") {
        p.drawRect(QRectF(5, 5, 14, 14));
        p.setPen(QPen(blue, 2));
        for (auto c : {QPointF(3, 3), QPointF(21, 3), QPointF(3, 21), QPointF(21, 21)}) {
            const double sx = c.x() < 12 ? 1 : -1, sy = c.y() < 12 ? 1 : -1;
            p.drawLine(c, c + QPointF(4 * sx, 0));
            p.drawLine(c, c + QPointF(0, 4 * sy));
        }
    } else if (name == "zoom-original") {
        magnifier(false, false);
        p.setFont(QFont("Sans", 6, QFont::Bold));
        p.drawText(QRectF(4, 4, 12, 12), Qt::AlignCenter, "1:1");
    } else if (name == "brush") {
        p.setBrush(QColor(200, 150, 90));
        p.save();
        p.translate(12, 12);
        p.rotate(45);
        p.drawRoundedRect(QRectF(-2, -11, 4, 12), 1.5, 1.5);
        p.setBrush(accent);
        QPainterPath tip;
        tip.moveTo(-3, 1);
        tip.lineTo(3, 1);
        tip.quadTo(3, 8, 0, 11);
        tip.quadTo(-3, 8, -3, 1);
        p.drawPath(tip);
        p.restore();
    } else if (name == "eraser") {
        p.save();
        p.translate(12, 12);
        p.rotate(-40);
        p.setBrush(QColor(250, 170, 190));
        p.drawRoundedRect(QRectF(-9, -5, 11, 10), 1.5, 1.5);
        p.setBrush(QColor(120, 160, 230));
        p.drawRoundedRect(QRectF(2, -5, 7, 10), 1.5, 1.5);
        p.restore();
        p.drawLine(QPointF(4, 21), QPointF(20, 21));
    } else if (name == "rectangle") {
        p.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 90));
        p.setPen(QPen(ink, 1.6, Qt::DashLine));
        p.drawRect(QRectF(4, 6, 16, 12));
    } else if (name == "lasso") {
        // A freehand loop with its tail.
        QPainterPath loop;
        loop.moveTo(6, 16);
        loop.cubicTo(1, 10, 6, 3, 13, 4);
        loop.cubicTo(21, 5, 22, 13, 15, 15);
        loop.cubicTo(11, 16, 8, 17, 6, 16);
        p.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 90));
        p.setPen(QPen(ink, 1.6, Qt::DashLine));
        p.drawPath(loop);
        p.setPen(QPen(ink, 1.6));
        p.drawLine(QPointF(6, 16), QPointF(8, 21));
    } else if (name == "frame") {
        // The generation frame: a square with corner handles.
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(ink, 1.6, Qt::DashLine));
        p.drawRect(QRectF(5, 5, 14, 14));
        p.setPen(QPen(ink, 1.2));
        p.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 200));
        for (const QPointF& c : {QPointF(5, 5), QPointF(19, 5), QPointF(5, 19), QPointF(19, 19)})
            p.drawRect(QRectF(c - QPointF(2, 2), QSizeF(4, 4)));
    } else if (name == "mask-invert") {
        p.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 150));
        p.drawEllipse(QPointF(12, 12), 8, 8);
        p.setBrush(Qt::white);
        QPainterPath half;
        half.moveTo(12, 4);
        half.arcTo(QRectF(4, 4, 16, 16), 90, 180);
        half.closeSubpath();
        p.drawPath(half);
    } else if (name == "mask-clear") {
        p.drawRect(QRectF(4, 4, 16, 16));
        p.setPen(QPen(accent, 2.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(8, 8), QPointF(16, 16));
        p.drawLine(QPointF(16, 8), QPointF(8, 16));
    } else if (name == "mask-fill") {
        p.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 150));
        p.drawRect(QRectF(4, 4, 16, 16));
    } else if (name == "generate") {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(120, 80, 230));
        QPainterPath star;
        star.moveTo(12, 2);
        star.quadTo(13, 11, 22, 12);
        star.quadTo(13, 13, 12, 22);
        star.quadTo(11, 13, 2, 12);
        star.quadTo(11, 11, 12, 2);
        p.drawPath(star);
        p.setBrush(QColor(250, 190, 60));
        p.drawEllipse(QPointF(19, 5), 2.2, 2.2);
    } else if (name == "cancel") {
        p.setBrush(QColor(220, 60, 60));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QPointF(12, 12), 9, 9);
        p.setPen(QPen(Qt::white, 2.4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(8.5, 8.5), QPointF(15.5, 15.5));
        p.drawLine(QPointF(15.5, 8.5), QPointF(8.5, 15.5));
    } else if (name == "dice") {
        p.setBrush(Qt::white);
        p.drawRoundedRect(QRectF(4, 4, 16, 16), 3.5, 3.5);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        for (auto c : {QPointF(8.5, 8.5), QPointF(12, 12), QPointF(15.5, 15.5), QPointF(15.5, 8.5), QPointF(8.5, 15.5)})
            p.drawEllipse(c, 1.5, 1.5);
    } else if (name == "lock") {
        p.setBrush(QColor(250, 200, 80));
        p.drawRoundedRect(QRectF(5, 11, 14, 10), 2, 2);
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(8, 4, 8, 12), 0, 180 * 16);
        p.drawLine(QPointF(8, 10), QPointF(8, 11));
        p.drawLine(QPointF(16, 10), QPointF(16, 11));
    } else if (name == "apply") {
        p.setPen(QPen(QColor(40, 160, 90), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(QPolygonF({QPointF(5, 13), QPointF(10, 18), QPointF(19, 6)}));
    } else if (name == "settings") {
        p.setBrush(QColor(150, 155, 165));
        QPainterPath gear;
        for (int i = 0; i < 8; ++i) {
            p.save();
            p.translate(12, 12);
            p.rotate(i * 45);
            p.drawRect(QRectF(-2, -10, 4, 4));
            p.restore();
        }
        p.drawEllipse(QPointF(12, 12), 7, 7);
        p.setBrush(Qt::white);
        p.drawEllipse(QPointF(12, 12), 3, 3);
    }
}

QPixmap render(const QString& name, int size) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    draw(p, name);
    return pm;
}

}  // namespace

QIcon themedIcon(const QString& name) {
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(name);
    if (it != cache.cend()) return *it;
    QIcon icon = QIcon::hasThemeIcon(name) ? QIcon::fromTheme(name) : QIcon();
    if (icon.isNull()) {
        for (int s : {16, 24, 32, 48, 64}) icon.addPixmap(render(name, s));
    }
    cache.insert(name, icon);
    return icon;
}

QIcon applicationIcon() {
    QIcon icon;
    for (int s : {32, 64, 256}) icon.addFile(QStringLiteral(":/icons/unclip-studio-%1.png").arg(s), QSize(s, s));
    return icon;
}

}  // namespace unclip::ui
