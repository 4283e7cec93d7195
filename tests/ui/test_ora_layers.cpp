// SPDX-License-Identifier: GPL-3.0-or-later
// OpenRaster files of other programs, hand-built in the layouts Krita, GIMP and MyPaint write:
// every visible layer is composited (opacity, offsets, nested stacks, composite-ops), only our own
// marked mask layer becomes the mask, mergedimage.png stands in only when the layers cannot be
// combined (and the user is told), and layers the editor does not model are kept: saving writes
// their elements and files back byte for byte below the picture.
#include "tests/ui/ui_test_support.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/mainwindow/mainwindow.h"

#include <QBuffer>
#include <QMessageBox>
#include <QXmlStreamReader>
#include <QtTest>

#include <zip.h>

using namespace unclip::ui;
using namespace unclip::test;

namespace {

QByteArray pngOf(const QImage& image) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QImage filled(const QSize& size, const QColor& color) {
    QImage image(size, QImage::Format_RGBA8888);
    image.fill(color);
    return image;
}

// A zip with "mimetype" first and the given entries (stored), as the writers make them.
QByteArray makeOra(const QList<QPair<QString, QByteArray>>& entries) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_t* z = zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
    zip_source_keep(buffer);
    std::list<QByteArray> keep;
    keep.push_back("image/openraster");
    QList<QPair<QString, QByteArray>> all = {{"mimetype", keep.back()}};
    all += entries;
    for (const auto& [name, data] : all) {
        keep.push_back(data);
        zip_source_t* s = zip_source_buffer(z, keep.back().constData(), zip_uint64_t(keep.back().size()), 0);
        const zip_int64_t idx = zip_file_add(z, name.toUtf8().constData(), s, ZIP_FL_ENC_UTF_8);
        zip_set_file_compression(z, zip_uint64_t(idx), ZIP_CM_STORE, 0);
    }
    zip_close(z);
    zip_source_open(buffer);
    zip_source_seek(buffer, 0, SEEK_END);
    QByteArray out(qsizetype(zip_source_tell(buffer)), 0);
    zip_source_seek(buffer, 0, SEEK_SET);
    zip_source_read(buffer, out.data(), zip_uint64_t(out.size()));
    zip_source_close(buffer);
    zip_source_free(buffer);
    return out;
}

// name -> bytes of every entry of an archive.
QMap<QString, QByteArray> zipContents(const QByteArray& archive) {
    QMap<QString, QByteArray> out;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(archive.constData(), zip_uint64_t(archive.size()), 0, &err);
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!z) return out;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
        zip_stat_t st;
        zip_stat_index(z, zip_uint64_t(i), 0, &st);
        QByteArray data(qsizetype(st.size), 0);
        zip_file_t* f = zip_fopen_index(z, zip_uint64_t(i), 0);
        zip_fread(f, data.data(), st.size);
        zip_fclose(f);
        out.insert(QString::fromUtf8(st.name), data);
    }
    zip_close(z);
    return out;
}

// The attributes of every <layer> in stack.xml, by name (namespaced ones as "{uri}name").
QMap<QString, QMap<QString, QString>> layerAttributes(const QByteArray& xml) {
    QMap<QString, QMap<QString, QString>> out;
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (!r.isStartElement() || r.name() != QLatin1String("layer")) continue;
        QMap<QString, QString> a;
        for (const auto& at : r.attributes())
            a.insert(at.namespaceUri().isEmpty() ? at.name().toString()
                                                 : "{" + at.namespaceUri().toString() + "}" + at.name().toString(),
                     at.value().toString());
        out.insert(a.value("name"), a);
    }
    return out;
}

QString layerXml(const QString& attrs) { return "<layer " + attrs + "/>"; }

QByteArray stackXml(const QSize& size, const QString& body, const QString& rootAttrs = {}) {
    return QStringLiteral("<?xml version='1.0' encoding='UTF-8'?>\n<image version=\"0.0.5\" w=\"%1\" h=\"%2\" %3>"
                          "<stack>%4</stack></image>\n")
        .arg(size.width())
        .arg(size.height())
        .arg(rootAttrs, body)
        .toUtf8();
}

QColor pixel(const QImage& image, int x, int y) { return image.pixelColor(x, y); }

bool near(const QColor& c, int r, int g, int b, int a = 255) {
    return qAbs(c.red() - r) <= 1 && qAbs(c.green() - g) <= 1 && qAbs(c.blue() - b) <= 1 && qAbs(c.alpha() - a) <= 1;
}

// Whether a mask is blank (nothing to regenerate).
bool blank(const QImage& mask) {
    for (int y = 0; y < mask.height(); ++y)
        for (int x = 0; x < mask.width(); ++x)
            if (mask.constScanLine(y)[x]) return false;
    return true;
}

