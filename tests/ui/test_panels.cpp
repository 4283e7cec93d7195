// SPDX-License-Identifier: GPL-3.0-or-later
// The embedding tools (Variations, Interpolation, Text diff, Plots docks) on the real pipeline with
// the golden tiny model: results arrive in the panels, apply as one undo step each, the
// interpolation slider scrubs cached frames without running anything and renders exact in-between
// positions on release, exports (GIF, PNG frames, video, one frame, signature), the similarity plot
// equals the pipeline's own scores, and every panel works with the keyboard alone.
#include "tests/ui/ui_test_support.h"

#include "core/imaging/gif_writer.h"
#include "core/imaging/signature.h"
#include "ui/common/qtcv.h"
#include "ui/document/document.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/document/canvasresize.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/framecache.h"
#include "ui/panels/imageslot.h"
#include "ui/panels/interpolationpanel.h"
#include "ui/panels/plotspanel.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/qcustomplot_include.h"
#include "ui/panels/resultspanel.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/panels/variationspanel.h"
#include "ui/settings/appsettings.h"

#include "core/imaging/tensor_convert.h"
#include "core/pipeline/similarity.h"
#include "core/pipeline/unclip_pipeline.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QImageReader>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyleOptionSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

#include <opencv2/videoio.hpp>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

double meanAbsDiff(const QImage& a0, const QImage& b0) {
    const QImage a = toDocumentImage(a0), b = toDocumentImage(b0);
    if (a.size() != b.size()) return 1e9;
    double sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        const uchar* pa = a.constScanLine(y);
        const uchar* pb = b.constScanLine(y);
        for (int x = 0; x < a.width() * 4; ++x)
            if (x % 4 != 3) sum += std::abs(int(pa[x]) - int(pb[x]));
    }
    return sum / (a.width() * a.height() * 3.0);
}

void dropMime(QWidget* target, QMimeData* mime) {
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

// Tabs from `start` until `target` has focus (at most 60 steps).
bool tabTo(QWidget* start, QWidget* target) {
    start->setFocus(Qt::TabFocusReason);
    for (int i = 0; i < 60; ++i) {
        if (QApplication::focusWidget() == target) return true;
        QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : start, Qt::Key_Tab);
    }
    return QApplication::focusWidget() == target;
}

}  // namespace

class TestPanels : public QObject {
    Q_OBJECT

    std::unique_ptr<InferenceController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QImage m_imgA, m_imgB;
    QString m_textModel, m_imageModel;

