// SPDX-License-Identifier: GPL-3.0-or-later
// HeapReuse: glibc malloc settings for pipeline runs (see heap_reuse.h).
#include "core/common/heap_reuse.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <type_traits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace unclip {

#if defined(__GLIBC__)
namespace {

std::mutex g_mutex;
int g_depth = 0;

// glibc refuses mmap thresholds above HEAP_MAX_SIZE / 2 (32 MiB on 64-bit); its own dynamic threshold
// stops there too, so a long-running process ends up here anyway, minus the trims on the way.
constexpr int kMmapThreshold = 32 << 20;
// Free memory kept for the next step and the next run: the embedded model's whole run needs about
// 200 MiB; Karlo's full size needs gigabytes and gives them back after each run.
constexpr size_t kKeep = size_t{256} << 20;

// LibTorch's CPU allocator takes its buffers from posix_memalign (64-byte alignment). glibc 2.36's
// memalign cannot reuse a freed buffer for a request of the same size: it asks for size + alignment +
// a minimum chunk, and the spare pieces it cuts off stay cached between the freed buffers, so a run
// that frees and allocates the same activation sizes again keeps taking fresh memory (and faulting it
// in) until the heap is full of holes. This allocator takes plain malloc blocks, which glibc reuses
// exactly, and aligns inside them; the block's own address is stored in the pointer-sized slot just
// before the data, so the raw interface (data == context) holds.
constexpr size_t kAlignment = 64;

void free_aligned(void* data) {
    if (data) std::free(static_cast<void**>(data)[-1]);
}

void* malloc_aligned(size_t bytes) {
    if (bytes == 0) return nullptr;
    if (bytes > SIZE_MAX - kAlignment - sizeof(void*)) throw std::bad_alloc();
    void* block = std::malloc(bytes + kAlignment + sizeof(void*));
    if (!block) throw std::bad_alloc();
    const auto start = reinterpret_cast<uintptr_t>(block) + sizeof(void*);
    void* data = reinterpret_cast<void*>((start + kAlignment - 1) & ~(kAlignment - 1));
    static_cast<void**>(data)[-1] = block;
    return data;
}

c10::DataPtr aligned_data_ptr(size_t bytes) {
    void* data = malloc_aligned(bytes);
    return {data, data, &free_aligned, c10::Device(c10::DeviceType::CPU)};
}

// c10::Allocator::allocate is const in LibTorch 1.x and early 2.x and not const later (where
// copy_data is also required): one definition for each, the one matching this LibTorch is used.
template <class Base>
struct ReusingAllocatorConst : Base {
    c10::DataPtr allocate(size_t bytes) const override { return aligned_data_ptr(bytes); }
    c10::DeleterFnPtr raw_deleter() const override { return &free_aligned; }
    void copy_data(void* dest, const void* src, size_t count) const { std::memcpy(dest, src, count); }
};

template <class Base>
struct ReusingAllocatorMutable : Base {
    c10::DataPtr allocate(size_t bytes) override { return aligned_data_ptr(bytes); }
    c10::DeleterFnPtr raw_deleter() const override { return &free_aligned; }
    void copy_data(void* dest, const void* src, size_t count) const { std::memcpy(dest, src, count); }
};

template <class A>
using AllocateSignature = decltype(&A::allocate);
using ReusingAllocator =
    std::conditional_t<std::is_same_v<AllocateSignature<c10::Allocator>, c10::DataPtr (c10::Allocator::*)(size_t) const>,
                       ReusingAllocatorConst<c10::Allocator>, ReusingAllocatorMutable<c10::Allocator>>;

void use_reusing_allocator() {
    static ReusingAllocator allocator;  // static lifetime, as SetCPUAllocator expects
    // Priority 1: above LibTorch's default allocator, so it is not set back.
    c10::SetCPUAllocator(&allocator, 1);
}

size_t free_heap_bytes() {
#if __GLIBC_PREREQ(2, 33)
    return mallinfo2().fordblks;
#else
    return kKeep + 1;  // unknown: trim
#endif
}

}  // namespace

HeapReuse::HeapReuse() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_depth++ > 0) return;
    static std::once_flag installed;
    std::call_once(installed, use_reusing_allocator);
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kKeep));
}

HeapReuse::~HeapReuse() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (--g_depth > 0) return;
    if (free_heap_bytes() > kKeep) malloc_trim(0);
}
#else
HeapReuse::HeapReuse() = default;
HeapReuse::~HeapReuse() = default;
#endif

}  // namespace unclip
