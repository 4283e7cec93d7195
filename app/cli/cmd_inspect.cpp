// SPDX-License-Identifier: GPL-3.0-or-later
// unclip inspect DIR: validates a diffusers folder and prints each component.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/io/model_folder.h"
#include "core/io/safetensors.h"
#include "core/pipeline/component_check.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>

namespace unclip::cli {
namespace {

const char* kInspectHelp =
    "usage: unclip inspect [--config-only] DIR\n\n"
    "Validates a model folder in the diffusers layout (model_index.json, each component's config and\n"
    "weights) and prints every component: class, key config values, tensor count, bytes and dtypes.\n"
    "Each config is parsed into the model's typed config, so unsupported values are reported, and\n"
    "every model is built and its weights loaded strictly by name, as generating does: a missing,\n"
    "renamed, mis-shaped or extra tensor and NaN or infinite weights are reported by name.\n\n"
    "  --config-only     skip building the models and reading the weights (quick; full-size Karlo\n"
    "                    folders take a minute and their size in memory to check)\n\n"
    "Exits non-zero with the error on a bad folder.\n\n"
    "example:\n"
    "  unclip inspect karlo-v1-alpha\n";

std::string human_bytes(uint64_t b) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    if (b >= (1ull << 30)) o << b / double(1ull << 30) << " GiB";
    else if (b >= (1ull << 20)) o << b / double(1ull << 20) << " MiB";
    else if (b >= 1024) o << b / 1024.0 << " KiB";
    else o << b << " B";
    return o.str();
}

}  // namespace

int cmd_inspect(const Argv& argv) {
    // --check-weights: the default now, still accepted from older scripts.
    Args args(argv, {"--help", "--check-weights", "--config-only"}, {});
    if (args.flag("--help")) {
        std::cout << kInspectHelp;
        return 0;
    }
    if (args.positional().size() != 1) throw RequestError("expects one model folder (see unclip inspect --help)");
    io::ModelFolder folder(args.positional()[0]);
    std::cout << "model folder: " << folder.path() << "\n"
              << "pipeline: " << (folder.pipeline_class().empty() ? "(unnamed)" : folder.pipeline_class()) << "\n";
    int problems = 0;
    for (const auto& c : folder.components()) {
        std::cout << "\n" << c.name << ": " << c.class_name << " (" << c.library << ")\n";
        try {
            auto summary = pipeline::describe_component(folder, c.name);
            for (const auto& [k, v] : summary.config) std::cout << "  " << k << ": " << v << "\n";
            if (summary.has_weights) {
                std::cout << "  weights: " << std::filesystem::path(summary.weights_path).filename().string() << ", "
                          << summary.tensor_count << " tensors, " << human_bytes(summary.bytes) << ", dtypes";
                for (const auto& d : summary.dtypes) std::cout << " " << d;
                std::cout << ", " << summary.parameters << " parameters\n";
            }
            if (!args.flag("--config-only") && summary.has_weights) {
                pipeline::check_component_weights(folder, c.name);
                std::cout << "  weights match the model built from config.json\n";
            }
        } catch (const std::exception& e) {
            ++problems;
            std::cout << "  ERROR: " << e.what() << "\n";
        }
    }
    if (problems) {
        std::cerr << "unclip inspect: " << problems << " component(s) have problems (see above)\n";
        return 1;
    }
    std::cout << "\nOK: every component is valid\n";
    return 0;
}

}  // namespace unclip::cli
