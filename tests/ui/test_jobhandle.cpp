// SPDX-License-Identifier: GPL-3.0-or-later
// A handle per job: InferenceController::submit() returns a JobHandle whose signals carry that job
// only (also while another job runs), a cancelled job's handle hears cancelled and nothing else,
// and the handle goes away after its final signal. Step previews the progress throttle drops are
// never made: the pipeline asks RunControl::preview_due before it computes one, and the editor
// converts a preview to a QImage only for steps it sends (counted by JobRunner).
#include "core/pipeline/unclip_pipeline.h"
#include "tests/ui/golden_editor.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/jobhandle.h"
#include "ui/inference/jobrunner.h"

#include <c10/core/InferenceMode.h>

#include <QPointer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

struct FakeState {
    std::atomic<int> stepDelayMs{0};
    std::atomic<int> previewsAsked{0};
    std::atomic<int> previewsMade{0};
    int steps = 6;
};

// Reports `steps` steps of two stages; makes a preview only when the sink says it is due.
class FakeBackend : public PipelineBackend {
public:
    explicit FakeBackend(FakeState* s) : m_s(s) {}
    void load(const ModelSettings&, const QString&) override { m_loaded = true; }
    bool isLoaded() const override { return m_loaded; }
    QString summary() const override { return "fake"; }
    GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) override {
        for (const auto stage : {unclip::pipeline::Stage::Decoder, unclip::pipeline::Stage::SuperRes})
            for (int step = 1; step <= m_s->steps; ++step) {
                if (isCancelled(job.cancel)) throw GenerationCancelled();
                if (m_s->stepDelayMs) QThread::msleep(ulong(m_s->stepDelayMs.load()));
                ProgressUpdate u{stage, step, m_s->steps, {}};
                ++m_s->previewsAsked;
                if (progress.previewDue(u.stage, u.step, u.total)) {
                    ++m_s->previewsMade;
                    u.preview = QImage(4, 4, QImage::Format_RGBA8888);
                    u.preview.fill(QColor::fromRgb(int(job.params.sampling.seed % 256), 0, 0));
                }
                progress(u);
            }
        GenerationOutput out;
        QImage img(8, 8, QImage::Format_RGBA8888);
        img.fill(Qt::blue);
        out.images << img;
        out.recipes << QJsonObject{{"seed", qint64(job.params.sampling.seed)}};
        return out;
    }

private:
    FakeState* m_s;
    bool m_loaded = false;
};

// Everything one handle said, in order.
struct HandleLog {
    QStringList events;
    QList<quint64> previewSeeds;  // the seed each preview was drawn for (red channel)
    int progress = 0, previews = 0;

    void watch(JobHandle* h) {
        QObject::connect(h, &JobHandle::started, [this] { events << "started"; });
        QObject::connect(h, &JobHandle::progress, [this](const ProgressUpdate& u) {
            ++progress;
            if (!u.preview.isNull()) {
                ++previews;
                previewSeeds << quint64(QColor(u.preview.pixel(0, 0)).red());
            }
        });
        QObject::connect(h, &JobHandle::finished, [this](const GenerationOutput&) { events << "finished"; });
        QObject::connect(h, &JobHandle::failed, [this](const QString&) { events << "failed"; });
        QObject::connect(h, &JobHandle::cancelled, [this] { events << "cancelled"; });
    }
};

}  // namespace