    VariationsPanel* variations() const { return m_window->findChild<VariationsPanel*>(); }
    InterpolationPanel* interpolation() const { return m_window->findChild<InterpolationPanel*>(); }
    TextDiffPanel* textDiff() const { return m_window->findChild<TextDiffPanel*>(); }
    PlotsPanel* plots() const { return m_window->findChild<PlotsPanel*>(); }
    Document* doc() const { return m_window->document(); }
    void showDock(const char* name) {
        auto* d = m_window->findChild<QDockWidget*>(QString::fromLatin1(name));
        QVERIFY(d);
        d->show();
        d->raise();
        QCoreApplication::processEvents();
    }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        m_textModel = goldenDir() + "/models/unclip-text2img";
        m_imageModel = goldenDir() + "/models/unclip-variations";
        if (!QFileInfo::exists(m_textModel + "/model_index.json")) QSKIP("golden model not found");
        ModelSettings s;
        s.modelDir = m_textModel;     // prior, decoder, super-res, text encoder
        s.encoderDir = m_imageModel;  // image encoder + feature extractor
        s.threads = 1;
        settings::setModelSettings(s);
        m_controller = std::make_unique<InferenceController>();
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->setAskBeforeDiscarding(false);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_imgA = QImage(goldenDir() + "/cases/img_a.png").convertToFormat(QImage::Format_RGBA8888);
        m_imgB = QImage(goldenDir() + "/cases/img_b.png").convertToFormat(QImage::Format_RGBA8888);
        QVERIFY(!m_imgA.isNull() && !m_imgB.isNull());
        m_window->pasteImage(m_imgA);
        QVERIFY(variations() && interpolation() && textDiff() && plots());
        // The docks are in View > Panels.
        for (const char* n : {"variationsDock", "interpolationDock", "textDiffDock", "plotsDock"})
            QVERIFY2(m_window->findChild<QDockWidget*>(QString::fromLatin1(n)), n);
    }

    void frameCacheNearest() {
        FrameCache c;
        QCOMPARE(c.nearest(5), -1);
        c.insert(0, {QImage(1, 1, QImage::Format_RGBA8888), {}});
        c.insert(500, {});
        c.insert(1000, {});
        QCOMPARE(c.nearest(0), 0);
        QCOMPARE(c.nearest(249), 0);
        QCOMPARE(c.nearest(250), 0);  // ties go to the lower
        QCOMPARE(c.nearest(251), 500);
        QCOMPARE(c.nearest(990), 1000);
        QCOMPARE(c.nearest(5000), 1000);
        QVERIFY(c.exact(500) && !c.exact(499));
    }

    void variationsOfDroppedImageApplyAndUndo() {
        showDock("variationsDock");
        VariationsPanel* p = variations();
        // Dropping image data fills the slot.
        auto* mime = new QMimeData;
        mime->setImageData(m_imgB);
        dropMime(p->source(), mime);
        delete mime;
        QVERIFY(samePixels(p->source()->image(), toDocumentImage(m_imgB)));
        // Dropping a file works too (and replaces it).
        auto* files = new QMimeData;
        files->setUrls({QUrl::fromLocalFile(goldenDir() + "/cases/img_a.png")});
        dropMime(p->source(), files);
        delete files;
        QVERIFY(samePixels(p->source()->image(), toDocumentImage(m_imgA)));

        const int resultsBefore = m_window->resultsPanel()->count();
        QSignalSpy arrived(p, &VariationsPanel::resultsArrived);
        p->setVariationCount(3);
        p->setStructure(0.0);
        p->setSeed(7);
        QTest::mouseClick(p->findChild<QPushButton*>("generateButton"), Qt::LeftButton);
        QVERIFY(p->isWorking());  // in the background
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 120000);
        QCOMPARE(p->count(), 3);
        QCOMPARE(p->findChild<QListWidget*>("grid")->count(), 3);
        QCOMPARE(m_window->resultsPanel()->count(), resultsBefore);  // the panel's, not the Results dock's
        QVERIFY(meanAbsDiff(p->result(0).image, p->result(1).image) > 0.5);  // different variations
        const QImage free0 = p->result(0).image, free1 = p->result(1).image;

        // Apply the second: one undo step; undo brings the picture back.
        const QImage before = doc()->image();
        const int steps = doc()->undoStack()->index();
        p->setCurrentIndex(1);
        QTest::mouseClick(p->findChild<QPushButton*>("applyButton"), Qt::LeftButton);
        QCOMPARE(doc()->undoStack()->index(), steps + 1);
        QVERIFY(samePixels(doc()->image(), toDocumentImage(free1)));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->image(), before));

        // Structure strength reaches the pipeline: same seed, other images.
        p->setStructure(1.0);
        QTest::mouseClick(p->findChild<QPushButton*>("generateButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 2, 120000);
        QCOMPARE(p->count(), 3);
        QVERIFY(meanAbsDiff(p->result(1).image, free1) > 0.5);
        QVERIFY(meanAbsDiff(p->result(0).image, free0) > 0.5);
        QCOMPARE(p->result(0).recipe.value("structure_strength").toDouble(), 1.0);

        // "Vary this one again": the selected variation becomes the source.
        p->setStructure(0.0);
        p->setCurrentIndex(2);
        const QImage chosen = p->result(2).image;
        QTest::mouseClick(p->findChild<QPushButton*>("varyAgainButton"), Qt::LeftButton);
        QVERIFY(samePixels(p->source()->image(), toDocumentImage(chosen)));
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 3, 120000);
        QCOMPARE(p->count(), 3);

        // Dragging a variation thumbnail onto another tool's slot brings its full image.
        {
            auto* grid = p->findChild<QListWidget*>("grid");
            std::unique_ptr<QMimeData> drag(grid->model()->mimeData({grid->model()->index(1, 0)}));
            QVERIFY(drag);
            dropMime(textDiff()->source(), drag.get());
            QVERIFY(samePixels(textDiff()->source()->image(), toDocumentImage(p->result(1).image)));
        }
        // A result thumbnail dragged from the Results dock.
        {
            GenerationResult dragged;
            dragged.image = m_imgB;
            m_window->resultsPanel()->addResult(dragged);
            auto* list = m_window->resultsPanel()->findChild<QListWidget*>("results");
            QVERIFY(list->dragEnabled());
            const int row = list->count() - 1;
            std::unique_ptr<QMimeData> drag(list->model()->mimeData({list->model()->index(row, 0)}));
            interpolation()->slotA()->clear();
            dropMime(interpolation()->slotA(), drag.get());
            QVERIFY(samePixels(interpolation()->slotA()->image(), toDocumentImage(m_imgB)));
            interpolation()->slotA()->clear();
            m_window->resultsPanel()->clear();
        }
        // A result thumbnail as the source: the Results dock's selected result.
        GenerationResult r;
        r.image = m_imgB;
        m_window->resultsPanel()->addResult(r);
        p->source()->useResult();
        QVERIFY(samePixels(p->source()->image(), toDocumentImage(m_imgB)));
        m_window->resultsPanel()->clear();
        // And the current picture.
        p->source()->useDocument();
        QVERIFY(samePixels(p->source()->image(), doc()->image()));
    }

    void interpolationRendersScrubsAndRendersExactFrames() {
        showDock("interpolationDock");
        InterpolationPanel* p = interpolation();
        QSignalSpy ready(p, &InterpolationPanel::sequenceReady);
        QSignalSpy exact(p, &InterpolationPanel::exactFrameReady);
        QSignalSpy similarity(p, &InterpolationPanel::similarityChanged);
        QSignalSpy started(m_controller.get(), &InferenceController::jobStarted);
        p->slotA()->setImage(m_imgA);
        p->slotB()->setText("a red circle");
        p->setFrameCount(5);
        p->setSeed(3);
        QTest::mouseClick(p->findChild<QPushButton*>("renderButton"), Qt::LeftButton);
        QVERIFY(m_controller->isBusy());  // rendering in the background, the GUI goes on
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
        QCOMPARE(p->cache().size(), 5);
        QCOMPARE(p->sequence(), (QList<int>{0, 250, 500, 750, 1000}));
        QVERIFY(meanAbsDiff(p->cache().exact(0)->image, p->cache().exact(1000)->image) > 1.0);
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy() && similarity.count() >= 2, 120000);  // cleared, then scored
        const int runs = started.count();

        // Scrubbing: only cached frames, no run.
        QSlider* s = p->slider();
        s->setSliderDown(true);
        for (int v : {100, 300, 620, 880, 500}) {
            s->setValue(v);
            const int nearest = p->cache().nearest(v);
            QCOMPARE(p->shownPosition(), nearest);
            QVERIFY(samePixels(p->currentFrame(), p->cache().exact(nearest)->image));
        }
        s->setValue(620);
        QTest::qWait(200);
        QCOMPARE(started.count(), runs);
        QVERIFY(!m_controller->isBusy());
        QCOMPARE(p->cache().size(), 5);

        // Releasing between frames renders exactly that position.
        s->setSliderDown(false);  // emits sliderReleased
        QTRY_COMPARE_WITH_TIMEOUT(exact.count(), 1, 120000);
        QCOMPARE(exact.at(0).at(0).toInt(), 620);
        QCOMPARE(started.count(), runs + 1);
        QVERIFY(p->cache().contains(620));
        QCOMPARE(p->shownPosition(), 620);
        QVERIFY(p->showingExact());
        const QImage at620 = p->currentFrame();
        // It lies between its neighbours and is neither of them.
        QVERIFY(meanAbsDiff(at620, p->cache().exact(500)->image) > 0.0);
        QVERIFY(meanAbsDiff(at620, p->cache().exact(750)->image) > 0.0);
        // Back on a frame position: the cached frame, no run.
        s->setValue(500);
        QVERIFY(samePixels(p->currentFrame(), p->cache().exact(500)->image));
        s->setValue(620);
        QVERIFY(samePixels(p->currentFrame(), at620));
        QTest::qWait(100);
        QCOMPARE(started.count(), runs + 1);

        // The same value always gives the same frame: render everything again, then 620 again.
        const QImage frame250 = p->cache().exact(250)->image;
        QTest::mouseClick(p->findChild<QPushButton*>("renderButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 120000);
        QVERIFY(samePixels(p->cache().exact(250)->image, frame250));
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), 120000);
        if (!p->cache().contains(620)) {  // slider still at 620: the exact frame is requested again
            QTRY_COMPARE_WITH_TIMEOUT(exact.count(), 2, 120000);
        }
        QVERIFY(samePixels(p->cache().exact(620)->image, at620));
        // A frame rendered alone equals the frame in the batch (smooth mode): 750 alone vs in batch.
        const QImage batch750 = p->cache().exact(750)->image;
        s->setValue(751);
        QTRY_VERIFY_WITH_TIMEOUT(p->cache().contains(751) && !m_controller->isBusy(), 120000);
        QVERIFY(meanAbsDiff(p->cache().exact(751)->image, batch750) < 3.0);
    }

    void similarityPlotMatchesPipelineScores() {
        InterpolationPanel* p = interpolation();
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), 120000);
        const auto& sim = p->similarity();
        QCOMPARE(sim.positions.size(), 5);
        QCOMPARE(sim.values.size(), 2);  // A (image), B (text)
        QVERIFY(!sim.textSeries[0] && sim.textSeries[1]);
        QCustomPlot* plot = plots()->similarityPlot();
        QCOMPARE(plot->graphCount(), 2);
        for (int g = 0; g < 2; ++g) QCOMPARE(plot->graph(g)->dataCount(), 5);  // one point per frame

        // The same numbers from the pipeline itself (what `unclip score` computes).
        unclip::pipeline::PipelineOptions o;
        o.model_dir = m_textModel.toStdString();
        o.image_encoder_dir = m_imageModel.toStdString();
        auto pipe = unclip::pipeline::UnclipPipeline::load(o);
        std::vector<torch::Tensor> frames;
        for (int pos : p->sequence())
            frames.push_back(unclip::imaging::image_to_tensor(constMatView(toDocumentImage(p->cache().exact(pos)->image))));
        const torch::Tensor text = pipe->score(frames, {"a red circle"});
        const torch::Tensor image = unclip::pipeline::image_similarity(
            *pipe, frames, {unclip::imaging::image_to_tensor(constMatView(toDocumentImage(m_imgA)))});
        for (int i = 0; i < 5; ++i) {
            QVERIFY(std::abs(plot->graph(0)->data()->at(i)->value - image[i][0].item<double>()) < 1e-5);
            QVERIFY(std::abs(plot->graph(1)->data()->at(i)->value - text[i][0].item<double>()) < 1e-5);
            QCOMPARE(plot->graph(0)->data()->at(i)->key, p->sequence()[i] / 1000.0);
        }
        // Frame 0 is A's own embedding decoded: most similar to A among the frames.
        QVERIFY(sim.values[0][0] > sim.values[0][4]);
        // The timing plot shows the last run's steps.
        QVERIFY(plots()->timingPlot()->plottableCount() >= 1);
    }

    void exportsSequenceAndFrame() {
        InterpolationPanel* p = interpolation();
        QTemporaryDir dir;
        QString error;
        // GIF: five frames, colours close to the originals.
        const QString gif = dir.filePath("seq.gif");
        QVERIFY2(p->exportGif(gif, &error), qPrintable(error));
        QImageReader reader(gif);
        QCOMPARE(reader.imageCount(), 5);
        for (int i = 0; i < 5; ++i) {
            const QImage f = reader.read();
            QVERIFY2(!f.isNull(), qPrintable(reader.errorString()));
            const QImage orig = p->cache().exact(p->sequence()[i])->image;
            QCOMPARE(f.size(), orig.size());
            QVERIFY2(meanAbsDiff(f, orig) < 10.0, qPrintable(QString::number(meanAbsDiff(f, orig))));
        }
        // PNG frames: exact pixels with the recipe in the text chunks.
        const QString frames = dir.filePath("frames");
        QVERIFY2(p->exportPngFrames(frames, &error), qPrintable(error));
        const QStringList files = QDir(frames).entryList({"*.png"}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QImageReader r(QDir(frames).filePath(files[i]));
            QVERIFY(r.text("unclip-recipes").contains("interpolate"));
            const QImage f = r.read();
            QVERIFY(samePixels(toDocumentImage(f), toDocumentImage(p->cache().exact(p->sequence()[i])->image)));
        }
        // Video (Motion JPEG in AVI): five frames.
        const QString avi = dir.filePath("seq.avi");
        QVERIFY2(p->exportVideo(avi, &error), qPrintable(error));
        cv::VideoCapture cap(avi.toStdString());
        QVERIFY(cap.isOpened());
        int n = 0;
        cv::Mat m;
        while (cap.read(m)) ++n;
        QCOMPARE(n, 5);
        QVERIFY(!p->exportVideo(dir.filePath("seq.xyz"), &error));  // unknown type: a message, no crash
        QVERIFY(!error.isEmpty());
        // The frame on display.
        QVERIFY2(p->exportCurrentFrame(dir.filePath("frame.png"), &error), qPrintable(error));
        QVERIFY(samePixels(toDocumentImage(QImage(dir.filePath("frame.png"))), toDocumentImage(p->currentFrame())));
        // Signature on (Settings): the lower-right mark is stamped into exports, nothing else changes.
        settings::setExportSignature(true);
        QVERIFY(p->exportCurrentFrame(dir.filePath("signed.png"), &error));
        QVERIFY(p->exportGif(dir.filePath("signed.gif"), &error));
        settings::setExportSignature(false);
        const QImage signedImg = toDocumentImage(QImage(dir.filePath("signed.png")));
        const QImage plain = toDocumentImage(p->currentFrame());
        const cv::Rect rect = unclip::imaging::signature_rect(cv::Size(plain.width(), plain.height()));
        QVERIFY(!rect.empty());
        int inside = 0;
        for (int y = 0; y < plain.height(); ++y)
            for (int x = 0; x < plain.width(); ++x) {
                const bool in = rect.contains(cv::Point(x, y));
                if (!in) QCOMPARE(signedImg.pixel(x, y), plain.pixel(x, y));
                else inside += signedImg.pixel(x, y) != plain.pixel(x, y);
            }
        QVERIFY(inside > 0);
        QCOMPARE(QColor(signedImg.pixel(rect.x, rect.y)), QColor(255, 255, 102));  // the yellow square first
        // A broken target: an error message, no crash.
        QVERIFY(!p->exportGif(dir.filePath("missing/dir/x.gif"), &error));
        QVERIFY(!error.isEmpty());

        // Apply the frame: one undo step.
        const int steps = doc()->undoStack()->index();
        const QImage before = doc()->image();
        QTest::mouseClick(p->findChild<QPushButton*>("applyButton"), Qt::LeftButton);
        QCOMPARE(doc()->undoStack()->index(), steps + 1);
        QVERIFY(samePixels(doc()->image(), toDocumentImage(p->currentFrame())));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->image(), before));
    }

    void gifPaletteIsGood() {
        // A smooth gradient through the GIF palette: dithering keeps the average colour.
        cv::Mat g(64, 64, CV_8UC4);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x) g.at<cv::Vec4b>(y, x) = cv::Vec4b(uchar(x * 4), uchar(y * 4), uchar(128), 255);
        const auto pal = unclip::imaging::median_cut_palette({g}, 16);
        QVERIFY(pal.size() <= 16 && pal.size() >= 8);
        const cv::Mat idx = unclip::imaging::quantize_to_palette(g, pal, true);
        double err = 0;
        for (int y = 0; y < 64; y += 8)
            for (int x = 0; x < 64; x += 8) {  // 8x8 block means
                double s[3] = {0, 0, 0}, o[3] = {0, 0, 0};
                for (int dy = 0; dy < 8; ++dy)
                    for (int dx = 0; dx < 8; ++dx) {
                        const cv::Vec3b c = pal[idx.at<uchar>(y + dy, x + dx)];
                        const cv::Vec4b p = g.at<cv::Vec4b>(y + dy, x + dx);
                        for (int k = 0; k < 3; ++k) {
                            s[k] += c[k];
                            o[k] += p[k];
                        }
                    }
                for (int k = 0; k < 3; ++k) err += std::abs(s[k] - o[k]) / 64.0;
            }
        QVERIFY2(err / (64 * 3) < 4.0, qPrintable(QString::number(err / (64 * 3))));
    }

    void textDiffReconstructsAtZeroAndChangesAtLargerTheta() {
        showDock("textDiffDock");
        TextDiffPanel* p = textDiff();
        QSignalSpy ready(p, &TextDiffPanel::previewReady);
        p->source()->setImage(m_imgA);
        p->setDescription("a photo");
        p->setTarget("a red circle");
        p->setTheta(0.0);
        QTest::mouseClick(p->findChild<QPushButton*>("previewButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
        const QImage zero = p->preview().image;
        QCOMPARE(p->preview().recipe.value("theta").toDouble(), 0.0);
        // θ = 0 is the reconstruction: the target does not matter.
        p->setTarget("a blue square");
        QTest::mouseClick(p->findChild<QPushButton*>("previewButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 120000);
        QVERIFY(samePixels(p->preview().image, zero));
        // A larger θ changes the image.
        p->setTheta(0.8);
        QTest::mouseClick(p->findChild<QPushButton*>("previewButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 3, 120000);
        QVERIFY2(meanAbsDiff(p->preview().image, zero) > 1.0, qPrintable(QString::number(meanAbsDiff(p->preview().image, zero))));
        // Apply: one undo step.
        const int steps = doc()->undoStack()->index();
        QTest::mouseClick(p->findChild<QPushButton*>("applyButton"), Qt::LeftButton);
        QCOMPARE(doc()->undoStack()->index(), steps + 1);
        QVERIFY(samePixels(doc()->image(), toDocumentImage(p->preview().image)));
        doc()->undoStack()->undo();
    }

    void keyboardOnly() {
        // Variations: paste into the slot with Ctrl+V, Tab to the button, Space; Return applies.
        showDock("variationsDock");
        VariationsPanel* v = variations();
        v->source()->clear();
        QApplication::clipboard()->setImage(m_imgB);
        v->source()->setFocus();
        QTest::keyClick(v->source(), Qt::Key_V, Qt::ControlModifier);
        QVERIFY(samePixels(v->source()->image(), toDocumentImage(m_imgB)));
        QSignalSpy arrived(v, &VariationsPanel::resultsArrived);
        auto* generate = v->findChild<QPushButton*>("generateButton");
        QVERIFY(tabTo(v->source(), generate));
        QTest::keyClick(generate, Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 120000);
        auto* grid = v->findChild<QListWidget*>("grid");
        grid->setFocus();
        QTest::keyClick(grid, Qt::Key_End);
        QCOMPARE(v->currentIndex(), v->count() - 1);
        const int steps = doc()->undoStack()->index();
        QTest::keyClick(grid, Qt::Key_Return);
        QCOMPARE(doc()->undoStack()->index(), steps + 1);
        QVERIFY(samePixels(doc()->image(), toDocumentImage(v->result(v->count() - 1).image)));
        doc()->undoStack()->undo();
        // Delete clears a focused slot.
        v->source()->setFocus();
        QTest::keyClick(v->source(), Qt::Key_Delete);
        QVERIFY(!v->source()->hasImage());

        // Interpolation: type B's text, Tab to Render, Space; arrow keys step the slider and render
        // the exact position.
        showDock("interpolationDock");
        InterpolationPanel* ip = interpolation();
        ip->slotA()->setImage(m_imgB);
        ip->slotB()->clear();
        auto* bText = ip->slotB()->findChild<QLineEdit*>("text");
        bText->setFocus();
        QTest::keyClicks(bText, "a green square");
        QCOMPARE(ip->slotB()->text(), QStringLiteral("a green square"));
        ip->setFrameCount(3);
        QSignalSpy ready(ip, &InterpolationPanel::sequenceReady);
        QSignalSpy exact(ip, &InterpolationPanel::exactFrameReady);
        auto* render = ip->findChild<QPushButton*>("renderButton");
        QVERIFY(tabTo(bText, render));
        QTest::keyClick(render, Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), 120000);  // the old slider position's exact frame
        exact.clear();
        ip->slider()->setFocus();
        QTest::keyClick(ip->slider(), Qt::Key_Home);
        QCOMPARE(ip->slider()->value(), 0);
        QTest::keyClick(ip->slider(), Qt::Key_Right);
        QTRY_COMPARE_WITH_TIMEOUT(exact.count(), 1, 120000);
        QCOMPARE(ip->shownPosition(), ip->slider()->value());
        QVERIFY(ip->showingExact());

        // Mouse: drag the slider handle: frames scrub, release renders the exact value.
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), 120000);
        QSlider* s = ip->slider();
        QStyleOptionSlider opt;
        opt.initFrom(s);
        opt.orientation = s->orientation();
        opt.minimum = s->minimum();
        opt.maximum = s->maximum();
        opt.sliderPosition = s->sliderPosition();
        opt.sliderValue = s->value();
        opt.subControls = QStyle::SC_All;
        const QRect handle = s->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, s);
        const QPointF start = handle.center();
        const QPointF mid(s->width() * 0.37, start.y());
        sendMouse(s, QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
        QVERIFY(s->isSliderDown());
        sendMouse(s, QEvent::MouseMove, mid, Qt::NoButton, Qt::LeftButton);
        QVERIFY(s->value() > 10);
        QCOMPARE(ip->shownPosition(), ip->cache().nearest(s->value()));
        QVERIFY(!m_controller->isBusy());  // scrubbing runs nothing
        const int released = s->value();
        sendMouse(s, QEvent::MouseButtonRelease, mid, Qt::LeftButton, Qt::NoButton);
        if (!ip->cache().contains(released)) {
            QTRY_COMPARE_WITH_TIMEOUT(exact.count(), 2, 120000);
        }
        QTRY_COMPARE(ip->shownPosition(), released);

        // Text diff: type the target and press Return to preview; Tab to Apply, Space.
        showDock("textDiffDock");
        TextDiffPanel* t = textDiff();
        QSignalSpy preview(t, &TextDiffPanel::previewReady);
        auto* target = t->findChild<QLineEdit*>("target");
        target->setFocus();
        target->clear();
        QTest::keyClicks(target, "a yellow star");
        QTest::keyClick(target, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(preview.count(), 1, 120000);
        auto* apply = t->findChild<QPushButton*>("applyButton");
        QVERIFY(tabTo(target, apply));
        const int before = doc()->undoStack()->index();
        QTest::keyClick(apply, Qt::Key_Space);
        QCOMPARE(doc()->undoStack()->index(), before + 1);
        doc()->undoStack()->undo();
    }

    // Not a check: with UNCLIP_PANEL_SCREENSHOTS=<folder> (under Xvfb) drives every panel on the
    // embedded emoji model and saves docs/screenshots/panel-*.png.
    void screenshots() {
        const QString out = qEnvironmentVariable("UNCLIP_PANEL_SCREENSHOTS");
        if (out.isEmpty()) QSKIP("set UNCLIP_PANEL_SCREENSHOTS=<folder> to write the panel screenshots");
        m_window.reset();
        ModelSettings s;  // the embedded model
        s.threads = 2;
        settings::setModelSettings(s);
        InferenceController c;
        MainWindow w(&c);
        w.setAskBeforeDiscarding(false);
        w.show();  // on the available screen area: run under a 1366 × 768 Xvfb (docs/editor.md)
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // A picture to work on: text -> image through the Prompt dock, applied.
        GenerationParams p = w.promptPanel()->params();
        p.mode = Mode::TextToImage;
        p.prompt = "red apple";
        p.sampling.seed = 11;
        p.batch = 1;
        w.promptPanel()->setParams(p);
        w.promptPanel()->setSeedLocked(true);
        w.action("generate")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->count() == 1, 300000);
        w.resultsPanel()->applyCurrent();
        w.canvas()->setFocus();
        auto shoot = [&](const char* dockName, const QString& file, QWidget* what = nullptr) {
            auto* d = w.findChild<QDockWidget*>(QString::fromLatin1(dockName));
            d->show();
            d->raise();
            QTest::qWait(400);
            QVERIFY((what ? what : static_cast<QWidget*>(&w))->grab().save(QDir(out).filePath(file)));
        };

        auto* v = w.findChild<VariationsPanel*>();
        v->source()->useDocument();
        v->setVariationCount(6);
        v->setStructure(0.0);
        v->setSeed(5);
        QSignalSpy varied(v, &VariationsPanel::resultsArrived);
        v->generate();
        QTRY_COMPARE_WITH_TIMEOUT(varied.count(), 1, 300000);
        v->setCurrentIndex(2);
        shoot("variationsDock", "panel-variations.png");

        auto* ip = w.findChild<InterpolationPanel*>();
        ip->slotA()->useDocument();
        ip->slotB()->setText("blue heart");
        ip->setFrameCount(9);
        QSignalSpy ready(ip, &InterpolationPanel::sequenceReady);
        QSignalSpy scored(ip, &InterpolationPanel::similarityChanged);
        ip->renderFrames();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 300000);
        QTRY_VERIFY_WITH_TIMEOUT(scored.count() >= 2 && !c.isBusy(), 300000);
        ip->slider()->setValue(560);  // between frames: rendered exactly
        QTRY_VERIFY_WITH_TIMEOUT(ip->shownPosition() == 560 && !c.isBusy(), 300000);
        shoot("interpolationDock", "panel-interpolation.png");
        QString error;
        QVERIFY2(ip->exportGif(QDir(out).filePath("interpolation.gif"), &error), qPrintable(error));
        auto* plotsDock = w.findChild<QDockWidget*>("plotsDock");
        shoot("plotsDock", "panel-plots.png", plotsDock);

        auto* t = w.findChild<TextDiffPanel*>();
        t->source()->useDocument();
        t->setDescription("red apple");
        t->setTarget("green apple");
        t->setTheta(0.6);
        QSignalSpy previewed(t, &TextDiffPanel::previewReady);
        t->renderPreview();
        QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, 300000);
        shoot("textDiffDock", "panel-textdiff.png");

        // The editor itself (README): outpainting a wider canvas with a painted mask, the candidates
        // in the Results dock, the History with its named steps; then the same window in German.
        QVERIFY(w.resizeCanvasTo(QMargins(0, 0, 40, 0), CanvasFill::Edge, true));
        p = w.promptPanel()->params();
        p.mode = Mode::Inpaint;
        p.prompt = "a rocket";
        p.sampling.seed = 3;
        p.batch = 4;
        p.feather = 2;
        w.promptPanel()->setParams(p);
        const int before = w.resultsPanel()->count();
        w.action("generate")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->count() == before + 4, 300000);
        w.resultsPanel()->setCurrentIndex(before + 1);
        w.canvas()->zoomToFit();
        shoot("promptDock", "editor.png");
        w.setLanguage("de");
        QTest::qWait(500);
        shoot("promptDock", "editor-de.png");
        w.setLanguage("en");
        QTest::qWait(300);
    }

    void cleanupTestCase() {
        m_window.reset();
        m_controller.reset();
    }
};

QTEST_MAIN(TestPanels)
#include "test_panels.moc"
