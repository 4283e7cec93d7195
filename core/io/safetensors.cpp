// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/safetensors.h"

#include "core/common/error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <set>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace unclip::io {
namespace {

// A header longer than this is refused before allocating for it (real headers are < 10 MB).
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

size_t element_size(torch::ScalarType t) { return c10::elementSize(t); }

[[noreturn]] void fail(const std::string& label, const std::string& what) {
    throw ModelError("safetensors file '" + label + "': " + what);
}

}  // namespace

torch::ScalarType safetensors_dtype(const std::string& name) {
    static const std::map<std::string, torch::ScalarType> table = {
        {"F64", torch::kFloat64}, {"F32", torch::kFloat32}, {"F16", torch::kFloat16},
        {"BF16", torch::kBFloat16}, {"I64", torch::kInt64}, {"I32", torch::kInt32},
        {"I16", torch::kInt16},   {"I8", torch::kInt8},     {"U8", torch::kUInt8},
        {"BOOL", torch::kBool}};
    auto it = table.find(name);
    if (it == table.end()) throw ModelError("unknown safetensors dtype '" + name + "'");
    return it->second;
}

std::string safetensors_dtype_name(torch::ScalarType t) {
    switch (t) {
    case torch::kFloat64: return "F64";
    case torch::kFloat32: return "F32";
    case torch::kFloat16: return "F16";
    case torch::kBFloat16: return "BF16";
    case torch::kInt64: return "I64";
    case torch::kInt32: return "I32";
    case torch::kInt16: return "I16";
    case torch::kInt8: return "I8";
    case torch::kUInt8: return "U8";
    case torch::kBool: return "BOOL";
    default: throw ModelError(std::string("cannot store dtype ") + c10::toString(t) + " in safetensors");
    }
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
    f->path_ = path;
    f->size_ = static_cast<uint64_t>(st.st_size);
    if (f->size_ < 8) {
        ::close(fd);
        fail(path, "file is " + std::to_string(f->size_) + " bytes, too short for the 8-byte header length");
    }
    // Private writable mapping: tensors may be modified in place without touching the file.
    void* p = ::mmap(nullptr, f->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) fail(path, std::string("cannot map into memory: ") + std::strerror(errno));
    const uint64_t size = f->size_;
    f->mapping_ = std::shared_ptr<void>(p, [size](void* q) { ::munmap(q, size); });
    f->base_ = static_cast<const uint8_t*>(p);
    f->parse();
    return f;
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::from_bytes(std::vector<uint8_t> bytes,
                                                                   const std::string& label) {
    std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
    f->path_ = label;
    auto holder = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    f->size_ = holder->size();
    if (f->size_ < 8)
        fail(label, "file is " + std::to_string(f->size_) + " bytes, too short for the 8-byte header length");
    f->base_ = holder->data();
    f->mapping_ = std::shared_ptr<void>(holder, holder.get());
    f->parse();
    return f;
}

SafetensorsFile::~SafetensorsFile() = default;

void SafetensorsFile::parse() {
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | base_[i];
    if (n > kMaxHeaderBytes)
        fail(path_, "header length " + std::to_string(n) + " bytes is implausibly large (corrupt file?)");
    if (n > size_ - 8)
        fail(path_, "header length " + std::to_string(n) + " bytes runs past the end of the file (" +
                        std::to_string(size_) + " bytes; truncated download?)");
    data_ = base_ + 8 + n;
    data_size_ = size_ - 8 - n;

    nlohmann::json header;
    // JSON objects keep only the last of duplicate keys; see every top-level key as it is parsed.
    std::set<std::string> seen;
    std::string duplicate;
    auto on_event = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        if (event == nlohmann::json::parse_event_t::key && depth == 1 && parsed.is_string()) {
            if (!seen.insert(parsed.get<std::string>()).second && duplicate.empty())
                duplicate = parsed.get<std::string>();
        }
        return true;
    };
    try {
        header = nlohmann::json::parse(base_ + 8, base_ + 8 + n, on_event);
    } catch (const std::exception& e) {
        fail(path_, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!duplicate.empty()) fail(path_, "duplicate tensor name '" + duplicate + "'");
    if (!header.is_object()) fail(path_, "header is not a JSON object");

    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const auto& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object()) fail(path_, "__metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string()) fail(path_, "__metadata__ value '" + m.key() + "' is not a string");
                metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + name + "': ";
        if (!v.is_object()) fail(path_, where + "entry is not an object");
        if (!v.contains("dtype") || !v["dtype"].is_string()) fail(path_, where + "missing dtype");
        if (!v.contains("shape") || !v["shape"].is_array()) fail(path_, where + "missing shape");
        if (!v.contains("data_offsets") || !v["data_offsets"].is_array() || v["data_offsets"].size() != 2)
            fail(path_, where + "missing data_offsets [begin, end]");
        SafetensorsEntry e;
        e.name = name;
        e.dtype = v["dtype"].get<std::string>();
        try {
            e.scalar_type = safetensors_dtype(e.dtype);
        } catch (const ModelError&) {
            fail(path_, where + "unknown dtype '" + e.dtype + "'");
        }
        uint64_t count = 1;
        for (const auto& d : v["shape"]) {
            if (!d.is_number_unsigned()) fail(path_, where + "shape has a non-integer or negative entry");
            uint64_t dim = d.get<uint64_t>();
            if (dim > (1ull << 40) || (dim && count > (1ull << 50) / dim))
                fail(path_, where + "shape is implausibly large");
            count *= dim;
            e.shape.push_back(static_cast<int64_t>(dim));
        }
        const auto& off = v["data_offsets"];
        if (!off[0].is_number_unsigned() || !off[1].is_number_unsigned())
            fail(path_, where + "data_offsets are not non-negative integers");
        e.begin = off[0].get<uint64_t>();
        e.end = off[1].get<uint64_t>();
        if (e.end < e.begin) fail(path_, where + "data_offsets end before they begin");
        if (e.end > data_size_)
            fail(path_, where + "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                            "] lie outside the data section (" + std::to_string(data_size_) +
                            " bytes; truncated file?)");
        const uint64_t expected = count * element_size(e.scalar_type);
        if (e.end - e.begin != expected)
            fail(path_, where + "holds " + std::to_string(e.end - e.begin) + " bytes but dtype " + e.dtype +
                            " and its shape need " + std::to_string(expected));
        if (index_.count(name)) fail(path_, "duplicate tensor name '" + name + "'");
        index_[name] = entries_.size();
        entries_.push_back(std::move(e));
    }
    // Overlapping tensors mean a corrupt or hostile file.
    std::vector<const SafetensorsEntry*> sorted;
    for (const auto& e : entries_) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(),
              [](const SafetensorsEntry* a, const SafetensorsEntry* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i]->begin < sorted[i - 1]->end && sorted[i]->begin != sorted[i]->end &&
            sorted[i - 1]->begin != sorted[i - 1]->end)
            fail(path_, "tensors '" + sorted[i - 1]->name + "' and '" + sorted[i]->name + "' overlap");
    }
}

