// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Loading the Kandinsky 2.2 folders (prior, decoder, inpainting decoder) into the pipeline's
// components, with the checks that make a wrong folder a clear message instead of a shape error
// mid-run: the UNet's input channels for its role, a MoVQ present, and embedding widths that agree
// between the prior, the image encoder and the UNets.
#include "core/io/model_folder.h"
#include "core/models/common/load_weights.h"
#include "core/pipeline/pipeline_impl.h"

#include <vector>

namespace unclip::pipeline::kandinsky {

// `folders` are Kandinsky 2.2 folders with their roles (model_family.h: classify_folder). Throws
// ModelError naming the folder and what is wrong.
void load(UnclipPipeline::Impl& p, const std::vector<std::pair<io::ModelFolder, FolderRole>>& folders,
          const models::LoadOptions& options);

}  // namespace unclip::pipeline::kandinsky
