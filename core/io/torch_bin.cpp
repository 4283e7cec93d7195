// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/torch_bin.h"

#include "core/common/error.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>

namespace unclip::io {

StateDict load_torch_bin(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError("cannot open '" + path + "'");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string hint =
        " (convert it to .safetensors with the reference tools, or download the .safetensors variant)";
    if (bytes.size() < 4 || !(bytes[0] == 'P' && bytes[1] == 'K'))
        throw ModelError("'" + path + "' is not a zip-format torch.save file; only those can be read" + hint);
    c10::IValue value;
    try {
        value = torch::pickle_load(bytes);
    } catch (const std::exception& e) {
        std::string msg = e.what();
        if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
        throw ModelError("cannot read PyTorch file '" + path + "': " + msg + hint);
    }
    if (!value.isGenericDict())
        throw ModelError("PyTorch file '" + path + "' does not hold a state dict (a dict of tensors)");
    StateDict out;
    for (const auto& item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            throw ModelError("PyTorch file '" + path + "' holds an entry that is not a named tensor");
        out[item.key().toStringRef()] = item.value().toTensor();
    }
    return out;
}

}  // namespace unclip::io
