// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Canvas size / outpainting: grows or crops the picture on any side. New area is filled (colour,
// transparent, or the nearest edge pixels, which gives the inpainting a sensible start) and, when
// asked, masked so that Inpaint paints it.
#include <QColor>
#include <QImage>
#include <QMargins>

namespace unclip::ui {

enum class CanvasFill { Color, Transparent, Edge };

struct ResizedCanvas {
    QImage image;  // RGBA8888
    QImage mask;   // Grayscale8
};

// margins: pixels added on each side (negative values crop). The result must be at least 1 x 1
// and at most maxSide on each side; otherwise the returned images are null.
ResizedCanvas resizeCanvas(const QImage& image, const QImage& mask, const QMargins& margins, CanvasFill fill,
                           const QColor& color, bool maskNewArea, int maxSide);

// Margins that take `from` to `to` with the old picture placed at `anchor` (Qt::AlignLeft|AlignTop
// keeps the top-left corner; AlignCenter grows evenly).
QMargins marginsForAnchor(const QSize& from, const QSize& to, Qt::Alignment anchor);

}  // namespace unclip::ui
