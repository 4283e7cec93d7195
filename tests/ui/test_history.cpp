// SPDX-License-Identifier: GPL-3.0-or-later
// Undo history within a memory budget (older steps spill to a scratch file and come back exactly),
// and Image > Canvas Size (grow/crop on any side, new area masked for outpainting, one undo step).
#include "tests/ui/golden_editor.h"
#include "ui/document/canvasresize.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/document/historystore.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/mainwindow/canvassizedialog.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"

#include <QAction>
#include <QFile>
#include <QMessageBox>
#include <QUndoStack>
#include <QtTest>

#include <cstring>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

QByteArray noise(int bytes, quint32 seed) {
    QByteArray b(bytes, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 7;
    for (char& c : b) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = char(x);
    }
    return b;
}

}  // namespace

class TestHistory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void storeSpillsTheOldestAndReadsThemBack() {
        HistoryStore store(1 << 20);
        QList<QByteArray> data;
        QList<HistoryStore::Handle> handles;
        for (int i = 0; i < 10; ++i) {
            data << noise(300 * 1024, quint32(i));
            handles << store.put(data.last());
            QVERIFY(store.memoryBytes() <= store.budget());
        }
        QVERIFY(store.diskBytes() >= 6 * 300 * 1024);
        QVERIFY(HistoryStore::isOnDisk(handles.first()));
        QVERIFY(!HistoryStore::isOnDisk(handles.last()));
        QVERIFY(QFile::exists(store.scratchPath()));
        for (int i = 0; i < 10; ++i) QCOMPARE(HistoryStore::get(handles[i]), data[i]);
        // Dropped steps give their bytes back (memory and disk accounting).
        handles.clear();
        QCOMPARE(store.memoryBytes(), 0);
        QCOMPARE(store.diskBytes(), 0);
        QVERIFY(store.lastError().isEmpty());
    }

    void longHistoryStaysWithinTheBudgetAndUndoesExactly() {
        Document doc;
        doc.history().setBudget(2 << 20);
        const QImage original = randomImage(QSize(1024, 768), QImage::Format_RGBA8888, 1);
        doc.reset(original);
        QList<QImage> states{original};
        for (int i = 0; i < 60; ++i) {
            const QRect r((i * 97) % 800, (i * 53) % 560, 200, 200);
            const QImage pixels = randomImage(r.size(), QImage::Format_RGBA8888, quint32(100 + i));
            QUndoCommand* cmd = makeLayerEdit(&doc, Layer::Image, r, [i] { return QStringLiteral("step %1").arg(i); },
                                              [&](QImage& layer) { blitImage(layer, pixels, r.topLeft()); });
            QVERIFY(cmd);
            doc.undoStack()->push(cmd);
            // Noise does not compress: each step holds ~2 x 160 kB; 60 steps are ~19 MB.
            QVERIFY2(doc.history().memoryBytes() <= doc.history().budget(),
                     qPrintable(QString::number(doc.history().memoryBytes())));
            if (i % 15 == 14) states << doc.image().copy();
        }
        QVERIFY(doc.history().diskBytes() > 10 << 20);
        for (int i = 59; i >= 0; --i) {
            doc.undoStack()->undo();
            if (i % 15 == 0 && i > 0) QVERIFY(samePixels(doc.image(), states[i / 15]));
        }
        QVERIFY(samePixels(doc.image(), original));
        for (int i = 0; i < 60; ++i) doc.undoStack()->redo();
        QVERIFY(samePixels(doc.image(), states.last()));
    }

    void wholePictureStepsAreStoredCompressed() {
        Document doc;
        doc.reset(randomImage(QSize(300, 200), QImage::Format_RGBA8888, 3));
        const QImage before = doc.image().copy();
        const QImage pasted = randomImage(QSize(120, 90), QImage::Format_RGBA8888, 4);
        doc.undoStack()->push(new ReplaceContentCommand(&doc, pasted, Document::blankMask(pasted.size()),
                                                        [] { return QStringLiteral("paste"); }));
        QCOMPARE(doc.size(), QSize(120, 90));
        QVERIFY(samePixels(doc.image(), pasted));
        QVERIFY(doc.history().memoryBytes() > 0);
        doc.undoStack()->undo();
        QVERIFY(samePixels(doc.image(), before));
        doc.undoStack()->redo();
        QVERIFY(samePixels(doc.image(), pasted));
    }

    void anchorsGiveTheExpectedMargins() {
        QCOMPARE(marginsForAnchor(QSize(10, 10), QSize(20, 16), Qt::AlignLeft | Qt::AlignTop), QMargins(0, 0, 10, 6));
        QCOMPARE(marginsForAnchor(QSize(10, 10), QSize(20, 16), Qt::AlignCenter), QMargins(5, 3, 5, 3));
        QCOMPARE(marginsForAnchor(QSize(10, 10), QSize(20, 16), Qt::AlignRight | Qt::AlignBottom), QMargins(10, 6, 0, 0));
        QCOMPARE(marginsForAnchor(QSize(10, 10), QSize(6, 10), Qt::AlignLeft | Qt::AlignTop), QMargins(0, 0, -4, 0));
        CanvasSizeDialog dialog(QSize(64, 48), 1000);
        dialog.setNewSize(QSize(96, 48));
        dialog.setAnchor(Qt::AlignRight | Qt::AlignVCenter);
        QCOMPARE(dialog.margins(), QMargins(32, 0, 0, 0));
        QVERIFY(dialog.maskNewArea());
        QCOMPARE(dialog.fill(), CanvasFill::Edge);
    }

    // PatchCommand::mergeWith, the history's only merge (issue 24): strokes made within the window
    // merge into one step whose undo restores exactly the pixels from before the first of them, also
    // where later strokes cover earlier ones (nested, crossing, three in a row) and on the colour
    // layer; strokes on another layer, non-strokes and strokes after the window stay separate.
    void mergedStrokesUndoToBeforeTheFirst() {
        Document doc;
        const QImage original = randomImage(QSize(64, 48), QImage::Format_RGBA8888, 11);
        doc.reset(original);
        qint64 now = 1000;
        doc.setClock([&now] { return now; });
        doc.setStrokeMergeWindowMs(500);
        const int base = doc.undoStack()->count();
        quint32 seed = 100;
        // A "stroke": fills `rect` of a layer with noise, as one stroke command.
        auto stroke = [&](Layer layer, const QRect& rect, bool isStroke = true) {
            Patch before = Patch::capture(doc.layer(layer), rect);
            const QImage paint = randomImage(rect.size(), doc.layer(layer).format(), ++seed);
            QImage& target = doc.layerForWriting(layer);
            for (int y = 0; y < rect.height(); ++y)
                std::memcpy(target.scanLine(rect.y() + y) + rect.x() * target.depth() / 8, paint.constScanLine(y),
                            size_t(rect.width()) * target.depth() / 8);
            Patch after = Patch::capture(doc.layer(layer), rect);
            doc.undoStack()->push(new PatchCommand(&doc, layer, std::move(before), std::move(after),
                                                   [] { return QStringLiteral("stroke"); }, isStroke));
            now += 100;
        };
        const QImage mask0 = doc.mask();
        stroke(Layer::Image, QRect(10, 10, 20, 12));
        stroke(Layer::Image, QRect(20, 5, 8, 30));   // crosses the first
        stroke(Layer::Image, QRect(12, 12, 10, 6));  // inside the first
        QCOMPARE(doc.undoStack()->count(), base + 1);
        const QImage three = doc.image();
        doc.undoStack()->undo();
        QVERIFY(samePixels(doc.image(), original));
        doc.undoStack()->redo();
        QVERIFY(samePixels(doc.image(), three));
        // Another layer, a non-stroke, and a stroke after the window: new steps each.
        stroke(Layer::Mask, QRect(15, 15, 10, 10));
        QCOMPARE(doc.undoStack()->count(), base + 2);
        stroke(Layer::Mask, QRect(18, 18, 10, 10), false);
        QCOMPARE(doc.undoStack()->count(), base + 3);
        stroke(Layer::Mask, QRect(16, 20, 10, 10));
        QCOMPARE(doc.undoStack()->count(), base + 4);
        now += 1000;
        stroke(Layer::Mask, QRect(20, 16, 10, 10));
        QCOMPARE(doc.undoStack()->count(), base + 5);
        for (int i = 0; i < 4; ++i) doc.undoStack()->undo();
        QVERIFY(samePixels(doc.mask(), mask0));
        QVERIFY(samePixels(doc.image(), three));
        doc.undoStack()->undo();
        QVERIFY(samePixels(doc.image(), original));
    }

    void canvasGrowsMasksTheNewAreaAndUndoes() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        Document* doc = w.document();
        const QImage original = randomImage(QSize(40, 30), QImage::Format_RGBA8888, 5);
        QImage mask = Document::blankMask(original.size());
        mask.setPixel(3, 4, 200);
        doc->reset(original, mask);
        const int steps = doc->undoStack()->count();
        QVERIFY(w.resizeCanvasTo(QMargins(10, 5, 6, 0), CanvasFill::Edge, true));
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        QCOMPARE(doc->size(), QSize(56, 35));
        for (int y = 0; y < 35; ++y)
            for (int x = 0; x < 56; ++x) {
                const bool old = x >= 10 && x < 50 && y >= 5;
                if (old) {
                    QCOMPARE(doc->image().pixel(x, y), original.pixel(x - 10, y - 5));
                    QCOMPARE(qGray(doc->mask().pixel(x, y)), qGray(mask.pixel(x - 10, y - 5)));
                } else {
                    QCOMPARE(qGray(doc->mask().pixel(x, y)), 255);
                    // Edge fill: the nearest pixel of the old picture.
                    QCOMPARE(doc->image().pixel(x, y), original.pixel(std::clamp(x - 10, 0, 39), std::clamp(y - 5, 0, 29)));
                }
            }
        QCOMPARE(w.promptPanel()->mode(), Mode::Inpaint);
        doc->undoStack()->undo();
        QVERIFY(samePixels(doc->image(), original));
        QVERIFY(samePixels(doc->mask(), mask));
        doc->undoStack()->redo();
        QCOMPARE(doc->size(), QSize(56, 35));
    }

    void canvasCropsAndRefusesImpossibleSizes() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        Document* doc = w.document();
        const QImage original = randomImage(QSize(40, 30), QImage::Format_RGBA8888, 6);
        doc->reset(original);
        QVERIFY(w.resizeCanvasTo(QMargins(-5, 0, -10, -3), CanvasFill::Color, false));
        QCOMPARE(doc->size(), QSize(25, 27));
        QVERIFY(samePixels(doc->image(), original.copy(5, 0, 25, 27)));
        const int steps = doc->undoStack()->count();
        QVERIFY(!w.resizeCanvasTo(QMargins(-30, 0, 0, 0), CanvasFill::Color, false));
        QVERIFY(!w.resizeCanvasTo(QMargins(0, 0, 100000, 0), CanvasFill::Color, true));
        QCOMPARE(doc->undoStack()->count(), steps);
        QVERIFY(w.lastMessageBox());
        QVERIFY(w.lastMessageBox()->text().contains("100025"));
        QCOMPARE(doc->size(), QSize(25, 27));
    }

    void outpaintingChangesOnlyTheNewArea() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        GoldenEditor editor(model);
        MainWindow& w = editor.window;
        QString error;
        const QImage original = randomImage(QSize(40, 40), QImage::Format_RGBA8888, 9);
        QImage opaque = original.convertToFormat(QImage::Format_RGB32).convertToFormat(QImage::Format_RGBA8888);
        w.document()->reset(opaque);
        QVERIFY(w.resizeCanvasTo(QMargins(0, 0, 24, 0), CanvasFill::Edge, true));
        const QImage extended = w.document()->image().copy();
        editor.generate(fastParams(Mode::Inpaint, "a small red square", 0));
        QVERIFY2(editor.waitForResults(1, &error), qPrintable(error));
        w.resultsPanel()->applyCurrent();
        int changed = 0;
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 64; ++x) {
                if (x < 40) QCOMPARE(w.document()->image().pixel(x, y), extended.pixel(x, y));
                else changed += w.document()->image().pixel(x, y) != extended.pixel(x, y);
            }
        QVERIFY(changed > 200);
    }
};

QTEST_MAIN(TestHistory)
#include "test_history.moc"
