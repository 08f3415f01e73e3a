/* Helpers shared by the firmware-update scenarios (scen_flash.c: flash-boot,
 * scen_flash_cut.c: flash-powercut). */
#ifndef VN_SCEN_FLASH_H
#define VN_SCEN_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "fw_image_check.h"
#include "scenario.h"
#include "vn_model.h"
#include "vn_transport.h"

struct image {
    uint8_t *b; /* malloc'd; the caller frees */
    size_t len; /* header + payload: what is flashed */
    struct fw_image_hdr h;
};

/* Records the first error in r (pass = 0); returns -1. */
int sf_fail(struct scen_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads and checks an image file (path NULL: the build has none). */
int sf_load_image(const char *path, struct image *im, struct scen_result *r);
/* A 32-bit register of BAR0's vendor region. */
int sf_vrd(struct vn_tr *tr, uint32_t off, uint32_t *v);
char sf_slot_name(uint32_t boot_slot);
const char *sf_ver_str(uint32_t fw_version, char *buf, size_t len);
/* After a core reset (power cycle, CORE_RESET): until the firmware polls its events;
 * *cycles gets how long.  0 or -ETIMEDOUT. */
int sf_wait_fw(struct vn_model *m, uint64_t *cycles);
/* After REBOOT answered: until the core has actually reset.  0 or -ETIMEDOUT. */
int sf_wait_restart(struct vn_model *m);

#endif
