// SPDX-License-Identifier: GPL-3.0-or-later
// Panel jobs show themselves where they were started, on the real pipeline with the golden tiny
// model: the Variations grid holds a placeholder per variation with the run's stage and step (and
// the live preview), the Interpolation view says at once that a released in-between position is
// being rendered and follows that render, a Cancel in the panel stops only its jobs, and a
// cancelled or failed run leaves the panel as it was with the reason in the panel.
#include "tests/ui/ui_test_support.h"

#include "ui/inference/inferencecontroller.h"
#include "ui/inference/pipelinebackend.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/imageslot.h"
#include "ui/panels/interpolationpanel.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/variationspanel.h"
#include "ui/settings/appsettings.h"

#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

#include <stdexcept>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

// Jobs with this seed fail after their first progress report, as a model error would.
constexpr quint64 kFailSeed = 666013;
const char kFailReason[] = "the decoder ran out of test memory";

// The real pipeline, with a failure on request.
class FailOnSeedBackend : public PipelineBackend {
public:
    void load(const ModelSettings& s, const QString& dir) override { m_real->load(s, dir); }
    bool isLoaded() const override { return m_real->isLoaded(); }
    QString summary() const override { return m_real->summary(); }
    QMap<Mode, QString> unavailableModes() const override { return m_real->unavailableModes(); }
    int imageSize() const override { return m_real->imageSize(); }
    ModelInfo modelInfo() const override { return m_real->modelInfo(); }
    GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) override {
        if (job.params.sampling.seed == kFailSeed && !job.embedding.score) {
            progress(ProgressUpdate{unclip::pipeline::Stage::Decoder, 1, 2, {}});
            throw std::runtime_error(kFailReason);
        }
        return m_real->run(job, progress);
    }

private:
    std::unique_ptr<PipelineBackend> m_real = createPipelineBackend();
};

// What a panel showed at one progress report (read right after the panel took it).
struct Seen {
    unclip::pipeline::Stage stage = unclip::pipeline::Stage::Prior;
    int step = 0;
    int total = 0;
    int barValue = 0;
    QString barText;
    int placeholders = 0;
    QString cellText;
    QString caption;
    int rendering = -1;
    bool preview = false;
};

int placeholderCount(QListWidget* grid) {
    int n = 0;
    for (int i = 0; i < grid->count(); ++i) n += grid->item(i)->data(VariationsPanel::kPlaceholderRole).toBool();
    return n;
}

// Whether some report shows a later step of the same stage than the one before it.
bool stepsGrew(const QList<Seen>& seen) {
    for (int i = 1; i < seen.size(); ++i)
        if (seen[i].stage == seen[i - 1].stage && seen[i].step > seen[i - 1].step && seen[i].barValue > seen[i - 1].barValue)
            return true;
    return false;
}

}  // namespace

class TestPanelProgress : public QObject {
    Q_OBJECT

    std::unique_ptr<InferenceController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QImage m_imgA, m_imgB;

