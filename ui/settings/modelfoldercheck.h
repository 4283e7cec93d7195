// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks a model folder the moment it is chosen in Settings (not at the next Generate), with the
// same code the pipeline loader and `unclip inspect` use: model_index.json, every component's
// config parsed into its typed config, and the weights files' headers; and which family and role
// the folder has (core's classify_folder), so the folders of one setting can be checked together.
#include <QList>
#include <QString>
#include <QStringList>

namespace unclip::ui {

struct ModelFolderCheck {
    bool ok = false;
    QString message;  // what is wrong (names the file), or what was found
    QString kind;     // what the folder is, in a few words ("Kandinsky 2.2 decoder"); "" when not known
    QString family;   // kKarloFamily, kKandinskyFamily ("" when not known)
    QString role;     // core's role_name: "karlo", "prior", "decoder", "inpaint decoder"
};

ModelFolderCheck checkModelFolder(const QString& dir);

// One folder setting: its title for messages ("Decoder folder") and the folder ("" = not set).
struct FolderSlot {
    QString title;
    QString dir;
};

struct ModelFoldersCheck {
    bool ok = false;                   // every folder given is usable and they go together
    QString family;                    // theirs, when they agree
    QList<FolderSlot> slots;           // the slots given (non-empty folders)
    QList<ModelFolderCheck> folders;   // one per slot in `slots`
    QStringList problems;              // what is wrong with them together (two families, a part twice)
    QStringList notes;                 // Kandinsky 2.2: which modes a folder not given takes away
};

// Checks every set folder, then that they are one family with each Kandinsky 2.2 part once.
ModelFoldersCheck checkModelFolders(const QList<FolderSlot>& slots);

}  // namespace unclip::ui
