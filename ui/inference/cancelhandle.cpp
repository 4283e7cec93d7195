// SPDX-License-Identifier: GPL-3.0-or-later
// The one place the editor touches the pipeline's CancelToken type (core/pipeline/requests.h).
#include "core/pipeline/requests.h"
#include "ui/inference/generation.h"

namespace unclip::ui {

CancelHandle makeCancelHandle() { return std::make_shared<pipeline::CancelToken>(); }

void requestCancel(const CancelHandle& handle) {
    if (handle) handle->cancel();
}

bool isCancelled(const CancelHandle& handle) { return handle && handle->cancelled(); }

}  // namespace unclip::ui
