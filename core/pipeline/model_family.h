// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The unCLIP model families the pipeline runs, and which role a diffusers folder plays in one,
// read from its model_index.json. Recipes name the family; the editor and the CLI ask it for the
// family's sampling defaults and output sizes.
#include "core/io/model_folder.h"
#include "core/pipeline/requests.h"

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace unclip::pipeline {

enum class ModelFamily { Karlo, Kandinsky22 };
const char* family_name(ModelFamily f);                         // "karlo", "kandinsky-2.2"
std::optional<ModelFamily> parse_family(const std::string& name);  // nullopt for an unknown name
const char* family_title(ModelFamily f);                        // "Karlo (unCLIP)", "Kandinsky 2.2"

// What a folder is, by its pipeline class: a whole Karlo pipeline (or its image-variations part),
// or one of the three Kandinsky 2.2 folders.
enum class FolderRole { Karlo, KandinskyPrior, KandinskyDecoder, KandinskyInpaint };
struct FolderKind {
    ModelFamily family;
    FolderRole role;
};
// ModelError naming the folder and its class when it is neither family's.
FolderKind classify_folder(const io::ModelFolder& folder);
const char* role_name(FolderRole r);  // "karlo", "prior", "decoder", "inpaint decoder"

// The sizes a Kandinsky 2.2 decoder (or inpainting decoder) folder draws, from its config files
// alone, before any weights: {the default picture side, the step sizes round up to}: what
// UnclipPipeline::image_size() and output_size() give once it is loaded (the editor shows its
// size controls before the model loads). ModelError for a folder without unet and movq.
std::pair<int, int> kandinsky_sizes(const io::ModelFolder& decoder_folder);

// The reference pipelines' defaults for the family (Karlo: UnCLIPPipeline; Kandinsky 2.2: prior
// 25 steps / guidance 4, decoder 100 steps / guidance 4).
Sampling default_sampling(ModelFamily f);

}  // namespace unclip::pipeline
