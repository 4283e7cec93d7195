// SPDX-License-Identifier: GPL-3.0-or-later
// Keys that work: every menu action's keys are unique and fire it when pressed in the window;
// Alt + each menu's underlined letter opens that menu in English and German, whichever panel is
// raised (no label or button in a dock takes the letter); the standard keys artists expect are
// there (Ctrl+Q, Ctrl+Shift+S, Ctrl+Y, Ctrl+C, F11, X, F1), and Save As writes PNG, JPEG and WebP.
#include "tests/ui/ui_test_support.h"
#include "ui/app/translations.h"
#include "ui/canvas/canvas.h"
#include "ui/document/document.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/shortcutsdialog.h"
#include "ui/panels/promptpanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDockWidget>
#include <QKeySequenceEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>
#include <QtTest>

#include <functional>
#include <memory>

using namespace unclip::ui;
using unclip::pipeline::Mode;

namespace {

// The actions of a menu and its submenus (the recent-files and recipes lists are built on
// demand and carry no keys).
void collectActions(QMenu* menu, QList<QAction*>* out) {
    for (QAction* a : menu->actions()) {
        if (a->isSeparator()) continue;
        if (a->menu()) collectActions(a->menu(), out);
        else out->append(a);
    }
}

QList<QAction*> menuActions(QMainWindow& w) {
    QList<QAction*> all;
    for (QAction* top : w.menuBar()->actions())
        if (top->menu()) collectActions(top->menu(), &all);
    return all;
}

// Presses `keys` the way a keyboard does: to the widget with the focus in the active window.
void press(const QKeySequence& keys) {
    QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : QApplication::activeWindow();
    QVERIFY(target);
    QTest::keySequence(target, keys);
}

}  // namespace

class TestShortcuts : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;
    QTimer m_closer;  // closes the dialogs some actions open (File > Open, New, Settings…)

    void showWindow() {
        m_window->show();
        m_window->activateWindow();
        // Offscreen, a closed dialog or menu stays the active window: hand it back explicitly.
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_window->canvas()->setFocus();
    }

