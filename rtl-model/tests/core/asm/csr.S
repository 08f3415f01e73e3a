/* Zicsr: every access form, the machine CSRs, the counters and their user aliases. */
#include "core_test.h"
TEST_BEGIN
    /* csrrw / csrrs / csrrc return the old value and write the new one */
    li a1, 0x12345678
    csrw mscratch, a1
    li a1, 0xf0f0f0f0
    csrrw a0, mscratch, a1;  CHECK(2, a0, 0x12345678)
    li a1, 0x0000000f
    csrrs a0, mscratch, a1;  CHECK(3, a0, 0xf0f0f0f0)
    li a1, 0xf00000f0
    csrrc a0, mscratch, a1;  CHECK(4, a0, 0xf0f0f0ff)
    csrr a0, mscratch;       CHECK(5, a0, 0x00f0f00f)
    csrrwi a0, mscratch, 31; CHECK(6, a0, 0x00f0f00f)
    csrrsi a0, mscratch, 0x20 & 31; CHECK(7, a0, 31)   /* uimm 0: read only */
    csrrci a0, mscratch, 5;  CHECK(8, a0, 31)
    csrrsi a0, mscratch, 16; CHECK(9, a0, 26)
    csrr a0, mscratch;       CHECK(10, a0, 26)
    csrrw x0, mscratch, zero
    csrr a0, mscratch;       CHECK(11, a0, 0)
    /* rd == rs1: the old value goes to rd, the source is read first */
    li a0, 77
    csrw mscratch, a0
    li a0, 5
    csrrw a0, mscratch, a0;  CHECK(12, a0, 77)
    csrr a0, mscratch;       CHECK(13, a0, 5)

    /* read-only identification */
    csrr a0, misa;      CHECK(14, a0, 0x40001100)
    csrr a0, mhartid;   CHECK(15, a0, 0)
    csrr a0, mvendorid; CHECK(16, a0, 0)
    csrr a0, marchid;   CHECK(17, a0, 0)
    csrr a0, mimpid;    CHECK(18, a0, 0)
    li a1, -1
    csrw misa, a1                        /* WARL: ignored, no trap */
    csrr a0, misa;      CHECK(19, a0, 0x40001100)

    /* mtvec is direct mode only; mepc keeps 4-byte alignment */
    la t0, trap_handler
    ori t1, t0, 3
    csrw mtvec, t1
    csrr a0, mtvec
    li gp, 20
    bne a0, t0, fail
    li t1, 0x80000003
    csrw mepc, t1
    csrr a0, mepc;      CHECK(21, a0, 0x80000000)
    li t1, 0xdeadbeef
    csrw mcause, t1
    csrr a0, mcause;    CHECK(22, a0, 0xdeadbeef)
    csrw mtval, t1
    csrr a0, mtval;     CHECK(23, a0, 0xdeadbeef)

    /* mstatus: MIE and MPIE only; MPP reads M */
    li t1, -1
    csrw mstatus, t1
    csrr a0, mstatus;   CHECK(24, a0, 0x1888)
    csrci mstatus, 8
    csrr a0, mstatus;   CHECK(25, a0, 0x1880)
    csrw mstatus, zero
    csrr a0, mstatus;   CHECK(26, a0, 0x1800)

    /* instret counts retired instructions exactly; user alias equals machine CSR */
    csrr a0, instret
    nop
    nop
    nop
    csrr a1, minstret
    sub a2, a1, a0;     CHECK(27, a2, 4)
    /* loads, stores and divides retire once each, whatever their cycle count */
    la t0, trap_handler
    csrr a0, instret
    lw t1, 0(t0)
    la t2, csr_scratch
    sb t1, 1(t2)
    lhu t1, 2(t0)
    div t1, t1, t0
    remu t1, t1, t0
    csrr a1, instret
    sub a2, a1, a0;     CHECK(47, a2, 7)
    csrr a0, instreth;  CHECK(28, a0, 0)
    csrr a0, minstreth; CHECK(29, a0, 0)
    /* cycles move on at least 2 per instruction */
    csrr a0, cycle
    csrr a1, mcycle
    sub a2, a1, a0
    li gp, 30
    sltiu t0, a2, 2
    bnez t0, fail
    csrr a0, cycleh;    CHECK(31, a0, 0)
    /* writable machine counters, carry into the high half */
    li t1, -1
    csrw minstret, t1
    nop
    csrr a0, minstreth; CHECK(32, a0, 1)
    csrr a0, instret;   CHECK(33, a0, 4)    /* 1 + the 3 of CHECK(32) */
    csrw minstreth, zero
    csrr a0, instreth;  CHECK(34, a0, 0)
    li t1, 5
    csrw mcycleh, t1
    csrr a0, cycleh;    CHECK(35, a0, 5)
    li t1, 0xfffffff0
    csrw mcycle, t1
    li t2, 20
1:  addi t2, t2, -1
    bnez t2, 1b
    csrr a0, mcycleh;   CHECK(36, a0, 6)
    CHECK_NO_TRAP(37)

    /* illegal CSR accesses: cause 2, mtval = the instruction */
#define ILL_CSR(n, ...)                \
1:  __VA_ARGS__;                            \
    CHECK_TRAP_EPC(n, 2, 1b)           \
    la t0, 1b; lw t0, 0(t0);           \
    li gp, n; bne s11, t0, fail;
    li a0, 0x4242
    ILL_CSR(38, csrw mhartid, a0)         /* read-only, always written */
    ILL_CSR(39, csrrs a0, mhartid, a0)    /* rs1 != x0 writes even when a0 == 0 */
    ILL_CSR(40, csrw cycle, zero)
    ILL_CSR(41, csrrci a0, instret, 1)
    ILL_CSR(42, csrr a0, 0x7c0)           /* no such CSR */
    ILL_CSR(43, csrr a0, time)            /* time is not implemented */
    ILL_CSR(44, csrr a0, mie)             /* no interrupts: no mie/mip */
    CHECK(45, a0, 0x4242)                 /* rd untouched by the traps */
    /* read-only CSRs may be read by csrrs/csrrc with x0 or uimm 0 */
    csrrs a0, mhartid, x0
    csrrc a0, cycle, x0
    csrrsi a0, instreth, 0
    csrrci a0, mimpid, 0
    CHECK_NO_TRAP(46)
    j pass
TEST_END
    .data
    .balign 4
csr_scratch: .word 0
