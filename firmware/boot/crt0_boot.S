/* crt0_boot.S: the core's reset vector.  Stack at the top of DMEM, .bss zeroed, then
 * boot_main, which jumps to the image or parks the core; never returns. */
    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      a1, __bss_start
    la      a2, __bss_end
1:  bgeu    a1, a2, 2f
    sw      zero, 0(a1)
    addi    a1, a1, 4
    j       1b
2:  call    boot_main
3:  j       3b
    .size _start, . - _start
