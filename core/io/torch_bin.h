// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PyTorch `.bin` state dicts (the zip archive torch.save writes). Only tensor data is read:
// LibTorch's restricted unpickler builds tensors, lists and dicts and runs no Python code.
#include "core/io/state_dict.h"

#include <string>

namespace unclip::io {

// Throws ModelError naming the file when LibTorch cannot read it (old non-zip pickles, pickles
// of Python objects other than tensors) and suggesting a conversion to safetensors.
StateDict load_torch_bin(const std::string& path);

}  // namespace unclip::io
