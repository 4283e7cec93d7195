// Anchor translation unit for the shared precompiled header.
#include "core/pch.h"
