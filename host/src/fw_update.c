/* fw_update.c: the mailbox protocol from the host: ARG0/ARG1/DATA, then CMD; poll
 * MBOX_STATUS until busy clears. */
#include "vn_fwupdate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw_image_check.h"
#include "vionic_regs.h"

/* A BEGIN erases up to 17 sectors; the device answers long before this many polls. */
#define POLL_LIMIT 100000000u

static const char *const mbox_err_str[] = {
    [VN_MBOX_ERR_NONE] = "no error",
    [VN_MBOX_ERR_BAD_CMD] = "unknown command",
    [VN_MBOX_ERR_BAD_ARG] = "argument out of range",
    [VN_MBOX_ERR_SEQUENCE] = "command out of sequence",
    [VN_MBOX_ERR_FLASH] = "flash erase or program failed",
    [VN_MBOX_ERR_IMAGE] = "the image in flash is not valid",
    [VN_MBOX_ERR_NO_IMAGE] = "the slot holds no valid image",
    [VN_MBOX_ERR_UNSUPPORTED] = "not supported in this firmware mode",
};

static int vrd(struct vn_pci *p, uint32_t off, uint32_t *v)
{
    return vn_tr_bar_read(p->tr, 0, VN_VENDOR_BASE + off, 4, v);
}

static int vwr(struct vn_pci *p, uint32_t off, uint32_t v)
{
    return vn_tr_bar_write(p->tr, 0, VN_VENDOR_BASE + off, 4, v);
}

static void err_clear(struct vn_fw_err *e)
{
    memset(e, 0, sizeof *e);
    e->img_status = FW_IMG_OK;
}

/* Runs cmd; on_busy (may be NULL) sees the progress while the device works. */
static int mbox(struct vn_pci *p, uint32_t cmd, uint32_t a0, uint32_t a1, struct vn_fw_err *e,
                uint32_t *progress, void (*on_busy)(void *, uint32_t), void *ctx)
{
    int rc;
    if ((rc = vwr(p, VN_VENDOR_VND_MBOX_ARG0, a0)) || (rc = vwr(p, VN_VENDOR_VND_MBOX_ARG1, a1)) ||
        (rc = vwr(p, VN_VENDOR_VND_MBOX_CMD, cmd)))
        return rc;
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        uint32_t st;
        if ((rc = vrd(p, VN_VENDOR_VND_MBOX_STATUS, &st)))
            return rc;
        uint32_t prog = st >> VN_MBOX_PROGRESS_SHIFT;
        if (st & VN_MBOX_STATUS_BUSY) {
            if (on_busy)
                on_busy(ctx, prog);
            continue;
        }
        if (progress)
            *progress = prog;
        uint32_t err = (st >> VN_MBOX_ERR_SHIFT) & 0xffu;
        if (err) {
            e->cmd = cmd;
            e->mbox_err = err;
            e->detail = prog;
            return err == VN_MBOX_ERR_UNSUPPORTED ? -EOPNOTSUPP : -EIO;
        }
        return 0;
    }
    e->cmd = cmd;
    return -ETIMEDOUT;
}

int vn_fw_info(struct vn_pci *p, struct fw_info *out, struct vn_fw_err *e)
{
    struct vn_fw_err local;
    e = e ? e : &local;
    err_clear(e);
    int rc = mbox(p, VN_MBOX_CMD_INFO, 0, 0, e, NULL, NULL, NULL);
    if (rc)
        return rc;
    uint32_t w[FW_INFO_WORDS];
    for (uint32_t i = 0; i < FW_INFO_WORDS; i++)
        if ((rc = vrd(p, VN_VENDOR_VND_MBOX_DATA + 4 * i, &w[i])))
            return rc;
    fw_info_decode(w, out);
    return 0;
}

struct erase_ctx {
    vn_fw_progress_cb cb;
    void *ctx;
    uint32_t sectors, last;
};

static void erase_busy(void *c, uint32_t done)
{
    struct erase_ctx *x = c;
    if (x->cb && done != x->last && done <= x->sectors) {
        x->last = done;
        x->cb(x->ctx, "erase", (unsigned)(100 * done / x->sectors));
    }
}

