// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The editor's start-up: application metadata, translations, command line, the main window.
namespace unclip::ui {

int runEditor(int argc, char** argv);

}  // namespace unclip::ui
