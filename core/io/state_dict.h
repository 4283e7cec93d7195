// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <map>
#include <string>
#include <torch/types.h>

namespace unclip::io {
// Tensors by their checkpoint name ("down_blocks.0.resnets.1.conv1.weight"), sorted.
using StateDict = std::map<std::string, torch::Tensor>;
}  // namespace unclip::io
