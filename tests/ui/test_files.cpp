// SPDX-License-Identifier: GPL-3.0-or-later
// Document files: OpenRaster save/load (pixel-exact round trip of image and mask, recipes kept,
// archive layout), PNG export with generation parameters in text chunks (read back on open), and
// the four tests every format gets: unreadable input, read-only target, garbage, round trip.
#include "tests/support/a1111_parameters.h"
#include "tests/ui/ui_test_support.h"
#include "ui/document/document.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/mainwindow/mainwindow.h"

#include <QFile>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QUndoStack>
#include <QtTest>

#include <zip.h>

using namespace unclip::ui;
using namespace unclip::test;

namespace {

QJsonArray sampleRecipes() {
    QJsonObject a{{"mode", "text2img"},
                  {"prompts", QJsonArray{"a lighthouse at dusk, oil painting"}},
                  {"negative_prompt", "blurry"},
                  {"sampling", QJsonObject{{"seed", 1234}, {"prior_steps", 25}, {"decoder_steps", 25}}},
                  {"index", 0}};
    QJsonObject b{{"mode", "inpaint"}, {"prompt", "ein Boot — ümlaut ✓"}, {"seed", 99}};
    return {a, b};
}

DocumentContent sampleContent(const QSize& size) {
    DocumentContent c;
    c.image = randomImage(size, QImage::Format_RGBA8888, 1);  // random alpha too
    c.mask = randomImage(size, QImage::Format_Grayscale8, 2);
    c.recipes = sampleRecipes();
    return c;
}

QStringList zipEntries(const QString& path) {
    QStringList names;
    int err = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &err);
    if (!z) return names;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) names << QString::fromUtf8(zip_get_name(z, zip_uint64_t(i), 0));
    zip_close(z);
    return names;
}

}  // namespace

class TestFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void oraRoundTripIsPixelExact() {
        const DocumentContent c = sampleContent(QSize(173, 91));
        const QString path = m_tmp.filePath("doc.ora");
        QString error;
        QVERIFY2(saveOra(path, c, &error), qPrintable(error));
        DocumentContent back;
        QVERIFY2(loadOra(path, &back, &error), qPrintable(error));
        QVERIFY(samePixels(back.image, c.image));
        QVERIFY(samePixels(back.mask, c.mask));
        QCOMPARE(back.recipes, c.recipes);
    }

    void oraArchiveLayout() {
        const QString path = m_tmp.filePath("layout.ora");
        QString error;
        QVERIFY(saveOra(path, sampleContent(QSize(600, 300)), &error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        // The first local file header: "mimetype", stored (method 0), no extra field, content right after.
        QCOMPARE(bytes.left(4), QByteArray("PK\x03\x04", 4));
        QCOMPARE(int(uchar(bytes[8])) | (int(uchar(bytes[9])) << 8), 0);   // compression method
        QCOMPARE(int(uchar(bytes[26])) | (int(uchar(bytes[27])) << 8), 8); // name length
        QCOMPARE(int(uchar(bytes[28])) | (int(uchar(bytes[29])) << 8), 0); // extra length
        QCOMPARE(bytes.mid(30, 8), QByteArray("mimetype"));
        QCOMPARE(bytes.mid(38, 16), QByteArray("image/openraster"));
        const QStringList entries = zipEntries(path);
        QCOMPARE(entries.value(0), QStringLiteral("mimetype"));
        for (const char* name : {"stack.xml", "data/image.png", "data/mask.png", "mergedimage.png",
                                 "Thumbnails/thumbnail.png", "unclip/recipes.json"})
            QVERIFY2(entries.contains(name), name);
        // The thumbnail is at most 256 px.
        DocumentContent back;
        QVERIFY(loadOra(path, &back, &error));
        int err = 0;
        zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &err);
        QVERIFY(z);
        zip_stat_t st;
        QCOMPARE(zip_stat(z, "Thumbnails/thumbnail.png", 0, &st), 0);
        QByteArray thumb(qsizetype(st.size), 0);
        zip_file_t* zf = zip_fopen(z, "Thumbnails/thumbnail.png", 0);
        QVERIFY(zf);
        QCOMPARE(zip_fread(zf, thumb.data(), st.size), zip_int64_t(st.size));
        zip_fclose(zf);
        zip_close(z);
        const QImage t = QImage::fromData(thumb, "PNG");
        QCOMPARE(t.size(), QSize(256, 128));
    }

    void oraThroughTheWindowKeepsRecipesAndCleanState() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        const DocumentContent c = sampleContent(QSize(80, 60));
        w.document()->reset(c.image, c.mask, c.recipes);
        const QString path = m_tmp.filePath("window.ora");
        QVERIFY(w.saveTo(path));
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(!w.isWindowModified());
        w.newDocument(QSize(10, 10));
        QVERIFY(w.openFile(path));
        QVERIFY(samePixels(w.document()->image(), c.image));
        QVERIFY(samePixels(w.document()->mask(), c.mask));
        QCOMPARE(w.document()->recipes(), c.recipes);
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
    }

    void oraUnreadableInput() {
        DocumentContent out;
        QString error;
        QVERIFY(!loadOra(m_tmp.filePath("missing.ora"), &out, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!loadOra(m_tmp.path(), &out, &error));  // a folder
        QVERIFY(!error.isEmpty());
    }

    void oraReadOnlyTarget() {
        // A target whose folder is a file cannot be written, even by root.
        const QString blocker = m_tmp.filePath("blocker");
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString error;
        QVERIFY(!saveOra(blocker + "/doc.ora", sampleContent(QSize(8, 8)), &error));
        QVERIFY(!error.isEmpty());
        // A failed save leaves an existing file as it was.
        const QString path = m_tmp.filePath("keep.ora");
        const DocumentContent c = sampleContent(QSize(16, 16));
        QVERIFY(saveOra(path, c, &error));
        DocumentContent broken = c;
        broken.mask = QImage(3, 3, QImage::Format_Grayscale8);  // mismatched sizes: refused
        QVERIFY(!saveOra(path, broken, &error));
        DocumentContent back;
        QVERIFY(loadOra(path, &back, &error));
        QVERIFY(samePixels(back.image, c.image));
    }

    void oraGarbage() {
        DocumentContent out;
        QString error;
        QVERIFY(!decodeOra(QByteArray("this is not a zip"), &out, &error));
        QVERIFY(!error.isEmpty());
        QByteArray good;
        QVERIFY(encodeOra(sampleContent(QSize(20, 20)), &good, &error));
        // Every truncation is refused with a message, never a crash.
        for (int n : {0, 10, 40, int(good.size() / 2), int(good.size() - 30)}) {
            error.clear();
            QVERIFY(!decodeOra(good.left(n), &out, &error));
            QVERIFY(!error.isEmpty());
        }
        // Flipped bytes in the middle: refused or read, but never a crash.
        QByteArray flipped = good;
        for (int i = 100; i < flipped.size(); i += 97) flipped[i] = char(~flipped[i]);
        decodeOra(flipped, &out, &error);
        // A zip with the wrong mimetype.
        zip_error_t zerr;
        zip_error_init(&zerr);
        zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &zerr);
        zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
        zip_source_keep(src);
        const char mime[] = "application/zip";
        zip_file_add(z, "mimetype", zip_source_buffer(z, mime, sizeof(mime) - 1, 0), 0);
        zip_close(z);
        zip_source_open(src);
        zip_source_seek(src, 0, SEEK_END);
        QByteArray other(qsizetype(zip_source_tell(src)), 0);
        zip_source_seek(src, 0, SEEK_SET);
        zip_source_read(src, other.data(), zip_uint64_t(other.size()));
        zip_source_close(src);
        zip_source_free(src);
        QVERIFY(!decodeOra(other, &out, &error));
        QVERIFY(error.contains("application/zip"));
    }

    void pngExportCarriesParameters() {
        const DocumentContent c = sampleContent(QSize(50, 40));
        const QString path = m_tmp.filePath("export.png");
        QString error;
        QVERIFY2(exportPng(path, c.image, c.recipes, &error), qPrintable(error));
        QImageReader reader(path);
        QVERIFY(reader.textKeys().contains(kRecipesKey));
        QVERIFY(reader.text(kParametersKey).contains("ein Boot"));
        QCOMPARE(QJsonDocument::fromJson(reader.text(kRecipesKey).toUtf8()).array(), c.recipes);
        // One uncompressed A1111 "parameters" chunk from the last recipe (iTXt: the prompt is not
        // Latin-1), which A1111's reader parses into the prompt and the settings.
        int parameterChunks = 0;
        for (const auto& chunk : unclip::test::png_text_chunks(QFile::encodeName(path).toStdString())) {
            if (chunk.keyword != kParametersKey) continue;
            ++parameterChunks;
            QCOMPARE(QString::fromStdString(chunk.type), QStringLiteral("iTXt"));
            QVERIFY(!chunk.compressed);
            const unclip::test::A1111Parameters p = unclip::test::parse_a1111(chunk.raw);
            const QJsonObject last = c.recipes.last().toObject();
            QCOMPARE(QString::fromStdString(p.prompt), last.value("prompt").toString());
            QCOMPARE(QString::fromStdString(p.fields.at("Seed")), QString::number(last.value("seed").toInt()));
            QCOMPARE(QString::fromStdString(p.fields.at("Size")), QStringLiteral("%1x%2").arg(c.image.width()).arg(c.image.height()));
            QCOMPARE(QString::fromStdString(p.fields.at("Sampler")), QStringLiteral("unCLIP"));
            QCOMPARE(QString::fromStdString(p.fields.at("Mode")), last.value("mode").toString());
        }
        QCOMPARE(parameterChunks, 1);
        // Re-opening through the editor's path brings the pixels and the recipes back.
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        QVERIFY(w.openFile(path));
        QVERIFY(samePixels(w.document()->image(), c.image));
        QCOMPARE(w.document()->recipes(), c.recipes);
        QVERIFY(w.document()->filePath().isEmpty());  // Save asks where to put the .ora
        // Through the window's action path too, from the document's own recipes.
        const QString path2 = m_tmp.filePath("export2.png");
        QVERIFY(w.exportPngTo(path2));
        DocumentContent back;
        QVERIFY(loadDocument(path2, &back, &error));
        QCOMPARE(back.recipes, c.recipes);
        QVERIFY(!w.isWindowModified());
    }

    void pngExportReadOnlyTargetAndGarbage() {
        QString error;
        QVERIFY(!exportPng("/nonexistent-folder/x.png", QImage(4, 4, QImage::Format_RGBA8888), {}, &error));
        QVERIFY(!error.isEmpty());
        const QString path = m_tmp.filePath("garbage.png");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(300, '\x17'));
        f.close();
        DocumentContent out;
        QVERIFY(!loadDocument(path, &out, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!loadDocument(m_tmp.filePath("missing.png"), &out, &error));
    }
};

QTEST_MAIN(TestFiles)
#include "test_files.moc"
