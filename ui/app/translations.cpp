// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/app/translations.h"

#include "core/common/install_paths.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace unclip::ui {

namespace {
QString g_loadedFile;
}

QString translationsDir() { return QString::fromStdString(unclip::data_dir()) + "/translations"; }

QString loadedTranslationFile() { return g_loadedFile; }

QString installTranslations(const QString& language) {
    static QTranslator* ours = nullptr;
    static QTranslator* qt = nullptr;
    for (QTranslator** t : {&ours, &qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QString loaded = "en";
    g_loadedFile.clear();
    auto* app = new QTranslator;
    // The installed .qm files (<prefix>/share/unclip-studio/translations) come first, so a
    // package can ship updated translations; the copies compiled into the program are the fallback.
    if (app->load(locale, "unclip-studio", "_", translationsDir()) || app->load(locale, "unclip-studio", "_", ":/i18n")) {
        QCoreApplication::installTranslator(app);
        ours = app;
        g_loadedFile = app->filePath();
        loaded = QLocale(app->language()).name().section('_', 0, 0);
    } else {
        delete app;
    }
    auto* base = new QTranslator;
    if (base->load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(base);
        qt = base;
    } else {
        delete base;
    }
    return loaded;
}

}  // namespace unclip::ui
