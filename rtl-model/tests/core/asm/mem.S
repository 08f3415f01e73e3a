/* Loads and stores of every width at every alignment; misaligned ones trap (cause 4/6,
 * mtval = address) without touching rd or memory, and the handler resumes at mepc + 4. */
#include "core_test.h"
TEST_BEGIN
    la s0, data
    /* loads: sign and zero extension at every byte/half offset */
    lb a0, 0(s0);  CHECK(2, a0, 0xffffff80)
    lb a0, 1(s0);  CHECK(3, a0, 0x0000007f)
    lb a0, 2(s0);  CHECK(4, a0, 0xffffffff)
    lb a0, 3(s0);  CHECK(5, a0, 0x00000001)
    lbu a0, 0(s0); CHECK(6, a0, 0x80)
    lbu a0, 1(s0); CHECK(7, a0, 0x7f)
    lbu a0, 2(s0); CHECK(8, a0, 0xff)
    lbu a0, 3(s0); CHECK(9, a0, 0x01)
    lh a0, 0(s0);  CHECK(10, a0, 0x00007f80)
    lh a0, 2(s0);  CHECK(11, a0, 0x000001ff)
    lh a0, 4(s0);  CHECK(12, a0, 0xffff8001)
    lhu a0, 4(s0); CHECK(13, a0, 0x8001)
    lhu a0, 6(s0); CHECK(14, a0, 0x7ffe)
    lh a0, 6(s0);  CHECK(15, a0, 0x7ffe)
    lw a0, 0(s0);  CHECK(16, a0, 0x01ff7f80)
    lw a0, 4(s0);  CHECK(17, a0, 0x7ffe8001)
    lw a0, -4(s0); CHECK(18, a0, 0xcafef00d)   /* negative offset */
    addi s1, s0, 2047
    lb a0, -2046(s1); CHECK(19, a0, 0x7f)
    /* loads into x0 are discarded */
    lw x0, 0(s0); CHECK(20, x0, 0)

    /* stores: each width at each offset touches only its bytes */
    la s1, scratch
    li t0, 0x11223344
    sw t0, 0(s1)
    sb zero, 0(s1); lw a0, 0(s1); CHECK(21, a0, 0x11223300)
    li t1, 0xa5
    sb t1, 1(s1);   lw a0, 0(s1); CHECK(22, a0, 0x1122a500)
    li t1, 0xffffff5a                       /* only the low byte is stored */
    sb t1, 2(s1);   lw a0, 0(s1); CHECK(23, a0, 0x115aa500)
    sb t1, 3(s1);   lw a0, 0(s1); CHECK(24, a0, 0x5a5aa500)
    li t1, 0xdead1234
    sh t1, 0(s1);   lw a0, 0(s1); CHECK(25, a0, 0x5a5a1234)
    sh t1, 2(s1);   lw a0, 0(s1); CHECK(26, a0, 0x12341234)
    li t1, 0x87654321
    sw t1, 4(s1)
    lw a0, 0(s1); CHECK(27, a0, 0x12341234)
    lw a0, 4(s1); CHECK(28, a0, 0x87654321)
    lw a0, 8(s1); CHECK(29, a0, 0)
    sh t1, 10(s1);  lw a0, 8(s1); CHECK(30, a0, 0x43210000)
    sb t1, 9(s1);   lbu a0, 9(s1); CHECK(31, a0, 0x21)
    lh a0, 10(s1);  CHECK(32, a0, 0x4321)
    CHECK_NO_TRAP(33)

    /* misaligned loads trap with cause 4, mtval = address; rd untouched */
    li a0, 0x5555
t_lh1: lh a0, 1(s0)
    CHECK_TRAP_EPC(34, 4, t_lh1)
    addi t0, s0, 1; li gp, 35; bne s11, t0, fail
    CHECK(36, a0, 0x5555)
t_lhu3: lhu a0, 3(s0)
    CHECK_TRAP_EPC(37, 4, t_lhu3)
    addi t0, s0, 3; li gp, 38; bne s11, t0, fail
t_lw1: lw a0, 1(s0)
    CHECK_TRAP_EPC(39, 4, t_lw1)
    addi t0, s0, 1; li gp, 40; bne s11, t0, fail
t_lw2: lw a0, 2(s0)
    CHECK_TRAP_EPC(41, 4, t_lw2)
    addi t0, s0, 2; li gp, 42; bne s11, t0, fail
t_lw3: lw a0, 3(s0)
    CHECK_TRAP_EPC(43, 4, t_lw3)
    addi t0, s0, 3; li gp, 44; bne s11, t0, fail
    CHECK(45, a0, 0x5555)
    /* misaligned stores: cause 6, memory untouched */
    li t0, 0x11223344
    sw t0, 0(s1)
    sw t0, 4(s1)
t_sh1: sh t1, 1(s1)
    CHECK_TRAP_EPC(46, 6, t_sh1)
    addi t0, s1, 1; li gp, 47; bne s11, t0, fail
t_sh3: sh t1, 3(s1)
    CHECK_TRAP_EPC(48, 6, t_sh3)
    addi t0, s1, 3; li gp, 49; bne s11, t0, fail
t_sw1: sw t1, 1(s1)
    CHECK_TRAP_EPC(50, 6, t_sw1)
    addi t0, s1, 1; li gp, 51; bne s11, t0, fail
t_sw2: sw t1, 6(s1)
    CHECK_TRAP_EPC(52, 6, t_sw2)
    addi t0, s1, 6; li gp, 53; bne s11, t0, fail
t_sw3: sw t1, 3(s1)
    CHECK_TRAP_EPC(54, 6, t_sw3)
    addi t0, s1, 3; li gp, 55; bne s11, t0, fail
    lw a0, 0(s1); CHECK(56, a0, 0x11223344)
    lw a0, 4(s1); CHECK(57, a0, 0x11223344)
    /* the handler resumed after each trap exactly once */
    CHECK_NO_TRAP(58)
    j pass
TEST_END

    .data
    .balign 4
    .word 0xcafef00d
data:
    .byte 0x80, 0x7f, 0xff, 0x01
    .half 0x8001, 0x7ffe
    .balign 4
scratch:
    .space 16
