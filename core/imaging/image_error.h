// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Errors of the imaging layer: a file that cannot be read, decoded, is too large, or cannot be
// written. The message names the file (when known) and what is wrong, so the UI can show it as is.
#include "core/common/error.h"

namespace unclip::imaging {

class ImageError : public Error {
public:
    using Error::Error;
};

}  // namespace unclip::imaging
