// SPDX-License-Identifier: GPL-3.0-or-later
// Feedback where the eye is, with the golden tiny model: a refused Generate says why in the Prompt
// panel (and the status bar); a running job shows its stage, step and time under Generate; the
// finished job says what to do next; Text -> image with a painted mask says it ignores it;
// painting a mask outside Inpaint offers Inpaint; the embedding panels show their refusals in
// the panel itself.
#include "tests/ui/ui_test_support.h"
#include "ui/canvas/canvas.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/imageslot.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QtTest>

#include <memory>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

class TestFeedback : public QObject {
    Q_OBJECT

    std::unique_ptr<InferenceController> m_controller;
    std::unique_ptr<MainWindow> m_window;

    PromptPanel* prompt() { return m_window->promptPanel(); }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        const QString textModel = goldenDir() + "/models/unclip-text2img";
        if (!QFileInfo::exists(textModel + "/model_index.json")) QSKIP("golden model not found");
        ModelSettings s;
        s.modelDir = textModel;
        s.encoderDir = goldenDir() + "/models/unclip-variations";
        s.threads = 1;
        settings::setModelSettings(s);
        m_controller = std::make_unique<InferenceController>();
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->setAskBeforeDiscarding(false);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_controller.reset();
    }

    void inpaintWithoutAMaskSaysWhyInThePanel() {
        clearMask(m_window->document());
        prompt()->setMode(Mode::Inpaint);
        QSignalSpy submitted(m_controller.get(), &InferenceController::jobStarted);
        m_window->action("generate")->trigger();
        QVERIFY(prompt()->feedbackIsWarning());
        QVERIFY2(prompt()->feedbackText().contains("mask"), qPrintable(prompt()->feedbackText()));
        QCOMPARE(m_window->statusBar()->currentMessage(), prompt()->feedbackText());
        auto* label = prompt()->findChild<QLabel*>("feedback");
        QVERIFY(label && label->isVisible() && !label->visibleRegion().isEmpty());
        QTest::qWait(50);
        QCOMPARE(submitted.count(), 0);
        QVERIFY(!m_controller->isBusy());
    }

    void aTargetlessTextDiffSaysWhy() {
        prompt()->setMode(Mode::TextDiff);
        GenerationParams p = prompt()->params();
        p.target.clear();
        prompt()->setParams(p);
        m_window->action("generate")->trigger();
        QVERIFY(prompt()->feedbackIsWarning());
        QVERIFY2(prompt()->feedbackText().contains("target"), qPrintable(prompt()->feedbackText()));
    }

    void paintingAMaskOffersInpaint() {
        prompt()->setMode(Mode::TextToImage);
        clearMask(m_window->document());
        QVERIFY(!prompt()->inpaintOffered());
        Canvas* c = m_window->canvas();
        m_window->action("brush")->trigger();
        drag(c, {c->imageToWidget(QPointF(100, 100)), c->imageToWidget(QPointF(200, 120))});
        QTRY_VERIFY(prompt()->inpaintOffered());
        auto* offer = prompt()->findChild<QPushButton*>("offerInpaint");
        QVERIFY(offer && offer->isVisible());
        QTest::mouseClick(offer, Qt::LeftButton);
        QCOMPARE(prompt()->mode(), Mode::Inpaint);
        QVERIFY(!prompt()->inpaintOffered());
    }

    void progressTimeAndTheNextStepShowInThePanel() {
        // The mask from the test before stays: Text -> image says it plays no part.
        QVERIFY(!m_window->document()->mask().isNull());
        GenerationParams p = prompt()->params();
        p.mode = Mode::TextToImage;
        p.prompt = "red apple";
        p.sampling.seed = 7;
        p.batch = 1;
        prompt()->setParams(p);
        prompt()->setSeedLocked(true);
        auto* bar = prompt()->findChild<QProgressBar*>("jobProgress");
        QVERIFY(bar);
        int progressSeen = 0;
        // Connected after the window's own slot: sees what the window made of each update.
        connect(m_controller.get(), &InferenceController::progress, this, [&](int, const ProgressUpdate& u) {
            if (bar->isVisible() && bar->format().contains(QStringLiteral("%1 / %2").arg(u.step).arg(u.total)))
                ++progressSeen;
        });
        const int before = m_window->resultsPanel()->count();
        m_window->action("generate")->trigger();
        QVERIFY2(prompt()->feedbackText().contains("ignores the mask"), qPrintable(prompt()->feedbackText()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->resultsPanel()->count() == before + 1, 300000);
        QTRY_VERIFY(!m_controller->isBusy());
        QVERIFY(progressSeen > 0);
        QVERIFY(!bar->isVisible());
        QVERIFY2(prompt()->feedbackText().contains("Apply"), qPrintable(prompt()->feedbackText()));
        QVERIFY2(prompt()->feedbackText().contains("mask"), qPrintable(prompt()->feedbackText()));
    }

    void aModelFolderIsCheckedWhenChosen() {
        SettingsDialog d;
        d.load();
        auto* dir = d.findChild<QLineEdit*>("modelDir");
        auto* check = d.findChild<QLabel*>("modelDirCheck");
        QVERIFY(dir && check);
        QTemporaryDir empty;
        dir->setText(empty.path());  // typed or chosen with Browse: checked after a short pause
        QTRY_VERIFY(check->text().contains("model_index.json"));
        QVERIFY(!d.modelDirOk());
        // An index naming components that are not there: the core's check names what is missing.
        QVERIFY(QFile::copy(goldenDir() + "/models/unclip-text2img/model_index.json", empty.filePath("model_index.json")));
        d.checkModelDir();
        QVERIFY(!d.modelDirOk());
        QVERIFY2(check->text().contains(empty.path()) || check->text().contains("config"), qPrintable(check->text()));
        dir->setText(goldenDir() + "/models/unclip-text2img");
        QTRY_VERIFY(d.modelDirOk());
        QVERIFY2(check->text().contains("prior"), qPrintable(check->text()));
    }

    void panelsSayWhyInThePanel() {
        auto* t = m_window->findChild<TextDiffPanel*>();
        QVERIFY(t);
        auto* dock = m_window->findChild<QDockWidget*>("textDiffDock");
        dock->show();
        dock->raise();
        t->source()->useDocument();
        t->setDescription("red apple");
        t->setTarget(QString());
        t->renderPreview();
        auto* note = t->findChild<QLabel*>("note");
        QVERIFY(note);
        QTRY_VERIFY(note->isVisible());
        QVERIFY2(note->text().contains("should show"), qPrintable(note->text()));
    }
};

QTEST_MAIN(TestFeedback)
#include "test_feedback.moc"
