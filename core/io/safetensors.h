// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// safetensors reader (memory-mapped, zero-copy) and writer.
// Format: 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data section; offsets are relative to the data section.
// The reader never trusts the file: every size and offset is checked, and errors name the file
// and the tensor.
#include "core/io/state_dict.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace unclip::io {

struct SafetensorsEntry {
    std::string name;
    std::string dtype;             // as written in the file: "F32", "F16", "BF16", "I64", ...
    torch::ScalarType scalar_type; // LibTorch type for dtype
    std::vector<int64_t> shape;
    uint64_t begin = 0;            // offsets into the data section
    uint64_t end = 0;
};

class SafetensorsFile {
public:
    // Maps the file and validates its header. Throws ModelError naming the file and the problem.
    static std::shared_ptr<const SafetensorsFile> open(const std::string& path);
    // Parses an in-memory image of a file (tests, fuzzing). `label` names it in errors.
    static std::shared_ptr<const SafetensorsFile> from_bytes(std::vector<uint8_t> bytes,
                                                             const std::string& label);
    ~SafetensorsFile();

    const std::string& path() const { return path_; }
    const std::vector<SafetensorsEntry>& entries() const { return entries_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    bool contains(const std::string& name) const;
    const SafetensorsEntry& entry(const std::string& name) const;

    // The tensor's data without copying where alignment allows (the mapping stays alive as long as
    // the tensor does; pages are copy-on-write, so writing to it never touches the file).
    torch::Tensor tensor(const std::string& name) const;
    StateDict all() const;
    uint64_t data_bytes() const { return data_size_; }

private:
    SafetensorsFile() = default;
    void parse();

    std::string path_;
    std::shared_ptr<void> mapping_;  // owns the mapped (or heap) bytes
    const uint8_t* base_ = nullptr;
    uint64_t size_ = 0;
    const uint8_t* data_ = nullptr;
    uint64_t data_size_ = 0;
    std::vector<SafetensorsEntry> entries_;
    std::map<std::string, size_t> index_;
    std::map<std::string, std::string> metadata_;
};

StateDict load_safetensors(const std::string& path);

// Writes tensors (any device; converted to contiguous CPU) in name order. The header is padded
// with spaces to a multiple of 8 bytes, as the reference writer does. Writes to a temporary file
// and renames it, so a failed write never leaves a half-written file behind.
void save_safetensors(const std::string& path, const StateDict& tensors,
                      const std::map<std::string, std::string>& metadata = {});
std::vector<uint8_t> serialize_safetensors(const StateDict& tensors,
                                           const std::map<std::string, std::string>& metadata = {});

// "F32" <-> kFloat etc. Throws ModelError for an unknown name.
torch::ScalarType safetensors_dtype(const std::string& name);
std::string safetensors_dtype_name(torch::ScalarType t);

}  // namespace unclip::io
