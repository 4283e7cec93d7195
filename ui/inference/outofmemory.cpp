// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/outofmemory.h"

#include <QCoreApplication>

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <new>

namespace unclip::ui {

namespace {
bool saysOutOfMemory(const char* what) {
    const QString m = QString::fromUtf8(what);
    return m.contains(QLatin1String("out of memory"), Qt::CaseInsensitive) ||
           m.contains(QLatin1String("can't allocate memory"), Qt::CaseInsensitive) ||
           m.contains(QLatin1String("Cannot allocate memory"), Qt::CaseInsensitive);
}
}  // namespace

bool isOutOfMemory(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return true;
#if TORCH_VERSION_MAJOR >= 2 || (TORCH_VERSION_MAJOR == 1 && TORCH_VERSION_MINOR >= 13)
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) return true;
#endif
    if (const auto* c10e = dynamic_cast<const c10::Error*>(&e)) return saysOutOfMemory(c10e->what_without_backtrace());
    return false;
}

QString outOfMemoryMessage(bool loading, const char* detail) {
    // The first line of LibTorch's message ("CUDA out of memory. Tried to allocate 2.00 GiB ...").
    QString why = QString::fromUtf8(detail).section(QLatin1Char('\n'), 0, 0).left(240).trimmed();
    if (why.isEmpty() || why == QLatin1String("std::bad_alloc")) why = QCoreApplication::translate("OutOfMemory", "an allocation failed");
    if (loading)
        return QCoreApplication::translate(
                   "OutOfMemory",
                   "Not enough memory to load the model (%1).\n\nIn Settings, choose a lower precision (float16 or "
                   "bfloat16 halves the memory), or the CPU device if the GPU's memory is too small; or close other "
                   "programs. The editor keeps working.")
            .arg(why);
    return QCoreApplication::translate(
               "OutOfMemory",
               "Not enough memory to generate (%1).\n\nLower the batch size (images per run), choose a lower "
               "precision (float16 or bfloat16) or the CPU device in Settings, or work on a smaller picture "
               "(inpainting and variations start from the whole canvas). Your picture is unchanged and the next "
               "generation can run.")
        .arg(why);
}

}  // namespace unclip::ui
