/* boot_main.c: the boot ROM.  fw_boot_select (fw_flash.c, shared with the firmware and
 * its unit tests) reads the boot-config records, checks the chosen slot (header, CRC32C,
 * SHA-256) while copying its payload to IMEM, falls back to the other slot; the result
 * goes to FW_BOOT_STATUS, then the ROM jumps to the image's entry point, or parks the
 * core when no slot holds a valid image. */
#include "fw_flash.h"
#include "hal.h"

void boot_main(void);

void boot_main(void)
{
    struct fw_boot_choice c;
    uint32_t st = fw_boot_select(&c, (uint8_t *)(uintptr_t)VN_CORE_IMEM_BASE);
    hal_write32(VN_FW_FW_BOOT_STATUS, st);
    if (c.slot == VN_BOOT_SLOT_NONE)
        for (;;) {
        }
    /* the image's start-up sets its own stack and globals */
    void (*entry)(void) = (void (*)(void))(uintptr_t)c.hdr.entry;
    entry();
}
