/* tb_boot_img.c: the flash formats tb_boot needs, from the firmware's own headers (C, so
 * the C++ testbench does not re-spell them). */
#include "tb_boot_img.h"

#include "fw_flash.h"
#include "fw_image_check.h"

void tbimg_bootcfg(uint32_t *w, uint32_t seq, uint32_t slot)
{
    fw_bootcfg_encode(w, seq, slot);
}

uint32_t tbimg_bootcfg_addr(unsigned i)
{
    return i ? VN_FLASH_BOOTCFG1 : VN_FLASH_BOOTCFG0;
}

int tbimg_check(const uint8_t *img, size_t len)
{
    return fw_image_check(img, len, FW_IMG_DEVICE_ID, NULL);
}
