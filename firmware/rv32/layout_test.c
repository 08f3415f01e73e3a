/* layout_test.c: a program with initialised .data and .sdata and a .bss, linked like the
 * firmware.  The real firmware has no .data yet; this one makes the tests cover a payload
 * whose tail is .data's load image (ELF reader vs objcopy, crt0's copy). */
#include <stdint.h>

uint32_t layout_table[16] = {0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 1, 2, 3, 4,
                             5, 6, 7, 8, 9, 10, 11, 0xcafef00d};
volatile uint32_t layout_small = 0x5a5a1234;
uint32_t layout_zero[8];
/* 0x417926ab once main ran after a correct crt0 (.data copied, .bss zeroed); a core
 * testbench reads it by symbol */
volatile uint32_t layout_result;

int main(void)
{
    uint32_t sum = layout_small;
    for (unsigned i = 0; i < 16; i++)
        sum += layout_table[i];
    for (unsigned i = 0; i < 8; i++)
        sum += layout_zero[i];
    layout_result = sum;
    return 0;
}
