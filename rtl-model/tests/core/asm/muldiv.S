/* M extension: products of every signedness, divide by zero, INT_MIN / -1. */
#include "core_test.h"
TEST_BEGIN
    TEST_RR(2, mul, 7, 6, 42)
    TEST_RR(3, mul, -7, 6, -42)
    TEST_RR(4, mul, 0x80000000, -1, 0x80000000)
    TEST_RR(5, mul, 0x12345678, 0x9abcdef0, 0x242d2080)
    TEST_RR(6, mulh, -1, -1, 0)
    TEST_RR(7, mulh, -1, 1, 0xffffffff)
    TEST_RR(8, mulh, 0x80000000, 0x80000000, 0x40000000)
    TEST_RR(9, mulh, 0x80000000, 0x7fffffff, 0xc0000000)
    TEST_RR(10, mulh, 0x12345678, 0x9abcdef0, 0xf8cc93d6)
    TEST_RR(11, mulhu, -1, -1, 0xfffffffe)
    TEST_RR(12, mulhu, 0x80000000, 0x80000000, 0x40000000)
    TEST_RR(13, mulhu, 0x12345678, 0x9abcdef0, 0x0b00ea4e)
    TEST_RR(14, mulhsu, -1, -1, 0xffffffff)
    TEST_RR(15, mulhsu, 0x80000000, 0xffffffff, 0x80000000)
    TEST_RR(16, mulhsu, 0x7fffffff, 0xffffffff, 0x7ffffffe)
    TEST_RR(17, mulhsu, 0x12345678, 0x9abcdef0, 0x0b00ea4e)
    TEST_RR(18, mulhsu, 0x9abcdef0, 0x12345678, 0xf8cc93d6)
    TEST_RR(19, mulhu, 0, 0xffffffff, 0)
    /* division: rounding toward zero, remainder takes the dividend's sign */
    TEST_RR(20, div, 20, 6, 3)
    TEST_RR(21, div, -20, 6, -3)
    TEST_RR(22, div, 20, -6, -3)
    TEST_RR(23, div, -20, -6, 3)
    TEST_RR(24, rem, 20, 6, 2)
    TEST_RR(25, rem, -20, 6, -2)
    TEST_RR(26, rem, 20, -6, 2)
    TEST_RR(27, rem, -20, -6, -2)
    TEST_RR(28, divu, 20, 6, 3)
    TEST_RR(29, divu, -20, 6, 0x2aaaaaa7)
    TEST_RR(30, remu, -20, 6, 2)
    TEST_RR(31, remu, 20, -6, 20)
    TEST_RR(32, divu, 0xffffffff, 1, 0xffffffff)
    TEST_RR(33, divu, 0xffffffff, 0xffffffff, 1)
    TEST_RR(34, divu, 0x80000000, 0x80000001, 0)
    /* divide by zero: quotient all ones, remainder the dividend */
    TEST_RR(35, div, 5, 0, -1)
    TEST_RR(36, div, -5, 0, -1)
    TEST_RR(37, div, 0, 0, -1)
    TEST_RR(38, divu, 5, 0, 0xffffffff)
    TEST_RR(39, rem, -5, 0, -5)
    TEST_RR(40, rem, 0x80000000, 0, 0x80000000)
    TEST_RR(41, remu, 0xfffffff0, 0, 0xfffffff0)
    /* overflow: INT_MIN / -1 */
    TEST_RR(42, div, 0x80000000, -1, 0x80000000)
    TEST_RR(43, rem, 0x80000000, -1, 0)
    TEST_RR(44, divu, 0x80000000, -1, 0)
    TEST_RR(45, remu, 0x80000000, -1, 0x80000000)
    TEST_RR(46, div, 0x80000000, 1, 0x80000000)
    TEST_RR(47, div, 0x80000000, 2, 0xc0000000)
    TEST_RR(48, rem, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_RR(49, div, 0x7fffffff, 0x80000000, 0)
    TEST_RR(50, div, 0x80000000, 0x80000000, 1)
    TEST_RR(51, divu, 0x9abcdef0, 0x1234, 0x00088028)
    TEST_RR(52, remu, 0x9abcdef0, 0x1234, 0x000006d0)
    /* rd == rs1 == rs2, and x0 as a destination */
    li a0, -9
    div a0, a0, a0
    CHECK(53, a0, 1)
    li a0, -9
    mul a0, a0, a0
    CHECK(54, a0, 81)
    li a1, 9
    div x0, a1, a1
    mul x0, a1, a1
    CHECK(55, x0, 0)
    CHECK_NO_TRAP(56)
    j pass
TEST_END
