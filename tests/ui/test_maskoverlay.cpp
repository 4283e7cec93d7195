// SPDX-License-Identifier: GPL-3.0-or-later
// The mask on the canvas: drawn in the colour and opacity chosen in Settings, with a black and
// white outline that shows also on a picture of the overlay's own colour (a red mask on red).
#include "tests/ui/ui_test_support.h"
#include "ui/canvas/canvas.h"
#include "ui/document/document.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAction>
#include <QSpinBox>
#include <QtTest>

using namespace unclip::ui;
using namespace unclip::test;

namespace {
int distance(QRgb a, QRgb b) {
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
}
}  // namespace

class TestMaskOverlay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void outlineShowsOnAPictureOfTheMaskColour() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        w.resize(1000, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QImage red(160, 120, QImage::Format_RGBA8888);
        red.fill(QColor(255, 48, 96));  // the default overlay colour
        w.pasteImage(red);
        Canvas* c = w.canvas();
        c->setZoomAnimationMs(0);
        c->setZoomAt(1.0, QPointF(c->width() / 2.0, c->height() / 2.0));
        w.action("rectangle")->trigger();
        drag(c, {c->imageToWidget(QPointF(40, 30)), c->imageToWidget(QPointF(100, 80))});
        QCOMPARE(int(w.document()->mask().constScanLine(50)[60]), 255);
        const QImage shot = c->grab().toImage();
        const QPoint inside = c->imageToWidget(QPointF(70.5, 55.5)).toPoint();
        const QRgb background = qRgb(255, 48, 96);
        // Inside: the overlay on the same colour hardly shows; the outline does.
        QVERIFY(distance(shot.pixel(inside), background) < 60);
        int outlined = 0;
        for (int x = 45; x < 95; ++x) {
            const QRgb px = shot.pixel(c->imageToWidget(QPointF(x + 0.5, 30.5)).toPoint());
            if (distance(px, background) > 200) ++outlined;
        }
        QVERIFY2(outlined > 40, qPrintable(QString::number(outlined)));
    }

    void colourAndOpacityComeFromSettings() {
        {
            SettingsDialog d;
            d.load();
            d.setMaskColor(QColor(0, 200, 0));
            d.findChild<QSpinBox*>("maskOpacity")->setValue(100);
            d.save();
        }
        QCOMPARE(settings::maskColor(), QColor(0, 200, 0));
        QCOMPARE(settings::maskOpacity(), 1.0);
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        w.resize(1000, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Canvas* c = w.canvas();
        QCOMPARE(c->maskOverlay().color(), QColor(0, 200, 0));
        c->setZoomAnimationMs(0);
        c->setZoomAt(1.0, QPointF(c->width() / 2.0, c->height() / 2.0));
        w.action("rectangle")->trigger();
        drag(c, {c->imageToWidget(QPointF(40, 30)), c->imageToWidget(QPointF(100, 80))});
        const QImage shot = c->grab().toImage();
        // Fully opaque green over the white picture, inside the outline.
        QCOMPARE(QColor(shot.pixel(c->imageToWidget(QPointF(70.5, 55.5)).toPoint())), QColor(0, 200, 0));
        QCOMPARE(QColor(shot.pixel(c->imageToWidget(QPointF(20.5, 20.5)).toPoint())), QColor(Qt::white));
    }
};

QTEST_MAIN(TestMaskOverlay)
#include "test_maskoverlay.moc"
