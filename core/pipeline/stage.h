// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One name for each part of a run that reports progress, shared by the pipeline, the HTTP API's
// events, the CLI's progress bar and the editor. No LibTorch, so the editor's headers can use it.
#include <optional>
#include <string>
#include <vector>

namespace unclip::pipeline {

// The parts of a run that report progress (Progress::stage): Karlo's prior, decoder and
// super-resolution, Kandinsky 2.2's prior and decoder (UNet + MoVQ), and the DDIM inversion of a
// picture (text diffs, structure-preserving variations).
enum class Stage { Prior, Decoder, SuperRes, Invert };
const char* stage_name(Stage s);  // "prior", "decoder", "super_res", "invert": the API's names
std::optional<Stage> parse_stage(const std::string& name);  // nullopt for another name
const std::vector<Stage>& all_stages();

}  // namespace unclip::pipeline
