// SPDX-License-Identifier: GPL-3.0-or-later
// The German translation: it loads, known strings come out in German in the real window, the
// .ts file has no unfinished entries, and switching back to English works. A live switch renames
// everything already on screen: the embedding panels (also their state-dependent captions), the
// History dock's steps made before the switch, and the plots' legends and axis labels.
#include "tests/ui/ui_test_support.h"
#include "ui/app/translations.h"
#include "ui/document/applyresult.h"
#include "ui/document/document.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/imageslot.h"
#include "ui/panels/interpolationpanel.h"
#include "ui/panels/plotspanel.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/panels/qcustomplot_include.h"
#include "ui/panels/textdiffpanel.h"
#include "ui/panels/variationspanel.h"

#include <QAction>
#include <QDockWidget>
#include <QPushButton>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QMenuBar>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QXmlStreamReader>
#include <QtTest>

using namespace unclip::ui;
using unclip::pipeline::Mode;

namespace {
// The label that names `field` (its mnemonic focuses it).
QLabel* labelFor(QWidget* panel, QWidget* field) {
    for (QLabel* l : panel->findChildren<QLabel*>())
        if (l->buddy() == field) return l;
    return nullptr;
}
}  // namespace

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
        auto* apply = w.resultsPanel()->findChild<QPushButton*>("applyButton");
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

    void switchingLanguageRetranslatesTheEmbeddingPanels() {
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        auto* variations = w.findChild<VariationsPanel*>();
        auto* interpolation = w.findChild<InterpolationPanel*>();
        auto* textDiff = w.findChild<TextDiffPanel*>();
        QVERIFY(variations && interpolation && textDiff);
        auto* make = variations->findChild<QPushButton*>("generateButton");
        auto* count = labelFor(variations, variations->findChild<QSpinBox*>("count"));
        auto* open = variations->source()->findChild<QToolButton*>("openButton");
        auto* exportButton = interpolation->findChild<QPushButton*>("exportButton");
        auto* caption = interpolation->findChild<QLabel*>("frameCaption");  // says what is on display
        auto* after = textDiff->findChild<QLabel*>("afterCaption");         // says whether there is a preview
        auto* dock = w.findChild<QDockWidget*>("variationsDock");
        QVERIFY(make && count && open && exportButton && caption && after && dock);
        QCOMPARE(make->text(), QStringLiteral("Ma&ke variations"));
        QCOMPARE(count->text(), QStringLiteral("&Count:"));
        QCOMPARE(variations->source()->title(), QStringLiteral("Image to vary"));
        QCOMPARE(open->text(), QStringLiteral("Open…"));
        QCOMPARE(exportButton->text(), QStringLiteral("E&xport"));
        QCOMPARE(caption->text(), QStringLiteral("Render frames to scrub through them"));
        QCOMPARE(after->text(), QStringLiteral("Preview"));
        QCOMPARE(dock->windowTitle(), QStringLiteral("Variations"));

        w.setLanguage("de");
        QTRY_COMPARE(make->text(), QStringLiteral("Variationen erzeu&gen"));
        QCOMPARE(count->text(), QStringLiteral("An&zahl:"));
        QCOMPARE(variations->source()->title(), QStringLiteral("Zu variierendes Bild"));
        QCOMPARE(open->text(), QStringLiteral("Öffnen…"));
        QCOMPARE(exportButton->text(), QStringLiteral("E&xportieren"));
        QCOMPARE(caption->text(), QStringLiteral("Bilder berechnen, um durch sie zu fahren"));
        QCOMPARE(after->text(), QStringLiteral("Vorschau"));
        QCOMPARE(dock->windowTitle(), QStringLiteral("Variationen"));

        w.setLanguage("en");
        QTRY_COMPARE(make->text(), QStringLiteral("Ma&ke variations"));
        QCOMPARE(count->text(), QStringLiteral("&Count:"));
        QCOMPARE(open->text(), QStringLiteral("Open…"));
        QCOMPARE(caption->text(), QStringLiteral("Render frames to scrub through them"));
        QCOMPARE(dock->windowTitle(), QStringLiteral("Variations"));
    }

    void historyStepsMadeBeforeASwitchAreRenamed() {
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        // Three real steps: a mask command, Image > Canvas Size and an applied generation.
        w.action("invertMask")->trigger();
        QVERIFY(w.resizeCanvasTo(QMargins(0, 0, 64, 0), CanvasFill::Color, false));
        GenerationResult r;
        r.image = QImage(576, 512, QImage::Format_RGBA8888);
        r.image.fill(Qt::red);
        r.params.mode = Mode::TextToImage;
        r.params.prompt = QStringLiteral("a red apple");
        r.params.sampling.seed = 42;
        QString error;
        QVERIFY2(applyResult(w.document(), r, &error), qPrintable(error));
        auto* history = w.findChild<QUndoView*>("history");
        QVERIFY(history);
        QCOMPARE(history->model()->rowCount(), 4);  // "<Original picture>" and the three steps
        auto row = [history](int i) { return history->model()->index(i, 0).data(Qt::DisplayRole).toString(); };
        QCOMPARE(row(1), QStringLiteral("Invert mask"));
        QCOMPARE(row(2), QStringLiteral("Canvas size 576 × 512"));
        QCOMPARE(row(3), QStringLiteral("Text → image: ‘a red apple’, seed 42"));

        w.statusBar()->showMessage(QStringLiteral("Applied the result (seed 42)"));
        w.setLanguage("de");
        QTRY_COMPARE(row(1), QStringLiteral("Maske umkehren"));
        QVERIFY(w.statusBar()->currentMessage().isEmpty());  // no message left in the old language
        QCOMPARE(row(2), QStringLiteral("Leinwandgröße 576 × 512"));
        QCOMPARE(row(3), QStringLiteral("Text → Bild: ‚a red apple‘, Seed 42"));
        QCOMPARE(row(0), QStringLiteral("<Ursprüngliches Bild>"));
        QCOMPARE(w.action("undo")->text(), QStringLiteral("&Rückgängig: Text → Bild: ‚a red apple‘, Seed 42"));
        w.document()->undoStack()->undo();
        QCOMPARE(w.action("redo")->text(), QStringLiteral("&Wiederholen: Text → Bild: ‚a red apple‘, Seed 42"));
        QCOMPARE(w.action("undo")->text(), QStringLiteral("&Rückgängig: Leinwandgröße 576 × 512"));

        // A step made in German reads in English after switching back.
        w.action("clearMask")->trigger();
        QCOMPARE(row(3), QStringLiteral("Maske leeren"));
        w.setLanguage("en");
        QTRY_COMPARE(row(1), QStringLiteral("Invert mask"));
        QCOMPARE(row(2), QStringLiteral("Canvas size 576 × 512"));
        QCOMPARE(row(3), QStringLiteral("Clear mask"));
        QCOMPARE(w.action("undo")->text(), QStringLiteral("&Undo Clear mask"));
    }

    void plotLegendsAndAxisLabelsFollowASwitch() {
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        auto* plots = w.findChild<PlotsPanel*>();
        QVERIFY(plots);
        // What the Interpolation dock sends after scoring frames: A's image and B's text.
        InterpolationPanel::Similarity s;
        s.positions = {0.0, 0.5, 1.0};
        s.endpointB = {false, true};
        s.textSeries = {false, true};
        s.texts = {QString(), QStringLiteral("a dog")};
        s.values = {{0.9, 0.6, 0.3}, {0.2, 0.5, 0.8}};
        plots->setSimilarity(s);
        plots->setTimings({{unclip::pipeline::Stage::Prior, 1, 2, 100.0}, {unclip::pipeline::Stage::Prior, 2, 2, 200.0}, {unclip::pipeline::Stage::SuperRes, 1, 1, 1250.0}},
                          Mode::Variation);
        QCustomPlot* similarity = plots->similarityPlot();
        QCustomPlot* timing = plots->timingPlot();
        auto* timingTitle = plots->findChild<QLabel*>("timingTitle");
        QVERIFY(timingTitle);
        QCOMPARE(similarity->graphCount(), 2);
        QCOMPARE(similarity->legend->itemCount(), 2);
        QCOMPARE(timing->plottableCount(), 2);
        QCOMPARE(similarity->graph(0)->name(), QStringLiteral("A (image)"));
        QCOMPARE(similarity->graph(1)->name(), QStringLiteral("B: “a dog”"));
        QCOMPARE(similarity->yAxis->label(), QStringLiteral("CLIP similarity"));
        QCOMPARE(timing->plottable(1)->name(), QStringLiteral("Super-resolution"));
        QCOMPARE(timing->xAxis->label(), QStringLiteral("step"));
        QCOMPARE(timingTitle->text(), QStringLiteral("Time per step of the last run: Variations, 1.25 s in all"));

        w.setLanguage("de");
        QTRY_COMPARE(similarity->graph(0)->name(), QStringLiteral("A (Bild)"));
        QCOMPARE(similarity->graph(1)->name(), QStringLiteral("B: „a dog“"));
        QCOMPARE(similarity->xAxis->label(), QStringLiteral("Interpolationsposition (A → B)"));
        QCOMPARE(similarity->yAxis->label(), QStringLiteral("CLIP-Ähnlichkeit"));
        QCOMPARE(timing->plottable(1)->name(), QStringLiteral("Hochskalierung"));
        QCOMPARE(timing->xAxis->label(), QStringLiteral("Schritt"));
        QCOMPARE(timingTitle->text(),
                 QStringLiteral("Zeit pro Schritt des letzten Laufs: Variationen, insgesamt 1.25 s"));
        // The legend draws the graphs' names: same entries, now in German.
        auto* entry = qobject_cast<QCPPlottableLegendItem*>(similarity->legend->item(0));
        QVERIFY(entry && entry->plottable()->name() == QStringLiteral("A (Bild)"));

        w.setLanguage("en");
        QTRY_COMPARE(similarity->graph(0)->name(), QStringLiteral("A (image)"));
        QCOMPARE(similarity->yAxis->label(), QStringLiteral("CLIP similarity"));
        QCOMPARE(timing->plottable(1)->name(), QStringLiteral("Super-resolution"));
    }

    void qtsOwnWordsAreGermanToo() {
        // Qt's dialogs and key names come from qtbase_de.qm (Debian: qt6-translations-l10n).
        QCOMPARE(installTranslations("de"), QStringLiteral("de"));
        QMessageBox box(QMessageBox::Warning, QStringLiteral("t"), QStringLiteral("x"),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        QVERIFY2(box.button(QMessageBox::Save)->text().contains(QStringLiteral("Speichern")),
                 "Qt's translations are not installed or not loaded (Debian: qt6-translations-l10n)");
        QVERIFY(box.button(QMessageBox::Cancel)->text().contains(QStringLiteral("Abbrechen")));
        QCOMPARE(QKeySequence(Qt::CTRL | Qt::Key_S).toString(QKeySequence::NativeText), QStringLiteral("Strg+S"));
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
        QCOMPARE(QKeySequence(Qt::CTRL | Qt::Key_S).toString(QKeySequence::NativeText), QStringLiteral("Ctrl+S"));
    }

    void germanPromptHintAsksForEnglish() {
        // The model reads English: the German hint must not invite a German prompt.
        QCOMPARE(installTranslations("de"), QStringLiteral("de"));
        {
            MainWindow w;
            w.setAskBeforeDiscarding(false);
            auto* prompt = w.promptPanel()->findChild<QPlainTextEdit*>("prompt");
            QVERIFY(prompt);
            QVERIFY2(prompt->placeholderText().contains(QStringLiteral("Englisch")), qPrintable(prompt->placeholderText()));
        }
        QCOMPARE(installTranslations("en"), QStringLiteral("en"));
    }

    void numbersFollowOneLocale() {
        // A German locale writes 0,50 in the spin boxes: the labels beside them must not say 0.50.
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        {
            MainWindow w;
            w.setAskBeforeDiscarding(false);
            auto* variations = w.findChild<VariationsPanel*>();
            variations->setStructure(0.5);
            auto* value = variations->findChild<QLabel*>("structureValue");
            QVERIFY(value);
            QCOMPARE(value->text(), QStringLiteral("0,50"));
        }
        QLocale::setDefault(before);
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
