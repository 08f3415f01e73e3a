/* ctl_fw.h: vionicctl's firmware commands (flash, fw info, fw activate) over
 * vn_fwupdate.h.  Each returns vionicctl's exit status: 0, 1 failed, 2 usage. */
#ifndef CTL_FW_H
#define CTL_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vn_pci.h"

/* Reads and checks IMAGE; prints the problem and returns 1 when it is not a valid image
 * for this device (nothing touched). */
int ctl_fw_load(const char *path, uint8_t **image, size_t *len);
int ctl_fw_flash(struct vn_tr *tr, struct vn_pci *p, const uint8_t *image, size_t len, bool json);
int ctl_fw_info(struct vn_pci *p, bool json);
/* slot: BOOT_SLOT_A/B, or -1 for the slot an update writes (the one just flashed).  In
 * core mode the core then restarts; this waits for the new firmware (tr: the sim
 * transport, whose model tells when it is up) and reports what booted. */
int ctl_fw_activate(struct vn_tr *tr, struct vn_pci *p, int slot, bool json);

#endif
