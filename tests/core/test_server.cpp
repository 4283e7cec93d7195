#include "tests/support/test_harness.h"
UNCLIP_TEST_MAIN()
