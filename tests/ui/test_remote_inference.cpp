// SPDX-License-Identifier: GPL-3.0-or-later
// The editor on `unclip serve` (Settings > Inference > A local server program): a real `unclip
// serve` child on the golden models gives the same pictures as this process for the same job
// (text -> image, inpaint, quick candidates and their upscale); cancel ends the job; killing the
// server (SIGKILL) mid-job fails that job with a message naming the server and the next job
// restarts it and succeeds; the editor itself generates through it and keeps its document.
#include "tests/ui/golden_editor.h"
#include "ui/document/document.h"
#include "ui/inference/backend_remote.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <QSignalSpy>
#include <QtTest>

#include <QDir>
#include <QFile>

#include <csignal>
#include <unistd.h>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {

QString variationsModel() { return goldenDir() + "/models/unclip-variations"; }

ModelSettings programSettings() {
    ModelSettings s;
    s.modelDir = goldenTextToImageModel();
    s.encoderDir = variationsModel();
    s.threads = 1;
    s.inference = "program";
    s.serverProgram = QStringLiteral(UNCLIP_CLI_PATH);
    return s;
}

GenerationJob job(const GenerationParams& p, int id) {
    GenerationJob j;
    j.id = id;
    j.params = p;
    return j;
}

QImage picture() {
    QImage im(40, 30, QImage::Format_RGBA8888);
    for (int y = 0; y < im.height(); ++y)
        for (int x = 0; x < im.width(); ++x) im.setPixelColor(x, y, QColor::fromHsv((x * 9 + y * 5) % 360, 180, 200));
    return im;
}

// A running child process of this one whose command name is `name` (from /proc), other than
// `other`, or -1.
pid_t childNamed(const QString& name, pid_t other) {
    const QStringList entries = QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& e : entries) {
        bool ok = false;
        const int pid = e.toInt(&ok);
        if (!ok) continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QString stat = QString::fromLatin1(f.readAll());
        const int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        if (open < 0 || close < 0) continue;
        const QStringList rest = stat.mid(close + 2).split(' ');
        if (stat.mid(open + 1, close - open - 1) == name && rest.size() > 1 && rest.at(0) != "Z" &&
            rest.at(1).toInt() == int(::getpid()) && pid != other)
            return pid;
    }
    return -1;
}

QImage maskFor(const QImage& im) {
    QImage m(im.size(), QImage::Format_Grayscale8);
    m.fill(0);
    for (int y = im.height() / 4; y < im.height() / 2; ++y)
        for (int x = im.width() / 4; x < im.width() / 2; ++x) m.setPixel(x, y, qRgb(255, 255, 255));
    return m;
}

}  // namespace

class TestRemoteInference : public QObject {
    Q_OBJECT

    std::unique_ptr<PipelineBackend> m_local;
    std::unique_ptr<RemoteBackend> m_remote;

    GenerationOutput both(const GenerationJob& j, GenerationOutput* remote) {
        const auto ignore = [](const ProgressUpdate&) {};
        *remote = m_remote->run(j, ignore);
        return m_local->run(j, ignore);
    }

private Q_SLOTS:
    void initTestCase() {
        unclip::test::isolateSettings();
        if (goldenTextToImageModel().isEmpty()) QSKIP("golden model not found");
        const ModelSettings s = programSettings();
        m_local = createPipelineBackend();
        m_local->load(s, s.modelDir);
        m_remote = std::make_unique<RemoteBackend>();
        m_remote->load(s, s.modelDir);
        QVERIFY(m_remote->child() && m_remote->child()->running());
    }

    void reportsWhatTheServerRuns() {
        QVERIFY(m_remote->isLoaded());
        QCOMPARE(m_remote->imageSize(), m_local->imageSize());
        QVERIFY(m_remote->unavailableModes().isEmpty());
        QVERIFY2(m_remote->summary().contains("local server program") && m_remote->summary().contains("cpu"),
                 qPrintable(m_remote->summary()));
    }

    void sameImagesAsInProcess() {
        GenerationOutput remote;
        const GenerationOutput local = both(job(fastParams(Mode::TextToImage, "a red fox", 7), 1), &remote);
        QCOMPARE(remote.images.size(), local.images.size());
        QVERIFY(remote.images.at(0) == local.images.at(0));
        QCOMPARE(remote.recipes.at(0).value("mode").toString(), QStringLiteral("text2img"));

        GenerationJob in = job(fastParams(Mode::Inpaint, "a hat", 3), 2);
        in.image = picture();
        in.mask = maskFor(in.image);
        const GenerationOutput localIn = both(in, &remote);
        QVERIFY(!localIn.images.isEmpty());
        QVERIFY(remote.images.at(0) == localIn.images.at(0));

        // Quick candidates, then the upscale of one: the server keeps nothing, the candidates travel.
        GenerationParams q = fastParams(Mode::TextToImage, "a boat", 11);
        q.batch = 2;
        q.quickCandidates = true;
        both(job(q, 3), &remote);
        q.quickCandidates = false;
        q.upscaleSet = 3;
        q.upscaleIndex = 1;
        const GenerationOutput localUp = both(job(q, 4), &remote);
        QVERIFY(remote.images.at(0) == localUp.images.at(0));
        QCOMPARE(remote.recipes.at(0).value("index").toInt(), 1);
    }

    void cancelEndsTheJob() {
        GenerationParams p = fastParams(Mode::TextToImage, "long", 1);
        p.sampling.decoder_steps = 1000;
        GenerationJob j = job(p, 5);
        bool threw = false;
        try {
            m_remote->run(j, [&](const ProgressUpdate& u) {
                if (u.stage == unclip::pipeline::Stage::Decoder && u.step == 2) requestCancel(j.cancel);
            });
        } catch (const GenerationCancelled&) {
            threw = true;
        }
        QVERIFY(threw);
        // The server is free again: the next job runs.
        GenerationOutput remote;
        const GenerationOutput local = both(job(fastParams(Mode::TextToImage, "after", 2), 6), &remote);
        QVERIFY(remote.images.at(0) == local.images.at(0));
    }

