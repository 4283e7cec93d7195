// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How recipes and picture metadata name a model: the folder's name and a short hash of its
// weights, never its path (a user's home folder must not leak into every shared picture).
#include <string>

namespace unclip::io {

struct ModelIdentity {
    std::string name;  // the folder's own name: "unclip-emoji", "karlo-v1-alpha"
    std::string hash;  // 10 hex digits (the length of A1111's "Model hash"); "" when the folder has no weights
};

// Hashes every weight file under the folder (*.safetensors, *.bin), in sorted relative-path order:
// SHA-256 over each file's relative path, size and content, where files over 3 MiB contribute three
// 1 MiB samples (start, middle, end) so multi-GB folders hash in milliseconds; any retrained
// weights change all three. Throws ModelError when a weight file cannot be read.
ModelIdentity model_identity(const std::string& model_dir);

}  // namespace unclip::io
