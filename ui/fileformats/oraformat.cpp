// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/fileformats/oraformat.h"

#include "core/imaging/image_error.h"
#include "core/imaging/image_io.h"
#include "ui/common/qtcv.h"
#include "ui/document/patch.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QSaveFile>
#include <QSet>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <zip.h>

#include <algorithm>
#include <functional>
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

// Our own layers carry this attribute (unclip:role="image" | "mask"), so a layer another program
// names "mask" never becomes the inpaint mask.
constexpr const char* kNs = "https://github.com/unclip-studio/unclip-studio/ora";
constexpr const char* kRoleAttr = "role";

void writeNode(QXmlStreamWriter& w, const OraNode& n) {
    w.writeStartElement(n.tag);
    for (const auto& d : n.namespaces) w.writeNamespace(d.namespaceUri().toString(), d.prefix().toString());
    w.writeAttributes(n.attributes);
    for (const OraNode& c : n.children) writeNode(w, c);
    w.writeEndElement();
}

QByteArray stackXml(const QSize& size, const QString& imageSrc, const QString& maskSrc, const OraForeignLayers* foreign) {
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeNamespace(kNs, "unclip");
    if (foreign)
        for (const auto& d : foreign->namespaces)
            if (d.namespaceUri() != QLatin1String(kNs)) w.writeNamespace(d.namespaceUri().toString(), d.prefix().toString());
    w.writeStartElement("image");
    w.writeAttribute("version", "0.0.5");
    w.writeAttribute("w", QString::number(size.width()));
    w.writeAttribute("h", QString::number(size.height()));
    w.writeAttribute("xres", "72");
    w.writeAttribute("yres", "72");
    w.writeStartElement("stack");
    // First child is on top: the mask (hidden and not selected, so other programs show and
    // select the picture), then the picture, then another program's layers as they were.
    w.writeEmptyElement("layer");
    w.writeAttribute("name", "mask");
    w.writeAttribute("src", maskSrc);
    w.writeAttribute("x", "0");
    w.writeAttribute("y", "0");
    w.writeAttribute("opacity", "0.5");
    w.writeAttribute("visibility", "hidden");
    w.writeAttribute("selected", "false");
    w.writeAttribute(kNs, kRoleAttr, "mask");
    w.writeEmptyElement("layer");
    w.writeAttribute("name", "image");
    w.writeAttribute("src", imageSrc);
    w.writeAttribute("x", "0");
    w.writeAttribute("y", "0");
    w.writeAttribute("opacity", "1.0");
    w.writeAttribute("visibility", "visible");
    w.writeAttribute("selected", "true");
    w.writeAttribute(kNs, kRoleAttr, "image");
    if (foreign)
        for (const OraNode& n : foreign->nodes) writeNode(w, n);
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

// stack.xml as a tree: the root <image> with its size and the root <stack>.
struct StackXml {
    QSize size;
    OraNode root;  // the root <stack>
    QXmlStreamNamespaceDeclarations namespaces;
};

bool parseStack(const QByteArray& xml, StackXml* out, QString* error) {
    QXmlStreamReader r(xml);
    QList<OraNode*> path;  // open elements below <image>
    OraNode image;
    bool haveImage = false, haveStack = false;
    int depth = 0;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            ++depth;
            if (depth > 64) {
                *error = QCoreApplication::translate("OraFormat", "stack.xml nests deeper than 64 levels");
                return false;
            }
            OraNode n{r.qualifiedName().toString(), r.attributes(), r.namespaceDeclarations(), {}};
            if (depth == 1) {
                if (r.name() != QLatin1String("image")) {
                    *error = QCoreApplication::translate("OraFormat", "stack.xml does not start with <image>");
                    return false;
                }
                haveImage = true;
                out->size = QSize(r.attributes().value("w").toInt(), r.attributes().value("h").toInt());
                out->namespaces = r.namespaceDeclarations();
                path = {&image};
                continue;
            }
            OraNode* parent = path.back();
            parent->children.append(std::move(n));
            path.append(&parent->children.back());
        } else if (r.isEndElement()) {
            --depth;
            if (!path.isEmpty()) path.removeLast();
        }
    }
    if (r.hasError()) {
        *error = QCoreApplication::translate("OraFormat", "stack.xml is not valid XML (%1)").arg(r.errorString());
        return false;
    }
    if (!haveImage || out->size.width() <= 0 || out->size.height() <= 0) {
        *error = QCoreApplication::translate("OraFormat", "stack.xml has no image size");
        return false;
    }
    for (const OraNode& c : image.children)
        if (c.tag == QLatin1String("stack")) {
            out->root = c;
            haveStack = true;
            break;
        }
    if (!haveStack) {
        *error = QCoreApplication::translate("OraFormat", "stack.xml has no <stack>");
        return false;
    }
    return true;
}

