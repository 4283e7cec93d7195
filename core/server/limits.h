// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What one server accepts: caps on bodies, pictures, prompts, batches, steps and the queue, so a
// single request cannot exhaust the machine. Every refusal names the field and the cap.
#include "core/pipeline/requests.h"

#include <cstddef>
#include <cstdint>

namespace unclip::server {

struct Limits {
    size_t max_body_bytes = 64u << 20;       // a request body (413 above)
    int64_t max_pixels = 4096 * 4096;        // per input picture
    size_t max_prompt_chars = 4000;          // per prompt or text (bytes of UTF-8)
    int max_batch = 16;                      // images one request makes
    int max_steps = 1000;                    // per stage
    size_t max_queue = 32;                   // jobs waiting or running (429 above)
    int max_texts = 64;                      // score: images and texts each
    int read_timeout_s = 30;                 // a client that sends nothing for this long is dropped
    int write_timeout_s = 30;                // ... or reads nothing
    size_t keep_finished = 64;               // finished jobs whose results stay fetchable
};

// Throws RequestError naming the field when `request` exceeds a cap.
void check_limits(const pipeline::AnyRequest& request, const Limits& limits);

}  // namespace unclip::server
