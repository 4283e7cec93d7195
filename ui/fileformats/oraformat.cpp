#include "ui/fileformats/oraformat.h"

#include "core/imaging/image_error.h"
#include "core/imaging/image_io.h"
#include "ui/common/qtcv.h"
#include "ui/document/patch.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <zip.h>

#include <list>
#include <memory>

namespace unclip::ui {

namespace {


constexpr const char* kMime = "image/openraster";
constexpr qint64 kMaxEntryBytes = qint64(1) << 30;
// Decompression bombs: no entry may inflate to more than this many times the whole archive (plus
// 1 MB for tiny files). PNG layers are stored, so real files stay near 1:1; stack.xml ~ 1:10.
constexpr quint64 kMaxInflation = 100;
thread_local quint64 t_archiveBytes = 0;  // the archive decodeOra() is reading
// A layer may sit at most this far outside the canvas (keeps QRect arithmetic far from overflow).
constexpr int kMaxLayerOffset = 1 << 24;

QByteArray encodePng(const QImage& image) {
    const cv::Mat view = constMatView(image);
    const std::vector<uint8_t> bytes = imaging::encode_image(view, "png");
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

QByteArray stackXml(const QSize& size) {
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement("image");
    w.writeAttribute("version", "0.0.5");
    w.writeAttribute("w", QString::number(size.width()));
    w.writeAttribute("h", QString::number(size.height()));
    w.writeAttribute("xres", "72");
    w.writeAttribute("yres", "72");
    w.writeStartElement("stack");
    // First child is on top: the mask (hidden, so other programs show the picture).
    w.writeEmptyElement("layer");
    w.writeAttribute("name", "mask");
    w.writeAttribute("src", "data/mask.png");
    w.writeAttribute("x", "0");
    w.writeAttribute("y", "0");
    w.writeAttribute("opacity", "0.5");
    w.writeAttribute("visibility", "hidden");
    w.writeEmptyElement("layer");
    w.writeAttribute("name", "image");
    w.writeAttribute("src", "data/image.png");
    w.writeAttribute("x", "0");
    w.writeAttribute("y", "0");
    w.writeAttribute("opacity", "1.0");
    w.writeAttribute("visibility", "visible");
    w.writeEndElement();  // stack
    w.writeEndElement();  // image
    w.writeEndDocument();
    return xml;
}

struct ZipCloser {
    void operator()(zip_t* z) const {
        if (z) zip_discard(z);
    }
};

struct LayerEntry {
    QString name, src;
    QPoint pos;
};

struct Stack {
    QSize size;
    QList<LayerEntry> layers;
};

bool parseStack(const QByteArray& xml, Stack* stack, QString* error) {
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (!r.isStartElement()) continue;
        const auto a = r.attributes();
        if (r.name() == QLatin1String("image")) {
            stack->size = QSize(a.value("w").toInt(), a.value("h").toInt());
        } else if (r.name() == QLatin1String("layer")) {
            stack->layers.append({a.value("name").toString(), a.value("src").toString(),
                                  QPoint(a.value("x").toInt(), a.value("y").toInt())});
        }
    }
    if (r.hasError()) {
        *error = QCoreApplication::translate("OraFormat", "stack.xml is not valid XML (%1)").arg(r.errorString());
        return false;
    }
    if (stack->size.width() <= 0 || stack->size.height() <= 0) {
        *error = QCoreApplication::translate("OraFormat", "stack.xml has no image size");
        return false;
    }
    return true;
}

bool readEntry(zip_t* z, const QString& name, QByteArray* out, QString* error) {
    const QByteArray n = name.toUtf8();
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, n.constData(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        *error = QCoreApplication::translate("OraFormat", "the archive has no “%1”").arg(name);
        return false;
    }
    if (st.size > quint64(kMaxEntryBytes)) {
        *error = QCoreApplication::translate("OraFormat", "“%1” is too large").arg(name);
        return false;
    }
    if (st.size > (quint64(1) << 20) + kMaxInflation * t_archiveBytes) {
        *error = QCoreApplication::translate("OraFormat", "“%1” claims %2 bytes in an archive of %3 bytes (a decompression bomb?)")
                     .arg(name)
                     .arg(st.size)
                     .arg(t_archiveBytes);
        return false;
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen(z, n.constData(), 0), zip_fclose);
    if (!f) {
        *error = QCoreApplication::translate("OraFormat", "cannot read “%1” (%2)").arg(name, QString::fromUtf8(zip_strerror(z)));
        return false;
    }
    out->resize(qsizetype(st.size));
    const zip_int64_t got = zip_fread(f.get(), out->data(), st.size);
    if (got < 0 || quint64(got) != st.size) {
        *error = QCoreApplication::translate("OraFormat", "cannot read “%1” (damaged archive)").arg(name);
        return false;
    }
    return true;
}

bool decodeLayer(const QByteArray& png, imaging::PixelLayout layout, QImage* out, QString* error,
                 const QString& name) {
    try {
        const cv::Mat m = imaging::decode_image(reinterpret_cast<const uint8_t*>(png.constData()), size_t(png.size()),
                                                {}, layout);
        *out = toQImage(m);
        return true;
    } catch (const imaging::ImageError& e) {
        *error = QCoreApplication::translate("OraFormat", "layer “%1”: %2").arg(name, QString::fromUtf8(e.what()));
        return false;
    }
}

}  // namespace

bool encodeOra(const DocumentContent& content, QByteArray* out, QString* error) {
    if (content.image.isNull() || content.mask.size() != content.image.size()) {
        *error = QCoreApplication::translate("OraFormat", "nothing to save");
        return false;
    }
    std::list<QByteArray> keep;  // libzip reads the buffers at zip_close
    try {
        const QImage image = toDocumentImage(content.image);
        const QImage mask = toDocumentMask(content.mask);
        const QImage thumb = image.width() > 256 || image.height() > 256
                                 ? toDocumentImage(image.scaled(256, 256, Qt::KeepAspectRatio, Qt::SmoothTransformation))
                                 : image;
        keep.push_back(kMime);
        keep.push_back(stackXml(image.size()));
        keep.push_back(encodePng(image));
        keep.push_back(encodePng(mask));
        keep.push_back(*std::next(keep.begin(), 2));  // mergedimage.png: the image (the mask is hidden)
        keep.push_back(encodePng(thumb));
        keep.push_back(QJsonDocument(content.recipes).toJson(QJsonDocument::Indented));
    } catch (const imaging::ImageError& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    const char* names[] = {"mimetype", "stack.xml", "data/image.png", "data/mask.png",
                           "mergedimage.png", "Thumbnails/thumbnail.png", "unclip/recipes.json"};
    const bool deflate[] = {false, true, false, false, false, false, true};

    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &zerr);
    if (!buffer) {
        *error = QCoreApplication::translate("OraFormat", "cannot create the archive (%1)").arg(QString::fromUtf8(zip_error_strerror(&zerr)));
        zip_error_fini(&zerr);
        return false;
    }
    std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(buffer, ZIP_TRUNCATE, &zerr));
    if (!z) {
        *error = QCoreApplication::translate("OraFormat", "cannot create the archive (%1)").arg(QString::fromUtf8(zip_error_strerror(&zerr)));
        zip_error_fini(&zerr);
        zip_source_free(buffer);
        return false;
    }
    zip_source_keep(buffer);  // survives zip_close so the bytes can be read out
    std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> bufferGuard(buffer, zip_source_free);
    int i = 0;
    for (const QByteArray& data : keep) {
        zip_source_t* s = zip_source_buffer(z.get(), data.constData(), zip_uint64_t(data.size()), 0);
        const zip_int64_t idx = s ? zip_file_add(z.get(), names[i], s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
        if (idx < 0) {
            if (s) zip_source_free(s);
            *error = QCoreApplication::translate("OraFormat", "cannot add “%1” to the archive").arg(QString::fromUtf8(names[i]));
            return false;
        }
        zip_set_file_compression(z.get(), zip_uint64_t(idx), deflate[i] ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
        ++i;
    }
    if (zip_close(z.get()) != 0) {
        *error = QCoreApplication::translate("OraFormat", "cannot write the archive (%1)").arg(QString::fromUtf8(zip_strerror(z.get())));
        return false;
    }
    z.release();  // closed
    if (zip_source_open(buffer) != 0) {
        *error = QCoreApplication::translate("OraFormat", "cannot read the archive back");
        return false;
    }
    zip_source_seek(buffer, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    out->resize(qsizetype(std::max<zip_int64_t>(size, 0)));
    const zip_int64_t got = size > 0 ? zip_source_read(buffer, out->data(), zip_uint64_t(size)) : 0;
    zip_source_close(buffer);
    if (size <= 0 || got != size) {
        *error = QCoreApplication::translate("OraFormat", "cannot read the archive back");
        return false;
    }
    return true;
}

bool decodeOra(const QByteArray& data, DocumentContent* out, QString* error) {
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* src = zip_source_buffer_create(data.constData(), zip_uint64_t(data.size()), 0, &zerr);
    if (!src) {
        *error = QCoreApplication::translate("OraFormat", "not an OpenRaster file");
        return false;
    }
    std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(src, ZIP_RDONLY, &zerr));
    zip_error_fini(&zerr);
    if (!z) {
        zip_source_free(src);
        *error = QCoreApplication::translate("OraFormat", "not an OpenRaster file (not a ZIP archive)");
        return false;
    }
    t_archiveBytes = quint64(data.size());
    QByteArray mime, xml;
    if (!readEntry(z.get(), "mimetype", &mime, error)) return false;
    if (mime.trimmed() != kMime) {
        *error = QCoreApplication::translate("OraFormat", "not an OpenRaster file (mimetype is “%1”)").arg(QString::fromUtf8(mime.left(64)));
        return false;
    }
    if (!readEntry(z.get(), "stack.xml", &xml, error)) return false;
    Stack stack;
    if (!parseStack(xml, &stack, error)) return false;
    // The canvas is allocated before any layer is decoded: refuse sizes the imaging layer would
    // refuse for a single image (a few bytes of XML must not cost gigabytes).
    const imaging::LoadLimits limits;
    if (stack.size.width() > limits.max_side || stack.size.height() > limits.max_side ||
        qint64(stack.size.width()) * stack.size.height() > limits.max_pixels) {
        *error = QCoreApplication::translate("OraFormat", "the picture is too large (%1 × %2 pixels; at most %3 megapixels)")
                     .arg(stack.size.width())
                     .arg(stack.size.height())
                     .arg(limits.max_pixels / (1024 * 1024));
        return false;
    }
    for (const LayerEntry& l : stack.layers)
        if (l.pos.x() < -kMaxLayerOffset || l.pos.x() > kMaxLayerOffset || l.pos.y() < -kMaxLayerOffset ||
            l.pos.y() > kMaxLayerOffset) {
            *error = QCoreApplication::translate("OraFormat", "layer “%1” lies far outside the picture").arg(l.name);
            return false;
        }

    const LayerEntry* imageLayer = nullptr;
    const LayerEntry* maskLayer = nullptr;
    for (const LayerEntry& l : stack.layers) {
        if (l.name == "image" && !imageLayer) imageLayer = &l;
        if (l.name == "mask" && !maskLayer) maskLayer = &l;
    }
    DocumentContent c;
    QByteArray png;
    if (imageLayer) {
        QImage layer;
        if (!readEntry(z.get(), imageLayer->src, &png, error) ||
            !decodeLayer(png, imaging::PixelLayout::Rgba8, &layer, error, imageLayer->name))
            return false;
        c.image = QImage(stack.size, QImage::Format_RGBA8888);
        if (c.image.isNull()) {
            *error = QCoreApplication::translate("OraFormat", "not enough memory for a picture of %1 × %2 pixels")
                         .arg(stack.size.width())
                         .arg(stack.size.height());
            return false;
        }
        c.image.fill(Qt::transparent);
        blitImage(c.image, layer, imageLayer->pos);
    } else {
        // Another program's layers: take its flattened picture.
        if (!readEntry(z.get(), "mergedimage.png", &png, error) ||
            !decodeLayer(png, imaging::PixelLayout::Rgba8, &c.image, error, "mergedimage.png"))
            return false;
        if (c.image.size() != stack.size) c.image = toDocumentImage(c.image.scaled(stack.size));
    }
    c.mask = QImage(stack.size, QImage::Format_Grayscale8);
    if (c.image.isNull() || c.mask.isNull()) {
        *error = QCoreApplication::translate("OraFormat", "not enough memory for a picture of %1 × %2 pixels")
                     .arg(stack.size.width())
                     .arg(stack.size.height());
        return false;
    }
    c.mask.fill(0);
    if (maskLayer) {
        QImage layer;
        if (!readEntry(z.get(), maskLayer->src, &png, error) ||
            !decodeLayer(png, imaging::PixelLayout::Gray8, &layer, error, maskLayer->name))
            return false;
        blitImage(c.mask, layer, maskLayer->pos);
    }
    QByteArray json;
    QString ignored;
    if (readEntry(z.get(), "unclip/recipes.json", &json, &ignored)) {
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
        if (doc.isArray()) c.recipes = doc.array();
    }
    *out = std::move(c);
    return true;
}

bool saveOra(const QString& path, const DocumentContent& content, QString* error) {
    QByteArray bytes;
    if (!encodeOra(content, &bytes, error)) return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    // Check what landed on disk.
    QFile check(path);
    if (!check.open(QIODevice::ReadOnly) || check.readAll() != bytes) {
        *error = QCoreApplication::translate("OraFormat", "the saved file does not read back identically");
        return false;
    }
    return true;
}

bool loadOra(const QString& path, DocumentContent* out, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return false;
    }
    if (f.size() > kMaxEntryBytes * 2) {
        *error = QCoreApplication::translate("OraFormat", "the file is too large");
        return false;
    }
    return decodeOra(f.readAll(), out, error);
}

}  // namespace unclip::ui
