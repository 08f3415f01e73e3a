/* ecall, ebreak, illegal instructions, misaligned jumps, access faults, mret. */
#include "core_test.h"

/* ILL(n, w): the instruction word w traps as illegal, mtval = w */
#define ILL(n, w)                    \
1:  .word w;                         \
    CHECK_TRAP(n, 2, 1b, w)

TEST_BEGIN
    /* ecall / ebreak: mepc is the instruction itself */
e1: ecall
    CHECK_TRAP(2, 11, e1, 0)
e2: ebreak
    CHECK_TRAP_EPC(3, 3, e2)
    la t0, e2; li gp, 4; bne s11, t0, fail     /* this core reports the pc in mtval */

    /* trap entry: MPIE <- MIE, MIE <- 0; mret restores them */
    csrsi mstatus, 8
e3: ecall
    CHECK_TRAP(5, 11, e3, 0)
    li t0, 0x88; and a0, s7, t0; CHECK(6, a0, 0x80)    /* in the handler */
    csrr a0, mstatus; and a0, a0, t0; CHECK(7, a0, 0x88) /* after its mret */
    csrci mstatus, 8
e4: ecall
    CHECK_TRAP(8, 11, e4, 0)
    li t0, 0x88; and a0, s7, t0; CHECK(9, a0, 0x00)
    csrr a0, mstatus; and a0, a0, t0; CHECK(10, a0, 0x80)

    /* mret jumps to mepc: MIE <- MPIE, MPIE <- 1 */
    la t0, m1
    csrw mepc, t0
    li t0, 0x80
    csrw mstatus, t0
    mret
    j fail
m1: csrr a0, mstatus; andi a0, a0, 0x88; CHECK(11, a0, 0x88)
    la t0, m2
    csrw mepc, t0
    csrw mstatus, zero
    mret
    j fail
m2: csrr a0, mstatus; andi a0, a0, 0x88; CHECK(12, a0, 0x80)
    csrw mstatus, zero

    /* illegal instructions; trap_illegal pulses once for each (counted by tb_core) */
    li t0, ILLCOUNT
    lw s0, 0(t0)
    CHECK(13, s0, 0)
    li a0, 0x600d
    ILL(14, 0x00000000)
    ILL(15, 0xffffffff)
    ILL(16, 0x00004501)            /* c.li: compressed is not supported */
    ILL(17, 0x0005b503)            /* ld a0, 0(a1) */
    ILL(18, 0x00a5b023)            /* sd a0, 0(a1) */
    ILL(19, 0x0005e503)            /* lwu a0, 0(a1) */
    ILL(20, 0x00a5c023)            /* store funct3 100 */
    ILL(21, 0x00b52063)            /* branch funct3 010 */
    ILL(22, 0x00b53063)            /* branch funct3 011 */
    ILL(23, 0x00051567)            /* jalr funct3 001 */
    ILL(24, 0x20b50533)            /* add with funct7 0010000 */
    ILL(25, 0x40b51533)            /* sll with funct7 0100000 */
    ILL(26, 0x40b54533)            /* xor with funct7 0100000 */
    ILL(27, 0x02b50533 | 0x40000000) /* mul with funct7 0100001 */
    ILL(28, 0x40151513)            /* slli with imm[11:5] 0100000 */
    ILL(29, 0x20155513)            /* srli with imm[11:5] 0010000 */
    ILL(30, 0x0000200f)            /* misc-mem funct3 010 */
    ILL(31, 0x10200073)            /* sret */
    ILL(32, 0x00200073)            /* uret */
    ILL(33, 0x7b200073)            /* dret */
    ILL(34, 0x00004073)            /* system funct3 100 */
    ILL(35, 0x0000000b)            /* custom-0 */
    ILL(36, 0x00000053)            /* fadd.s: no F */
    ILL(37, 0x0805252f)            /* amoswap.w: no A */
    CHECK(38, a0, 0x600d)          /* rd of the illegal words untouched */
    li t0, ILLCOUNT
    lw s0, 0(t0)
    CHECK(39, s0, 24)
    wfi                            /* legal, a no-op without interrupts */
    CHECK_NO_TRAP(40)

    /* misaligned jump targets: cause 0, mtval = target, rd not written; not-taken ok */
    li ra, 0x1111
    la t0, j_tgt
j1: jalr ra, 2(t0)
    CHECK_TRAP_EPC(41, 0, j1)
    addi t0, t0, 2; li gp, 42; bne s11, t0, fail
    CHECK(43, ra, 0x1111)
j2: .word 0x002000ef           /* jal ra, .+2 */
    CHECK_TRAP_EPC(44, 0, j2)
    la t0, j2 + 2; li gp, 45; bne s11, t0, fail
    CHECK(46, ra, 0x1111)
j3: .word 0x00000163           /* beq x0, x0, .+2 */
    CHECK_TRAP_EPC(47, 0, j3)
    la t0, j3 + 2; li gp, 48; bne s11, t0, fail
    .word 0x00001163           /* bne x0, x0, .+2: not taken, no trap */
    CHECK_NO_TRAP(49)
    la t0, j_tgt
    jalr ra, 1(t0)             /* bit 0 is cleared first: aligned, no trap */
    CHECK(50, a0, 0x7a)
    CHECK_NO_TRAP(51)

    /* access faults: load 5, store 7, fetch 1; mtval = address */
    li s0, UNMAPPED + 0x10
    li a0, 0x1234
f1: lw a0, 0(s0)
    CHECK_TRAP(52, 5, f1, UNMAPPED + 0x10)
    CHECK(53, a0, 0x1234)
f2: lbu a0, 3(s0)
    CHECK_TRAP(54, 5, f2, UNMAPPED + 0x13)
f3: sh a0, 2(s0)
    CHECK_TRAP(55, 7, f3, UNMAPPED + 0x12)
f4: sw a0, 0(s0)
    CHECK_TRAP(56, 7, f4, UNMAPPED + 0x10)
    li t0, UNMAPPED
    jalr ra, 0(t0)             /* the handler resumes at ra on a fetch fault */
    li gp, 57
    li t0, 1; bne s8, t0, fail; li s8, 0
    li t0, 1; bne s9, t0, fail
    li t0, UNMAPPED
    bne s10, t0, fail
    bne s11, t0, fail

    /* traps do not retire; count around a 4-instruction handler */
    la t0, small_handler
    csrw mtvec, t0
    csrr a0, minstret
    ecall
    csrr a1, minstret
    sub a2, a1, a0; CHECK(58, a2, 5)
    csrr a0, minstret
    .word 0
    csrr a1, minstret
    sub a2, a1, a0; CHECK(59, a2, 5)
    la t0, trap_handler
    csrw mtvec, t0
    j pass

    .balign 4
small_handler:
    csrr tp, mepc
    addi tp, tp, 4
    csrw mepc, tp
    mret
j_tgt:
    li a0, 0x7a
    ret
TEST_END
