// SPDX-License-Identifier: GPL-3.0-or-later
// The editor with real widgets (offscreen): painting the mask with simulated mouse strokes,
// undo/redo, long histories, opening files (File > Open path and drag and drop), the About box,
// unsaved-changes prompts and model errors that leave the document alone.
#include "tests/ui/ui_test_support.h"
#include "ui/canvas/canvas.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/document/maskstroke.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/promptsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QPointingDevice>
#include <QTabletEvent>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>
#include <random>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

class TestEditor : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_tmp;

    Canvas* canvas() { return m_window->canvas(); }
    Document* doc() { return m_window->document(); }

    // A fresh picture shown at 100 % (one image pixel = one widget pixel on this 1x screen).
    void freshPicture(const QSize& size) {
        m_window->newDocument(size);
        canvas()->setZoomAnimationMs(0);
        canvas()->setZoomAt(1.0, QPointF(canvas()->width() / 2.0, canvas()->height() / 2.0));
        QCOMPARE(canvas()->zoom(), 1.0);
    }
    QPointF at(double x, double y) { return canvas()->imageToWidget(QPointF(x, y)); }
    int maskAt(int x, int y) { return doc()->mask().constScanLine(y)[x]; }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 850);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() {
        m_window->setAskBeforeDiscarding(false);
        m_window->close();
        m_window.reset();
    }

    void init() {
        m_window->setAskBeforeDiscarding(false);
        m_window->action("brush")->trigger();  // whatever tool a failed test left behind
    }

    void mouseStrokePaintsAlongThePath() {
        freshPicture(QSize(400, 300));
        canvas()->setTool(Tool::Brush);
        canvas()->setBrushSize(20);
        canvas()->setBrushHardness(1.0);
        // Three far-apart mouse events: the dabs in between come from interpolation.
        drag(canvas(), {at(50, 100), at(200, 100), at(350, 100)});
        QCOMPARE(doc()->undoStack()->count(), 1);
        for (int x = 50; x <= 350; x += 5) {
            QCOMPARE(maskAt(x, 100), 255);
            QCOMPARE(maskAt(x, 100 - 8), 255);  // inside the 10 px radius
            QCOMPARE(maskAt(x, 100 + 7), 255);
            QCOMPARE(maskAt(x, 100 - 12), 0);   // outside it
            QCOMPARE(maskAt(x, 100 + 12), 0);
        }
        QCOMPARE(maskAt(30, 100), 0);   // before the start
        QCOMPARE(maskAt(370, 100), 0);  // after the end
        QCOMPARE(doc()->undoStack()->command(0)->text(), QStringLiteral("Brush stroke (20 px)"));

        // A soft, bigger brush: full in the centre, a falloff toward the edge.
        canvas()->setBrushSize(40);
        canvas()->setBrushHardness(0.0);
        drag(canvas(), {at(60, 220), at(340, 220)});
        QVERIFY(maskAt(200, 220) >= 250);
        const int mid = maskAt(200, 230);
        QVERIFY2(mid > 20 && mid < 230, qPrintable(QString::number(mid)));
        QVERIFY(maskAt(200, 226) > maskAt(200, 234));
        QCOMPARE(maskAt(200, 242), 0);

        // The eraser removes along its path; the image layer is never touched.
        const QImage imageBefore = doc()->image();
        canvas()->setTool(Tool::Eraser);
        canvas()->setBrushSize(10);
        canvas()->setBrushHardness(1.0);
        drag(canvas(), {at(200, 60), at(200, 140)});
        QCOMPARE(maskAt(200, 100), 0);
        QCOMPARE(maskAt(180, 100), 255);
        QVERIFY(samePixels(doc()->image(), imageBefore));
        QCOMPARE(doc()->undoStack()->count(), 3);
        QCOMPARE(doc()->undoStack()->command(2)->text(), QStringLiteral("Eraser stroke (10 px)"));
        canvas()->setTool(Tool::Brush);
    }

    void tabletPressureScalesTheBrush() {
        freshPicture(QSize(300, 200));
        canvas()->setBrushSize(40);
        canvas()->setBrushHardness(1.0);
        QPointingDevice pen("test pen", 4242, QInputDevice::DeviceType::Stylus, QPointingDevice::PointerType::Pen,
                            QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
        auto send = [&](QEvent::Type type, const QPointF& pos, qreal pressure, Qt::MouseButton button,
                        Qt::MouseButtons buttons) {
            QTabletEvent e(type, &pen, pos, canvas()->mapToGlobal(pos), pressure, 0, 0, 0, 0, 0, Qt::NoModifier,
                           button, buttons);
            QCoreApplication::sendEvent(canvas(), &e);
            return e.isAccepted();
        };
        QVERIFY(send(QEvent::TabletPress, at(40, 60), 0.5, Qt::LeftButton, Qt::LeftButton));
        QVERIFY(send(QEvent::TabletMove, at(150, 60), 0.5, Qt::NoButton, Qt::LeftButton));
        QVERIFY(send(QEvent::TabletMove, at(260, 60), 1.0, Qt::NoButton, Qt::LeftButton));
        QVERIFY(send(QEvent::TabletRelease, at(260, 60), 0.0, Qt::LeftButton, Qt::NoButton));
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(maskAt(60, 60), 255);
        QCOMPARE(maskAt(60, 60 + 8), 255);   // half pressure: radius 10
        QCOMPARE(maskAt(60, 60 + 15), 0);
        QCOMPARE(maskAt(255, 60 + 15), 255);  // full pressure at the end: radius 20
    }

    void strokeFollowsTheViewWhenZoomed() {
        freshPicture(QSize(300, 300));
        canvas()->setBrushSize(8);
        canvas()->setBrushHardness(1.0);
        canvas()->setZoomAt(2.5, QPointF(100, 100));
        drag(canvas(), {at(100, 150), at(200, 150)});
        QCOMPARE(maskAt(150, 150), 255);
        QCOMPARE(maskAt(150, 160), 0);
    }

    void bracketKeysResizeTheBrush() {
        canvas()->setBrushSize(40);
        m_window->action("brushBigger")->trigger();
        QCOMPARE(canvas()->brushSize(), 46);
        m_window->action("brushSmaller")->trigger();
        m_window->action("brushSmaller")->trigger();
        QCOMPARE(canvas()->brushSize(), 35);
        canvas()->setBrushSize(1);
        m_window->action("brushSmaller")->trigger();
        QCOMPARE(canvas()->brushSize(), 1);
        // The shortcuts are the real keys.
        QCOMPARE(m_window->action("brushBigger")->shortcut(), QKeySequence("]"));
        QCOMPARE(m_window->action("brushSmaller")->shortcut(), QKeySequence("["));
    }

    void undoRedoRestoresExactPixels() {
        freshPicture(QSize(320, 240));
        canvas()->setBrushSize(30);
        canvas()->setBrushHardness(0.5);
        const QImage blank = doc()->mask();
        drag(canvas(), {at(20, 20), at(150, 180), at(300, 30)});
        const QImage afterFirst = doc()->mask();
        drag(canvas(), {at(10, 200), at(310, 210)});
        const QImage afterSecond = doc()->mask();
        QVERIFY(!samePixels(afterFirst, blank));
        QVERIFY(!samePixels(afterSecond, afterFirst));
        QUndoStack* stack = doc()->undoStack();
        stack->undo();
        QVERIFY(samePixels(doc()->mask(), afterFirst));
        stack->undo();
        QVERIFY(samePixels(doc()->mask(), blank));
        stack->redo();
        QVERIFY(samePixels(doc()->mask(), afterFirst));
        stack->redo();
        QVERIFY(samePixels(doc()->mask(), afterSecond));

        // Whole-mask operations and the rectangle tool are undo steps too.
        m_window->action("invertMask")->trigger();
        QCOMPARE(maskAt(160, 120), 255 - qGray(afterSecond.pixel(160, 120)));
        m_window->action("fillMask")->trigger();
        QCOMPARE(maskAt(0, 0), 255);
        m_window->action("clearMask")->trigger();
        QCOMPARE(maskAt(0, 0), 0);
        canvas()->setTool(Tool::Rectangle);
        drag(canvas(), {at(40, 50), at(100, 80), at(140, 90)});
        QCOMPARE(maskAt(40, 50), 255);
        QCOMPARE(maskAt(139, 89), 255);
        QCOMPARE(maskAt(140, 90), 0);
        QCOMPARE(maskAt(39, 50), 0);
        canvas()->setTool(Tool::Brush);
        QCOMPARE(stack->count(), 6);
        QCOMPARE(stack->command(5)->text(), QStringLiteral("Rectangle to mask"));
        for (int i = 0; i < 4; ++i) stack->undo();
        QVERIFY(samePixels(doc()->mask(), afterSecond));
    }

    void windowModifiedFollowsTheCleanState() {
        freshPicture(QSize(100, 100));
        QVERIFY(!m_window->isWindowModified());
        drag(canvas(), {at(10, 10), at(50, 50)});
        QVERIFY(m_window->isWindowModified());
        doc()->undoStack()->undo();
        QVERIFY(!m_window->isWindowModified());
        QVERIFY(m_window->windowTitle().contains("[*]"));
    }

    void fiveHundredStrokesThenUndoAll() {
        m_window->newDocument(QSize(1024, 1024));
        const QImage blank = doc()->mask();
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> pos(0, 1024);
        qsizetype stored = 0;
        for (int i = 0; i < 500; ++i) {
            MaskStroke stroke(doc(), i % 7 == 6, 12.0f + float(i % 40), (i % 10) / 10.0f);
            const QPointF a(pos(rng), pos(rng));
            for (int k = 0; k < 4; ++k) stroke.addPoint(a + QPointF(k * 15, k * 9));
            if (QUndoCommand* cmd = stroke.finish()) {
                stored += static_cast<PatchCommand*>(cmd)->bytes();
                doc()->undoStack()->push(cmd);
            }
        }
        QUndoStack* stack = doc()->undoStack();
        QVERIFY(stack->count() > 400);
        // Only dirty rectangles, compressed: far below one full 1 MB mask copy per step.
        QVERIFY2(stored < 8 * 1024 * 1024, qPrintable(QString::number(stored)));
        const QImage finalMask = doc()->mask();
        QVERIFY(!samePixels(finalMask, blank));
        while (stack->canUndo()) stack->undo();
        QVERIFY(samePixels(doc()->mask(), blank));
        while (stack->canRedo()) stack->redo();
        QVERIFY(samePixels(doc()->mask(), finalMask));
    }

    void paintingALargePictureTouchesOnlyWhatChanged() {
        freshPicture(QSize(4096, 4096));
        canvas()->setBrushSize(60);
        canvas()->setBrushHardness(0.7);
        QList<QPointF> path;
        for (int i = 0; i <= 60; ++i) path << at(1800 + i * 5, 2000 + 40 * std::sin(i / 6.0));
        QElapsedTimer timer;
        timer.start();
        drag(canvas(), path);
        QCoreApplication::processEvents();  // includes the repaints of the dirty rectangles
        const qint64 ms = timer.elapsed();
        const auto* cmd = static_cast<const PatchCommand*>(doc()->undoStack()->command(0));
        QVERIFY(cmd);
        // One command covering just the stroke (not the 4096 x 4096 mask) ...
        QVERIFY(cmd->rect().width() < 400 && cmd->rect().height() < 200);
        QVERIFY(cmd->rect().contains(QPoint(1800, 2000)) && cmd->rect().contains(QPoint(2100, 2000 + int(40 * std::sin(10.0)))));
        QVERIFY(cmd->bytes() < 64 * 1024);
        QCOMPARE(maskAt(1950, 2000 + int(40 * std::sin(150 / 5 / 6.0))), 255);
        QCOMPARE(maskAt(100, 100), 0);
        qInfo("stroke of 61 mouse events on a 4096 x 4096 picture, with repaints: %lld ms", ms);
        // Undo is a copy of that rectangle.
        timer.restart();
        doc()->undoStack()->undo();
        qInfo("undo: %lld ms", timer.elapsed());
        QCOMPARE(maskAt(1950, 2000), 0);
        // A full repaint at fit zoom.
        canvas()->zoomToFit();
        timer.restart();
        canvas()->repaint();
        qInfo("full repaint of a 4096 x 4096 picture at fit zoom: %lld ms", timer.elapsed());
    }

    void settingsDialogRoundTrip() {
        SettingsDialog dialog;
        ModelSettings s;
        s.modelDir = "/models/karlo";
        s.encoderDir = "/models/karlo-variations";
        s.device = "cuda:1";
        s.precision = "float16";
        s.threads = 3;
        dialog.setModelSettings(s);
        dialog.setLanguage("de");
        dialog.setStrokeMergeWindowMs(700);
        QVERIFY(dialog.modelSettings() == s);
        dialog.save();
        QVERIFY(settings::modelSettings() == s);
        QCOMPARE(settings::language(), QStringLiteral("de"));
        QCOMPARE(settings::strokeMergeWindowMs(), 700);
        SettingsDialog again;
        again.load();
        QVERIFY(again.modelSettings() == s);
        QCOMPARE(again.findChild<QComboBox*>("language")->currentData().toString(), QStringLiteral("de"));
        QCOMPARE(again.findChild<QLineEdit*>("modelDir")->text(), QStringLiteral("/models/karlo"));
        settings::setModelSettings(ModelSettings{});
        settings::setLanguage({});
        settings::setStrokeMergeWindowMs(0);
        // The environment variable is the default model folder.
        qputenv("UNCLIP_MODEL_DIR", "/from/env");
        QCOMPARE(settings::effectiveModelDir(ModelSettings{}), QStringLiteral("/from/env"));
        QCOMPARE(settings::effectiveModelDir(s), QStringLiteral("/models/karlo"));
        qunsetenv("UNCLIP_MODEL_DIR");
    }

    void strokesMergeWithinTheTimeWindow() {
        freshPicture(QSize(200, 200));
        qint64 now = 1000;
        doc()->setClock([&now] { return now; });
        doc()->setStrokeMergeWindowMs(500);
        canvas()->setBrushSize(10);
        canvas()->setBrushHardness(1.0);
        const QImage blank = doc()->mask();
        drag(canvas(), {at(20, 20), at(60, 20)});
        now += 200;
        drag(canvas(), {at(20, 60), at(60, 60)});  // within 500 ms: merges
        const QImage merged = doc()->mask();
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->undoStack()->command(0)->text(), QStringLiteral("Brush strokes"));
        now += 2000;
        drag(canvas(), {at(20, 120), at(60, 120)});  // much later: its own step
        QCOMPARE(doc()->undoStack()->count(), 2);
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->mask(), merged));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->mask(), blank));
        doc()->undoStack()->redo();
        QVERIFY(samePixels(doc()->mask(), merged));
        doc()->setClock({});
        doc()->setStrokeMergeWindowMs(0);
        now += 10;
        drag(canvas(), {at(150, 20), at(150, 60)});
        QCOMPARE(doc()->undoStack()->count(), 2);  // merging off: no merge (the redo entry was dropped)
    }

    // Merged strokes that cross: where their rectangles overlap, undo must bring back what was there
    // before the *first* stroke (issue 24: with the two "before" pixels applied in the wrong order,
    // the first stroke stays behind where the second one crossed it).
    void overlappingMergedStrokesUndoExactly() {
        freshPicture(QSize(200, 200));
        qint64 now = 1000;
        doc()->setClock([&now] { return now; });
        doc()->setStrokeMergeWindowMs(500);
        canvas()->setBrushSize(10);
        canvas()->setBrushHardness(1.0);
        const QImage blank = doc()->mask();
        drag(canvas(), {at(20, 40), at(80, 40)});
        const QImage one = doc()->mask();
        now += 100;
        drag(canvas(), {at(50, 15), at(50, 75)});  // crosses the first stroke at (50, 40)
        QCOMPARE(doc()->undoStack()->count(), 1);
        const QImage two = doc()->mask();
        QVERIFY(!samePixels(two, one));
        QCOMPARE(maskAt(50, 40), 255);
        doc()->undoStack()->undo();
        QCOMPARE(maskAt(50, 40), 0);  // the crossing, painted by both strokes
        QCOMPARE(maskAt(30, 40), 0);  // the first stroke outside the second's rectangle
        QVERIFY(samePixels(doc()->mask(), blank));
        doc()->undoStack()->redo();
        QVERIFY(samePixels(doc()->mask(), two));

        // Three strokes in one step: paint, erase across it, paint over both. Undo gives the blank
        // mask back, redo the final one.
        freshPicture(QSize(200, 200));
        doc()->setClock([&now] { return now; });
        doc()->setStrokeMergeWindowMs(500);
        const QImage blank2 = doc()->mask();
        drag(canvas(), {at(20, 100), at(90, 100)});
        now += 100;
        m_window->action("eraser")->trigger();
        drag(canvas(), {at(55, 80), at(55, 120)});
        const QImage erased = doc()->mask();
        QCOMPARE(maskAt(55, 100), 0);   // the eraser cut the first stroke
        QCOMPARE(maskAt(25, 100), 255);
        now += 100;
        m_window->action("brush")->trigger();
        drag(canvas(), {at(40, 90), at(70, 110)});  // crosses both
        QCOMPARE(doc()->undoStack()->count(), 1);
        const QImage three = doc()->mask();
        QVERIFY(!samePixels(three, erased));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->mask(), blank2));
        doc()->undoStack()->redo();
        QVERIFY(samePixels(doc()->mask(), three));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->mask(), blank2));
        doc()->setClock({});
        doc()->setStrokeMergeWindowMs(0);
    }

    void zoomAndFit() {
        freshPicture(QSize(800, 600));
        canvas()->zoomToFit();
        const QRectF r = canvas()->imageRectInWidget();
        QVERIFY(r.width() <= canvas()->width() && r.height() <= canvas()->height());
        QVERIFY(std::abs(r.center().x() - canvas()->width() / 2.0) < 1.0);
        const double fit = canvas()->zoom();
        m_window->action("zoomIn")->trigger();
        QVERIFY(std::abs(canvas()->zoom() - fit * std::sqrt(2.0)) < 1e-9);
        m_window->action("zoomActual")->trigger();
        QCOMPARE(canvas()->zoom(), 1.0);
        // The wheel zooms about the pointer: the image point under it stays put.
        const QPointF pointer(300, 200);
        const QPointF before = canvas()->widgetToImage(pointer);
        QWheelEvent wheel(pointer, canvas()->mapToGlobal(pointer), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(canvas(), &wheel);
        QVERIFY(canvas()->zoom() > 1.1);
        const QPointF after = canvas()->widgetToImage(pointer);
        QVERIFY(std::abs(after.x() - before.x()) < 1e-6 && std::abs(after.y() - before.y()) < 1e-6);
        // Middle-button drag pans.
        const QPointF origin = canvas()->imageToWidget(QPointF(0, 0));
        sendMouse(canvas(), QEvent::MouseButtonPress, QPointF(400, 300), Qt::MiddleButton, Qt::MiddleButton);
        sendMouse(canvas(), QEvent::MouseMove, QPointF(430, 320), Qt::NoButton, Qt::MiddleButton);
        sendMouse(canvas(), QEvent::MouseButtonRelease, QPointF(430, 320), Qt::MiddleButton, Qt::NoButton);
        QCOMPARE(canvas()->imageToWidget(QPointF(0, 0)), origin + QPointF(30, 20));
        QCOMPARE(doc()->undoStack()->count(), 0);  // panning paints nothing
        // Space + left drag pans as well.
        QTest::keyPress(canvas(), Qt::Key_Space);
        const QPointF origin2 = canvas()->imageToWidget(QPointF(0, 0));
        drag(canvas(), {QPointF(400, 300), QPointF(390, 310)});
        QTest::keyRelease(canvas(), Qt::Key_Space);
        QCOMPARE(canvas()->imageToWidget(QPointF(0, 0)), origin2 + QPointF(-10, 10));
        QCOMPARE(doc()->undoStack()->count(), 0);
    }

    void everyMnemonicLabelHasABuddy() {
        // A QLabel shows "&Mode:" literally unless a buddy takes the mnemonic.
        static const QRegularExpression mnemonic(QStringLiteral("&[^&\\s]"));
        int checked = 0;
        for (QLabel* l : m_window->findChildren<QLabel*>()) {
            if (l->text().startsWith('<') || !l->text().contains(mnemonic)) continue;
            ++checked;
            QVERIFY2(l->buddy(), qPrintable(l->text()));
        }
        QVERIFY(checked >= 5);
    }

    void pinchZoomsAboutTheFingers() {
        freshPicture(QSize(800, 600));
        m_window->action("zoomActual")->trigger();
        const QPointF centre(320, 240);
        const QPointF before = canvas()->widgetToImage(centre);
        const double zoom = canvas()->zoom();
        QNativeGestureEvent pinch(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2, centre, centre,
                                  canvas()->mapToGlobal(centre), 0.25, QPointF());
        QCoreApplication::sendEvent(canvas(), &pinch);
        QVERIFY(std::abs(canvas()->zoom() - zoom * 1.25) < 1e-9);
        const QPointF after = canvas()->widgetToImage(centre);
        QVERIFY(std::abs(after.x() - before.x()) < 1e-6 && std::abs(after.y() - before.y()) < 1e-6);
        QNativeGestureEvent out(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2, centre, centre,
                                canvas()->mapToGlobal(centre), -0.2, QPointF());
        QCoreApplication::sendEvent(canvas(), &out);
        QVERIFY(std::abs(canvas()->zoom() - zoom * 1.25 * 0.8) < 1e-9);
    }

    void lassoFillsTheOutlineAsOneStep() {
        freshPicture(QSize(300, 200));
        m_window->action("zoomActual")->trigger();
        m_window->action("lasso")->trigger();
        QCOMPARE(canvas()->tool(), Tool::Lasso);
        // A triangle drawn with the mouse; the outline closes by itself on release.
        drag(canvas(), {at(50, 150), at(150, 30), at(250, 150), at(50, 150.5)});
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->undoStack()->command(0)->text(), QStringLiteral("Lasso to mask"));
        QCOMPARE(maskAt(150, 120), 255);  // inside
        QCOMPARE(maskAt(150, 60), 255);
        QCOMPARE(maskAt(60, 60), 0);      // outside, left of the slope
        QCOMPARE(maskAt(150, 170), 0);    // below the base
        // Along the left edge the coverage is antialiased: some pixels are partly covered.
        int partial = 0;
        for (int x = 90; x <= 110; ++x) partial += maskAt(x, 90) > 0 && maskAt(x, 90) < 255;
        QVERIFY(partial >= 1);
        // Alt cuts a hole out of it.
        drag(canvas(), {at(130, 100), at(170, 100), at(170, 130), at(130, 130)}, Qt::AltModifier);
        QCOMPARE(doc()->undoStack()->command(1)->text(), QStringLiteral("Lasso out of mask"));
        QCOMPARE(maskAt(150, 115), 0);
        QCOMPARE(maskAt(150, 140), 255);
        doc()->undoStack()->undo();
        QCOMPARE(maskAt(150, 115), 255);
        doc()->undoStack()->undo();
        QCOMPARE(maskAt(150, 120), 0);
        m_window->action("brush")->trigger();
    }

    void opensAPngThroughFileOpenPath() {
        const QString path = m_tmp.filePath("picture.png");
        const QImage img = randomImage(QSize(64, 48), QImage::Format_RGBA8888, 3);
        QVERIFY(img.save(path));
        QVERIFY(m_window->openFile(path));
        QVERIFY(samePixels(doc()->image(), img));
        QCOMPARE(doc()->mask().size(), img.size());
        QVERIFY(m_window->windowTitle().startsWith("picture.png"));
        QCOMPARE(settings::recentFiles().value(0), QFileInfo(path).absoluteFilePath());
        QCOMPARE(settings::lastFolder(), m_tmp.path());
        QVERIFY(!m_window->isWindowModified());
    }

    void dropsAPngOntoTheCanvas() {
        m_window->newDocument(QSize(32, 32));
        const QString path = m_tmp.filePath("dropped.png");
        const QImage img = randomImage(QSize(40, 30), QImage::Format_RGBA8888, 9);
        QVERIFY(img.save(path));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPointF pos(100, 100);
        QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(canvas(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(canvas(), &drop);
        QVERIFY(drop.isAccepted());
        QVERIFY(samePixels(doc()->image(), img));
        QVERIFY(m_window->windowTitle().startsWith("dropped.png"));
        // Files the editor cannot open are refused at the door.
        QMimeData text;
        text.setUrls({QUrl::fromLocalFile(m_tmp.filePath("notes.txt"))});
        QDragEnterEvent enter2(pos.toPoint(), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(canvas(), &enter2);
        QVERIFY(!enter2.isAccepted());
    }

    void aCorruptFileShowsAnErrorAndKeepsTheDocument() {
        m_window->newDocument(QSize(50, 50));
        const QImage before = doc()->image();
        const QString path = m_tmp.filePath("broken.png");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG\r\n\x1a\n garbage");
        f.close();
        QVERIFY(!m_window->openFile(path));
        QTRY_VERIFY(m_window->lastMessageBox() != nullptr);
        QVERIFY(m_window->lastMessageBox()->text().contains("broken.png"));
        QVERIFY(samePixels(doc()->image(), before));
        m_window->lastMessageBox()->close();
    }

    void pasteReplacesThePictureUndoably() {
        m_window->newDocument(QSize(50, 50));
        const QImage before = doc()->image();
        const QImage img = randomImage(QSize(70, 20), QImage::Format_RGBA8888, 5);
        QApplication::clipboard()->setImage(img);
        m_window->action("paste")->trigger();
        QCOMPARE(doc()->size(), QSize(70, 20));
        QCOMPARE(doc()->mask().size(), QSize(70, 20));
        doc()->undoStack()->undo();
        QVERIFY(samePixels(doc()->image(), before));
        QCOMPARE(doc()->mask().size(), QSize(50, 50));
    }

    void aboutShowsTheVersion() {
        m_window->action("about")->trigger();
        auto* box = m_window->findChild<QMessageBox*>("aboutBox");
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral(UNCLIP_VERSION)));
        box->close();
    }

    void aBadModelFolderShowsAnErrorAndKeepsTheDocument() {
        freshPicture(QSize(64, 64));
        drag(canvas(), {at(10, 10), at(40, 40)});
        const QImage image = doc()->image(), mask = doc()->mask();
        const int steps = doc()->undoStack()->count();
        ModelSettings s;
        s.modelDir = m_tmp.filePath("no-such-model");
        m_window->inference()->setModelSettings(s);
        m_window->promptPanel()->setMode(Mode::TextToImage);
        m_window->action("generate")->trigger();
        QTRY_VERIFY(m_window->lastMessageBox() != nullptr);
        QVERIFY(m_window->lastMessageBox()->text().contains("no-such-model"));
        QTRY_VERIFY(!m_window->inference()->isBusy());
        QVERIFY(!m_window->action("cancel")->isEnabled());
        QVERIFY(samePixels(doc()->image(), image));
        QVERIFY(samePixels(doc()->mask(), mask));
        QCOMPARE(doc()->undoStack()->count(), steps);
        m_window->lastMessageBox()->close();
        QTRY_VERIFY(m_window->lastMessageBox() == nullptr);

        // A folder that exists but holds no model fails to load, with the folder named.
        s.modelDir = m_tmp.path();
        m_window->inference()->setModelSettings(s);
        m_window->action("generate")->trigger();
        QTRY_VERIFY(m_window->lastMessageBox() != nullptr);
        QVERIFY(m_window->lastMessageBox()->text().contains(QDir::toNativeSeparators(m_tmp.path())));
        QTRY_VERIFY(!m_window->inference()->isBusy());
        QVERIFY(samePixels(doc()->image(), image));
        m_window->lastMessageBox()->close();
    }

    void asksBeforeDiscardingUnsavedChanges() {
        freshPicture(QSize(64, 64));
        drag(canvas(), {at(10, 10), at(40, 40)});
        QVERIFY(m_window->isWindowModified());
        m_window->setAskBeforeDiscarding(true);
        bool asked = false;
        auto answer = [&asked](QMessageBox::StandardButton button) {
            QTimer::singleShot(0, [&asked, button] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                if (!box) return;
                asked = box->objectName() == "unsavedBox";
                box->button(button)->click();
            });
        };
        answer(QMessageBox::Cancel);
        QVERIFY(!m_window->close());
        QVERIFY(asked);
        QVERIFY(m_window->isVisible());
        asked = false;
        answer(QMessageBox::Discard);
        QVERIFY(m_window->maybeSave());
        QVERIFY(asked);
        m_window->setAskBeforeDiscarding(false);
    }

    void windowStateIsPersisted() {
        m_window->action("exportPng");  // exists
        for (const char* name : {"new", "open", "save", "saveAs", "exportPng", "quit", "undo", "redo", "zoomIn",
                                 "zoomOut", "zoomFit", "generate", "cancel"})
            QVERIFY2(m_window->action(name), name);
        QCOMPARE(m_window->action("open")->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(m_window->action("generate")->shortcut(), QKeySequence("Ctrl+Return"));
        QCOMPARE(m_window->action("cancel")->shortcut(), QKeySequence(Qt::Key_Escape));
        canvas()->setBrushSize(77);
        m_window->setAskBeforeDiscarding(false);
        QVERIFY(m_window->close());
        QVERIFY(!settings::windowState().isEmpty());
        QCOMPARE(settings::brushSize(), 77);
        MainWindow second;
        QCOMPARE(second.canvas()->brushSize(), 77);
        m_window->show();
    }

    // The Prompt dock's values go through the settings layer (settings::setPromptSettings) and
    // come back in a new dock, as after a restart: every field, the 64-bit seed exactly.
    void promptValuesSurviveARestart() {
        QAction generate, cancel;
        ModelInfo kandinsky;
        kandinsky.family = QString::fromLatin1(kKandinskyFamily);
        kandinsky.imageSize = 512;
        kandinsky.sizeStep = 64;
        GenerationParams p;
        p.mode = Mode::TextDiff;
        p.prompt = QStringLiteral("a red fox in the snow");
        p.negativePrompt = QStringLiteral("blurry");
        p.target = QStringLiteral("a white fox in the snow");
        p.batch = 3;
        p.sampling.seed = (quint64(1) << 52) + 12345;  // far beyond 32 bits
        p.sampling.prior_steps = 11;
        p.sampling.decoder_steps = 12;
        p.sampling.super_res_steps = 3;
        p.sampling.prior_guidance = 2.5f;
        p.sampling.decoder_guidance = 6.5f;
        p.sampling.width = 640;
        p.sampling.height = 384;
        p.feather = 5;
        p.theta = 0.75;
        {
            PromptPanel first(&generate, &cancel);
            first.setModelInfo(kandinsky);  // draws at any size: the size counts
            first.setParams(p);
            first.setSeedLocked(true);
            first.setStagesExpanded(true);
            first.saveState();
        }
        const PromptSettings saved = settings::promptSettings();
        QCOMPARE(saved.params.mode, Mode::TextDiff);
        QCOMPARE(saved.params.sampling.seed, p.sampling.seed);
        QCOMPARE(saved.model.family, QString::fromLatin1(kKandinskyFamily));
        QVERIFY(saved.seedLocked);
        // The mode is stored by core's name for it.
        QCOMPARE(QSettings().value("prompt/mode").toString(), QStringLiteral("textdiff"));

        PromptPanel second(&generate, &cancel);
        second.restoreState();
        const GenerationParams back = second.params();
        QCOMPARE(back.mode, p.mode);
        QCOMPARE(back.prompt, p.prompt);
        QCOMPARE(back.negativePrompt, p.negativePrompt);
        QCOMPARE(back.target, p.target);
        QCOMPARE(back.batch, p.batch);
        QCOMPARE(back.sampling.seed, p.sampling.seed);
        QCOMPARE(back.sampling.prior_steps, p.sampling.prior_steps);
        QCOMPARE(back.sampling.decoder_steps, p.sampling.decoder_steps);
        QCOMPARE(back.sampling.super_res_steps, p.sampling.super_res_steps);
        QCOMPARE(back.sampling.prior_guidance, p.sampling.prior_guidance);
        QCOMPARE(back.sampling.decoder_guidance, p.sampling.decoder_guidance);
        QCOMPARE(back.sampling.width, p.sampling.width);
        QCOMPARE(back.sampling.height, p.sampling.height);
        QCOMPARE(back.feather, p.feather);
        QCOMPARE(back.theta, p.theta);
        QCOMPARE(back.family, QString::fromLatin1(kKandinskyFamily));
        QCOMPARE(second.modelInfo().family, QString::fromLatin1(kKandinskyFamily));
        QCOMPARE(second.modelInfo().sizeStep, 64);
        QVERIFY(second.seedLocked());
        QVERIFY(second.stagesExpanded());
    }

    // Settings from before the editor used core's modes hold the mode as its index in the Mode
    // box (Text → image, Inpaint, Variations, Interpolate, Text diff): they read as before.
    void promptSettingsOfOlderVersionsKeepTheirMode() {
        QAction generate, cancel;
        const QList<Mode> byIndex = {Mode::TextToImage, Mode::Inpaint, Mode::Variation, Mode::Interpolation,
                                     Mode::TextDiff};
        for (int i = 0; i < byIndex.size(); ++i) {
            QSettings().setValue("prompt/mode", i);
            QCOMPARE(settings::promptSettings().params.mode, byIndex[i]);
            PromptPanel panel(&generate, &cancel);
            panel.restoreState();
            QCOMPARE(panel.mode(), byIndex[i]);
        }
        QSettings().setValue("prompt/mode", QStringLiteral("3"));  // as an INI file reads back
        QCOMPARE(settings::promptSettings().params.mode, Mode::Interpolation);
        QSettings().setValue("prompt/mode", 99);  // out of range: clamped, as before
        QCOMPARE(settings::promptSettings().params.mode, Mode::TextDiff);
        QSettings().setValue("prompt/mode", QStringLiteral("inpaint"));
        QCOMPARE(settings::promptSettings().params.mode, Mode::Inpaint);
        QSettings().remove("prompt/mode");
        QCOMPARE(settings::promptSettings().params.mode, Mode::TextToImage);
    }
};

QTEST_MAIN(TestEditor)
#include "test_editor.moc"