QString attr(const OraNode& n, const char* name) { return n.attributes.value(QLatin1String(name)).toString(); }
QString roleOf(const OraNode& n) { return n.attributes.value(QLatin1String(kNs), QLatin1String(kRoleAttr)).toString(); }
bool hidden(const OraNode& n) { return attr(n, "visibility") == QLatin1String("hidden"); }
double opacityOf(const OraNode& n) {
    bool ok = false;
    const double o = attr(n, "opacity").toDouble(&ok);
    return ok ? std::clamp(o, 0.0, 1.0) : 1.0;
}
QPoint offsetOf(const OraNode& n) { return QPoint(attr(n, "x").toInt(), attr(n, "y").toInt()); }

// The OpenRaster composite-ops QPainter implements (the W3C compositing definitions).
bool compositionMode(const QString& op, QPainter::CompositionMode* mode) {
    static const QMap<QString, QPainter::CompositionMode> modes = {
        {"svg:src-over", QPainter::CompositionMode_SourceOver},   {"svg:multiply", QPainter::CompositionMode_Multiply},
        {"svg:screen", QPainter::CompositionMode_Screen},         {"svg:overlay", QPainter::CompositionMode_Overlay},
        {"svg:darken", QPainter::CompositionMode_Darken},         {"svg:lighten", QPainter::CompositionMode_Lighten},
        {"svg:color-dodge", QPainter::CompositionMode_ColorDodge}, {"svg:color-burn", QPainter::CompositionMode_ColorBurn},
        {"svg:hard-light", QPainter::CompositionMode_HardLight},  {"svg:soft-light", QPainter::CompositionMode_SoftLight},
        {"svg:difference", QPainter::CompositionMode_Difference}, {"svg:exclusion", QPainter::CompositionMode_Exclusion},
        {"svg:plus", QPainter::CompositionMode_Plus},             {"svg:dst-in", QPainter::CompositionMode_DestinationIn},
        {"svg:dst-out", QPainter::CompositionMode_DestinationOut}, {"svg:src-atop", QPainter::CompositionMode_SourceAtop},
        {"svg:dst-atop", QPainter::CompositionMode_DestinationAtop}};
    if (op.isEmpty()) {
        *mode = QPainter::CompositionMode_SourceOver;
        return true;
    }
    auto it = modes.find(op);
    if (it == modes.end()) return false;
    *mode = *it;
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

using EntryReader = std::function<bool(const QString& name, QByteArray* out, QString* error)>;

int nesting(const OraNode& n) {
    int d = 0;
    for (const OraNode& c : n.children) d = std::max(d, nesting(c));
    return d + (n.tag == QLatin1String("stack") ? 1 : 0);
}

// A layer below uses a composite-op other than src-over (so a pass-through group matters).
bool blends(const OraNode& n) {
    for (const OraNode& c : n.children) {
        if (hidden(c)) continue;
        const QString op = attr(c, "composite-op");
        if ((!op.isEmpty() && op != QLatin1String("svg:src-over")) || blends(c)) return true;
    }
    return false;
}

// Composites the visible layers of a stack (its last child is the bottom) onto a transparent
// canvas, reading each layer's PNG as it is needed. On false, `why` says why the layers cannot be
// combined exactly (the caller falls back to mergedimage.png).
struct Compositor {
    EntryReader read;
    QSize canvas;
    QSet<const OraNode*> skip;  // our own layers
    bool strict = true;         // refuse approximations (pass-through groups that blend)
    QString why;
    QMap<const OraNode*, QSize> layerSizes;

    bool layer(const OraNode& n, const QPoint& at, QImage* out) {
        const QString src = attr(n, "src"), name = attr(n, "name");
        *out = QImage(canvas, QImage::Format_ARGB32_Premultiplied);
        if (out->isNull()) {
            why = QCoreApplication::translate("OraFormat", "not enough memory");
            return false;
        }
        out->fill(Qt::transparent);
        if (src.isEmpty()) return true;  // a layer without pixels
        QByteArray png;
        QImage decoded;
        QString err;
        if (!read(src, &png, &err) || !decodeLayer(png, imaging::PixelLayout::Rgba8, &decoded, &err, name)) {
            why = err;
            return false;
        }
        layerSizes[&n] = decoded.size();
        QPainter p(out);
        p.setCompositionMode(QPainter::CompositionMode_Source);
        p.drawImage(at, decoded);
        return true;
    }

    bool stack(const OraNode& s, const QPoint& origin, QImage* out) {
        *out = QImage(canvas, QImage::Format_ARGB32_Premultiplied);
        if (out->isNull()) {
            why = QCoreApplication::translate("OraFormat", "not enough memory");
            return false;
        }
        out->fill(Qt::transparent);
        QPainter painter(out);
        for (auto it = s.children.crbegin(); it != s.children.crend(); ++it) {
            const OraNode& c = *it;
            if (skip.contains(&c) || hidden(c)) continue;
            const bool isLayer = c.tag == QLatin1String("layer"), isStack = c.tag == QLatin1String("stack");
            if (!isLayer && !isStack) continue;  // <text>, <filter>, ...: no pixels of their own
            QPainter::CompositionMode mode;
            if (!compositionMode(attr(c, "composite-op"), &mode)) {
                why = QCoreApplication::translate("OraFormat", "“%1” uses the composite-op “%2”, which the editor cannot combine")
                          .arg(attr(c, "name"), attr(c, "composite-op"));
                return false;
            }
            if (isStack && strict && attr(c, "isolation") != QLatin1String("isolate") && blends(c)) {
                why = QCoreApplication::translate("OraFormat", "the group “%1” blends its layers with those below it (pass-through)")
                          .arg(attr(c, "name"));
                return false;
            }
            QImage pixels;
            if (isLayer ? !layer(c, origin + offsetOf(c), &pixels) : !stack(c, origin + offsetOf(c), &pixels)) return false;
            painter.setCompositionMode(mode);
            painter.setOpacity(opacityOf(c));
            painter.drawImage(0, 0, pixels);
        }
        return true;
    }

    // The whole root stack, or false + why. Memory: one canvas per nesting level.
    bool run(const OraNode& root, QImage* out) {
        const qint64 bytes = qint64(canvas.width()) * canvas.height() * 4 * (nesting(root) + 2);
        if (bytes > (qint64(3) << 30)) {
            why = QCoreApplication::translate("OraFormat", "too many nested groups for a picture this large");
            return false;
        }
        return stack(root, offsetOf(root), out);
    }
};

void collectLayerNames(const OraNode& n, QStringList* names) {
    if (n.tag == QLatin1String("layer")) names->append(attr(n, "name").isEmpty() ? attr(n, "src") : attr(n, "name"));
    for (const OraNode& c : n.children) collectLayerNames(c, names);
}

bool checkOffsets(const OraNode& n, QString* error) {
    const QPoint p = offsetOf(n);
    if (p.x() < -kMaxLayerOffset || p.x() > kMaxLayerOffset || p.y() < -kMaxLayerOffset || p.y() > kMaxLayerOffset) {
        *error = QCoreApplication::translate("OraFormat", "layer “%1” lies far outside the picture").arg(attr(n, "name"));
        return false;
    }
    for (const OraNode& c : n.children)
        if (!checkOffsets(c, error)) return false;
    return true;
}

bool fullyOpaque(const QImage& rgba) {
    for (int y = 0; y < rgba.height(); ++y) {
        const uchar* row = rgba.constScanLine(y);
        for (int x = 0; x < rgba.width(); ++x)
            if (row[4 * x + 3] != 255) return false;
    }
    return true;
}

bool isPictureFile(const QString& name) {
    const QString lower = name.toLower();
    return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".webp");
}

}  // namespace

