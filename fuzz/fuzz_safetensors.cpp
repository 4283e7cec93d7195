// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the safetensors reader (core/io/safetensors.h, SafetensorsFile::from_bytes).
// Any input must either be refused with unclip::ModelError or give entries whose every byte lies
// inside the input; an accepted file must survive a write/read round trip unchanged.
#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "fuzz/fuzz_support.h"

#include <torch/torch.h>

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace unclip;
    std::shared_ptr<const io::SafetensorsFile> file;
    try {
        file = io::SafetensorsFile::from_bytes(std::vector<uint8_t>(data, data + size), "fuzz.safetensors");
    } catch (const ModelError&) {
        return 0;  // refused with a message: fine
    }
    // Accepted: every entry must lie inside the data section and match its dtype and shape.
    FUZZ_CHECK(file->data_bytes() <= size);
    uint64_t checksum = 0;
    for (const auto& e : file->entries()) {
        FUZZ_CHECK(e.begin <= e.end && e.end <= file->data_bytes());
        FUZZ_CHECK(file->contains(e.name));
        torch::Tensor t = file->tensor(e.name);
        FUZZ_CHECK(t.sizes().vec() == e.shape);
        FUZZ_CHECK(static_cast<uint64_t>(t.numel()) * t.element_size() == e.end - e.begin);
        // Touch every byte from instrumented code so ASan sees any read outside the input.
        const auto* p = static_cast<const uint8_t*>(t.data_ptr());
        for (uint64_t i = 0, n = e.end - e.begin; i < n; ++i) checksum += p[i];
        // The bytes are exactly the file's bytes at the offsets.
        const size_t data_start = size - file->data_bytes();
        if (e.end > e.begin) FUZZ_CHECK(std::memcmp(p, data + data_start + e.begin, e.end - e.begin) == 0);
    }
    (void)checksum;
    // Round trip through our writer: same names, dtypes, shapes and bytes; metadata kept.
    io::StateDict all = file->all();
    std::vector<uint8_t> again = io::serialize_safetensors(all, file->metadata());
    auto reread = io::SafetensorsFile::from_bytes(std::move(again), "fuzz-roundtrip.safetensors");
    FUZZ_CHECK(reread->entries().size() == file->entries().size());
    FUZZ_CHECK(reread->metadata() == file->metadata());
    for (const auto& e : file->entries()) {
        const auto& r = reread->entry(e.name);
        FUZZ_CHECK(r.dtype == e.dtype && r.shape == e.shape && r.end - r.begin == e.end - e.begin);
        if (e.end > e.begin) {
            torch::Tensor a = file->tensor(e.name), b = reread->tensor(e.name);
            FUZZ_CHECK(std::memcmp(a.data_ptr(), b.data_ptr(), e.end - e.begin) == 0);
        }
    }
    return 0;
}
