/* RV32I register and immediate arithmetic, shifts, compares, lui/auipc, x0. */
#include "core_test.h"
TEST_BEGIN
    TEST_RR(2, add, 0x7fffffff, 1, 0x80000000)
    TEST_RR(3, add, 0xffffffff, 1, 0)
    TEST_RR(4, sub, 0, 1, 0xffffffff)
    TEST_RR(5, sub, 0x80000000, 1, 0x7fffffff)
    TEST_RI(6, addi, 5, -6, 0xffffffff)
    TEST_RI(7, addi, 0x7fffffff, 2047, 0x800007fe)
    TEST_RI(8, addi, 0, -2048, 0xfffff800)
    TEST_RR(9, and, 0xff00ff00, 0x0ff00ff0, 0x0f000f00)
    TEST_RR(10, or, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0)
    TEST_RR(11, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RI(12, andi, 0xff00ff00, -16, 0xff00ff00)   /* imm sign-extends: 0xfffffff0 */
    TEST_RI(13, andi, 0xff00ffff, 0x70f, 0x0000070f)
    TEST_RI(14, ori, 0x00ff0000, -2048, 0xfffff800)
    TEST_RI(15, xori, 0x00ff00ff, -1, 0xff00ff00)
    /* compares: signed vs unsigned */
    TEST_RR(16, slt, 0xffffffff, 1, 1)
    TEST_RR(17, sltu, 0xffffffff, 1, 0)
    TEST_RR(18, slt, 0x80000000, 0x7fffffff, 1)
    TEST_RR(19, sltu, 0x80000000, 0x7fffffff, 0)
    TEST_RR(20, slt, 5, 5, 0)
    TEST_RR(21, sltu, 4, 5, 1)
    TEST_RI(22, slti, 0xffffffff, 0, 1)
    TEST_RI(23, slti, 0, -1, 0)
    TEST_RI(24, sltiu, 5, -1, 1)                      /* -1 is 0xffffffff unsigned */
    TEST_RI(25, sltiu, 0, 1, 1)
    TEST_RI(26, sltiu, 1, 1, 0)
    /* shifts by 0, 1, 31; register shifts use only the low 5 bits */
    TEST_RR(27, sll, 0x80000001, 0, 0x80000001)
    TEST_RR(28, sll, 0x80000001, 31, 0x80000000)
    TEST_RR(29, sll, 0x80000001, 33, 0x00000002)
    TEST_RR(30, srl, 0x80000001, 0, 0x80000001)
    TEST_RR(31, srl, 0x80000001, 31, 1)
    TEST_RR(32, srl, 0x80000000, 0xffffffe1, 0x40000000)
    TEST_RR(33, sra, 0x80000000, 0, 0x80000000)
    TEST_RR(34, sra, 0x80000000, 31, 0xffffffff)
    TEST_RR(35, sra, 0x80000000, 36, 0xf8000000)
    TEST_RR(36, sra, 0x7fffffff, 31, 0)
    TEST_RI(37, slli, 0xffffffff, 31, 0x80000000)
    TEST_RI(38, slli, 0x12345678, 0, 0x12345678)
    TEST_RI(39, srli, 0xffffffff, 31, 1)
    TEST_RI(40, srli, 0x80000000, 4, 0x08000000)
    TEST_RI(41, srai, 0x80000000, 4, 0xf8000000)
    TEST_RI(42, srai, 0x81234567, 31, 0xffffffff)
    TEST_RI(43, srai, 0x41234567, 0, 0x41234567)
    /* lui, auipc */
    lui a0, 0xfffff
    CHECK(44, a0, 0xfffff000)
    lui a0, 0
    CHECK(45, a0, 0)
1:  auipc a0, 0
    la a1, 1b
    li gp, 46
    bne a0, a1, fail
2:  auipc a0, 0x80000
    la a1, 2b
    li t0, 0x80000000
    add a1, a1, t0
    li gp, 47
    bne a0, a1, fail
    /* x0 stays zero; rd == rs */
    li a1, 123
    add x0, a1, a1
    addi x0, x0, 5
    lui x0, 0x12345
    CHECK(48, x0, 0)
    li a0, 7
    add a0, a0, a0
    CHECK(49, a0, 14)
    sub a0, a0, a0
    CHECK(50, a0, 0)
    /* fences are no-ops */
    li a0, 9
    fence
    fence.i
    fence rw, rw
    CHECK(51, a0, 9)
    CHECK_NO_TRAP(52)
    j pass
TEST_END
