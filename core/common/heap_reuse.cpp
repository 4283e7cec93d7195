// SPDX-License-Identifier: GPL-3.0-or-later
// HeapReuse: glibc malloc settings for the duration of pipeline runs (see heap_reuse.h).
#include "core/common/heap_reuse.h"

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
// stops there too, so this is where a long-running process ends up anyway, without the trims on the way.
constexpr int kMmapThreshold = 32 << 20;
// Between runs: twice the mmap threshold, as glibc's dynamic setting pairs them.
constexpr int kIdleTrimThreshold = 64 << 20;
constexpr int kRunTrimThreshold = 1 << 30;  // effectively never during a run

}  // namespace

HeapReuse::HeapReuse() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_depth++ > 0) return;
    if (std::getenv("UNCLIP_TMP_NO_HEAP")) return;  // TMP-AB
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, kRunTrimThreshold);
}

HeapReuse::~HeapReuse() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (--g_depth > 0) return;
    if (std::getenv("UNCLIP_TMP_NO_HEAP")) return;  // TMP-AB
    mallopt(M_TRIM_THRESHOLD, kIdleTrimThreshold);
    malloc_trim(0);
}
#else
HeapReuse::HeapReuse() = default;
HeapReuse::~HeapReuse() = default;
#endif

}  // namespace unclip
