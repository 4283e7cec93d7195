// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Installs the translators for the editor and Qt's own strings.
#include <QString>

namespace unclip::ui {

// language: "" follows the system locale; otherwise a code such as "de" or "en". Replaces
// translators installed by an earlier call. Returns the language whose translation was loaded
// ("en" when none was needed or found).
QString installTranslations(const QString& language);

// Where installed .qm files are looked for first: unclip::data_dir() + "/translations"
// (<prefix>/share/unclip-studio/translations); the compiled-in :/i18n copies are the fallback.
QString translationsDir();
// The .qm file the last installTranslations() loaded ("" when none, i.e. English).
QString loadedTranslationFile();

}  // namespace unclip::ui
