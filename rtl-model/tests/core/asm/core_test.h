/* Macros of the core tests.  A program starts with TEST_BEGIN and ends with TEST_END;
 * checks are numbered from 2 (tohost 1 means pass).  Reserved registers:
 *   gp  the current check number, written to tohost on failure
 *   tp  scratch of the trap handler
 *   s8  traps taken, s9 mcause, s10 mepc, s11 mtval, s7 mstatus in the last handler
 * The default handler records the trap and resumes at mepc + 4, except after an
 * instruction-fetch fault (cause 1), where it resumes at ra. */
#define TOHOST   0xF0000000
#define PUTCHAR  0xF0000004
#define ILLCOUNT 0xF0000008
#define SIGNATURE 0xF000000C
#define UNMAPPED 0xE0000000

#define TEST_BEGIN                      \
    .section .text.init;                \
    .globl _start;                      \
_start:                                 \
    la t0, trap_handler;                \
    csrw mtvec, t0;                     \
    li s8, 0;                           \
    li s9, -1;                          \
    li s10, -1;                         \
    li s11, -1;                         \
    li s7, -1;                          \
    li gp, 0;

#define TEST_END                        \
pass:                                   \
    li t0, 1;                           \
    li t1, TOHOST;                      \
    sw t0, 0(t1);                       \
1:  j 1b;                               \
fail:                                   \
    li t1, TOHOST;                      \
    sw gp, 0(t1);                       \
1:  j 1b;                               \
    .balign 4;                          \
trap_handler:                           \
    csrr s9, mcause;                    \
    csrr s10, mepc;                     \
    csrr s11, mtval;                    \
    csrr s7, mstatus;                   \
    addi s8, s8, 1;                     \
    li tp, 1;                           \
    bne s9, tp, 2f;                     \
    csrw mepc, ra;                      \
    mret;                               \
2:  addi tp, s10, 4;                    \
    csrw mepc, tp;                      \
    mret;

/* CHECK(n, reg, value): check n fails unless reg == value (t6 is clobbered) */
#define CHECK(n, reg, val)              \
    li gp, n;                           \
    li t6, val;                         \
    bne reg, t6, fail;

/* CHECK_TRAP(n, cause, mepc_label, tval): exactly one trap since the last one checked */
#define CHECK_TRAP(n, cause, epc, tval) \
    li gp, n;                           \
    li t6, 1;                           \
    bne s8, t6, fail;                   \
    li s8, 0;                           \
    li t6, cause;                       \
    bne s9, t6, fail;                   \
    la t6, epc;                         \
    bne s10, t6, fail;                  \
    li t6, tval;                        \
    bne s11, t6, fail;

/* CHECK_TRAP_EPC(n, cause, mepc_label): as CHECK_TRAP, mtval left to the caller (s11) */
#define CHECK_TRAP_EPC(n, cause, epc)   \
    li gp, n;                           \
    li t6, 1;                           \
    bne s8, t6, fail;                   \
    li s8, 0;                           \
    li t6, cause;                       \
    bne s9, t6, fail;                   \
    la t6, epc;                         \
    bne s10, t6, fail;

/* CHECK_NO_TRAP(n): no trap since the last one checked */
#define CHECK_NO_TRAP(n)                \
    li gp, n;                           \
    bnez s8, fail;

/* R-type and I-type checks: result in a0 */
#define TEST_RR(n, op, a, b, res)       \
    li a1, a; li a2, b; op a0, a1, a2; CHECK(n, a0, res)
#define TEST_RI(n, op, a, imm, res)     \
    li a1, a; op a0, a1, imm; CHECK(n, a0, res)
