// SPDX-License-Identifier: GPL-3.0-or-later
// One seed field in every panel: the same widget (number, lock, dice) in the Prompt, Variations,
// Interpolation and Text diff panels, reaching the largest seed a recipe keeps exactly, typed or
// stepped; the lock keeps the seed for the next run, the dice and an unlocked run draw new ones.
#include "tests/ui/ui_test_support.h"
#include "ui/inference/recipe.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/interpolationpanel.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/seedwidget.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/panels/variationspanel.h"

#include <QJsonObject>
#include <QLineEdit>
#include <QToolButton>
#include <QtTest>

using namespace unclip::ui;

class TestSeed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { unclip::test::isolateSettings(); }

    void everyPanelHasTheSameSeedField() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        const QList<QWidget*> panels = {w.promptPanel(), w.findChild<VariationsPanel*>(), w.findChild<InterpolationPanel*>(),
                                        w.findChild<TextDiffPanel*>()};
        for (QWidget* panel : panels) {
            QVERIFY(panel);
            auto* seed = panel->findChild<SeedWidget*>();
            QVERIFY2(seed, panel->metaObject()->className());
            QVERIFY(seed->findChild<QToolButton*>("seedLock") && seed->findChild<QToolButton*>("seedDice"));
            seed->setValue(kMaxSeed + 10);
            QCOMPARE(seed->value(), kMaxSeed);
            seed->spinBox()->stepBy(1);
            QCOMPARE(seed->value(), kMaxSeed);
            seed->spinBox()->stepBy(-2);
            QCOMPARE(seed->value(), kMaxSeed - 2);
            // Typed, beyond what a 32-bit box holds.
            QLineEdit* edit = seed->spinBox()->findChild<QLineEdit*>();
            edit->selectAll();
            QTest::keyClicks(edit, "12345678901234");
            QCOMPARE(seed->value(), quint64(12345678901234ULL));
            QTest::keyClicks(edit, "x");  // not a digit: refused
            QCOMPARE(edit->text(), QStringLiteral("12345678901234"));
            // Locked: a run keeps it; unlocked: a run draws a new one; the dice always does.
            seed->setLocked(true);
            seed->prepare();
            QCOMPARE(seed->value(), quint64(12345678901234ULL));
            seed->setLocked(false);
            seed->prepare();
            QVERIFY(seed->value() != quint64(12345678901234ULL));
            QVERIFY(seed->value() <= kMaxSeed);
            const quint64 before = seed->value();
            QTest::mouseClick(seed->findChild<QToolButton*>("seedDice"), Qt::LeftButton);
            QVERIFY(seed->value() != before);
        }
    }

    void largeSeedsReachTheJobAndComeBackFromRecipes() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        GenerationParams p = w.promptPanel()->params();
        p.sampling.seed = kMaxSeed;
        w.promptPanel()->setParams(p);
        QCOMPARE(w.promptPanel()->params().sampling.seed, kMaxSeed);
        // A recipe keeps the seed as a JSON number: exact up to the largest seed the field allows.
        const QJsonObject recipe{{"mode", "text2img"}, {"prompt", "x"}, {"sampling", QJsonObject{{"seed", double(kMaxSeed)}}}};
        QString why;
        const auto back = paramsFromRecipe(recipe, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(back->sampling.seed, kMaxSeed);
        auto* variations = w.findChild<VariationsPanel*>();
        variations->setSeed(kMaxSeed - 1);
        QCOMPARE(variations->seed(), kMaxSeed - 1);
    }
};

QTEST_MAIN(TestSeed)
#include "test_seed.moc"
