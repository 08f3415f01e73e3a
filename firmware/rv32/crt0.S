/* crt0.S: reset entry of the firmware image.  The boot ROM has copied the image payload
 * to IMEM and jumps here; DMEM holds garbage.  Sets up gp and sp, copies .data from its
 * load address in IMEM to DMEM, zeroes .bss, runs main, and parks the core if it returns. */
    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* gp must be set without relaxation, which would make it relative to itself. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    /* .data and .bss are word aligned and sized by the linker script. */
    la      a0, __data_lma
    la      a1, __data_start
    la      a2, __data_end
1:  bgeu    a1, a2, 2f
    lw      t0, 0(a0)
    sw      t0, 0(a1)
    addi    a0, a0, 4
    addi    a1, a1, 4
    j       1b

2:  la      a1, __bss_start
    la      a2, __bss_end
3:  bgeu    a1, a2, 4f
    sw      zero, 0(a1)
    addi    a1, a1, 4
    j       3b

4:  call    main
5:  j       5b
    .size _start, . - _start
