// The German translation: it loads, known strings come out in German in the real window, the
// .ts file has no unfinished entries, and switching back to English works.
#include "tests/ui/ui_test_support.h"
#include "ui/app/translations.h"
#include "ui/mainwindow/mainwindow.h"

#include <QAction>
#include <QDockWidget>
#include <QPushButton>
#include <QFile>
#include <QMenuBar>
#include <QXmlStreamReader>
#include <QtTest>

using namespace unclip::ui;

class TestTranslation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { unclip::test::isolateSettings(); }

    void germanLoadsAndTranslatesTheWindow() {
        QCOMPARE(installTranslations("de"), QStringLiteral("de"));
        QCOMPARE(QCoreApplication::translate("unclip::ui::MainWindow", "&File"), QStringLiteral("&Datei"));
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        QCOMPARE(w.menuBar()->actions().value(0)->text(), QStringLiteral("&Datei"));
        QCOMPARE(w.action("open")->text(), QStringLiteral("Ö&ffnen…"));
        QCOMPARE(w.action("generate")->text(), QStringLiteral("&Erzeugen"));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Unbenannt")));
    }

    void englishIsTheSourceLanguage() {
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("unclip::ui::MainWindow", "&File"), QStringLiteral("&File"));
        // An unknown language falls back to the source strings.
        QCOMPARE(installTranslations("xx"), QStringLiteral("en"));
    }

    void switchingLanguageRetranslatesTheOpenWindow() {
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        QCOMPARE(w.action("open")->text(), QStringLiteral("&Open…"));
        auto* apply = w.findChild<QPushButton*>("applyButton");
        auto* history = w.findChild<QDockWidget*>("historyDock");
        QVERIFY(apply && history);
        QCOMPARE(apply->text(), QStringLiteral("&Apply"));
        // Settings > Language applies at once: no restart.
        w.setLanguage("de");
        // Qt posts LanguageChange to the windows: it arrives with the next event loop turn.
        QTRY_COMPARE(w.menuBar()->actions().value(0)->text(), QStringLiteral("&Datei"));
        QCOMPARE(w.action("open")->text(), QStringLiteral("Ö&ffnen…"));
        QCOMPARE(w.action("undo")->text(), QStringLiteral("&Rückgängig"));
        QCOMPARE(apply->text(), QStringLiteral("&Übernehmen"));
        QCOMPARE(history->windowTitle(), QCoreApplication::translate("unclip::ui::MainWindow", "History"));
        QVERIFY(history->windowTitle() != QStringLiteral("History"));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Unbenannt")));
        w.setLanguage("en");
        QTRY_COMPARE(w.action("open")->text(), QStringLiteral("&Open…"));
        QCOMPARE(apply->text(), QStringLiteral("&Apply"));
        QCOMPARE(history->windowTitle(), QStringLiteral("History"));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Untitled")));
    }

    void theTsFileIsComplete() {
        QFile f(UNCLIP_TS_FILE);
        QVERIFY2(f.open(QIODevice::ReadOnly), UNCLIP_TS_FILE);
        QXmlStreamReader xml(&f);
        int messages = 0;
        QStringList unfinished;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const QString type = xml.attributes().value("type").toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (type == "unfinished" || (text.isEmpty() && type != "vanished" && type != "obsolete"))
                    unfinished << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY2(messages > 150, qPrintable(QString::number(messages)));
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(" | ")));
    }
};

QTEST_MAIN(TestTranslation)
#include "test_translation.moc"
