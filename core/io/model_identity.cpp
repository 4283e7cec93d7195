// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/model_identity.h"

#include "core/common/error.h"
#include "core/common/sha256.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

namespace unclip::io {
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kSample = 1u << 20;

bool is_weight_file(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".safetensors" || ext == ".bin";
}

void hash_range(Sha256& h, std::ifstream& in, uint64_t offset, uint64_t size, const fs::path& file) {
    std::vector<char> buf(static_cast<size_t>(size));
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(buf.data(), static_cast<std::streamsize>(size)))
        throw ModelError("cannot read '" + file.string() + "' to hash the model's weights");
    h.update(buf.data(), buf.size());
}

}  // namespace

ModelIdentity model_identity(const std::string& model_dir) {
    fs::path dir = fs::path(model_dir).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();  // "folder/" -> "folder"
    ModelIdentity id;
    id.name = dir.filename().string();
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && is_weight_file(it->path())) files.push_back(it->path());
    if (files.empty()) return id;
    std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
        return a.lexically_relative(dir).generic_string() < b.lexically_relative(dir).generic_string();
    });
    Sha256 h;
    for (const fs::path& f : files) {
        const uint64_t size = fs::file_size(f, ec);
        if (ec) throw ModelError("cannot read '" + f.string() + "' to hash the model's weights: " + ec.message());
        h.update(f.lexically_relative(dir).generic_string() + '\0' + std::to_string(size) + '\0');
        std::ifstream in(f, std::ios::binary);
        if (!in) throw ModelError("cannot open '" + f.string() + "' to hash the model's weights");
        if (size <= 3 * kSample) {
            hash_range(h, in, 0, size, f);
        } else {
            hash_range(h, in, 0, kSample, f);
            hash_range(h, in, (size - kSample) / 2, kSample, f);
            hash_range(h, in, size - kSample, kSample, f);
        }
    }
    id.hash = h.hex_digest().substr(0, 10);
    return id;
}

}  // namespace unclip::io
