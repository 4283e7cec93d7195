// SPDX-License-Identifier: GPL-3.0-or-later
// Saving without losing work: .ora saves are atomic and keep the previous version as "<name>.ora~";
// a save that fails (disk full through RLIMIT_FSIZE, a parent that is a file, a folder where the
// file should be) leaves the old file byte-identical and says so in the window; PNG export is
// atomic too. File > Save runs in the background: the GUI thread keeps processing events while a
// 4096 x 4096 document is written, edits made meanwhile stay (and keep the window modified), and
// quitting waits for the save in flight. Absurd canvas sizes and decompression bombs are refused
// with a message.
#include "tests/ui/ui_test_support.h"
#include "ui/document/autosave.h"
#include "ui/document/document.h"
#include "ui/document/maskops.h"
#include "ui/fileformats/documentio.h"
#include "ui/fileformats/oraformat.h"
#include "ui/fileformats/safesave.h"
#include "ui/mainwindow/mainwindow.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace unclip::ui;
using namespace unclip::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// While alive, no file of this process may grow beyond `bytes`: writes past it fail with EFBIG,
// which is what a full disk looks like to the program (SIGXFSZ is ignored so it is not killed).
class DiskFull {
public:
    explicit DiskFull(rlim_t bytes) {
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit l = m_old;
        l.rlim_cur = bytes;
        m_ok = setrlimit(RLIMIT_FSIZE, &l) == 0;
    }
    ~DiskFull() {
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_oldHandler);
    }
    bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    void (*m_oldHandler)(int) = nullptr;
    bool m_ok = false;
};

// The longest the GUI thread's event loop may stall during a background save (a loaded 2-core
// machine; sanitizer builds run several times slower).
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr qint64 kMaxGapMs = 6000;
#else
constexpr qint64 kMaxGapMs = 1500;
#endif

QString fuzzCorpus(const QString& name) {
    return QStringLiteral(UNCLIP_TEST_DATA_DIR "/../../../fuzz/") + (name.contains('/') ? name : "corpus/ora/" + name);
}

}  // namespace

