// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The OpenAPI 3 description of the /v1/ API, served at /v1/openapi.json and kept in
// docs/openapi.json (`unclip serve --openapi` prints it; a test checks the two agree).
#include <nlohmann/json.hpp>

namespace unclip::server {

nlohmann::json openapi_document();

}  // namespace unclip::server
