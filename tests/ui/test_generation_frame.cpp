// SPDX-License-Identifier: GPL-3.0-or-later
// The generation frame in the editor (ui/canvas/frametool.h, ui/document/applyresult.cpp): placed,
// moved, resized and reset with the Frame tool; Inpaint draws the region at the model's size inside
// it and changes nothing outside the mask; a frame past the picture's edge outpaints in one undo
// step; Text -> image into a frame places the picture there; the editor's inpaint equals the CLI's
// for the same recipe; frames persist in recipes and .ora files. Sizes come from the golden model.
#include "tests/ui/golden_editor.h"
#include "ui/canvas/canvas.h"
#include "ui/canvas/frametool.h"
#include "ui/common/qtcv.h"
#include "ui/document/applyresult.h"
#include "ui/document/document.h"
#include "ui/inference/recipe.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

QImage opaqueRandom(const QSize& size, quint32 seed) {
    QImage img = randomImage(size, QImage::Format_RGBA8888, seed);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) img.setPixel(x, y, img.pixel(x, y) | 0xff000000u);
    return img;
}

void setMask(Document* doc, const QRect& r) {
    QImage& m = doc->layerForWriting(Layer::Mask);
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) m.scanLine(y)[x] = 255;
    doc->notifyChanged(Layer::Mask, r);
}

// The golden model's picture side, once the editor has loaded it.
int loadedModelSize(GoldenEditor& e) {
    QSignalSpy size(&e.controller, &InferenceController::modelImageSize);
    e.controller.loadModel();
    if (!size.wait(60000) && size.isEmpty()) return 0;
    QCoreApplication::processEvents();
    return size.at(0).at(0).toInt();
}

}  // namespace

class TestGenerationFrame : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void frameToolPlacesMovesResizesAndResets() {
        InferenceController controller;
        MainWindow w(&controller);
        w.setAskBeforeDiscarding(false);
        w.resize(1000, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Document* doc = w.document();
        doc->reset(opaqueRandom(QSize(600, 400), 1));
        Canvas* canvas = w.canvas();
        canvas->setZoomAnimationMs(0);
        canvas->setZoomAt(1.0, QPointF(canvas->width() / 2.0, canvas->height() / 2.0));
        FrameTool* frames = canvas->frameTool();
        frames->setModelSize(128);
        auto at = [&](double x, double y) { return canvas->imageToWidget(QPointF(x, y)); };

        // No mask, no frame: nothing to show.
        QVERIFY(frames->frame().isNull());
        w.action("frameTool")->trigger();
        QCOMPARE(canvas->tool(), Tool::Frame);
        QVERIFY(frames->isShown() || canvas->tool() == Tool::Frame);

        // A drag on the picture draws a new square frame from the press point.
        drag(canvas, {at(50, 60), at(120, 100), at(150, 130)});
        QCOMPARE(doc->generationFrame(), QRect(50, 60, 100, 100));
        QVERIFY(!frames->isAutomatic());
        // Dragging inside moves it.
        drag(canvas, {at(100, 100), at(130, 110), at(140, 120)});
        QCOMPARE(doc->generationFrame(), QRect(90, 80, 100, 100));
        // Dragging a corner resizes it, square, snapping to the model's size when close.
        drag(canvas, {at(190, 180), at(200, 200), at(215, 210)});
        QCOMPARE(doc->generationFrame(), QRect(90, 80, 128, 128));
        QVERIFY(frames->caption().contains("128"));
        QVERIFY(!frames->caption().contains(QStringLiteral("×")));
        drag(canvas, {at(218, 208), at(300, 300), at(390, 380)});
        QCOMPARE(doc->generationFrame(), QRect(90, 80, 300, 300));
        // 300 px for a 128 px model: said with the scale.
        QVERIFY2(frames->caption().contains(QStringLiteral("2.4×")), qPrintable(frames->caption()));
        // Past the picture's edge: an outpainting frame, and the caption says so.
        drag(canvas, {at(200, 200), at(400, 200), at(560, 200)});
        QCOMPARE(doc->generationFrame(), QRect(450, 80, 300, 300));
        QVERIFY(frames->caption().contains("outpainting"));
        // A frame cannot leave the picture entirely.
        drag(canvas, {at(600, 200), at(2000, 200)});
        QVERIFY(doc->generationFrame().intersects(QRect(0, 0, 600, 400)));

        // Double-click: the automatic frame, around the mask with the context padding.
        QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, at(500, 200).toPoint());
        QVERIFY(doc->generationFrame().isNull());
        QVERIFY(frames->isAutomatic());
        QVERIFY(frames->frame().isNull());
        setMask(doc, QRect(300, 300, 20, 10));
        frames->setContext(16);
        const QRect automatic = frames->frame();
        QCOMPARE(automatic.size(), QSize(128, 128));
        QVERIFY(automatic.contains(QRect(300, 300, 20, 10)));
        QVERIFY(QRect(0, 0, 600, 400).contains(automatic));
        QVERIFY2(frames->caption().startsWith("Automatic frame"), qPrintable(frames->caption()));