class TestSaving : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_w;

    Document* doc() { return m_w->document(); }
    QString errorText() { return m_w->lastMessageBox() ? m_w->lastMessageBox()->text() : QString(); }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        QSettings().setValue("autosave/enabled", false);  // test_recovery covers autosave
        QVERIFY(m_tmp.isValid());
    }

    void init() {
        m_w = std::make_unique<MainWindow>();
        m_w->setAskBeforeDiscarding(false);
        m_w->resize(1000, 700);
        m_w->show();
    }

    void cleanup() {
        if (m_w) m_w->close();
        m_w.reset();
    }

    void saveIsAtomicAndKeepsThePreviousVersion() {
        const QString path = m_tmp.filePath("backup.ora");
        m_w->newDocument(QSize(64, 48));
        QVERIFY(m_w->saveTo(path));
        QVERIFY(!QFile::exists(backupPathFor(path)));  // nothing to keep the first time
        const QByteArray v1 = readAll(path);
        fillMask(doc());
        QVERIFY(m_w->isWindowModified());
        QVERIFY(m_w->saveTo(path));
        QVERIFY(!m_w->isWindowModified());
        QCOMPARE(readAll(backupPathFor(path)), v1);  // the previous version, byte for byte
        DocumentContent now;
        QString error;
        QVERIFY2(loadOra(path, &now, &error), qPrintable(error));
        QCOMPARE(int(now.mask.constScanLine(10)[10]), 255);
        const QByteArray v2 = readAll(path);
        invertMask(doc());
        QVERIFY(m_w->saveTo(path));
        QCOMPARE(readAll(backupPathFor(path)), v2);  // one backup: the version before the last save
        // No temporary files are left beside it.
        QCOMPARE(QDir(m_tmp.path()).entryList({"backup.ora*"}, QDir::Files).size(), 2);
    }

    void failedSaveLeavesTheOldFileIntact_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("disk full (EFBIG)") << "diskfull";
        QTest::newRow("parent is a file") << "parentfile";
        QTest::newRow("folder where the file should be") << "folder";
    }
    void failedSaveLeavesTheOldFileIntact() {
        QFETCH(QString, how);
        const QString dir = m_tmp.filePath("fail-" + how);
        QDir().mkpath(dir);
        QString path = dir + "/doc.ora";
        m_w->newDocument(QSize(32, 32));
        QVERIFY(m_w->saveTo(path));
        const QByteArray before = readAll(path);
        // A picture that compresses badly: the new file is far larger than the old one.
        m_w->pasteImage(randomImage(QSize(256, 256), QImage::Format_RGBA8888, 7));
        QVERIFY(m_w->isWindowModified());
        bool ok = true;
        if (how == "diskfull") {
            DiskFull full(rlim_t(before.size()) + 4096);
            QVERIFY(full.ok());
            ok = m_w->saveTo(path);
        } else if (how == "parentfile") {
            QFile blocker(dir + "/plain-file");
            QVERIFY(blocker.open(QIODevice::WriteOnly));
            blocker.write("x");
            blocker.close();
            path = dir + "/plain-file/doc.ora";
            ok = m_w->saveTo(path);
        } else {
            QVERIFY(QDir().mkpath(dir + "/folder.ora"));
            path = dir + "/folder.ora";
            ok = m_w->saveTo(path);
            QVERIFY(QFileInfo(path).isDir());
        }
        QVERIFY(!ok);
        QVERIFY(m_w->isWindowModified());  // still unsaved
        QVERIFY(errorText().contains(QFileInfo(path).fileName()));
        QVERIFY2(errorText().contains("not changed"), qPrintable(errorText()));
        if (how == "diskfull") QVERIFY2(errorText().contains("large", Qt::CaseInsensitive) ||
                                            errorText().contains("space", Qt::CaseInsensitive),
                                        qPrintable(errorText()));
        QCOMPARE(readAll(dir + "/doc.ora"), before);  // byte-identical
        // Nothing half-written is left behind.
        const QStringList left = QDir(dir).entryList(QDir::Files);
        for (const QString& f : left) QVERIFY2(f == "doc.ora" || f == "plain-file", qPrintable(f));
        // And the next save to a good place works.
        QVERIFY(m_w->saveTo(dir + "/doc.ora"));
        QVERIFY(!m_w->isWindowModified());
    }

    void exportPngIsAtomic() {
        const QString path = m_tmp.filePath("export.png");
        m_w->newDocument(QSize(16, 16));
        QVERIFY(m_w->exportPngTo(path));
        const QByteArray before = readAll(path);
        m_w->pasteImage(randomImage(QSize(300, 300), QImage::Format_RGBA8888, 3));
        {
            DiskFull full(rlim_t(before.size()) + 4096);
            QVERIFY(full.ok());
            QVERIFY(!m_w->exportPngTo(path));
        }
        QVERIFY(errorText().contains("export.png"));
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(m_tmp.path()).entryList({"export.png*"}, QDir::Files), QStringList{"export.png"});
        QVERIFY(m_w->exportPngTo(path));
        QCOMPARE(QImage(path).size(), QSize(300, 300));
    }

    // File > Save on a 4096 x 4096 picture: the action returns at once, the GUI thread keeps
    // running timers while the saver thread encodes, an edit made meanwhile is kept (and the
    // window stays modified), and the file holds the picture as it was when Save was pressed.
    void backgroundSaveKeepsTheWindowResponsive() {
        const QString path = m_tmp.filePath("large.ora");
        m_w->pasteImage(randomImage(QSize(4096, 4096), QImage::Format_RGBA8888, 11));
        doc()->setFilePath(path);
        const QImage snapshotImage = doc()->image().copy();
        QSignalSpy finished(m_w.get(), &MainWindow::saveFinished);

        QElapsedTimer clock;
        int ticks = 0;
        qint64 last = 0, maxGap = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            maxGap = std::max(maxGap, now - last);
            last = now;
            ++ticks;
        });
        clock.start();
        m_w->action("save")->trigger();
        const qint64 triggerMs = clock.elapsed();
        QVERIFY(m_w->isSaving());
        QVERIFY(m_w->statusBar()->currentMessage().contains("Saving"));
        last = clock.elapsed();
        ticker.start();
        QTest::qWait(50);
        invertMask(doc());  // an edit while the saver thread encodes
        last = clock.elapsed();  // the time the test itself spent inverting is not the saver's
        QVERIFY(m_w->isSaving());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        ticker.stop();
        const qint64 saveMs = clock.elapsed();
        qInfo("4096 x 4096 save: action returned after %lld ms, written after %lld ms; GUI timer ticked %d times, "
              "longest gap %lld ms",
              triggerMs, saveMs, ticks, maxGap);
        QCOMPARE(finished.at(0).at(1).toBool(), true);
        QVERIFY(triggerMs < 1000);
        QVERIFY(saveMs > 100);  // it really took a while...
        QVERIFY2(maxGap < kMaxGapMs, qPrintable(QString::number(maxGap)));  // ...and the event loop kept running
        QVERIFY(ticks >= 5);
        QVERIFY(m_w->isWindowModified());  // the inverted mask is not in the file
        QCOMPARE(int(doc()->mask().constScanLine(5)[5]), 255);
        DocumentContent saved;
        QString error;
        QVERIFY2(loadOra(path, &saved, &error), qPrintable(error));
        QVERIFY(samePixels(saved.image, snapshotImage));
        QCOMPARE(int(saved.mask.constScanLine(5)[5]), 0);
        QCOMPARE(doc()->filePath(), QFileInfo(path).absoluteFilePath());
        // Saving again (nothing changed in between) makes it clean.
        QVERIFY(m_w->saveTo(path));
        QVERIFY(!m_w->isWindowModified());
    }

    void quittingWaitsForTheSaveInFlight() {
        const QString path = m_tmp.filePath("quit.ora");
        m_w->pasteImage(randomImage(QSize(2048, 2048), QImage::Format_RGBA8888, 5));
        const QImage expected = doc()->image().copy();
        doc()->setFilePath(path);
        m_w->action("save")->trigger();
        QVERIFY(m_w->isSaving());
        QVERIFY(m_w->close());  // returns after the save has finished
        QVERIFY(!m_w->isSaving());
        DocumentContent saved;
        QString error;
        QVERIFY2(loadOra(path, &saved, &error), qPrintable(error));
        QVERIFY(samePixels(saved.image, expected));
    }

    void absurdCanvasSizesAreRefused() {
        m_w->newDocument(QSize(300, 200));
        for (const QSize& s : {QSize(100000, 100000), QSize(0, 10), QSize(-5, 10), QSize(20000, 20)}) {
            m_w->newDocument(s);
            QVERIFY2(errorText().contains("not possible"), qPrintable(errorText()));
            QCOMPARE(doc()->size(), QSize(300, 200));  // the picture is kept
            m_w->lastMessageBox()->close();
        }
        // Canvas Size (outpainting) has the same limit.
        const int undoSteps = doc()->undoStack()->count();
        QVERIFY(!m_w->resizeCanvasTo(QMargins(0, 0, 100000, 100000), CanvasFill::Color, false));
        QVERIFY2(errorText().contains("not possible"), qPrintable(errorText()));
        QCOMPARE(doc()->size(), QSize(300, 200));
        QCOMPARE(doc()->undoStack()->count(), undoSteps);
    }

    void decompressionBombsAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("says");
        QTest::newRow("PNG layer claims 100k x 100k") << "bomb_png_100k.ora" << "too large";
        QTest::newRow("stack.xml claims 100k x 100k") << "bomb_stack_100k.ora" << "too large";
        QTest::newRow("entry inflates 1000x") << "bomb_zip_inflate.ora" << "decompression bomb";
        // fuzz_ora's finding: libpng would allocate the 654 MB a chunk claims.
        QTest::newRow("PNG chunk claims 654 MB") << "regressions/ora/png_chunk_claims_654MB.ora"
                                                 << "runs past the end";
    }
    void decompressionBombsAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, says);
        const QString path = fuzzCorpus(file);
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QVERIFY(QFileInfo(path).size() < 300 * 1024);
        m_w->newDocument(QSize(40, 30));
        QElapsedTimer t;
        t.start();
        QVERIFY(!m_w->openFile(path));
        QVERIFY(t.elapsed() < 5000);
        QVERIFY2(errorText().contains(says, Qt::CaseInsensitive), qPrintable(errorText()));
        QCOMPARE(doc()->size(), QSize(40, 30));
    }
};

QTEST_MAIN(TestSaving)
#include "test_saving.moc"
