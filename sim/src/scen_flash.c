/* flash-boot and flash-powercut: the firmware update of docs/firmware-update.md end to end
 * on the model's RV32 core, through the same mailbox calls vionicctl makes (vn_fwupdate.h).
 * One process, one model: the flash keeps what the update wrote across the core's reboot
 * and across power cuts, which separate vionicctl runs (a fresh model each) cannot show. */
#include "scen_flash.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tb.h"
#include "vionic_regs.h"
#include "vn_fwupdate.h"

#ifndef VIONIC_FW_NEXT_IMG_DEFAULT
#define VIONIC_FW_NEXT_IMG_DEFAULT NULL
#endif

#define BOOT_LIMIT UINT64_C(100000000)  /* cycles a boot (ROM check + firmware init) may take */
#define RESTART_LIMIT UINT64_C(1000000) /* cycles from REBOOT's answer to the core's reset */
#define STABLE_CYCLES 200000u           /* after a reboot the core must stay up this long */

int sf_fail(struct scen_result *r, const char *fmt, ...)
{
    if (!r->error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->error, sizeof r->error, fmt, ap);
        va_end(ap);
    }
    r->pass = 0;
    return -1;
}

int sf_load_image(const char *path, struct image *im, struct scen_result *r)
{
    memset(im, 0, sizeof *im);
    if (!path)
        return sf_fail(r, "no image to flash: this build made no vionic-fw-next.img (it needs "
                       "riscv64-unknown-elf-gcc); pass --image FILE");
    FILE *f = fopen(path, "rb");
    if (!f)
        return sf_fail(r, "cannot open %s: %s", path, strerror(errno));
    im->b = malloc(VN_FLASH_SLOT_BYTES + 1);
    size_t n = im->b ? fread(im->b, 1, VN_FLASH_SLOT_BYTES + 1, f) : 0;
    fclose(f);
    if (!im->b)
        return sf_fail(r, "out of memory");
    struct fw_img_report rep;
    enum fw_img_status st = fw_image_check(im->b, n, FW_IMG_DEVICE_ID, &rep);
    if (st != FW_IMG_OK || n > VN_FLASH_SLOT_BYTES) {
        free(im->b);
        im->b = NULL;
        return sf_fail(r, "%s: not an image to flash: %s", path,
                    st != FW_IMG_OK ? fw_image_status_str(st) : "larger than a flash slot");
    }
    im->len = rep.image_len;
    im->h = rep.hdr;
    return 0;
}

int sf_vrd(struct vn_tr *tr, uint32_t off, uint32_t *v)
{
    return vn_tr_bar_read(tr, 0, VN_VENDOR_BASE + off, 4, v);
}

char sf_slot_name(uint32_t s)
{
    return s == VN_BOOT_SLOT_A ? 'A' : s == VN_BOOT_SLOT_B ? 'B' : '-';
}

/* After the core was reset (power cycle, CORE_RESET): until its firmware first polls. */
int sf_wait_fw(struct vn_model *m, uint64_t *cycles)
{
    uint64_t t0 = vn_model_cycles(m);
    while (!vn_model_fw_ready(m) && vn_model_cycles(m) - t0 < BOOT_LIMIT)
        vn_model_step(m, 256);
    *cycles = vn_model_cycles(m) - t0;
    return vn_model_fw_ready(m) ? 0 : -ETIMEDOUT;
}

/* REBOOT answers first and resets the core a few cycles later. */
int sf_wait_restart(struct vn_model *m)
{
    uint64_t t0 = vn_model_cycles(m);
    while (vn_model_fw_ready(m) && vn_model_cycles(m) - t0 < RESTART_LIMIT)
        vn_model_step(m, 8);
    return vn_model_fw_ready(m) ? -ETIMEDOUT : 0;
}

const char *sf_ver_str(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u", v >> 16, v & 0xffff);
    return buf;
}