int vn_fw_flash(struct vn_pci *p, const uint8_t *image, size_t len, vn_fw_progress_cb cb,
                void *ctx, uint32_t *slot, struct vn_fw_err *e)
{
    struct vn_fw_err local;
    e = e ? e : &local;
    err_clear(e);
    struct fw_img_report rep;
    e->img_status = fw_image_check(image, len, FW_IMG_DEVICE_ID, &rep);
    if (e->img_status == FW_IMG_OK && rep.hdr.load_addr != VN_CORE_IMEM_BASE)
        e->img_status = FW_IMG_BAD_ADDR; /* the boot ROM loads at the base only */
    if (e->img_status != FW_IMG_OK)
        return -EINVAL;
    len = rep.image_len; /* trailing bytes of the file are not the image */

    struct erase_ctx ec = {cb, ctx, (uint32_t)((len + VN_FLASH_SECTOR_BYTES - 1) / VN_FLASH_SECTOR_BYTES), 0};
    uint32_t s = 0;
    if (cb)
        cb(ctx, "erase", 0);
    int rc = mbox(p, VN_MBOX_CMD_BEGIN, (uint32_t)len, 0, e, &s, erase_busy, &ec);
    if (rc)
        return rc;
    if (cb)
        cb(ctx, "erase", 100);
    unsigned last_pct = 101;
    for (size_t off = 0; off < len; off += VN_MBOX_DATA_BYTES) {
        size_t n = len - off < VN_MBOX_DATA_BYTES ? len - off : VN_MBOX_DATA_BYTES;
        for (size_t i = 0; i < n; i += 4) {
            uint8_t b[4] = {0xff, 0xff, 0xff, 0xff};
            memcpy(b, image + off + i, n - i < 4 ? n - i : 4);
            if ((rc = vwr(p, VN_VENDOR_VND_MBOX_DATA + (uint32_t)i, fw_img_get32(b))))
                return rc;
        }
        if ((rc = mbox(p, VN_MBOX_CMD_WRITE, (uint32_t)off, (uint32_t)n, e, NULL, NULL, NULL)))
            return rc;
        unsigned pct = (unsigned)(100 * (off + n) / len);
        if (cb && pct / 10 != last_pct / 10)
            cb(ctx, "write", pct);
        last_pct = pct;
    }
    if (cb)
        cb(ctx, "verify", 0);
    if ((rc = mbox(p, VN_MBOX_CMD_COMMIT, 0, 0, e, &s, NULL, NULL)))
        return rc;
    if (cb)
        cb(ctx, "verify", 100);
    if (slot)
        *slot = s;
    return 0;
}

int vn_fw_activate(struct vn_pci *p, uint32_t slot, struct vn_fw_err *e)
{
    struct vn_fw_err local;
    e = e ? e : &local;
    err_clear(e);
    return mbox(p, VN_MBOX_CMD_ACTIVATE, slot, 0, e, NULL, NULL, NULL);
}

int vn_fw_reboot(struct vn_pci *p, struct vn_fw_err *e)
{
    struct vn_fw_err local;
    e = e ? e : &local;
    err_clear(e);
    return mbox(p, VN_MBOX_CMD_REBOOT, 0, 0, e, NULL, NULL, NULL);
}

const char *vn_fw_strerror(const struct vn_fw_err *e, char *buf, size_t len)
{
    if (e->img_status != FW_IMG_OK)
        snprintf(buf, len, "bad image: %s", fw_image_status_str((enum fw_img_status)e->img_status));
    else if (e->mbox_err == VN_MBOX_ERR_IMAGE || e->mbox_err == VN_MBOX_ERR_NO_IMAGE)
        snprintf(buf, len, "%s (%s)", mbox_err_str[e->mbox_err],
                 fw_image_status_str((enum fw_img_status)e->detail));
    else if (e->mbox_err && e->mbox_err < sizeof mbox_err_str / sizeof mbox_err_str[0])
        snprintf(buf, len, "%s", mbox_err_str[e->mbox_err]);
    else if (e->cmd)
        snprintf(buf, len, "mailbox command %u: no answer", e->cmd);
    else
        snprintf(buf, len, "no error");
    return buf;
}
