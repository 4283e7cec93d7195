// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bridges between QImage (what the widgets draw) and cv::Mat (what core/imaging works on).
// Documents keep images as QImage::Format_RGBA8888 (byte order R, G, B, A, like the imaging layer)
// and masks as QImage::Format_Grayscale8.
#include <QImage>

#include <opencv2/core.hpp>

namespace unclip::ui {

// A cv::Mat over the QImage's pixels (no copy; writes go into the image). The image must be
// RGBA8888 or Grayscale8 and must outlive the view. Detaches a shared image first.
cv::Mat matView(QImage& image);
// A read-only view (no detach); do not write through it.
cv::Mat constMatView(const QImage& image);
// Copies a CV_8UC4 RGBA or CV_8UC1 mat into a new QImage (RGBA8888 / Grayscale8).
QImage toQImage(const cv::Mat& mat);
// Converts any QImage to the document formats.
QImage toDocumentImage(const QImage& image);  // RGBA8888
QImage toDocumentMask(const QImage& image);   // Grayscale8

}  // namespace unclip::ui