    VariationsPanel* variations() const { return m_window->findChild<VariationsPanel*>(); }
    InterpolationPanel* interpolation() const { return m_window->findChild<InterpolationPanel*>(); }
    void showDock(const char* name) {
        auto* d = m_window->findChild<QDockWidget*>(QString::fromLatin1(name));
        QVERIFY(d);
        d->show();
        d->raise();
        QCoreApplication::processEvents();
    }
    // Closes the main window's error box of a failed job (it is not modal in the test).
    void closeMessageBox() {
        if (QMessageBox* box = m_window->lastMessageBox()) box->close();
    }

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
        m_controller = std::make_unique<InferenceController>([] { return std::make_unique<FailOnSeedBackend>(); });
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->setAskBeforeDiscarding(false);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // A few steps per stage: several reports each, and quick.
        GenerationParams p = m_window->promptPanel()->params();
        p.sampling.prior_steps = 3;
        p.sampling.decoder_steps = 4;
        p.sampling.super_res_steps = 3;
        m_window->promptPanel()->setParams(p);
        m_imgA = QImage(goldenDir() + "/cases/img_a.png").convertToFormat(QImage::Format_RGBA8888);
        m_imgB = QImage(goldenDir() + "/cases/img_b.png").convertToFormat(QImage::Format_RGBA8888);
        QVERIFY(!m_imgA.isNull() && !m_imgB.isNull());
        m_window->pasteImage(m_imgA);
        QVERIFY(variations() && interpolation());
    }

    void variationsShowProgressInTheirCells() {
        showDock("variationsDock");
        VariationsPanel* p = variations();
        auto* grid = p->findChild<QListWidget*>("grid");
        auto* bar = p->findChild<QProgressBar*>("progress");
        auto* cancel = p->findChild<QToolButton*>("cancelButton");
        QVERIFY(grid && bar && cancel);
        QList<Seen> seen;
        // Connected after the panel: runs once the panel has taken the report.
        auto c = connect(m_controller.get(), &InferenceController::progress, this, [&](int, const ProgressUpdate& u) {
            seen.append({u.stage, u.step, u.total, bar->value(), bar->format(), placeholderCount(grid),
                         grid->count() ? grid->item(0)->text() : QString(), QString(), -1, p->showingPreview()});
        });
        QSignalSpy arrived(p, &VariationsPanel::resultsArrived);
        p->source()->setImage(m_imgB);
        p->setVariationCount(3);
        p->setSeed(7);
        QTest::mouseClick(p->findChild<QPushButton*>("generateButton"), Qt::LeftButton);
        // At once: a placeholder per variation to come, the progress and Cancel in the panel.
        QVERIFY(p->isWorking());
        QCOMPARE(grid->count(), 3);
        QCOMPARE(placeholderCount(grid), 3);
        QVERIFY(grid->item(0)->text().contains("Waiting"));
        QVERIFY(!(grid->item(0)->flags() & Qt::ItemIsSelectable));
        QVERIFY(bar->isVisible() && cancel->isVisible() && cancel->isEnabled());
        QCOMPARE(p->currentIndex(), -1);

        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 120000);
        disconnect(c);
        QVERIFY(seen.size() >= 4);
        for (const Seen& s : seen) {
            QCOMPARE(s.placeholders, 3);  // every report found the cells still waiting
            const QString stepText = QStringLiteral("%1 / %2").arg(s.step).arg(s.total);
            QVERIFY2(s.cellText.contains(stepText), qPrintable(s.cellText + " vs " + stepText));
            QVERIFY2(s.barText.contains(stageDisplayName(s.stage)), qPrintable(s.barText));
        }
        QVERIFY(stepsGrew(seen));
        QVERIFY(seen.last().preview);  // the decoder previews its pictures

        // Done: the results in place, nothing left of the run.
        QCOMPARE(grid->count(), 3);
        QCOMPARE(placeholderCount(grid), 0);
        QCOMPARE(p->count(), 3);
        QVERIFY(!p->showingPreview());
        QVERIFY(!bar->isVisible() && !cancel->isVisible());
        QCOMPARE(p->currentIndex(), 0);
        QVERIFY(p->findChild<QPushButton*>("applyButton")->isEnabled());
        QVERIFY(grid->item(1)->text().startsWith("#2"));
    }

    void variationsCancelAndFailureLeaveThePanelUsable() {
        showDock("variationsDock");
        VariationsPanel* p = variations();
        auto* grid = p->findChild<QListWidget*>("grid");
        auto* note = p->findChild<QLabel*>("note");
        auto* generate = p->findChild<QPushButton*>("generateButton");
        QVERIFY(grid && note && generate);
        QCOMPARE(p->count(), 3);  // from the test before
        const QImage before1 = p->result(1).image;
        QSignalSpy cancelled(m_controller.get(), &InferenceController::jobCancelled);
        QSignalSpy failed(m_controller.get(), &InferenceController::jobFailed);

        // Cancel in the panel: the earlier variations come back, the note says so.
        p->setVariationCount(2);
        QTest::mouseClick(generate, Qt::LeftButton);
        QCOMPARE(placeholderCount(grid), 2);
        QTest::mouseClick(p->findChild<QToolButton*>("cancelButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!p->isWorking(), 120000);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(placeholderCount(grid), 0);
        QCOMPARE(grid->count(), 3);
        QVERIFY(samePixels(p->result(1).image, before1));
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains("Cancelled"), qPrintable(note->text()));
        QVERIFY(generate->isEnabled());
        QVERIFY(!p->findChild<QToolButton*>("cancelButton")->isVisible());
        QCOMPARE(p->currentIndex(), 0);

        // A failing run: the reason in the panel, the earlier variations back.
        const quint64 seed = p->seed();
        p->setSeed(kFailSeed);
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!p->isWorking(), 120000);
        closeMessageBox();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(placeholderCount(grid), 0);
        QCOMPARE(grid->count(), 3);
        QVERIFY2(note->isVisible() && note->text().contains(kFailReason), qPrintable(note->text()));
        QVERIFY(generate->isEnabled());

        // And it still works.
        QSignalSpy arrived(p, &VariationsPanel::resultsArrived);
        p->setSeed(seed);
        QTest::mouseClick(generate, Qt::LeftButton);
        QVERIFY(!note->isVisible());  // a new run clears the old reason
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 120000);
        QCOMPARE(p->count(), 2);
        QCOMPARE(grid->count(), 2);
        QCOMPARE(placeholderCount(grid), 0);
    }

    void interpolationShowsTheRenderAtOnce() {
        showDock("interpolationDock");
        InterpolationPanel* p = interpolation();
        auto* caption = p->findChild<QLabel*>("frameCaption");
        auto* bar = p->findChild<QProgressBar*>("progress");
        QVERIFY(caption && bar);
        QList<Seen> seen;
        auto c = connect(m_controller.get(), &InferenceController::progress, this, [&](int, const ProgressUpdate& u) {
            seen.append({u.stage, u.step, u.total, bar->value(), bar->format(), 0, QString(), caption->text(),
                         p->renderingPosition(), p->showingPreview()});
        });
        QSignalSpy ready(p, &InterpolationPanel::sequenceReady);
        QSignalSpy exact(p, &InterpolationPanel::exactFrameReady);
        p->slotA()->setImage(m_imgA);
        p->slotB()->setText("a red circle");
        p->setFrameCount(3);
        p->setSeed(3);
        QTest::mouseClick(p->findChild<QPushButton*>("renderButton"), Qt::LeftButton);
        // The whole sequence: the view says so before the first step.
        QCOMPARE(p->renderingPosition(), 0);
        QVERIFY2(caption->text().contains("Rendering 3 frame"), qPrintable(caption->text()));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
        QVERIFY(seen.size() >= 4);
        QVERIFY(stepsGrew(seen));
        for (const Seen& s : seen) {
            QCOMPARE(s.rendering, 0);
            QVERIFY2(s.caption.contains(QStringLiteral("%1 / %2").arg(s.step).arg(s.total)), qPrintable(s.caption));
        }
        QVERIFY(seen.last().preview);
        QCOMPARE(p->renderingPosition(), -1);
        QVERIFY(!caption->text().contains("Rendering"));
        QTRY_VERIFY_WITH_TIMEOUT(!p->isWorking(), 120000);  // the similarity job too
        QCOMPARE(p->sequence(), (QList<int>{0, 500, 1000}));

        // Released between frames: at once "rendering this frame" over the nearest frame.
        seen.clear();
        QSlider* s = p->slider();
        s->setSliderDown(true);
        s->setValue(400);
        QCOMPARE(p->shownPosition(), 500);
        QCOMPARE(p->renderingPosition(), -1);  // scrubbing renders nothing
        s->setSliderDown(false);
        QCOMPARE(p->renderingPosition(), 400);
        QVERIFY2(caption->text().contains("rendering this frame"), qPrintable(caption->text()));
        QVERIFY(samePixels(p->currentFrame(), p->cache().exact(500)->image));
        QVERIFY(!p->showingPreview());
        QTRY_COMPARE_WITH_TIMEOUT(exact.count(), 1, 120000);
        disconnect(c);
        QVERIFY(seen.size() >= 4);
        QVERIFY(stepsGrew(seen));
        for (const Seen& x : seen) {
            QCOMPARE(x.rendering, 400);
            QVERIFY2(x.caption.contains(QStringLiteral("%1 / %2").arg(x.step).arg(x.total)), qPrintable(x.caption));
        }
        QVERIFY(seen.last().preview);  // the render's own picture replaced the nearest frame
        // Arrived: the exact frame in place, no sign of a render left.
        QCOMPARE(p->renderingPosition(), -1);
        QVERIFY(!p->showingPreview());
        QCOMPARE(p->shownPosition(), 400);
        QVERIFY(p->showingExact());
        QVERIFY(!caption->text().contains("rendering"));
        QVERIFY(!p->isWorking());
    }

    void interpolationCancelAndFailure() {
        showDock("interpolationDock");
        InterpolationPanel* p = interpolation();
        auto* caption = p->findChild<QLabel*>("frameCaption");
        auto* note = p->findChild<QLabel*>("note");
        QVERIFY(caption && note);
        QVERIFY(!p->cache().isEmpty());  // from the test before
        QSignalSpy exact(p, &InterpolationPanel::exactFrameReady);

        // Cancel an in-between render from the panel: the nearest frame again, the reason shown.
        QSlider* s = p->slider();
        s->setValue(800);
        QCOMPARE(p->renderingPosition(), 800);
        QTest::mouseClick(p->findChild<QToolButton*>("cancelButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!p->isWorking(), 120000);
        QCOMPARE(p->renderingPosition(), -1);
        QCOMPARE(p->shownPosition(), 1000);
        QVERIFY(!p->showingExact());
        QVERIFY(!caption->text().contains("rendering"));
        QVERIFY2(note->isVisible() && note->text().contains("Cancelled"), qPrintable(note->text()));
        QVERIFY(!p->cache().contains(800));
        // Released there again: it renders (the cancelled request is not "on its way" any more).
        s->setValue(790);
        s->setValue(800);
        QCOMPARE(p->renderingPosition(), 800);
        QTRY_VERIFY_WITH_TIMEOUT(p->cache().contains(800) && !p->isWorking(), 120000);
        QCOMPARE(p->shownPosition(), 800);
        QVERIFY(p->showingExact());

        // A failing sequence: the reason in the panel, Render usable again.
        p->setSeed(kFailSeed);
        QTest::mouseClick(p->findChild<QPushButton*>("renderButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!p->isWorking(), 120000);
        closeMessageBox();
        QCOMPARE(p->renderingPosition(), -1);
        QVERIFY2(note->isVisible() && note->text().contains(kFailReason), qPrintable(note->text()));
        QVERIFY(!caption->text().contains("Rendering"));
        QVERIFY(p->findChild<QPushButton*>("renderButton")->isEnabled());
        QVERIFY(!p->findChild<QToolButton*>("cancelButton")->isVisible());
    }

    void cleanupTestCase() {
        m_window.reset();
        m_controller.reset();
    }
};

QTEST_MAIN(TestPanelProgress)
#include "test_panel_progress.moc"