static void progress(void *ctx, const char *phase, unsigned pct)
{
    (void)ctx;
    fprintf(stderr, "flash-boot: %-6s %3u%%\n", phase, pct);
}

/* ---- flash-boot ------------------------------------------------------------------------ */

/* Bad copies of the image to flash: vn_fw_flash must refuse each before it sends a
 * single mailbox command, and flash must not change. */
enum bad_kind { BAD_TRUNC, BAD_MAGIC, BAD_DEVICE, BAD_CRC, BAD_HASH, BAD_SIZE, BAD_FUTURE, BAD_N };
static const struct {
    const char *name;
    enum fw_img_status want;
} bad_kinds[BAD_N] = {
    [BAD_TRUNC] = {"truncated", FW_IMG_TRUNCATED},
    [BAD_MAGIC] = {"bad magic", FW_IMG_BAD_MAGIC},
    [BAD_DEVICE] = {"wrong device id", FW_IMG_WRONG_DEVICE},
    [BAD_CRC] = {"payload CRC mismatch", FW_IMG_BAD_CRC},
    [BAD_HASH] = {"payload hash mismatch", FW_IMG_BAD_HASH},
    [BAD_SIZE] = {"oversize", FW_IMG_TOO_LARGE},
    [BAD_FUTURE] = {"future header version", FW_IMG_FUTURE_VERSION},
};

static size_t make_bad(enum bad_kind k, const struct image *im, uint8_t *b)
{
    memcpy(b, im->b, im->len);
    switch (k) {
    case BAD_TRUNC: return im->len - 64;
    case BAD_MAGIC: b[FW_IMG_OFF_MAGIC] ^= 0x01; return im->len;
    case BAD_DEVICE: fw_img_put32(b + FW_IMG_OFF_DEVICE_ID, FW_IMG_DEVICE_ID ^ 0x10u); break;
    case BAD_CRC: b[FW_IMG_HDR_SIZE + im->h.payload_len / 2] ^= 0x80; return im->len;
    case BAD_HASH: b[FW_IMG_OFF_PAYLOAD_SHA + 5] ^= 0x04; break; /* header re-sealed: CRC ok */
    case BAD_SIZE: fw_img_put32(b + FW_IMG_OFF_PAYLOAD_LEN, FW_IMG_MAX_PAYLOAD + 4); break;
    case BAD_FUTURE: b[FW_IMG_OFF_HDR_VERSION] = FW_IMG_HDR_VERSION + 1; break;
    case BAD_N: break;
    }
    fw_image_seal(b);
    return im->len;
}

static int refuse_bad(struct tb *tb, struct vn_pci *p, const struct image *im, struct scen_result *r)
{
    uint8_t *b = malloc(im->len), *before = malloc(2 * VN_FLASH_SLOT_BYTES);
    uint8_t *after = before ? before + VN_FLASH_SLOT_BYTES : NULL;
    int rc = 0;
    if (!b || !before) {
        free(b);
        free(before);
        return sf_fail(r, "out of memory");
    }
    for (int k = 0; k < BAD_N && rc == 0; k++) {
        struct vn_fw_err e;
        size_t len = make_bad((enum bad_kind)k, im, b);
        (void)vn_model_flash_read(tb->m, VN_FLASH_SLOT_B, before, VN_FLASH_SLOT_BYTES);
        uint64_t t0 = vn_model_cycles(tb->m);
        int frc = vn_fw_flash(p, b, len, NULL, NULL, NULL, &e);
        (void)vn_model_flash_read(tb->m, VN_FLASH_SLOT_B, after, VN_FLASH_SLOT_BYTES);
        if (frc != -EINVAL || e.img_status != (int)bad_kinds[k].want || e.cmd != 0 ||
            vn_model_cycles(tb->m) != t0 || memcmp(before, after, VN_FLASH_SLOT_BYTES))
            rc = sf_fail(r, "bad image (%s) not refused up front: rc %d, status '%s', mailbox "
                            "command %u", bad_kinds[k].name, frc,
                         fw_image_status_str((enum fw_img_status)e.img_status), e.cmd);
        else
            fprintf(stderr, "flash-boot: refused, nothing sent: %s (%s)\n", bad_kinds[k].name,
                    fw_image_status_str((enum fw_img_status)e.img_status));
    }
    free(b);
    free(before);
    return rc;
}

