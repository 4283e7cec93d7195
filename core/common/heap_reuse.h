// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Keeps freed memory inside the process while a pipeline runs, and hands it back when the run ends.
//
// Every model call allocates and frees the same activation buffers again. glibc's malloc, left to
// itself, serves buffers from 128 KiB up with fresh mmap()s or shrinks its heap as soon as they are
// freed, so each step faults the same pages in again (the embedded model's 256 px super-res step:
// about 100,000 page faults, over a third of its time). While a HeapReuse lives, buffers up to 32 MiB
// (glibc's ceiling for this setting) come from the heap and freed memory stays there for the next
// step; when the outermost one ends the free memory goes back to the system (malloc_trim), so an idle
// editor or server holds no more than before. Nests and may live on several threads at once; no-op
// without glibc. Changes no result.
namespace unclip {

class HeapReuse {
public:
    HeapReuse();
    ~HeapReuse();
    HeapReuse(const HeapReuse&) = delete;
    HeapReuse& operator=(const HeapReuse&) = delete;
};

}  // namespace unclip