private Q_SLOTS:
    void initTestCase() {
        unclip::test::isolateSettings();
        installTranslations("en");
        m_window = std::make_unique<MainWindow>();
        m_window->setAskBeforeDiscarding(false);
        showWindow();
        m_closer.setInterval(30);
        connect(&m_closer, &QTimer::timeout, this, [] {
            if (QWidget* modal = QApplication::activeModalWidget()) modal->close();
            for (QWidget* w : QApplication::topLevelWidgets())
                if (qobject_cast<QDialog*>(w) && w->isVisible()) w->close();
        });
    }

    void cleanupTestCase() {
        m_window->close();
        m_window.reset();
    }

    void standardKeysAreThere() {
        auto has = [this](const char* name, const QKeySequence& key) {
            QAction* a = m_window->action(QString::fromLatin1(name));
            return a && a->shortcuts().contains(key);
        };
        QVERIFY(has("quit", QKeySequence(Qt::CTRL | Qt::Key_Q)));
        QVERIFY(has("saveAs", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)));
        QVERIFY(has("redo", QKeySequence(Qt::CTRL | Qt::Key_Y)));
        QVERIFY(has("copy", QKeySequence(Qt::CTRL | Qt::Key_C)));
        QVERIFY(has("fullScreen", QKeySequence(Qt::Key_F11)));
        QVERIFY(has("swapTool", QKeySequence(Qt::Key_X)));
        QVERIFY(has("help", QKeySequence(Qt::Key_F1)));
        // Settings shows its key in the menu (the first key is the one a menu shows).
        QVERIFY(!m_window->action("settings")->shortcut().isEmpty());
    }

    void everyMenuKeyIsUniqueAndFires() {
        QHash<QKeySequence, QString> owner;
        const QList<QAction*> actions = menuActions(*m_window);
        QVERIFY(actions.size() >= 30);
        int fired = 0;
        m_window->promptPanel()->setMode(Mode::Inpaint);  // Generate refuses: no mask, no job
        m_closer.start();
        for (QAction* a : actions) {
            for (const QKeySequence& key : a->shortcuts()) {
                QVERIFY2(!key.isEmpty(), qPrintable(a->objectName()));
                QVERIFY2(!owner.contains(key), qPrintable(QStringLiteral("%1 is on both %2 and %3")
                                                              .arg(key.toString(), owner.value(key), a->objectName())));
                owner.insert(key, a->objectName());
                // A disabled action (Undo with nothing to undo, Cancel when idle) keeps its key
                // registered; enabled for the press, it must fire.
                const bool enabled = a->isEnabled();
                a->setEnabled(true);
                const bool checked = a->isChecked();
                QSignalSpy spy(a, &QAction::triggered);
                showWindow();
                press(key);
                QVERIFY2(spy.count() == 1, qPrintable(QStringLiteral("%1 did not fire %2").arg(key.toString(), a->objectName())));
                ++fired;
                QTest::qWait(10);
                if (a->isCheckable() && a->isChecked() != checked && a->objectName() != "brush") a->trigger();  // back
                a->setEnabled(enabled);
                if (m_window->isFullScreen()) m_window->showNormal();
                if (!m_window->isVisible()) showWindow();  // Quit closed it
            }
        }
        m_closer.stop();
        QVERIFY(fired >= 30);
        m_window->action("brush")->trigger();
    }

    void standardActionsDoTheirJob() {
        showWindow();
        // X swaps brush and eraser.
        m_window->action("brush")->trigger();
        press(QKeySequence(Qt::Key_X));
        QCOMPARE(m_window->canvas()->tool(), Tool::Eraser);
        press(QKeySequence(Qt::Key_X));
        QCOMPARE(m_window->canvas()->tool(), Tool::Brush);
        // Ctrl+C: the picture on the clipboard.
        QApplication::clipboard()->clear();
        press(QKeySequence(Qt::CTRL | Qt::Key_C));
        QCOMPARE(QApplication::clipboard()->image().size(), m_window->document()->size());
        // F11 in and out of full screen.
        press(QKeySequence(Qt::Key_F11));
        QTRY_VERIFY(m_window->isFullScreen());
        press(QKeySequence(Qt::Key_F11));
        QTRY_VERIFY(!m_window->isFullScreen());
        // F1: the help lists the keys.
        press(QKeySequence(Qt::Key_F1));
        auto* help = m_window->findChild<QDialog*>("helpDialog");
        QVERIFY(help && help->isVisible());
        help->close();
        showWindow();
    }

    void saveAsWritesPngJpegAndWebp() {
        QTemporaryDir dir;
        const QSize size = m_window->document()->size();
        for (const char* name : {"copy.png", "copy.jpg", "copy.webp"}) {
            const QString path = dir.filePath(QString::fromLatin1(name));
            QVERIFY2(m_window->exportImageTo(path), name);
            const QImage back(path);
            QVERIFY2(!back.isNull(), name);
            QCOMPARE(back.size(), size);
        }
        QVERIFY(!m_window->exportImageTo(dir.filePath("copy.tga")));
        QVERIFY(m_window->lastMessageBox() && m_window->lastMessageBox()->text().contains(".tga"));
        m_window->lastMessageBox()->close();
        showWindow();
    }

    void keysCanBeChangedAndAreKept() {
        QString conflict;
        auto edit = [&](const std::function<void(ShortcutsDialog*)>& what) {
            QTimer::singleShot(0, this, [&conflict, what] {
                auto* d = qobject_cast<ShortcutsDialog*>(QApplication::activeModalWidget());
                QVERIFY(d);
                what(d);
                if (d->isVisible()) d->reject();
            });
            m_window->action("shortcuts")->trigger();
            showWindow();
        };
        edit([&conflict](ShortcutsDialog* d) {
            d->editFor("zoomFit")->setKeySequence(QKeySequence(Qt::CTRL | Qt::Key_S));  // Save's key
            d->accept();
            conflict = d->problem();  // refused, the dialog stays open
            d->editFor("zoomFit")->setKeySequence(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_9));
            d->accept();
        });
        QVERIFY2(conflict.contains("Fit to Window") && conflict.contains("Save"), qPrintable(conflict));
        QCOMPARE(m_window->action("zoomFit")->shortcut(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_9));
        QSignalSpy fit(m_window->action("zoomFit"), &QAction::triggered);
        press(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_9));
        QCOMPARE(fit.count(), 1);
        {
            MainWindow again;  // kept in the settings
            QCOMPARE(again.action("zoomFit")->shortcut(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_9));
        }
        edit([](ShortcutsDialog* d) {
            d->resetToDefaults();
            d->accept();
        });
        QCOMPARE(m_window->action("zoomFit")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
    }

    void altLetterOpensEachMenu_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << "en";
        QTest::newRow("de") << "de";
    }
    void altLetterOpensEachMenu() {
        QFETCH(QString, language);
        m_window->setLanguage(language);
        QTest::qWait(20);
        QHash<QChar, QString> letters;
        const QList<QAction*> menus = m_window->menuBar()->actions();
        for (QAction* m : menus) {
            const QKeySequence mnemonic = QKeySequence::mnemonic(m->text());
            QVERIFY2(!mnemonic.isEmpty(), qPrintable(m->text()));
            const QChar letter = m->text().at(m->text().indexOf('&') + 1).toUpper();
            QVERIFY2(!letters.contains(letter), qPrintable(QStringLiteral("Alt+%1 is both %2 and %3")
                                                               .arg(letter)
                                                               .arg(letters.value(letter), m->text())));
            letters.insert(letter, m->text());
        }
        // With each dock raised in turn (its labels and buttons are live then), every menu opens.
        for (QDockWidget* dock : m_window->findChildren<QDockWidget*>()) {
            dock->show();
            dock->raise();
            QTest::qWait(10);
            for (QAction* m : menus) {
                showWindow();
                press(QKeySequence::mnemonic(m->text()));
                QTRY_VERIFY2_WITH_TIMEOUT(m->menu()->isVisible(), qPrintable(QStringLiteral("%1 with %2 raised: %3 did not open")
                                                                                 .arg(language, dock->objectName(), m->text())),
                                          1000);
                m->menu()->close();
                m_window->menuBar()->setActiveAction(nullptr);
                QTRY_VERIFY(!m->menu()->isVisible());
                showWindow();  // the closed menu does not hand the activation back offscreen
            }
        }
        m_window->setLanguage("en");
    }
};

QTEST_MAIN(TestShortcuts)
#include "test_shortcuts.moc"
