// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the request reader (JSON -> request, core/pipeline/request_json.cpp) that
// `unclip serve` runs on every body it receives, in both modes (requests and recipes). Anything
// but unclip::RequestError escaping, or undefined behaviour, is a finding. A request that reads
// must write back to JSON that reads again to the same JSON (nothing lost or invented).
#include "core/common/error.h"
#include "core/pipeline/requests.h"
#include "fuzz/fuzz_support.h"

#include <string>

using namespace unclip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (pipeline::ParseMode mode : {pipeline::ParseMode::Request, pipeline::ParseMode::Recipe}) {
        pipeline::ParseOptions options;
        options.mode = mode;
        options.max_pixels = 1 << 20;  // as a server would cap pictures: keeps inputs cheap
        try {
            const pipeline::AnyRequest r = pipeline::parse_request(text, options);
            FUZZ_CHECK(!pipeline::request_kind(r).empty());
            const std::string written = pipeline::to_json(r).dump();
            pipeline::ParseOptions strict;
            strict.max_pixels = options.max_pixels;
            std::string again;
            try {
                again = pipeline::to_json(pipeline::parse_request(written, strict)).dump();
            } catch (const RequestError&) {
                // A recipe may lack what a request needs (pictures): then it must say so, not crash.
                FUZZ_CHECK(mode == pipeline::ParseMode::Recipe);
                continue;
            }
            FUZZ_CHECK(again == written);
        } catch (const RequestError&) {
        }
    }
    return 0;
}
