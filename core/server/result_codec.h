// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A job's output on the wire. Two forms of one result:
//  - JSON for people and scripts: PNGs (base64) carrying their recipe in the "unclip-recipe" text
//    chunk, the recipe, the frame of inpaint results, the scores of score requests;
//  - safetensors for exact reuse (the client): the float images, decoder output, image embeddings
//    and scores as computed, the recipe and frame in the metadata.
#include "core/server/run_request.h"

#include <nlohmann/json.hpp>

#include <string>

namespace unclip::server {

nlohmann::json result_to_json(const Output& output);
std::string result_to_safetensors(const Output& output);
// Throws unclip::Error naming what is wrong with the bytes.
Output result_from_safetensors(const std::string& bytes);

// The PNG bytes of image `i` of a result (8-bit, recipe + "index" in the text chunk).
std::string result_png(const Output& output, int64_t i);

}  // namespace unclip::server
