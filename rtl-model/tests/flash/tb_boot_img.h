/* tb_boot_img.h: see tb_boot_img.c. */
#ifndef TB_BOOT_IMG_H
#define TB_BOOT_IMG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
/* A boot-config record (4 words) for slot, sequence seq. */
void tbimg_bootcfg(uint32_t *w, uint32_t seq, uint32_t slot);
/* Flash address of boot-config sector i (0 or 1). */
uint32_t tbimg_bootcfg_addr(unsigned i);
/* fw_image_check of a whole image: 0 when valid. */
int tbimg_check(const uint8_t *img, size_t len);
#ifdef __cplusplus
}
#endif

#endif
