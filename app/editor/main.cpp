// SPDX-License-Identifier: GPL-3.0-or-later
// unclip-studio: the editor. Options: files to open, --screenshot FILE (save the window after it
// has settled, then quit: used for docs/screenshots).
#include "ui/app/application.h"

int main(int argc, char** argv) { return unclip::ui::runEditor(argc, argv); }