    void killedServerFailsTheJobAndTheNextRestartsIt() {
        GenerationParams p = fastParams(Mode::TextToImage, "doomed", 1);
        p.sampling.decoder_steps = 1000;
        const int starts = m_remote->child()->starts();
        const pid_t pid = m_remote->child()->pid();
        QString message;
        try {
            m_remote->run(job(p, 7), [&](const ProgressUpdate& u) {
                if (u.stage == unclip::pipeline::Stage::Decoder && u.step == 2) ::kill(pid, SIGKILL);
            });
        } catch (const GenerationCancelled&) {
            message = "cancelled";
        } catch (const std::exception& e) {
            message = QString::fromUtf8(e.what());
        }
        QVERIFY2(message.contains("the server at http://127.0.0.1:"), qPrintable(message));
        GenerationOutput remote;
        const GenerationOutput local = both(job(fastParams(Mode::TextToImage, "reborn", 4), 8), &remote);
        QCOMPARE(m_remote->child()->starts(), starts + 1);
        QVERIFY(remote.images.at(0) == local.images.at(0));
    }

    void theEditorGeneratesThroughTheServerProgram() {
        InferenceController controller;
        MainWindow window{&controller};
        window.setAskBeforeDiscarding(false);
        QSignalSpy loaded(&controller, &InferenceController::modelLoaded);
        controller.setModelSettings(programSettings());  // loaded with the first job
        window.promptPanel()->setParams(fastParams(Mode::TextToImage, "a tree", 9));
        window.promptPanel()->setSeedLocked(true);
        window.action("generate")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.resultsPanel()->count() >= 1 || window.lastMessageBox(), 60000);
        QVERIFY2(!window.lastMessageBox(), qPrintable(window.lastMessageBox() ? window.lastMessageBox()->text() : QString()));
        QCOMPARE(loaded.count(), 1);
        QVERIFY2(loaded.at(0).at(0).toString().contains("local server program"), qPrintable(loaded.at(0).at(0).toString()));

        // The server program killed mid-job: that job fails naming the server, the results and the
        // document stay; the next Generate starts the program again and succeeds.
        const QImage before = window.document()->image();
        QSignalSpy failed(&controller, &InferenceController::jobFailed);
        QSignalSpy progress(&controller, &InferenceController::progress);
        GenerationParams slow = fastParams(Mode::TextToImage, "doomed", 3);
        slow.sampling.decoder_steps = 1000;
        window.promptPanel()->setParams(slow);
        window.action("generate")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
        // The editor's own server program (the test's backend has another).
        const pid_t child = childNamed("unclip", m_remote->child()->pid());
        QVERIFY(child > 0);
        ::kill(child, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
        QVERIFY2(failed.at(0).at(1).toString().contains("the server at http://127.0.0.1:"), qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(window.resultsPanel()->count(), 1);
        QVERIFY(window.document()->image() == before);
        if (window.lastMessageBox()) window.lastMessageBox()->close();
        const int boxesBefore = failed.count();
        window.promptPanel()->setParams(fastParams(Mode::TextToImage, "again", 4));
        window.action("generate")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.resultsPanel()->count() >= 2 || failed.count() > boxesBefore, 60000);
        QCOMPARE(failed.count(), boxesBefore);
        const pid_t restarted = childNamed("unclip", m_remote->child()->pid());
        QVERIFY(restarted > 0 && restarted != child);
    }

    void settingsOfferTheServerAndTestShowsItsInfo() {
        SettingsDialog d;
        d.setModelSettings(ModelSettings{});
        auto* where = d.findChild<QComboBox*>("inferenceWhere");
        QVERIFY(where);
        QCOMPARE(where->currentData().toString(), QStringLiteral("local"));  // the default
        where->setCurrentIndex(where->findData("server"));
        d.findChild<QLineEdit*>("serverUrl")->setText(QString::fromStdString(m_remote->child()->url()));
        d.findChild<QLineEdit*>("serverToken")->setText("wrong");
        d.findChild<QPushButton*>("serverTest")->click();
        const QString refused = d.findChild<QLabel*>("serverInfo")->text();
        QVERIFY2(refused.contains("401"), qPrintable(refused));
        d.findChild<QLineEdit*>("serverToken")->setText(QString::fromStdString(m_remote->child()->token()));
        d.findChild<QPushButton*>("serverTest")->click();
        const QString info = d.findChild<QLabel*>("serverInfo")->text();
        QVERIFY2(info.contains("on cpu, float32") && info.contains("text2img"), qPrintable(info));
        const ModelSettings s = d.modelSettings();
        QCOMPARE(s.inference, QStringLiteral("server"));
        QCOMPARE(s.serverUrl, QString::fromStdString(m_remote->child()->url()));
        // A server backend with these settings runs jobs as the managed one does.
        RemoteBackend viaUrl;
        viaUrl.load(s, QString());
        GenerationOutput remote = viaUrl.run(job(fastParams(Mode::TextToImage, "by url", 5), 9), [](const ProgressUpdate&) {});
        const GenerationOutput local = m_local->run(job(fastParams(Mode::TextToImage, "by url", 5), 9), [](const ProgressUpdate&) {});
        QVERIFY(remote.images.at(0) == local.images.at(0));
    }

    void cleanupTestCase() {
        m_remote.reset();  // stops the child (SIGTERM)
    }
};

QTEST_MAIN(TestRemoteInference)
#include "test_remote_inference.moc"