const QString kOurNs = "https://github.com/unclip-studio/unclip-studio/ora";

}  // namespace

class TestOraLayers : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    const QSize m_size{40, 30};
    QByteArray m_red, m_blue, m_gray, m_green, m_maskish;

    // Krita's layout: data/layerN.png, nested groups with x/y, opacity, composite-op, a layer of
    // its own called "mask", a hidden layer, selected="true", mergedimage.png and a thumbnail.
    QByteArray kritaFile(const QString& multiplyOp = "svg:multiply", bool merged = true) const {
        const QString body =
            layerXml("name=\"hidden green\" src=\"data/layer5.png\" x=\"0\" y=\"0\" opacity=\"1\" visibility=\"hidden\" composite-op=\"svg:src-over\"") +
            layerXml("name=\"mask\" src=\"data/layer4.png\" x=\"30\" y=\"0\" opacity=\"1\" visibility=\"visible\" composite-op=\"svg:src-over\"") +
            "<stack name=\"group\" x=\"10\" y=\"10\" opacity=\"1\" visibility=\"visible\" composite-op=\"svg:src-over\" isolation=\"isolate\">" +
            layerXml("name=\"in group\" src=\"data/layer3.png\" x=\"2\" y=\"2\" opacity=\"1\" visibility=\"visible\" composite-op=\"svg:src-over\"") +
            "</stack>" +
            layerXml("name=\"multiply\" src=\"data/layer2.png\" x=\"20\" y=\"20\" opacity=\"1\" visibility=\"visible\" composite-op=\"" + multiplyOp + "\"") +
            layerXml("name=\"half blue\" src=\"data/layer1.png\" x=\"5\" y=\"4\" opacity=\"0.5\" visibility=\"visible\" composite-op=\"svg:src-over\" selected=\"true\"") +
            layerXml("name=\"background\" src=\"data/layer0.png\" x=\"0\" y=\"0\" opacity=\"1\" visibility=\"visible\" composite-op=\"svg:src-over\"");
        QList<QPair<QString, QByteArray>> e = {{"stack.xml", stackXml(m_size, body)},
                                               {"data/layer0.png", m_red},
                                               {"data/layer1.png", m_blue},
                                               {"data/layer2.png", m_gray},
                                               {"data/layer3.png", m_gray},
                                               {"data/layer4.png", m_maskish},
                                               {"data/layer5.png", m_green}};
        if (merged) e.append({"mergedimage.png", pngOf(filled(QSize(20, 10), QColor(1, 2, 3)))});
        e.append({"Thumbnails/thumbnail.png", pngOf(filled(QSize(4, 3), Qt::black))});
        return makeOra(e);
    }

    QString write(const QString& name, const QByteArray& bytes) const {
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        m_red = pngOf(filled(m_size, QColor(255, 0, 0)));
        m_blue = pngOf(filled(QSize(10, 10), QColor(0, 0, 255)));
        m_gray = pngOf(filled(QSize(5, 5), QColor(128, 128, 128)));
        m_green = pngOf(filled(m_size, QColor(0, 255, 0)));
        m_maskish = pngOf(filled(QSize(10, 30), Qt::white));
    }

    void kritaLayersAreCompositedAndKept() {
        const QByteArray file = kritaFile();
        DocumentContent doc;
        QString error;
        QVERIFY2(decodeOra(file, &doc, &error), qPrintable(error));
        QCOMPARE(doc.image.size(), m_size);
        // Background red; blue at half opacity over it; multiply of gray over red; the group's
        // layer at group offset + layer offset; Krita's own "mask" layer is a picture layer.
        QVERIFY(near(pixel(doc.image, 0, 0), 255, 0, 0));
        QVERIFY(near(pixel(doc.image, 5, 4), 128, 0, 127) || near(pixel(doc.image, 5, 4), 127, 0, 128));
        QVERIFY(near(pixel(doc.image, 4, 4), 255, 0, 0));
        QVERIFY(near(pixel(doc.image, 20, 20), 128, 0, 0));                 // multiply: 255 * 128 / 255
        QVERIFY(near(pixel(doc.image, 12, 12), 128, 128, 128));             // group (10,10) + layer (2,2)
        QVERIFY(near(pixel(doc.image, 17, 17), 255, 0, 0));               // past the group's layer and the blue one
        QVERIFY(near(pixel(doc.image, 31, 29), 255, 255, 255));             // "mask" is just a layer here
        QVERIFY(blank(doc.mask));                                           // ... and not the inpaint mask
        QVERIFY(doc.foreignLayers);                                         // kept
        QCOMPARE(doc.foreignLayers->layerNames.size(), 6);
        QVERIFY(!doc.notes.isEmpty());
        QVERIFY2(doc.notes.join(' ').contains("half blue"), qPrintable(doc.notes.join(' ')));

        // Saved: our picture on top, the mask hidden and not selected, Krita's layers below,
        // every one of its files byte for byte.
        QByteArray saved;
        QVERIFY2(encodeOra(doc, &saved, &error), qPrintable(error));
        const auto before = zipContents(file), after = zipContents(saved);
        for (const QString& name : {"data/layer0.png", "data/layer1.png", "data/layer2.png", "data/layer3.png",
                                    "data/layer4.png", "data/layer5.png"}) {
            QVERIFY2(after.contains(name), qPrintable(name));
            QCOMPARE(after.value(name), before.value(name));
        }
        const auto oldLayers = layerAttributes(before.value("stack.xml"));
        const auto newLayers = layerAttributes(after.value("stack.xml"));
        for (const QString& name : oldLayers.keys()) {
            if (name == "mask") continue;  // ours is called "mask" too; compared below
            QCOMPARE(newLayers.value(name), oldLayers.value(name));
        }
        QVERIFY(after.value("stack.xml").contains("isolation=\"isolate\""));
        const QByteArray xml = after.value("stack.xml");
        QXmlStreamReader r(xml);
        QStringList order;
        while (!r.atEnd())
            if (r.readNext() == QXmlStreamReader::StartElement && r.name() == QLatin1String("layer")) {
                const auto a = r.attributes();
                order << a.value(kOurNs, "role").toString() + ":" + a.value("name").toString();
                if (a.value(kOurNs, "role") == QLatin1String("mask")) {
                    QCOMPARE(a.value("visibility").toString(), QStringLiteral("hidden"));
                    QCOMPARE(a.value("selected").toString(), QStringLiteral("false"));
                }
            }
        QCOMPARE(order.value(0), QStringLiteral("mask:mask"));
        QCOMPARE(order.value(1), QStringLiteral("image:image"));
        QCOMPARE(order.value(2), QStringLiteral(":hidden green"));

        // Opened again: the picture is ours (not composited twice), the kept layers still there,
        // and a second save keeps them byte for byte too.
        DocumentContent back;
        QVERIFY2(decodeOra(saved, &back, &error), qPrintable(error));
        QVERIFY(samePixels(back.image, doc.image));
        QVERIFY(blank(back.mask));
        QVERIFY(back.foreignLayers);
        QCOMPARE(back.foreignLayers->layerNames, doc.foreignLayers->layerNames);
        QByteArray again;
        QVERIFY(encodeOra(back, &again, &error));
        const auto third = zipContents(again);
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            if (it.key().startsWith("data/")) QCOMPARE(third.value(it.key()), it.value());
    }

    void gimpNamesDoNotCollideWithOurs() {
        // GIMP names layer files after the layers: "image" and "mask" here are the artist's layers.
        const QString body =
            layerXml("name=\"mask\" src=\"data/mask.png\" x=\"0\" y=\"0\" opacity=\"1.0\" visibility=\"visible\" composite-op=\"svg:src-over\"") +
            layerXml("name=\"image\" src=\"data/image.png\" x=\"0\" y=\"0\" opacity=\"1.0\" visibility=\"visible\" composite-op=\"svg:src-over\"");
        const QByteArray file = makeOra({{"stack.xml", stackXml(m_size, body)},
                                         {"data/mask.png", m_maskish},
                                         {"data/image.png", m_red},
                                         {"Thumbnails/thumbnail.png", pngOf(filled(QSize(4, 3), Qt::black))},
                                         {"mergedimage.png", pngOf(filled(m_size, Qt::black))}});
        DocumentContent doc;
        QString error;
        QVERIFY2(decodeOra(file, &doc, &error), qPrintable(error));
        QVERIFY(near(pixel(doc.image, 0, 0), 255, 255, 255));  // the artist's "mask" layer is drawn
        QVERIFY(near(pixel(doc.image, 20, 0), 255, 0, 0));
        QVERIFY(blank(doc.mask));
        QVERIFY(doc.foreignLayers);
        doc.mask.fill(200);  // the user paints a mask
        QByteArray saved;
        QVERIFY(encodeOra(doc, &saved, &error));
        const auto before = zipContents(file), after = zipContents(saved);
        QCOMPARE(after.value("data/image.png"), before.value("data/image.png"));
        QCOMPARE(after.value("data/mask.png"), before.value("data/mask.png"));
        QVERIFY(after.contains("unclip/image.png") && after.contains("unclip/mask.png"));
        DocumentContent back;
        QVERIFY(decodeOra(saved, &back, &error));
        QVERIFY(samePixels(back.image, doc.image));
        QCOMPARE(back.mask.pixelColor(3, 3).red(), 200);  // ours, not the artist's layer
    }

    void myPaintWithoutMergedImage() {
        // MyPaint: its namespace, a strokemap file per layer, a background tile; older versions
        // write no mergedimage.png, so the layers are all there is.
        const QString body =
            layerXml("name=\"ink\" src=\"data/layer001.png\" x=\"3\" y=\"2\" opacity=\"0.75\" visibility=\"visible\" "
                     "composite-op=\"svg:src-over\" mypaint:strokemap=\"data/layer001_strokemap.dat\"") +
            layerXml("name=\"background\" src=\"data/background.png\" background_tile=\"data/background_tile.png\" x=\"0\" y=\"0\" "
                     "opacity=\"1.0\" visibility=\"visible\"");
        const QByteArray strokes("strokemap\0\x01\x02", 12);
        const QByteArray file = makeOra({{"stack.xml", stackXml(m_size, body, "xmlns:mypaint=\"http://mypaint.org/ns/openraster\"")},
                                         {"data/layer001.png", m_blue},
                                         {"data/layer001_strokemap.dat", strokes},
                                         {"data/background.png", m_green},
                                         {"data/background_tile.png", pngOf(filled(QSize(8, 8), Qt::green))}});
        DocumentContent doc;
        QString error;
        QVERIFY2(decodeOra(file, &doc, &error), qPrintable(error));
        QVERIFY(near(pixel(doc.image, 0, 0), 0, 255, 0));
        QVERIFY(near(pixel(doc.image, 3, 2), 0, 64, 191));  // blue at 0.75 over green
        QVERIFY(!doc.notes.join(' ').contains("mergedimage"));
        QByteArray saved;
        QVERIFY(encodeOra(doc, &saved, &error));
        const auto after = zipContents(saved);
        QCOMPARE(after.value("data/layer001_strokemap.dat"), strokes);
        QCOMPARE(after.value("data/layer001.png"), m_blue);
        const auto layers = layerAttributes(after.value("stack.xml"));
        QCOMPARE(layers.value("ink").value("{http://mypaint.org/ns/openraster}strokemap"), QStringLiteral("data/layer001_strokemap.dat"));
        QCOMPARE(layers.value("background").value("background_tile"), QStringLiteral("data/background_tile.png"));
    }

    void mergedImageOnlyWhenItMustAndSaysSo() {
        // svg:hue is not combined here: the file's flattened picture (20 x 10, not the canvas's size)
        // is shown at the top left, unstretched, and the notes say why.
        DocumentContent doc;
        QString error;
        QVERIFY2(decodeOra(kritaFile("svg:hue"), &doc, &error), qPrintable(error));
        const QString notes = doc.notes.join(' ');
        QVERIFY2(notes.contains("svg:hue") && notes.contains("mergedimage.png"), qPrintable(notes));
        QVERIFY2(notes.contains("20 × 10"), qPrintable(notes));
        QVERIFY(near(pixel(doc.image, 19, 9), 1, 2, 3));
        QCOMPARE(pixel(doc.image, 20, 10).alpha(), 0);
        QVERIFY(doc.foreignLayers);  // the layers themselves are still kept
        // Without a flattened copy there is nothing to show: refused, naming the reason.
        QVERIFY(!decodeOra(kritaFile("svg:hue", false), &doc, &error));
        QVERIFY2(error.contains("svg:hue"), qPrintable(error));
    }

    void onePlainLayerNeedsNothingKept() {
        const QByteArray file = makeOra({{"stack.xml", stackXml(m_size, layerXml("name=\"Layer 1\" src=\"data/l.png\" x=\"0\" y=\"0\""))},
                                         {"data/l.png", m_red}});
        DocumentContent doc;
        QString error;
        QVERIFY2(decodeOra(file, &doc, &error), qPrintable(error));
        QVERIFY(near(pixel(doc.image, 39, 29), 255, 0, 0));
        QVERIFY(!doc.foreignLayers);
        QVERIFY(doc.notes.isEmpty());
    }

    void theWindowTellsAndSavesTheLayersBack() {
        const QString path = write("krita.ora", kritaFile());
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        QVERIFY(w.openFile(path));
        QVERIFY(w.lastMessageBox());
        QVERIFY2(w.lastMessageBox()->text().contains("half blue"), qPrintable(w.lastMessageBox()->text()));
        const QString out = m_tmp.filePath("saved.ora");
        QVERIFY(w.saveTo(out));
        w.waitForSave();
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto after = zipContents(f.readAll());
        QCOMPARE(after.value("data/layer1.png"), m_blue);
        QCOMPARE(after.value("data/layer5.png"), m_green);
    }
};

QTEST_MAIN(TestOraLayers)
#include "test_ora_layers.moc"
