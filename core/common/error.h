// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Errors a user can act on. Every message names what is wrong and where (file, component,
// tensor, config key), so the UI and CLI can show it as is.
#include <stdexcept>
#include <string>

namespace unclip {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A model folder, model file or config that cannot be used.
class ModelError : public Error {
public:
    using Error::Error;
};

// A request that cannot be run as asked (bad sizes, missing inputs, unsupported option).
class RequestError : public Error {
public:
    using Error::Error;
};

// Thrown by a pipeline when its cancellation token was set; not an error to show.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace unclip