        // The frame is shown for Inpaint, and for Text -> image only when placed.
        GenerationParams p;
        p.mode = Mode::TextToImage;
        w.action("brush")->trigger();
        w.promptPanel()->setParams(p);
        QVERIFY(!frames->isShown());
        doc->setGenerationFrame(QRect(10, 10, 128, 128));
        QVERIFY(frames->isShown());
        p.mode = Mode::Inpaint;
        doc->setGenerationFrame(QRect());
        w.promptPanel()->setParams(p);
        QVERIFY(frames->isShown());
        // New content forgets a placed frame.
        doc->setGenerationFrame(QRect(10, 10, 128, 128));
        doc->reset(opaqueRandom(QSize(64, 64), 2));
        QVERIFY(doc->generationFrame().isNull());
    }

    void inpaintInAFrameDrawsTheRegionAtTheModelSize() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        GoldenEditor e(model);
        const int s = loadedModelSize(e);
        QVERIFY(s > 0);
        QCOMPARE(e.window.canvas()->frameTool()->modelSize(), s);
        Document* doc = e.window.document();
        const QImage original = opaqueRandom(QSize(8 * s, 8 * s), 3);
        doc->reset(original);
        const QRect hole(5 * s, 3 * s, s / 2, s / 2);
        setMask(doc, hole);
        const QRect frame(hole.x() - s / 4, hole.y() - s / 4, s, s);
        doc->setGenerationFrame(frame);
        e.generate(fastParams(Mode::Inpaint, "a red cube", 4));
        QString error;
        QVERIFY2(e.waitForResults(1, &error), qPrintable(error));
        const GenerationResult r = e.window.resultsPanel()->result(0);
        // The pipeline drew the frame only, at the model's size.
        QCOMPARE(r.image.size(), QSize(s, s));
        QCOMPARE(frameFromRecipe(r.recipe), frame);
        QVERIFY(!r.recipe.value("frame_auto").toBool());
        // Selecting it previews it inside the frame; Apply puts it in as one step.
        const int steps = doc->undoStack()->count();
        e.window.resultsPanel()->setCurrentIndex(0);
        QCOMPARE(e.window.canvas()->frameTool()->previewFrame(), frame);
        e.window.resultsPanel()->applyCurrent();
        QVERIFY(e.window.canvas()->frameTool()->previewFrame().isNull());
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        const QImage& now = doc->image();
        int changed = 0;
        for (int y = 0; y < now.height(); ++y)
            for (int x = 0; x < now.width(); ++x) {
                if (!hole.contains(x, y)) {
                    if (now.pixel(x, y) != original.pixel(x, y)) QFAIL(qPrintable(QString("pixel %1,%2 outside the mask changed").arg(x).arg(y)));
                } else {
                    changed += now.pixel(x, y) != original.pixel(x, y);
                }
            }
        QVERIFY(changed > hole.width() * hole.height() / 2);
        // Inside the mask: exactly the frame result's pixels.
        for (int y = hole.top(); y <= hole.bottom(); ++y)
            for (int x = hole.left(); x <= hole.right(); ++x)
                QCOMPARE(now.pixel(x, y), toDocumentImage(r.image).pixel(x - frame.x(), y - frame.y()));
        doc->undoStack()->undo();
        QVERIFY(samePixels(doc->image(), original));
    }

    void aFramePastTheEdgeOutpaintsInOneStep() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        GoldenEditor e(model);
        const int s = loadedModelSize(e);
        QVERIFY(s > 0);
        Document* doc = e.window.document();
        const QImage original = opaqueRandom(QSize(s, s), 5);
        doc->reset(original);
        const QRect frame(s / 2, 0, s, s);  // half outside, on the right
        doc->setGenerationFrame(frame);
        e.generate(fastParams(Mode::Inpaint, "a blue ball", 6));  // no mask: the new half is the region
        QString error;
        QVERIFY2(e.waitForResults(1, &error), qPrintable(error));
        const int steps = doc->undoStack()->count();
        e.window.resultsPanel()->setCurrentIndex(0);
        e.window.resultsPanel()->applyCurrent();
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        QCOMPARE(doc->size(), QSize(s + s / 2, s));
        QVERIFY(samePixels(doc->image().copy(0, 0, s, s), original));
        // The new columns are drawn (not the repeated edge) and no longer masked.
        int drawn = 0;
        for (int y = 0; y < s; ++y)
            for (int x = s; x < s + s / 2; ++x) {
                drawn += doc->image().pixel(x, y) != original.pixel(s - 1, y);
                QCOMPARE(qGray(doc->mask().pixel(x, y)), 0);
            }
        QVERIFY(drawn > s * s / 4);
        doc->undoStack()->undo();
        QCOMPARE(doc->size(), QSize(s, s));
        QVERIFY(samePixels(doc->image(), original));
    }

    void textToImageIntoAFramePlacesThePicture() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        GoldenEditor e(model);
        const int s = loadedModelSize(e);
        QVERIFY(s > 0);
        Document* doc = e.window.document();
        const QImage original = opaqueRandom(QSize(4 * s, 3 * s), 7);
        doc->reset(original);
        const QRect frame(s, s / 2, 2 * s, 2 * s);
        doc->setGenerationFrame(frame);
        e.generate(fastParams(Mode::TextToImage, "a red cube", 8));
        QString error;
        QVERIFY2(e.waitForResults(1, &error), qPrintable(error));
        const GenerationResult r = e.window.resultsPanel()->result(0);
        QCOMPARE(r.params.frame, frame);
        QCOMPARE(frameFromRecipe(r.recipe), frame);
        e.window.resultsPanel()->setCurrentIndex(0);
        e.window.resultsPanel()->applyCurrent();
        QCOMPARE(doc->size(), original.size());
        int inside = 0;
        for (int y = 0; y < original.height(); ++y)
            for (int x = 0; x < original.width(); ++x) {
                if (!frame.contains(x, y)) QCOMPARE(doc->image().pixel(x, y), original.pixel(x, y));
                else inside += doc->image().pixel(x, y) != original.pixel(x, y);
            }
        QVERIFY(inside > frame.width() * frame.height() / 2);
        // Re-running its recipe keeps the frame.
        const auto again = paramsFromRecipe(r.recipe);
        QVERIFY(again);
        QCOMPARE(again->frame, frame);
    }

    void variationsInAFrameVaryTheFramesPixelsInPlace() {
        const QString model = goldenDir() + "/models/unclip-variations";
        if (!QFileInfo::exists(model + "/model_index.json")) QSKIP("golden model not found");
        GoldenEditor e(model);
        const int s = loadedModelSize(e);
        QVERIFY(s > 0);
        Document* doc = e.window.document();
        const QImage original = opaqueRandom(QSize(4 * s, 4 * s), 13);
        doc->reset(original);
        const QRect frame(s, 2 * s, s, s);
        doc->setGenerationFrame(frame);
        e.generate(fastParams(Mode::Variation, QString(), 14));
        QString error;
        QVERIFY2(e.waitForResults(1, &error), qPrintable(error));
        const GenerationResult inFrame = e.window.resultsPanel()->result(0);
        e.window.resultsPanel()->setCurrentIndex(0);
        e.window.resultsPanel()->applyCurrent();
        for (int y = 0; y < original.height(); ++y)
            for (int x = 0; x < original.width(); ++x)
                if (!frame.contains(x, y)) QCOMPARE(doc->image().pixel(x, y), original.pixel(x, y));
        QVERIFY(samePixels(doc->image().copy(frame), toDocumentImage(inFrame.image)));
        // The same as varying a picture that is only the frame's pixels.
        doc->reset(original.copy(frame));
        e.generate(fastParams(Mode::Variation, QString(), 14));
        QVERIFY2(e.waitForResults(2, &error), qPrintable(error));
        QVERIFY(samePixels(e.window.resultsPanel()->result(1).image, inFrame.image));
    }

    void theEditorInpaintsExactlyAsTheCli() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        const QString cli = QStringLiteral(UNCLIP_CLI_PATH);
        if (!QFileInfo::exists(cli)) QSKIP("the unclip program is not built");
        GoldenEditor e(model);
        const int s = loadedModelSize(e);
        QVERIFY(s > 0);
        Document* doc = e.window.document();
        const QImage original = opaqueRandom(QSize(5 * s, 4 * s), 9);
        doc->reset(original);
        const QRect hole(2 * s, s, s / 3, s / 2);
        setMask(doc, hole);
        GenerationParams p = fastParams(Mode::Inpaint, "a red cube", 12);
        p.feather = 3;
        e.generate(p);
        QString error;
        QVERIFY2(e.waitForResults(1, &error), qPrintable(error));
        e.window.resultsPanel()->setCurrentIndex(0);
        e.window.resultsPanel()->applyCurrent();

        QTemporaryDir dir;
        QVERIFY(original.convertToFormat(QImage::Format_RGB888).save(dir.filePath("in.png")));
        QVERIFY(doc->mask().save(dir.filePath("mask.png")));
        QProcess run;
        run.start(cli, {"inpaint", "--model", model, "--image", dir.filePath("in.png"), "--mask", dir.filePath("mask.png"),
                        "--prompt", p.prompt, "--seed", QString::number(p.sampling.seed), "--prior-steps", QString::number(p.sampling.prior_steps),
                        "--decoder-steps", QString::number(p.sampling.decoder_steps), "--super-res-steps",
                        QString::number(p.sampling.super_res_steps), "--prior-guidance", QString::number(p.sampling.prior_guidance),
                        "--decoder-guidance", QString::number(p.sampling.decoder_guidance), "--feather", QString::number(p.feather),
                        "--threads", "1", "-o", dir.filePath("out.png")});
        QVERIFY(run.waitForFinished(120000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        const QImage cliOut = QImage(dir.filePath("out.png")).convertToFormat(QImage::Format_RGBA8888);
        QCOMPARE(cliOut.size(), doc->size());
        QVERIFY(samePixels(cliOut, doc->image()));
        QVERIFY(!samePixels(cliOut, original));
    }

    void aPlacedFrameIsSavedInTheOraFile() {
        InferenceController controller;
        MainWindow w(&controller);
        w.setAskBeforeDiscarding(false);
        Document* doc = w.document();
        doc->reset(opaqueRandom(QSize(200, 150), 11));
        const QRect frame(150, -20, 128, 128);  // partly outside: an outpainting frame
        doc->setGenerationFrame(frame);
        QTemporaryDir dir;
        const QString path = dir.filePath("framed.ora");
        QVERIFY(w.saveTo(path));
        doc->reset(opaqueRandom(QSize(10, 10), 12));
        QVERIFY(doc->generationFrame().isNull());
        QVERIFY(w.openFile(path));
        QCOMPARE(doc->generationFrame(), frame);
        // An automatic frame writes nothing; the file opens with the automatic frame.
        doc->setGenerationFrame(QRect());
        QVERIFY(w.saveTo(path));
        doc->setGenerationFrame(QRect(1, 1, 50, 50));
        QVERIFY(w.openFile(path));
        QVERIFY(doc->generationFrame().isNull());
    }

    void recipesKeepPlacedFramesAndFindAutomaticOnesAgain() {
        QJsonObject r{{"mode", "inpaint"}, {"prompt", "a hat"}, {"frame", QJsonArray{4, -8, 64, 64}},
                      {"frame_auto", false}, {"context", 12}, {"sampling", QJsonObject{{"seed", 3}}}};
        auto p = paramsFromRecipe(r);
        QVERIFY(p);
        QCOMPARE(p->frame, QRect(4, -8, 64, 64));
        QCOMPARE(p->frameContext, 12);
        r.insert("frame_auto", true);
        p = paramsFromRecipe(r);
        QVERIFY(p && p->frame.isNull());
        r.remove("frame");
        QVERIFY(frameFromRecipe(r).isNull());
    }
};

QTEST_MAIN(TestGenerationFrame)
#include "test_generation_frame.moc"
