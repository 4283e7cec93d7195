// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the editor's OpenRaster reader (ui/fileformats/oraformat.h decodeOra: libzip,
// stack.xml, PNG layers through the imaging layer, recipes JSON) on the bytes of a whole file.
// Any input must be refused with a message (decodeOra returns false and says why) or give an
// RGBA8888 image and a Grayscale8 mask of the same size within the pixel limit; a decoded document
// of up to 256 x 256 must survive encodeOra + decodeOra with the same pixels and recipes. Nothing
// may throw.
#include "fuzz/fuzz_support.h"
#include "ui/fileformats/oraformat.h"

#include <QByteArray>
#include <QImage>
#include <QJsonArray>
#include <QString>

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip::ui;
    constexpr qint64 kMaxPixels = qint64(128) * 1024 * 1024;  // core/imaging LoadLimits
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    DocumentContent doc;
    QString error;
    if (!decodeOra(bytes, &doc, &error)) {
        FUZZ_CHECK(!error.isEmpty());  // refused, and says why
        return 0;
    }
    FUZZ_CHECK(!doc.image.isNull() && doc.image.format() == QImage::Format_RGBA8888);
    FUZZ_CHECK(!doc.mask.isNull() && doc.mask.format() == QImage::Format_Grayscale8);
    FUZZ_CHECK(doc.image.size() == doc.mask.size());
    FUZZ_CHECK(qint64(doc.image.width()) * doc.image.height() <= kMaxPixels);
    uint64_t checksum = 0;  // touch every row from instrumented code
    for (int y = 0; y < doc.image.height(); ++y) checksum += doc.image.constScanLine(y)[0] + doc.mask.constScanLine(y)[0];
    (void)checksum;

    if (qint64(doc.image.width()) * doc.image.height() > 256 * 256) return 0;
    QByteArray again;
    FUZZ_CHECK(encodeOra(doc, &again, &error));
    DocumentContent back;
    FUZZ_CHECK(decodeOra(again, &back, &error));
    FUZZ_CHECK(back.image.size() == doc.image.size() && back.mask.size() == doc.mask.size());
    const int imageRow = doc.image.width() * 4, maskRow = doc.mask.width();
    for (int y = 0; y < doc.image.height(); ++y) {
        FUZZ_CHECK(std::memcmp(back.image.constScanLine(y), doc.image.constScanLine(y), size_t(imageRow)) == 0);
        FUZZ_CHECK(std::memcmp(back.mask.constScanLine(y), doc.mask.constScanLine(y), size_t(maskRow)) == 0);
    }
    FUZZ_CHECK(back.recipes == doc.recipes);
    return 0;
}
