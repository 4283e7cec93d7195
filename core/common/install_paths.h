// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where the installed (or just built) application finds its data: the embedded model and the
// translations. Resolved relative to the running executable, so nothing from the build tree is
// baked into a binary.
#include <string>

namespace unclip {

// Folder of the running executable (/proc/self/exe).
std::string executable_dir();
// The data folder: <executable>/../share/unclip-studio (installed, or the build folder's link).
std::string data_dir();
// The embedded model folder (UNCLIP_MODEL_DIR overrides), "" when it cannot be found.
std::string default_model_dir();

}  // namespace unclip
