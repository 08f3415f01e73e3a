/* A copy-and-sum loop for the CPI figure: per iteration 2 loads, 1 store, 6 ALU ops and a
 * taken branch; with no wait states (7 x 2 + 3 x 3) / 10 = 2.3 cycles per instruction. */
#include "core_test.h"
TEST_BEGIN
    la s0, src
    la s1, dst
    li s2, 0
    li s3, 2000
1:  lw t0, 0(s0)
    lw t1, 4(s0)
    add s2, s2, t0
    xor t1, t1, s2
    sw t1, 0(s1)
    addi s0, s0, 4
    addi s1, s1, 4
    or t2, t0, t1
    addi s3, s3, -1
    bnez s3, 1b
    CHECK(2, s3, 0)
    j pass
TEST_END
    .data
    .balign 4
src: .space 8004
dst: .space 8000
