/* boot_test_payload.c: an image for the boot ROM's testbench.  Tells the testbench
 * (its tohost word) that it runs, which build it is (BOOT_TEST_MARK) and the boot status
 * the ROM left: BOOT_TEST_MARK << 16 | FW_BOOT_STATUS[15:0]. */
#include <stdint.h>

#include "vionic_regs.h"

#define TB_TOHOST 0xF0000000u /* tb_boot's memory map, as tb_core's */

int main(void);

int main(void)
{
    uint32_t bs = *(volatile uint32_t *)(uintptr_t)(VN_CORE_CSR_BASE + VN_FW_FW_BOOT_STATUS);
    *(volatile uint32_t *)(uintptr_t)TB_TOHOST = (uint32_t)BOOT_TEST_MARK << 16 | (bs & 0xffffu);
    for (;;) {
    }
}
