// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/app/application.h"

#include "core/common/install_paths.h"
#include "ui/app/translations.h"
#include "ui/common/icons.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include <cstdio>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif
#ifndef UNCLIP_APP_ID
#define UNCLIP_APP_ID "io.github.unclip_studio.UnclipStudio"
#endif

namespace unclip::ui {

int runEditor(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("unclip");
    QApplication::setOrganizationDomain("unclip-studio.org");
    QApplication::setApplicationName("unclip-studio");
    QApplication::setApplicationDisplayName("unclip-studio");
    QApplication::setApplicationVersion(UNCLIP_VERSION);
    QApplication::setDesktopFileName(UNCLIP_APP_ID);
    QApplication::setWindowIcon(applicationIcon());
    QString language = installTranslations(settings::language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Image editor running unCLIP (Karlo) locally"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", QApplication::translate("main", "Picture or .ora document to open"), "[file]");
    QCommandLineOption screenshot("screenshot", QApplication::translate("main", "Save a screenshot of the window to <file> and quit"),
                                  "file");
    parser.addOption(screenshot);
    QCommandLineOption lang("lang", QApplication::translate("main", "Use the translation for <language> (e.g. de, en) instead of the configured one"),
                            "language");
    parser.addOption(lang);
    QCommandLineOption selfCheck("self-check", QApplication::translate("main", "Print the data, model and translation the editor found, then quit"));
    parser.addOption(selfCheck);
    parser.process(app);
    if (parser.isSet(lang)) language = installTranslations(parser.value(lang));

    if (parser.isSet(selfCheck)) {  // used by the packaging tests on the installed program
        const QString model = settings::effectiveModelDir(settings::modelSettings());
        std::printf("unclip-studio %s\ndata dir: %s\nmodel dir: %s\ntranslation: %s\ntranslation file: %s\n",
                    UNCLIP_VERSION, unclip::data_dir().c_str(),
                    model.isEmpty() ? "(none found)" : model.toLocal8Bit().constData(), language.toLocal8Bit().constData(),
                    loadedTranslationFile().isEmpty() ? "(built-in English)" : loadedTranslationFile().toLocal8Bit().constData());
        return 0;
    }

    MainWindow window;
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) window.openFile(QDir::current().absoluteFilePath(files.first()));
    window.show();
    // Autosaves left by an editor that crashed or was killed: offered once the window is up.
    if (!parser.isSet(screenshot)) QTimer::singleShot(0, &window, &MainWindow::offerRecovery);

    if (parser.isSet(screenshot)) {
        const QString target = parser.value(screenshot);
        QTimer::singleShot(1500, &window, [&window, target] {
            window.grab().save(target);
            window.setAskBeforeDiscarding(false);
            QApplication::quit();
        });
    }
    return app.exec();
}

}  // namespace unclip::ui
