/* Must fail with code 7: shows that a failing check reaches tohost. */
#include "core_test.h"
TEST_BEGIN
    li a0, 1
    CHECK(2, a0, 1)
    CHECK(7, a0, 2)
    j pass
TEST_END
