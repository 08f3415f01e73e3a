/* Branches taken and not taken, forward and backward, signed vs unsigned; jal/jalr. */
#include "core_test.h"

/* BR_TAKEN(n, op, a, b): op must branch, forward and backward */
#define BR_TAKEN(n, op, a, b)           \
    li gp, n; li a1, a; li a2, b;       \
    op a1, a2, 1f;                      \
    j fail;                             \
2:  j 3f;                               \
1:  op a1, a2, 2b;                      \
    j fail;                             \
3:
/* BR_NOT(n, op, a, b): op must fall through, forward and backward */
#define BR_NOT(n, op, a, b)             \
    li gp, n; li a1, a; li a2, b;       \
    j 2f;                               \
1:  j fail;                             \
2:  op a1, a2, 1b;                      \
    op a1, a2, fail;

TEST_BEGIN
    BR_TAKEN(2, beq, 5, 5)
    BR_NOT(3, beq, 5, 6)
    BR_TAKEN(4, bne, 0, 0x80000000)
    BR_NOT(5, bne, -1, -1)
    BR_TAKEN(6, blt, -1, 0)
    BR_NOT(7, blt, 0, -1)
    BR_NOT(8, blt, 7, 7)
    BR_TAKEN(9, blt, 0x80000000, 0x7fffffff)
    BR_TAKEN(10, bge, 0, -1)
    BR_TAKEN(11, bge, 7, 7)
    BR_NOT(12, bge, -2, -1)
    BR_TAKEN(13, bltu, 0, -1)
    BR_NOT(14, bltu, -1, 0)
    BR_NOT(15, bltu, 7, 7)
    BR_NOT(16, bltu, 0x80000000, 0x7fffffff)
    BR_TAKEN(17, bgeu, -1, 0)
    BR_TAKEN(18, bgeu, 7, 7)
    BR_NOT(19, bgeu, 0x7fffffff, 0x80000000)

    /* a backward loop counts exactly */
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK(20, a0, 30)

    /* jal links pc+4, forward and backward */
    li gp, 21
    jal ra, 1f
2:  j 3f
1:  la t0, 2b
    bne ra, t0, fail
    j 4f
3:  j fail
4:  li gp, 22
    j 6f
5:  la t0, 7f
    bne s0, t0, fail
    j 8f
6:  jal s0, 5b
7:  j fail
8:
    /* jal x0 does not link */
    jal x0, 1f
    j fail
1:  CHECK(23, x0, 0)

    /* jalr: target rs1+imm with bit 0 cleared; rd written with pc+4; rd == rs1 */
    la t1, jt_a
    addi t1, t1, 1                      /* odd address: bit 0 is dropped */
    jalr ra, 0(t1)
jr_ret1:
    CHECK(24, a0, 0xa)
    la t0, jr_ret1
    li gp, 25
    bne ra, t0, fail
    la t1, jt_b - 8
    jalr t1, 8(t1)                      /* reads t1 before writing it */
jr_ret2:
    CHECK(26, a0, 0xb)
    la t0, jr_ret2
    li gp, 27
    bne t1, t0, fail
    la t1, jt_c + 13
    jalr x0, -13(t1)                    /* negative offset, no link */
    j fail
jr_ret3:
    CHECK(28, a0, 0xc)
    CHECK_NO_TRAP(29)
    j pass

    .balign 4
jt_a:
    li a0, 0xa
    ret
jt_b:
    li a0, 0xb
    jr t1
jt_c:
    li a0, 0xc
    j jr_ret3
TEST_END
