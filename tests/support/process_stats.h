// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the soak tests watch in their own process (Linux /proc): resident memory and threads, and
// UNCLIP_ASAN, defined in AddressSanitizer builds (whose quarantine keeps freed memory resident, so
// resident-memory bounds do not apply there), and UNCLIP_SANITIZER_HEAP, defined wherever a sanitizer
// replaces malloc (ASan, TSan): freed blocks are held back, not handed to the next request.
#include <unistd.h>

#include <fstream>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#define UNCLIP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNCLIP_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define UNCLIP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNCLIP_TSAN 1
#endif
#endif

#if defined(UNCLIP_ASAN) || defined(UNCLIP_TSAN)
#define UNCLIP_SANITIZER_HEAP 1
#endif

namespace unclip::test {

// Resident set size in MiB (/proc/self/statm); 0 when unknown.
inline double resident_mib() {
    std::ifstream in("/proc/self/statm");
    long size = 0, resident = 0;
    in >> size >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// Threads of this process (/proc/self/status); -1 when unknown.
inline int thread_count() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    return -1;
}

}  // namespace unclip::test
