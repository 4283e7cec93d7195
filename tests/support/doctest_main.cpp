// SPDX-License-Identifier: GPL-3.0-or-later
// The one translation unit that holds doctest's implementation (every test program links it
// through unclip_test_support); tests/support/test_harness.h maps the project's macros onto it.
#define DOCTEST_CONFIG_IMPLEMENT
#define DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES
#include <doctest/doctest.h>
