// SPDX-License-Identifier: GPL-3.0-or-later
// Live image slots: a slot given "the picture" (its button, or a tool run with an empty slot)
// follows the document as it is edited and as results are applied; another image, a text or
// Clear ends that.
#include "tests/ui/ui_test_support.h"
#include "ui/document/document.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/imageslot.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/panels/variationspanel.h"

#include <QUndoStack>
#include <QtTest>

using namespace unclip::ui;

namespace {
QImage filled(const QSize& size, const QColor& c) {
    QImage img(size, QImage::Format_RGBA8888);
    img.fill(c);
    return img;
}
}  // namespace

class TestSlots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { unclip::test::isolateSettings(); }

    void thePictureSlotFollowsTheDocument() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        auto* v = w.findChild<VariationsPanel*>();
        auto* t = w.findChild<TextDiffPanel*>();
        QVERIFY(v && t);
        ImageSlot* slot = v->source();
        w.pasteImage(filled(QSize(64, 48), Qt::red));
        slot->useDocument();
        QVERIFY(slot->followsDocument());
        QCOMPARE(slot->image().pixelColor(5, 5), QColor(Qt::red));
        // An edit of the picture (here a paste, one undo step) shows in the slot.
        w.pasteImage(filled(QSize(80, 40), Qt::blue));
        QTRY_COMPARE(slot->image().size(), QSize(80, 40));
        QCOMPARE(slot->image().pixelColor(5, 5), QColor(Qt::blue));
        // Undo too.
        w.document()->undoStack()->undo();
        QTRY_COMPARE(slot->image().size(), QSize(64, 48));
        // Another image ends following.
        slot->setImage(filled(QSize(10, 10), Qt::green));
        QVERIFY(!slot->followsDocument());
        w.pasteImage(filled(QSize(30, 30), Qt::yellow));
        QTest::qWait(300);
        QCOMPARE(slot->image().size(), QSize(10, 10));
        // A text diff run with an empty slot takes the picture and then follows it as well.
        t->source()->clear();
        t->setDescription("a");
        t->setTarget(QString());  // refused after taking the picture: no job, the slot filled
        t->renderPreview();
        QVERIFY(t->source()->followsDocument());
    }
};

QTEST_MAIN(TestSlots)
#include "test_slots.moc"
