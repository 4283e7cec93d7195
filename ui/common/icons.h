// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Tool bar and menu icons: the desktop theme's icon when there is one, otherwise a small drawn
// one (so the editor looks the same without an icon theme, e.g. under Xvfb or on Windows).
#include <QIcon>
#include <QString>

namespace unclip::ui {

// name: "document-new", "document-open", "document-save", "document-save-as", "document-export",
// "edit-undo", "edit-redo", "edit-paste", "zoom-in", "zoom-out", "zoom-fit-best", "zoom-original",
// "brush", "eraser", "rectangle", "mask-invert", "mask-clear", "mask-fill", "generate", "cancel",
// "dice", "lock", "apply", "settings", "application".
QIcon themedIcon(const QString& name);
QIcon applicationIcon();

}  // namespace unclip::ui
