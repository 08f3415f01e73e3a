/* vn_fwupdate.h: the host side of the firmware mailbox (VND_MBOX_* in BAR0's vendor
 * region): firmware info, flash update, activation, reboot.  docs/firmware-update.md. */
#ifndef VN_FWUPDATE_H
#define VN_FWUPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "fw_image.h"
#include "vn_pci.h"

/* Why a call failed, beyond its -errno. */
struct vn_fw_err {
    uint32_t cmd;      /* MBOX_CMD_* that failed, 0: none sent (the image was refused) */
    uint32_t mbox_err; /* MBOX_ERR_* */
    uint32_t detail;   /* MBOX_STATUS progress: for ERR_IMAGE / NO_IMAGE an fw_img_status */
    int img_status;    /* vn_fw_flash: fw_image_check of the file, FW_IMG_OK when it passed */
};

/* phase: "erase", "write" or "verify"; percent 0..100 of that phase. */
typedef void (*vn_fw_progress_cb)(void *ctx, const char *phase, unsigned percent);

/* 0 and *out filled, or -errno (-EIO: the firmware answered an error, see e). */
int vn_fw_info(struct vn_pci *p, struct fw_info *out, struct vn_fw_err *e);
/* Checks the image (fw_image_check) FIRST: -EINVAL with e->img_status and nothing sent
 * to the device when it is bad.  Then BEGIN, WRITE..., COMMIT; *slot (may be NULL) gets
 * the slot written. */
int vn_fw_flash(struct vn_pci *p, const uint8_t *image, size_t len, vn_fw_progress_cb cb,
                void *ctx, uint32_t *slot, struct vn_fw_err *e);
int vn_fw_activate(struct vn_pci *p, uint32_t slot, struct vn_fw_err *e);
/* -EOPNOTSUPP in host mode (nothing boots from flash). */
int vn_fw_reboot(struct vn_pci *p, struct vn_fw_err *e);
/* One line for e, into buf. */
const char *vn_fw_strerror(const struct vn_fw_err *e, char *buf, size_t len);

#endif
