/* start-up of C test programs: stack, gp, bss; selftest()'s signature goes to the
 * SIGNATURE word, then tohost gets 1 (tb_core compares the signature). */
#include "core_test.h"
    .section .text.init
    .globl _start
_start:
    la sp, __stack_top
.option push
.option norelax
    la gp, __global_pointer$
.option pop
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  call selftest
    li t0, SIGNATURE
    sw a0, 0(t0)
    li t0, 1
    li t1, TOHOST
    sw t0, 0(t1)
3:  j 3b