bool encodeOra(const DocumentContent& content, QByteArray* out, QString* error) {
    if (content.image.isNull() || content.mask.size() != content.image.size()) {
        *error = QCoreApplication::translate("OraFormat", "nothing to save");
        return false;
    }
    const OraForeignLayers* foreign = content.foreignLayers.get();
    // Our layers' files, unless another program's file already uses those names.
    QString imageSrc = "data/image.png", maskSrc = "data/mask.png";
    if (foreign && (foreign->entries.contains(imageSrc) || foreign->entries.contains(maskSrc)))
        imageSrc = "unclip/image.png", maskSrc = "unclip/mask.png";
    std::list<QByteArray> keep;  // libzip reads the buffers at zip_close
    QList<QPair<QString, bool>> entries;  // name, deflate
    try {
        const QImage image = toDocumentImage(content.image);
        const QImage mask = toDocumentMask(content.mask);
        // mergedimage.png: the stack as other programs draw it (the mask is hidden): the picture, over
        // the kept layers where it is not opaque.
        QImage merged = image;
        if (foreign && !foreign->nodes.isEmpty() && !fullyOpaque(image)) {
            Compositor comp;
            comp.canvas = image.size();
            comp.strict = false;
            comp.read = [foreign](const QString& name, QByteArray* bytes, QString* err) {
                auto it = foreign->entries.find(name);
                if (it == foreign->entries.end()) {
                    *err = QCoreApplication::translate("OraFormat", "the archive has no “%1”").arg(name);
                    return false;
                }
                *bytes = *it;
                return true;
            };
            OraNode root{"stack", {}, {}, foreign->nodes};
            QImage below;
            if (comp.run(root, &below)) {
                QPainter p(&below);
                p.drawImage(0, 0, image);
                p.end();
                merged = toDocumentImage(below);
            }
        }
        const QImage thumb = merged.width() > 256 || merged.height() > 256
                                 ? toDocumentImage(merged.scaled(256, 256, Qt::KeepAspectRatio, Qt::SmoothTransformation))
                                 : merged;
        keep.push_back(kMime);
        entries.append({"mimetype", false});
        keep.push_back(stackXml(image.size(), imageSrc, maskSrc, foreign));
        entries.append({"stack.xml", true});
        keep.push_back(encodePng(image));
        entries.append({imageSrc, false});
        keep.push_back(encodePng(mask));
        entries.append({maskSrc, false});
        keep.push_back(merged.constBits() == image.constBits() ? *std::next(keep.begin(), 2) : encodePng(merged));
        entries.append({"mergedimage.png", false});
        keep.push_back(encodePng(thumb));
        entries.append({"Thumbnails/thumbnail.png", false});
        keep.push_back(QJsonDocument(content.recipes).toJson(QJsonDocument::Indented));
        entries.append({"unclip/recipes.json", true});
        if (!content.generationFrame.isNull()) {
            const QRect& f = content.generationFrame;
            keep.push_back(QJsonDocument(QJsonObject{{"frame", QJsonArray{f.x(), f.y(), f.width(), f.height()}}}).toJson());
            entries.append({"unclip/frame.json", true});
        }
        if (foreign)  // another program's files, byte for byte
            for (auto it = foreign->entries.cbegin(); it != foreign->entries.cend(); ++it) {
                keep.push_back(it.value());
                entries.append({it.key(), !isPictureFile(it.key())});
            }
    } catch (const imaging::ImageError& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }

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
        const QByteArray name = entries[i].first.toUtf8();
        zip_source_t* s = zip_source_buffer(z.get(), data.constData(), zip_uint64_t(data.size()), 0);
        const zip_int64_t idx = s ? zip_file_add(z.get(), name.constData(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
        if (idx < 0) {
            if (s) zip_source_free(s);
            *error = QCoreApplication::translate("OraFormat", "cannot add “%1” to the archive").arg(entries[i].first);
            return false;
        }
        zip_set_file_compression(z.get(), zip_uint64_t(idx), entries[i].second ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
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
    StackXml stack;
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
    if (!checkOffsets(stack.root, error)) return false;
    auto hasEntry = [&](const char* name) { return zip_name_locate(z.get(), name, 0) >= 0; };
    const auto notEnoughMemory = [&] {
        *error = QCoreApplication::translate("OraFormat", "not enough memory for a picture of %1 × %2 pixels")
                     .arg(stack.size.width())
                     .arg(stack.size.height());
        return false;
    };

    // Our own layers: marked with unclip:role; files we wrote before the mark have unclip/recipes.json
    // and the layers "image" (data/image.png) and "mask" (data/mask.png). Any other element of the
    // root stack is another program's.
    const bool oursLegacy = hasEntry("unclip/recipes.json");
    const OraNode* imageLayer = nullptr;
    const OraNode* maskLayer = nullptr;
    QList<const OraNode*> foreignNodes;
    for (const OraNode& l : stack.root.children) {
        const bool isLayer = l.tag == QLatin1String("layer");
        const QString role = roleOf(l);
        const bool legacy = isLayer && role.isEmpty() && oursLegacy;
        if (!maskLayer && isLayer && (role == QLatin1String("mask") ||
                                      (legacy && attr(l, "name") == QLatin1String("mask") && attr(l, "src") == QLatin1String("data/mask.png"))))
            maskLayer = &l;
        else if (!imageLayer && isLayer && (role == QLatin1String("image") ||
                                            (legacy && attr(l, "name") == QLatin1String("image") && attr(l, "src") == QLatin1String("data/image.png"))))
            imageLayer = &l;
        else
            foreignNodes.append(&l);
    }

    DocumentContent c;
    QByteArray png;
    bool modelled = foreignNodes.isEmpty();  // the editor holds every pixel of the file
    if (imageLayer) {
        QImage layer;
        if (!readEntry(z.get(), attr(*imageLayer, "src"), &png, error) ||
            !decodeLayer(png, imaging::PixelLayout::Rgba8, &layer, error, attr(*imageLayer, "name")))
            return false;
        c.image = QImage(stack.size, QImage::Format_RGBA8888);
        if (c.image.isNull()) return notEnoughMemory();
        c.image.fill(Qt::transparent);
        blitImage(c.image, layer, offsetOf(*imageLayer));
    } else {
        // Another program's file: every visible layer, combined.
        Compositor comp;
        comp.canvas = stack.size;
        comp.skip = {maskLayer};
        comp.strict = hasEntry("mergedimage.png");  // approximate only when there is nothing better
        comp.read = [&z](const QString& name, QByteArray* bytes, QString* err) { return readEntry(z.get(), name, bytes, err); };
        QImage composed;
        if (comp.run(stack.root, &composed)) {
            c.image = toDocumentImage(composed);
            if (c.image.isNull()) return notEnoughMemory();
            if (foreignNodes.size() == 1) {  // one plain full-size layer is exactly the editor's picture
                const OraNode& l = *foreignNodes.first();
                const QString op = attr(l, "composite-op");
                modelled = l.tag == QLatin1String("layer") && !hidden(l) && opacityOf(l) == 1.0 && offsetOf(l).isNull() &&
                           (op.isEmpty() || op == QLatin1String("svg:src-over")) && comp.layerSizes.value(&l) == stack.size &&
                           offsetOf(stack.root).isNull();
            }
        } else {
            // Only the flattened picture the writer stored can stand in for the layers.
            QString why = comp.why;
            if (!hasEntry("mergedimage.png")) {
                *error = QCoreApplication::translate("OraFormat", "cannot combine the layers (%1), and the file has no mergedimage.png")
                             .arg(why);
                return false;
            }
            QImage merged;
            if (!readEntry(z.get(), "mergedimage.png", &png, error) ||
                !decodeLayer(png, imaging::PixelLayout::Rgba8, &merged, error, "mergedimage.png"))
                return false;
            c.image = QImage(stack.size, QImage::Format_RGBA8888);
            if (c.image.isNull()) return notEnoughMemory();
            c.image.fill(Qt::transparent);
            blitImage(c.image, merged, QPoint(0, 0));  // never stretched
            c.notes << QCoreApplication::translate("OraFormat",
                                                   "The layers cannot be combined here (%1): the picture shown is the "
                                                   "flattened copy the file carries (mergedimage.png).")
                           .arg(why);
            if (merged.size() != stack.size)
                c.notes << QCoreApplication::translate("OraFormat",
                                                       "The flattened copy is %1 × %2 pixels, not the picture's %3 × %4: it "
                                                       "is placed at the top left, not stretched.")
                               .arg(merged.width())
                               .arg(merged.height())
                               .arg(stack.size.width())
                               .arg(stack.size.height());
        }
    }
    c.mask = QImage(stack.size, QImage::Format_Grayscale8);
    if (c.image.isNull() || c.mask.isNull()) return notEnoughMemory();
    c.mask.fill(0);
    if (maskLayer) {
        QImage layer;
        if (!readEntry(z.get(), attr(*maskLayer, "src"), &png, error) ||
            !decodeLayer(png, imaging::PixelLayout::Gray8, &layer, error, attr(*maskLayer, "name")))
            return false;
        blitImage(c.mask, layer, offsetOf(*maskLayer));
    }
    if (!modelled) {
        // Keep what the editor does not model: the elements, and every file not ours, byte for byte.
        auto kept = std::make_shared<OraForeignLayers>();
        for (const OraNode* n : foreignNodes) {
            kept->nodes.append(*n);
            collectLayerNames(*n, &kept->layerNames);
        }
        kept->namespaces = stack.namespaces;
        QSet<QString> ours = {"mimetype", "stack.xml", "mergedimage.png", "Thumbnails/thumbnail.png", "unclip/recipes.json",
                              "unclip/frame.json"};
        if (imageLayer) ours.insert(attr(*imageLayer, "src"));
        if (maskLayer) ours.insert(attr(*maskLayer, "src"));
        const zip_int64_t n = zip_get_num_entries(z.get(), 0);
        for (zip_int64_t i = 0; i < n; ++i) {
            const char* raw = zip_get_name(z.get(), zip_uint64_t(i), ZIP_FL_ENC_GUESS);
            if (!raw) continue;
            const QString name = QString::fromUtf8(raw);
            if (name.endsWith('/') || ours.contains(name) || kept->entries.contains(name)) continue;
            QByteArray bytes;
            if (!readEntry(z.get(), name, &bytes, error)) return false;
            kept->entries.insert(name, bytes);
        }
        const int count = int(kept->layerNames.size());
        const QStringList shown = kept->layerNames.mid(0, 8);
        c.notes << QCoreApplication::translate("OraFormat",
                                               "This file has %n layer(s) from another program (%1). The editor shows "
                                               "them combined into one picture and keeps them: saving writes them back "
                                               "unchanged below the picture.",
                                               nullptr, count)
                       .arg(shown.join(", ") + (count > shown.size() ? ", …" : ""));
        c.foreignLayers = std::move(kept);
    }
    QByteArray json;
    QString ignored;
    if (readEntry(z.get(), "unclip/recipes.json", &json, &ignored)) {
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
        if (doc.isArray()) c.recipes = doc.array();
    }
    // The placed generation frame (files from before frames, or with an automatic one: none).
    if (readEntry(z.get(), "unclip/frame.json", &json, &ignored)) {
        const QJsonArray f = QJsonDocument::fromJson(json).object().value("frame").toArray();
        if (f.size() == 4) {
            const QRect r(f.at(0).toInt(), f.at(1).toInt(), f.at(2).toInt(), f.at(3).toInt());
            if (r.width() > 0 && r.height() > 0 && r.intersects(QRect(QPoint(0, 0), c.image.size()))) c.generationFrame = r;
        }
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
