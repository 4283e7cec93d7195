// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks a model folder the moment it is chosen in Settings (not at the next Generate), with the
// same code the pipeline loader and `unclip inspect` use: model_index.json, every component's
// config parsed into its typed config, and the weights files' headers.
#include <QString>

namespace unclip::ui {

struct ModelFolderCheck {
    bool ok = false;
    QString message;  // what is wrong (names the file), or what was found
};

ModelFolderCheck checkModelFolder(const QString& dir);

}  // namespace unclip::ui
