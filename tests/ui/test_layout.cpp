// SPDX-License-Identifier: GPL-3.0-or-later
// The editor fits the screens artists paint on: the window opens inside the available screen
// area at 1280 × 720, 1366 × 768 and 1920 × 1080, at device pixel ratio 1 and 1.5, in English and
// German, in every generation mode and with each dock raised in turn; no visible widget leaves its
// parent, overlaps a sibling or is squeezed below its minimum size; the window does not grow by
// itself; View > Reset Layout and the per-screen layout memory work.
//
// Each screen is a separate run of this program on the offscreen platform with a screen of that
// size (a platform is chosen once per process): the test "eachScreen" starts them.
#include "tests/ui/ui_test_support.h"
#include "ui/app/translations.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/settings/appsettings.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QMainWindow>
#include <QMenu>
#include <QProcess>
#include <QScreen>
#include <QToolButton>
#include <QUndoView>
#include <QtTest>

using namespace unclip::ui;
using unclip::pipeline::Mode;

namespace {

// "1280x720@1.5" -> logical size and device pixel ratio of the screen of this run.
constexpr const char* kScreenVariable = "UNCLIP_LAYOUT_SCREEN";

QString describe(const QWidget* w) {
    QStringList path;
    for (const QWidget* p = w; p; p = p->parentWidget()) {
        path.prepend(QStringLiteral("%1(%2)").arg(QString::fromLatin1(p->metaObject()->className()), p->objectName()));
        if (p->isWindow()) break;
    }
    return path.join(" > ");
}

QString rectText(const QRect& r) {
    return QStringLiteral("%1,%2 %3×%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// The smallest size the widget's layout can give it (what QLayout itself honours).
QSize effectiveMinimum(const QWidget* w) {
    QSize hint = w->minimumSizeHint();
    const QSize set = w->minimumSize();
    QSize min(set.width() > 0 ? set.width() : hint.width(), set.height() > 0 ? set.height() : hint.height());
    const QSizePolicy policy = w->sizePolicy();
    // Ignored: the widget asks to be given any size; heightForWidth: its height follows its width.
    if (policy.horizontalPolicy() == QSizePolicy::Ignored) min.setWidth(0);
    if (policy.verticalPolicy() == QSizePolicy::Ignored || w->hasHeightForWidth()) min.setHeight(0);
    return min.boundedTo(w->maximumSize());
}

// The content widget of a scroll area may be larger than its viewport: that is scrolling.
bool isScrolledContent(const QWidget* w) {
    const QWidget* viewport = w->parentWidget();
    const auto* area = viewport ? qobject_cast<const QAbstractScrollArea*>(viewport->parentWidget()) : nullptr;
    return area && area->viewport() == viewport;
}

void checkTree(const QWidget* parent, QStringList* problems) {
    QList<const QWidget*> shown;
    for (const QObject* o : parent->children()) {
        const auto* w = qobject_cast<const QWidget*>(o);
        if (!w || w->isWindow() || !w->isVisible()) continue;
        // A dock behind another one's tab is kept "visible" off the window: not on screen.
        const auto* dock = qobject_cast<const QDockWidget*>(w);
        const auto* window = qobject_cast<const QMainWindow*>(parent);
        if (dock && window && !window->tabifiedDockWidgets(const_cast<QDockWidget*>(dock)).isEmpty() &&
            w->visibleRegion().isEmpty())
            continue;
        shown.append(w);
    }
    for (const QWidget* w : shown) {
        const QRect g = w->geometry();
        if (!isScrolledContent(w) && !parent->rect().contains(g))
            problems->append(QStringLiteral("%1 at %2 leaves its parent (%3)")
                                 .arg(describe(w), rectText(g), rectText(parent->rect())));
        // Qt's own parts of a composite widget (a spin box's editor, a dock's title buttons) are
        // placed by their owner's style, not by a layout: only their place is checked.
        const QSize min = w->objectName().startsWith("qt_") ? QSize(0, 0) : effectiveMinimum(w);
        if (g.width() < min.width() || g.height() < min.height())
            problems->append(QStringLiteral("%1 is %2×%3, below its minimum %4×%5")
                                 .arg(describe(w))
                                 .arg(g.width())
                                 .arg(g.height())
                                 .arg(min.width())
                                 .arg(min.height()));
    }
    for (int i = 0; i < shown.size(); ++i)
        for (int j = i + 1; j < shown.size(); ++j)
            if (shown[i]->geometry().intersects(shown[j]->geometry()))
                problems->append(QStringLiteral("%1 at %2 overlaps %3 at %4")
                                     .arg(describe(shown[i]), rectText(shown[i]->geometry()), describe(shown[j]),
                                          rectText(shown[j]->geometry())));
    for (const QWidget* w : shown) checkTree(w, problems);
}

}  // namespace

class TestLayout : public QObject {
    Q_OBJECT

    bool onScreenRun() const { return qEnvironmentVariableIsSet(kScreenVariable); }

    // Lays out and checks the whole window; the message lists every problem found.
    void expectTidy(MainWindow& w, const QString& when) {
        QCoreApplication::processEvents();
        QTest::qWait(20);  // docks animate nothing offscreen, but layouts settle through events
        QCoreApplication::processEvents();
        const QRect available = w.screen()->availableGeometry();
        QStringList problems;
        if (!available.contains(w.frameGeometry()))
            problems.append(QStringLiteral("the window %1 leaves the screen %2")
                                .arg(rectText(w.frameGeometry()), rectText(available)));
        checkTree(&w, &problems);
        for (const QString& p : problems) qWarning("%s: %s", qPrintable(when), qPrintable(p));
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1: %2 problem(s), listed above").arg(when).arg(problems.size())));
    }

private Q_SLOTS:
    void initTestCase() { unclip::test::isolateSettings(); }

    // The driver: this program again for each screen, each run checking everything below.
    void eachScreen_data() {
        QTest::addColumn<QString>("screen");
        for (const char* size : {"1280x720", "1366x768", "1920x1080"})
            for (const char* ratio : {"1", "1.5"}) {
                const QString s = QStringLiteral("%1@%2").arg(QLatin1String(size), QLatin1String(ratio));
                QTest::newRow(qPrintable(s)) << s;
            }
    }
    void eachScreen() {
        if (onScreenRun()) QSKIP("runs in the driver only");
        QFETCH(QString, screen);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(kScreenVariable, screen);
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QCoreApplication::applicationFilePath(), {"-maxwarnings", "0"});
        QVERIFY(p.waitForFinished(240000));
        const QString out = QString::fromLocal8Bit(p.readAll());
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) qWarning("%s", qPrintable(out));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, "the run for this screen failed (its output is above)");
        QVERIFY2(out.contains("PASS   : TestLayout::opensInsideTheScreen()"), qPrintable(out));
    }

    void opensInsideTheScreen() {
        if (!onScreenRun()) QSKIP("runs on a screen of its own (see eachScreen)");
        const QStringList spec = qEnvironmentVariable(kScreenVariable).split('@');
        const QStringList wh = spec.value(0).split('x');
        const QSize logical(wh.value(0).toInt(), wh.value(1).toInt());
        const double ratio = spec.value(1).toDouble();
        QScreen* screen = QGuiApplication::primaryScreen();
        QCOMPARE(screen->availableGeometry().size(), logical);
        QCOMPARE(screen->devicePixelRatio(), ratio);

        MainWindow w;
        w.setAskBeforeDiscarding(false);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(w.minimumSizeHint().width() <= logical.width() && w.minimumSizeHint().height() <= logical.height(),
                 qPrintable(QStringLiteral("minimum %1×%2").arg(w.minimumSizeHint().width()).arg(w.minimumSizeHint().height())));
        // A first start takes the available screen area (a little less is fine: the frame).
        QVERIFY2(w.frameGeometry().width() >= logical.width() - 16 && w.frameGeometry().height() >= logical.height() - 40,
                 qPrintable(rectText(w.frameGeometry())));
        const QSize size = w.size();
        // The History dock shows a useful stretch of steps (not three rows).
        auto* history = w.findChild<QUndoView*>("history");
        QVERIFY(history && history->sizeHintForRow(0) > 0);
        QVERIFY2(history->viewport()->height() >= 5 * history->sizeHintForRow(0),
                 qPrintable(QStringLiteral("%1 px for rows of %2 px").arg(history->viewport()->height()).arg(history->sizeHintForRow(0))));

        // Every dock open: the docks sharing a place are raised one after another.
        const QList<QDockWidget*> docks = w.findChildren<QDockWidget*>();
        QVERIFY(docks.size() >= 7);
        for (QDockWidget* d : docks) {
            d->show();
            d->raise();
            expectTidy(w, QStringLiteral("English, %1 raised").arg(d->objectName()));
        }
        auto* prompt = w.findChild<QDockWidget*>("promptDock");
        prompt->raise();
        // The per-stage settings fold out, and every mode's own fields show: nothing grows.
        w.promptPanel()->setStagesExpanded(true);
        for (int m = 0; m < 5; ++m) {
            w.promptPanel()->setMode(editorModes().at(m));
            expectTidy(w, QStringLiteral("English, mode %1, stages open").arg(m));
            QCOMPARE(w.size(), size);
        }
        // Kandinsky 2.2's controls (output size; no super-res steps, no quick candidates).
        ModelInfo kandinsky;
        kandinsky.family = QString::fromLatin1(kKandinskyFamily);
        kandinsky.title = QStringLiteral("Kandinsky 2.2");
        kandinsky.imageSize = 512;
        kandinsky.sizeStep = 64;
        kandinsky.defaults.sampling.decoder_steps = 100;
        kandinsky.defaults.sampling.decoder_guidance = 4.0;
        w.promptPanel()->setModelInfo(kandinsky);
        for (int m = 0; m < 5; ++m) {
            w.promptPanel()->setMode(editorModes().at(m));
            expectTidy(w, QStringLiteral("English, Kandinsky 2.2, mode %1, stages open").arg(m));
            QCOMPARE(w.size(), size);
        }
        w.promptPanel()->setMode(Mode::TextToImage);
        // A job's progress and a long message under Generate: the panel scrolls, nothing grows.
        w.promptPanel()->showProgress(QStringLiteral("Decoder 12 / 25 · 0:12 · about 0:31 left"), 12, 25);
        w.promptPanel()->showFeedback(QStringLiteral("Paint the area to regenerate with the mask brush first, then "
                                                     "press Generate again; the status bar says the same"),
                                      PromptPanel::Feedback::Warning);
        expectTidy(w, "English, progress and a message in the Prompt panel");
        QCOMPARE(w.size(), size);
        QCOMPARE(installTranslations("de"), QStringLiteral("de"));
        for (QDockWidget* d : docks) {
            d->raise();
            expectTidy(w, QStringLiteral("German, %1 raised").arg(d->objectName()));
        }
        QCOMPARE(w.size(), size);
        installTranslations("en");
        w.promptPanel()->setStagesExpanded(false);
        w.promptPanel()->setMode(Mode::TextToImage);

        // Reset Layout brings floated and closed docks back into the window.
        auto* results = w.findChild<QDockWidget*>("resultsDock");
        results->setFloating(true);
        prompt->close();
        QVERIFY(!prompt->isVisible());
        w.action("resetLayout")->trigger();
        QVERIFY(!results->isFloating());
        QVERIFY(prompt->isVisible() && results->isVisible());
        expectTidy(w, "after Reset Layout");

        // The layout is kept for this screen size.
        QVERIFY(w.close());
        const QString key = QStringLiteral("%1x%2").arg(logical.width()).arg(logical.height());
        QVERIFY(!settings::windowState(key).isEmpty());
        MainWindow again;
        again.setAskBeforeDiscarding(false);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), size);
        expectTidy(again, "reopened");
        again.close();
    }
};

int main(int argc, char** argv) {
    // A run for one screen: an offscreen screen of that many device pixels, scaled by the ratio.
    std::unique_ptr<QTemporaryDir> configDir;
    const QString spec = qEnvironmentVariable(kScreenVariable);
    if (!spec.isEmpty()) {
        const QStringList parts = spec.split('@');
        const QStringList wh = parts.value(0).split('x');
        const double ratio = parts.value(1, "1").toDouble();
        configDir = std::make_unique<QTemporaryDir>();
        const QString config = configDir->filePath("screen.json");
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly)) return 2;
        f.write(QStringLiteral(R"({"screens":[{"name":"laptop","x":0,"y":0,"width":%1,"height":%2,"logicalDpi":96}]})")
                    .arg(qRound(wh.value(0).toInt() * ratio))
                    .arg(qRound(wh.value(1).toInt() * ratio))
                    .toUtf8());
        f.close();
        qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toLocal8Bit());
        qputenv("QT_SCALE_FACTOR", QByteArray::number(ratio));
        qputenv("QT_ENABLE_HIGHDPI_SCALING", "1");
    }
    QApplication app(argc, argv);
    TestLayout test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_layout.moc"
