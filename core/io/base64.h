// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Standard base64 (RFC 4648, with padding): pictures and tensors inside JSON requests and results.
#include <string>
#include <string_view>

namespace unclip::io {

std::string base64_encode(std::string_view bytes);
// Throws unclip::RequestError naming `what` on a character outside the alphabet or a bad length.
// Whitespace (line breaks of wrapped encoders) is skipped.
std::string base64_decode(std::string_view text, const std::string& what);

}  // namespace unclip::io