static int flash_boot(struct tb *tb, const struct image *im, const struct scen_opts *o,
                      struct scen_result *r)
{
    struct vn_pci *p = vn_net_pci(tb->net);
    struct vn_fw_err e;
    char msg[200], v1[16], v2[16];
    uint32_t bs, ver, slot = 0;
    int rc;

    if ((rc = sf_vrd(tb->tr, VN_VENDOR_VND_BOOT_STATUS, &bs)) ||
        (rc = sf_vrd(tb->tr, VN_VENDOR_VND_FW_VERSION, &ver)))
        return sf_fail(r, "reading the boot status: %s", strerror(-rc));
    r->fw.version_before = ver;
    fprintf(stderr, "flash-boot: booted slot %c, firmware %s (boot status 0x%x)\n",
            sf_slot_name(bs & 3u), sf_ver_str(ver, v1, sizeof v1), bs);
    if ((bs & 3u) != VN_BOOT_SLOT_A || (bs & VN_BOOT_FELL_BACK))
        return sf_fail(r, "first boot: boot status 0x%x, expected slot A without fallback", bs);
    if (ver == im->h.fw_version)
        return sf_fail(r, "the image to flash has the running version %s", sf_ver_str(ver, v1, sizeof v1));

    if (refuse_bad(tb, p, im, r))
        return -1;
    uint64_t t0 = vn_model_cycles(tb->m);
    double w0 = vn_wall_seconds();
    if ((rc = vn_fw_flash(p, im->b, im->len, progress, NULL, &slot, &e)))
        return sf_fail(r, "flash: %s", vn_fw_strerror(&e, msg, sizeof msg));
    r->fw.flash_cycles = vn_model_cycles(tb->m) - t0;
    r->fw.flash_wall_s = vn_wall_seconds() - w0;
    if (slot != VN_BOOT_SLOT_B)
        return sf_fail(r, "the update went to slot %c, not B (A is running)", sf_slot_name(slot));

    struct fw_info in;
    if ((rc = vn_fw_info(p, &in, &e)))
        return sf_fail(r, "fw info: %s", vn_fw_strerror(&e, msg, sizeof msg));
    const struct fw_info_slot *sb = &in.slot[VN_BOOT_SLOT_B];
    fprintf(stderr, "flash-boot: fw info: running %s; slot B %s %s; next boot %c\n",
            sf_ver_str(in.running_version, v1, sizeof v1),
            sb->status == FW_IMG_OK ? "valid" : "INVALID", sf_ver_str(sb->fw_version, v2, sizeof v2),
            sf_slot_name(in.next_slot));
    if (sb->status != FW_IMG_OK || sb->fw_version != im->h.fw_version ||
        sb->build_id != im->h.build_id || in.running_version != r->fw.version_before ||
        in.slot[VN_BOOT_SLOT_A].status != FW_IMG_OK)
        return sf_fail(r, "fw info after the flash: slot B status %u version %s, slot A status %u, "
                       "running %s", sb->status, sf_ver_str(sb->fw_version, v1, sizeof v1),
                    in.slot[VN_BOOT_SLOT_A].status, sf_ver_str(in.running_version, v2, sizeof v2));

