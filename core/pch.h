// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header shared by every LibTorch translation unit of core/, app/ and tests/.
#pragma once
#include <torch/torch.h>
#include <nlohmann/json.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>
