// SPDX-License-Identifier: GPL-3.0-or-later
// HeapReuse: glibc malloc settings for pipeline runs (see heap_reuse.h).
#include "core/common/heap_reuse.h"

#include <cstddef>
#include <mutex>
#include <cstdlib>  // TMP-AB

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
    if (std::getenv("UNCLIP_TMP_NO_HEAP")) return;  // TMP-AB
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kKeep));
}

HeapReuse::~HeapReuse() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (--g_depth > 0) return;
    if (std::getenv("UNCLIP_TMP_NO_HEAP")) return;  // TMP-AB
    if (free_heap_bytes() > kKeep) malloc_trim(0);
}
#else
HeapReuse::HeapReuse() = default;
HeapReuse::~HeapReuse() = default;
#endif

}  // namespace unclip