    /* The driver lets go of the device before the firmware restarts under it, as a
     * devlink reload does: a core reset under a live driver leaves its accesses waiting
     * (see docs/firmware-update.md).  The mailbox stays reachable (COMMAND.MEM). */
    struct vn_pci pc = *p;
    p = &pc;
    vn_net_close(tb->net);
    tb->net = NULL;
    if ((rc = vn_fw_activate(p, slot, &e)))
        return sf_fail(r, "activate B: %s", vn_fw_strerror(&e, msg, sizeof msg));
    if ((rc = vn_fw_reboot(p, &e)))
        return sf_fail(r, "reboot: %s", vn_fw_strerror(&e, msg, sizeof msg));
    w0 = vn_wall_seconds();
    if ((rc = sf_wait_restart(tb->m)))
        return sf_fail(r, "reboot: the core did not restart");
    if ((rc = sf_wait_fw(tb->m, &r->fw.boot_cycles)))
        return sf_fail(r, "reboot: no firmware after %llu cycles", (unsigned long long)BOOT_LIMIT);
    r->fw.boot_wall_s = vn_wall_seconds() - w0;
    if ((rc = sf_vrd(tb->tr, VN_VENDOR_VND_BOOT_STATUS, &bs)) ||
        (rc = sf_vrd(tb->tr, VN_VENDOR_VND_FW_VERSION, &ver)))
        return sf_fail(r, "reading the boot status after the reboot: %s", strerror(-rc));
    r->fw.version_after = ver;
    r->fw.boot_status_after = bs;
    fprintf(stderr, "flash-boot: rebooted in %llu cycles: slot %c, firmware %s (boot status 0x%x)\n",
            (unsigned long long)r->fw.boot_cycles, sf_slot_name(bs & 3u), sf_ver_str(ver, v1, sizeof v1), bs);
    if ((bs & 3u) != VN_BOOT_SLOT_B || (bs & VN_BOOT_FELL_BACK) || ver != im->h.fw_version)
        return sf_fail(r, "after the reboot: boot status 0x%x, version %s; expected slot B, %s",
                    bs, sf_ver_str(ver, v1, sizeof v1), sf_ver_str(im->h.fw_version, v2, sizeof v2));

    /* A firmware that resets the core before the REBOOT event left its FIFO meets that
     * event again after the boot, and reboots forever: the core must stay up. */
    struct vn_model_stats st;
    vn_model_get_stats(tb->m, &st);
    uint64_t ret0 = st.core_instret;
    vn_model_step(tb->m, STABLE_CYCLES);
    vn_model_get_stats(tb->m, &st);
    if (st.core_instret < ret0 || !vn_model_fw_ready(tb->m))
        return sf_fail(r, "the core restarted again within %u cycles of its reboot (a REBOOT "
                          "event still queued for the new firmware?)", STABLE_CYCLES);
    struct vn_net_opts no = {.queue_pairs = o->queues ? o->queues : VN_NET_ALL_PAIRS,
                             .ring_size = o->ring_size, .use_irq = 1};
    if ((rc = vn_net_open(tb->tr, &no, &tb->net)))
        return sf_fail(r, "bring-up on the new firmware: %s", strerror(-rc));
    return 0;
}

int scen_flash_boot(const struct scen_opts *o, struct scen_result *r)
{
    struct image im;
    r->fw.used = 1;
    if (sf_load_image(o->image_path ? o->image_path : VIONIC_FW_NEXT_IMG_DEFAULT, &im, r))
        return -1;
    r->fw.image_bytes = im.len;
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = o->queues, .ring_size = o->ring_size,
                         .dma_latency = o->dma_latency, .fst_path = o->fst_path,
                         .pcap_path = o->pcap_path, .firmware = "core",
                         .corrupt_frame = o->corrupt_frame};
    int rc = tb_open(&tb, &to);
    if (rc) {
        free(im.b);
        return sf_fail(r, "bring-up with the firmware on the core failed: %s", strerror(-rc));
    }
    if (flash_boot(&tb, &im, o, r) == 0) {
        scen_traffic_run(&tb, o, r); /* sets pass */
    }
    r->total_cycles = vn_model_cycles(tb.m);
    tb_close(&tb);
    free(im.b);
    return 0;
}
