// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/verify/verify_support.h"

#include "core/common/error.h"

#include <cmath>
#include <filesystem>

namespace unclip::models {

std::pair<io::ModelFolder, std::string> golden_component(const verify::GoldenCase& c) {
    if (!c.meta.contains("model_dir") || !c.meta["model_dir"].is_string())
        throw Error("golden case '" + c.name + "' names no model_dir");
    std::filesystem::path dir = std::filesystem::path(c.golden_dir) / c.meta["model_dir"].get<std::string>();
    dir = dir.lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();  // a trailing slash
    return {io::ModelFolder(dir.parent_path().string()), dir.filename().string()};
}

LoadOptions load_options(const verify::VerifyOptions& opts) {
    LoadOptions lo;
    lo.device = opts.device;
    lo.dtype = opts.dtype;
    return lo;
}

void add_failed_row(std::vector<verify::ParityResult>& rows, const std::string& check, const std::string& why,
                    double atol) {
    verify::ParityResult r;
    r.check = check;
    r.tolerance = atol;
    r.max_abs_error = INFINITY;
    r.pass = false;
    r.note = why;
    rows.push_back(r);
}

}  // namespace unclip::models
