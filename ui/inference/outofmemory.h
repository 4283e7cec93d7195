// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Running out of memory while a model loads or generates (docs/reliability.md): recognised here,
// reported with what to lower, and the editor keeps working (the next job runs normally).
#include <QString>

#include <exception>

namespace unclip::ui {

// std::bad_alloc, LibTorch's c10::OutOfMemoryError (CUDA; since 1.13), or a c10::Error whose
// message says memory ran out (older LibTorch, the CPU allocator: "can't allocate memory").
bool isOutOfMemory(const std::exception& e);

// The message to show: what ran out, during what, and what to lower. `detail` is the exception's
// text (shortened).
QString outOfMemoryMessage(bool loading, const char* detail);

}  // namespace unclip::ui
