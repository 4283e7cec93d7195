// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/qtcv.h"

#include <cstring>
#include <stdexcept>

namespace unclip::ui {

namespace {
int cvType(QImage::Format format) {
    switch (format) {
    case QImage::Format_RGBA8888: return CV_8UC4;
    case QImage::Format_Grayscale8: return CV_8UC1;
    default: throw std::invalid_argument("matView: expected an RGBA8888 or Grayscale8 image");
    }
}
}  // namespace

cv::Mat matView(QImage& image) {
    const int type = cvType(image.format());
    return cv::Mat(image.height(), image.width(), type, image.bits(), size_t(image.bytesPerLine()));
}

cv::Mat constMatView(const QImage& image) {
    const int type = cvType(image.format());
    return cv::Mat(image.height(), image.width(), type, const_cast<uchar*>(image.constBits()),
                   size_t(image.bytesPerLine()));
}

QImage toQImage(const cv::Mat& mat) {
    QImage::Format format;
    if (mat.type() == CV_8UC4) format = QImage::Format_RGBA8888;
    else if (mat.type() == CV_8UC1) format = QImage::Format_Grayscale8;
    else throw std::invalid_argument("toQImage: expected CV_8UC4 or CV_8UC1");
    QImage out(mat.cols, mat.rows, format);
    if (out.isNull()) return out;
    const size_t rowBytes = size_t(mat.cols) * mat.elemSize();
    for (int y = 0; y < mat.rows; ++y) std::memcpy(out.scanLine(y), mat.ptr(y), rowBytes);
    return out;
}

QImage toDocumentImage(const QImage& image) {
    return image.format() == QImage::Format_RGBA8888 ? image : image.convertToFormat(QImage::Format_RGBA8888);
}

QImage toDocumentMask(const QImage& image) {
    return image.format() == QImage::Format_Grayscale8 ? image : image.convertToFormat(QImage::Format_Grayscale8);
}

}  // namespace unclip::ui
