// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A model's first run is slower than the next ones: oneDNN and cuDNN pick and build their kernels
// per shape, CUDA loads its modules lazily, the allocator grows its pools. warm_up() pays that once,
// right after loading, with a short run at the shapes real jobs use, so that the first job the user
// asks for is as fast as the second. The editor and `unclip serve` start it on their runner thread
// behind the model load and cancel it as soon as a job arrives.
#include "core/pipeline/requests.h"

namespace unclip::pipeline {

class UnclipPipeline;

enum class WarmUpResult { Done, Cancelled, Nothing };  // Nothing: no mode this model can run alone

// Runs text -> image (else variations of a gray picture) with two steps per stage at the model's
// own size, and throws the result away; every later request gives the pixels it gives without the
// warm-up. Returns Cancelled when `cancel` is set before it ends (within one model call). Errors
// other than cancellation (out of memory) propagate: the caller reports them and goes on.
WarmUpResult warm_up(UnclipPipeline& pipeline, const CancelToken* cancel = nullptr);
const char* warm_up_result_name(WarmUpResult r);  // "done", "cancelled", "nothing"

}  // namespace unclip::pipeline
