// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Keeps freed memory inside the process while a pipeline runs, and hands most of it back after.
//
// Every model call allocates and frees the same activation buffers again. glibc's malloc, left to
// itself, serves buffers from 128 KiB up with fresh mmap()s or shrinks its heap as soon as they are
// freed, so each step faults the same pages in again: on the embedded model's 256 px super-res step
// about 70,000 page faults, a third of the step's time (more than the reference's process, whose heap
// happens to stay larger). A HeapReuse makes buffers up to 32 MiB (glibc's ceiling for this) come from
// the heap and keeps up to 256 MiB of freed memory there, settings that then stay for the process;
// when the outermost HeapReuse ends and more than that is free, the free memory goes back to the
// system (malloc_trim), so a full-size model's gigabytes are not held by an idle editor or server.
// The first HeapReuse also gives LibTorch a CPU allocator on plain malloc (64-byte aligned inside the
// block): glibc 2.36's posix_memalign, LibTorch's own, cannot reuse a freed buffer for the next
// request of the same size. On the embedded model's text -> image call: 106,000 -> 65,000 page
// faults, peak resident set 513 -> 357 MB.
// Nests, and may live on several threads at once; no-op without glibc. Changes no result.
namespace unclip {

class HeapReuse {
public:
    HeapReuse();
    ~HeapReuse();
    HeapReuse(const HeapReuse&) = delete;
    HeapReuse& operator=(const HeapReuse&) = delete;
};

}  // namespace unclip