bool SafetensorsFile::contains(const std::string& name) const { return index_.count(name) != 0; }

const SafetensorsEntry& SafetensorsFile::entry(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) fail(path_, "has no tensor '" + name + "'");
    return entries_[it->second];
}

torch::Tensor SafetensorsFile::tensor(const std::string& name) const {
    const SafetensorsEntry& e = entry(name);
    auto options = torch::TensorOptions().dtype(e.scalar_type);
    const uint8_t* p = data_ + e.begin;
    const size_t esize = element_size(e.scalar_type);
    if (e.end == e.begin) return torch::empty(e.shape, options);
    if (reinterpret_cast<uintptr_t>(p) % esize != 0) {
        // Misaligned data (legal in the format): copy instead of viewing.
        torch::Tensor t = torch::empty(e.shape, options);
        std::memcpy(t.data_ptr(), p, e.end - e.begin);
        return t;
    }
    auto keep = mapping_;
    return torch::from_blob(const_cast<uint8_t*>(p), e.shape, [keep](void*) {}, options);
}

StateDict SafetensorsFile::all() const {
    StateDict out;
    for (const auto& e : entries_) out[e.name] = tensor(e.name);
    return out;
}

StateDict load_safetensors(const std::string& path) { return SafetensorsFile::open(path)->all(); }

std::vector<uint8_t> serialize_safetensors(const StateDict& tensors,
                                           const std::map<std::string, std::string>& metadata) {
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::vector<torch::Tensor> data;
    uint64_t offset = 0;
    for (const auto& [name, t0] : tensors) {
        torch::Tensor t = t0.detach().to(torch::kCPU).contiguous();
        uint64_t bytes = static_cast<uint64_t>(t.numel()) * t.element_size();
        header[name] = {{"dtype", safetensors_dtype_name(t.scalar_type())},
                        {"shape", t.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(t);
    }
    std::string h = header.dump();
    while ((8 + h.size()) % 8 != 0) h.push_back(' ');
    std::vector<uint8_t> out(8 + h.size() + offset);
    uint64_t n = h.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
    std::memcpy(out.data() + 8, h.data(), h.size());
    uint8_t* dst = out.data() + 8 + h.size();
    for (const auto& t : data) {
        size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
        if (bytes) std::memcpy(dst, t.data_ptr(), bytes);
        dst += bytes;
    }
    return out;
}

void save_safetensors(const std::string& path, const StateDict& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<uint8_t> bytes = serialize_safetensors(tensors, metadata);
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = (std::fflush(f) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error("cannot write '" + path + "': " + std::strerror(errno));
    }
}

}  // namespace unclip::io
