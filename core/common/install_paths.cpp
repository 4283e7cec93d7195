// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/install_paths.h"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace unclip {

std::string executable_dir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

std::string data_dir() {
    // Installed: <prefix>/bin/../share/unclip-studio. In a build folder, CMake links
    // <build>/share/unclip-studio to the source resources/, so the same rule holds.
    const fs::path installed = fs::path(executable_dir()) / ".." / "share" / "unclip-studio";
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(installed, ec);
    return ec ? installed.string() : canonical.string();
}

std::string default_model_dir() {
    if (const char* env = std::getenv("UNCLIP_MODEL_DIR"); env && *env) return env;
    const fs::path p = fs::path(data_dir()) / "models" / "unclip-emoji";
    return fs::is_directory(p) ? p.string() : std::string();
}

}  // namespace unclip