class TestJobHandle : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    void start(InferenceController& c) {
        ModelSettings s;
        QDir(m_tmp.path()).mkpath("model");
        s.modelDir = m_tmp.filePath("model");
        c.setModelSettings(s);
    }

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void aHandleHearsOnlyItsOwnJob() {
        FakeState state;
        state.stepDelayMs = 15;
        InferenceController c([&state] { return std::make_unique<FakeBackend>(&state); });
        start(c);
        QSignalSpy allProgress(&c, &InferenceController::progress);
        GenerationParams p;
        p.sampling.seed = 11;
        QPointer<JobHandle> a = c.submit(p);
        p.sampling.seed = 22;
        QPointer<JobHandle> b = c.submit(p);  // queued: runs while a is done, a hears none of it
        QVERIFY(a && b && a->id() != b->id());
        QCOMPARE(c.handle(a->id()), a.data());
        QCOMPARE(b->job().params.sampling.seed, quint64(22));
        const int idA = a->id(), idB = b->id();
        HandleLog logA, logB;
        logA.watch(a);
        logB.watch(b);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 20000);
        QCOMPARE(logA.events, (QStringList{"started", "finished"}));
        QCOMPARE(logB.events, (QStringList{"started", "finished"}));
        // Every broadcast progress of a job went to its handle and to no other.
        int broadcastA = 0, broadcastB = 0;
        for (const auto& args : allProgress) (args.at(0).toInt() == idA ? broadcastA : broadcastB)++;
        QCOMPARE(logA.progress, broadcastA);
        QCOMPARE(logB.progress, broadcastB);
        QVERIFY(logA.progress >= 4);  // first and last step of each stage at least
        for (quint64 seed : logA.previewSeeds) QCOMPARE(seed, quint64(11));
        for (quint64 seed : logB.previewSeeds) QCOMPARE(seed, quint64(22));
        // Handles go away after their final signal.
        QTRY_VERIFY(a.isNull() && b.isNull());
        QVERIFY(!c.job(idA) && !c.job(idB));
    }

    void aCancelledJobsHandleHearsCancelledOnly() {
        FakeState state;
        state.stepDelayMs = 20;
        state.steps = 30;
        InferenceController c([&state] { return std::make_unique<FakeBackend>(&state); });
        start(c);
        QPointer<JobHandle> running = c.submit(GenerationParams{});
        QPointer<JobHandle> queued = c.submit(GenerationParams{});
        QPointer<JobHandle> after = c.submit(GenerationParams{});
        HandleLog logRunning, logQueued, logAfter;
        logRunning.watch(running);
        logQueued.watch(queued);
        logAfter.watch(after);
        QSignalSpy started(running.data(), &JobHandle::started);
        QTRY_COMPARE(started.count(), 1);
        queued->cancel();  // before it starts: it never runs
        running->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 30000);
        QCOMPARE(logRunning.events, (QStringList{"started", "cancelled"}));
        QCOMPARE(logQueued.events, QStringList{"cancelled"});
        QCOMPARE(logQueued.progress, 0);
        QCOMPARE(logAfter.events, (QStringList{"started", "finished"}));  // the others' cancel is not its own
        QTRY_VERIFY(running.isNull() && queued.isNull() && after.isNull());
    }

    void theThrottleDecidesOncePerStep() {
        ProgressThrottle t(1000);
        QVERIFY(t.due(unclip::pipeline::Stage::Prior, 1, 5));  // the first step
        QVERIFY(t.take(unclip::pipeline::Stage::Prior, 1, 5));
        QVERIFY(!t.due(unclip::pipeline::Stage::Prior, 2, 5));
        QVERIFY(!t.due(unclip::pipeline::Stage::Prior, 2, 5));  // asked again: the same answer
        QVERIFY(!t.take(unclip::pipeline::Stage::Prior, 2, 5));
        QVERIFY(t.take(unclip::pipeline::Stage::Prior, 5, 5));     // a stage's last step
        QVERIFY(t.due(unclip::pipeline::Stage::Decoder, 1, 5));    // a new stage
        QVERIFY(t.take(unclip::pipeline::Stage::Decoder, 1, 5));
        ProgressThrottle always(0);
        always.take(unclip::pipeline::Stage::Prior, 1, 5);
        QVERIFY(always.due(unclip::pipeline::Stage::Prior, 2, 5));
    }

    void previewsTheThrottleDropsAreNeverMade() {
        FakeState state;
        state.steps = 40;  // fast steps: most fall inside one progress interval
        InferenceController c([&state] { return std::make_unique<FakeBackend>(&state); });
        start(c);
        JobHandle* h = c.submit(GenerationParams{});
        HandleLog log;
        log.watch(h);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 20000);
        QCOMPARE(state.previewsAsked.load(), 80);
        // A preview was made exactly for the steps that were sent, and most were not.
        QCOMPARE(state.previewsMade.load(), log.previews);
        QCOMPARE(log.previews, log.progress);
        QVERIFY2(log.progress < 40, qPrintable(QString::number(log.progress)));
    }

    void thePipelineAsksBeforeItComputesAPreview() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        namespace pl = unclip::pipeline;
        pl::PipelineOptions o;
        o.model_dir = QFile::encodeName(model).toStdString();
        auto pipeline = pl::UnclipPipeline::load(o);
        pl::TextToImageRequest r;
        r.prompts = {"a small red square"};
        r.sampling.prior_steps = 2;
        r.sampling.decoder_steps = 4;
        r.sampling.super_res_steps = 3;
        pl::RunControl control;
        control.want_previews = true;
        int asked = 0, previews = 0, wrong = 0, reports = 0;
        control.preview_due = [&](const pl::Progress& step) {
            ++asked;
            if (step.preview.defined()) ++wrong;  // asked before it is computed
            return step.step % 2 == 0;
        };
        control.on_progress = [&](const pl::Progress& p) {
            ++reports;
            const bool has = p.preview.defined();
            previews += has;
            if (has != (p.step % 2 == 0) && p.stage != unclip::pipeline::Stage::Prior) ++wrong;
            if (p.stage == unclip::pipeline::Stage::Prior && has) ++wrong;  // the prior has no pictures to show
        };
        c10::InferenceMode inference;
        pipeline->text_to_image(r, control);
        QCOMPARE(wrong, 0);
        QCOMPARE(reports, 2 + 4 + 3);
        QCOMPARE(asked, 4 + 3);     // every decoder and super-res step, never a prior step
        QCOMPARE(previews, 2 + 1);  // decoder steps 2, 4; super-res step 2
        // want_previews off: nothing asked, nothing made.
        control.want_previews = false;
        asked = previews = 0;
        pipeline->text_to_image(r, control);
        QCOMPARE(asked, 0);
        QCOMPARE(previews, 0);
    }

    void theEditorConvertsOnlyThePreviewsItSends() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        InferenceController c;
        ModelSettings s;
        s.modelDir = model;
        s.threads = 1;
        c.setModelSettings(s);
        GenerationParams p = fastParams(Mode::TextToImage, "a small red square", 3);
        p.sampling.decoder_steps = 25;
        p.sampling.super_res_steps = 10;
        const int64_t before = JobRunner::previewsConverted();
        JobHandle* h = c.submit(p);
        HandleLog log;
        log.watch(h);
        GenerationOutput out;
        connect(h, &JobHandle::finished, this, [&out](const GenerationOutput& o) { out = o; });
        QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 120000);
        QCOMPARE(log.events, (QStringList{"started", "finished"}));
        const int64_t converted = JobRunner::previewsConverted() - before;
        QCOMPARE(converted, int64_t(log.previews));
        QVERIFY(log.previews >= 2);  // the first and last step of the decoder and super-res stages
        // Every step is timed; the golden model's steps take about a millisecond, so most fell
        // inside one progress interval and got no preview.
        QCOMPARE(out.timings.size(), 2 + 25 + 10);
        QVERIFY2(converted < 25, qPrintable(QString::number(converted)));
    }
};

QTEST_MAIN(TestJobHandle)
#include "test_jobhandle.moc"
