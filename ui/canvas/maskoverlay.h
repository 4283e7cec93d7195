// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How the canvas shows the mask: a translucent colour (chosen in Settings, with its opacity) and
// an outline of black and white dashes around every masked area, visible on any picture — also
// on one of the overlay's own colour.
#include <QColor>
#include <QImage>
#include <QList>
#include <QRgb>

class QPainter;

namespace unclip::ui {

class MaskOverlay {
public:
    MaskOverlay();

    void setColor(const QColor& color, double opacity);  // opacity 0..1 at full mask
    QColor color() const { return m_color; }
    double opacity() const { return m_opacity; }

    // The outline follows the mask: all of it after a reset, only `rect` after an edit.
    void reset(const QImage& mask);
    void update(const QImage& mask, const QRect& rect);
    const QImage& outline() const { return m_outline; }  // Indexed8: 0 none, 1 white, 2 black

    // Paints in image coordinates (the painter already scaled to the picture).
    void paint(QPainter& p, const QImage& mask) const;

private:
    QColor m_color;
    double m_opacity = 0.55;
    QList<QRgb> m_fill;  // mask value -> overlay colour
    QImage m_outline;
};

}  // namespace unclip::ui
