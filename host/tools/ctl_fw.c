/* ctl_fw.c: see ctl_fw.h. */
#include "ctl_fw.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_image_check.h"
#include "vionic_regs.h"
#include "vn_fwupdate.h"
#include "vn_model.h"
#include "vn_transport.h"

#define PROG "vionicctl"

static char slot_name(uint32_t s)
{
    return s == VN_BOOT_SLOT_A ? 'A' : s == VN_BOOT_SLOT_B ? 'B' : '-';
}

int ctl_fw_load(const char *path, uint8_t **image, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, PROG ": cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = FW_IMG_HDR_SIZE + FW_IMG_MAX_PAYLOAD + 1;
    uint8_t *b = malloc(cap);
    if (!b) {
        fclose(f);
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    size_t n = fread(b, 1, cap, f);
    fclose(f);
    struct fw_img_report rep;
    enum fw_img_status st = fw_image_check(b, n, FW_IMG_DEVICE_ID, &rep);
    if (st == FW_IMG_OK && rep.hdr.load_addr != VN_CORE_IMEM_BASE)
        st = FW_IMG_BAD_ADDR;
    if (st != FW_IMG_OK || n == cap) {
        fprintf(stderr, PROG ": %s: not flashed, bad image: %s\n", path,
                st != FW_IMG_OK ? fw_image_status_str(st) : "larger than any image");
        free(b);
        return 1;
    }
    *image = b;
    *len = n;
    return 0;
}

static void progress(void *ctx, const char *phase, unsigned pct)
{
    bool json = *(bool *)ctx;
    if (!json)
        printf("%-6s %3u%%\n", phase, pct);
}

int ctl_fw_flash(struct vn_tr *tr, struct vn_pci *p, const uint8_t *image, size_t len, bool json)
{
    (void)tr;
    struct vn_fw_err e;
    uint32_t slot = 0;
    char msg[160];
    int rc = vn_fw_flash(p, image, len, progress, &json, &slot, &e);
    if (rc) {
        fprintf(stderr, PROG ": flash failed: %s\n", vn_fw_strerror(&e, msg, sizeof msg));
        if (json)
            printf("{\"command\":\"flash\",\"ok\":false,\"error\":\"%s\"}\n", msg);
        return 1;
    }
    if (json)
        printf("{\"command\":\"flash\",\"ok\":true,\"slot\":\"%c\",\"bytes\":%zu}\n",
               slot_name(slot), len);
    else
        printf("flashed %zu bytes into slot %c; 'fw activate' boots it next\n", len,
               slot_name(slot));
    return 0;
}

int ctl_fw_info(struct vn_pci *p, bool json)
{
    struct fw_info in;
    struct vn_fw_err e;
    char msg[160];
    if (vn_fw_info(p, &in, &e)) {
        fprintf(stderr, PROG ": fw info failed: %s\n", vn_fw_strerror(&e, msg, sizeof msg));
        return 1;
    }
    uint32_t run = in.boot_status & 3u;
    const char *running = run == VN_BOOT_SLOT_HOST ? "host" : run == VN_BOOT_SLOT_NONE ? "none"
                          : run == VN_BOOT_SLOT_A ? "A" : "B";
    if (json) {
        printf("{\"command\":\"fw info\",\"running\":{\"slot\":\"%s\",\"version\":\"%u.%u\","
               "\"fell_back\":%s,\"boot_error\":%u},\"next_boot\":\"%c\",\"update_slot\":\"%c\","
               "\"slots\":[",
               running, in.running_version >> 16, in.running_version & 0xffff,
               (in.boot_status & VN_BOOT_FELL_BACK) ? "true" : "false",
               (in.boot_status >> 8) & 0xff, slot_name(in.next_slot), slot_name(in.update_slot));
        for (unsigned i = 0; i < 2; i++) {
            const struct fw_info_slot *s = &in.slot[i];
            printf("%s{\"slot\":\"%c\",\"valid\":%s,\"problem\":", i ? "," : "", slot_name(i),
                   s->status == FW_IMG_OK ? "true" : "false");
            if (s->status == FW_IMG_OK)
                printf("null,\"version\":\"%u.%u\",\"build_id\":\"%016" PRIx64 "\",\"payload_len\":%u}",
                       s->fw_version >> 16, s->fw_version & 0xffff, s->build_id, s->payload_len);
            else
                printf("\"%s\"}", fw_image_status_str((enum fw_img_status)s->status));
        }
        printf("]}\n");
        return 0;
    }
    printf("running:   %s, firmware %u.%u%s\n", running, in.running_version >> 16,
           in.running_version & 0xffff,
           (in.boot_status & VN_BOOT_FELL_BACK) ? " (fell back: the preferred slot was bad)" : "");
    for (unsigned i = 0; i < 2; i++) {
        const struct fw_info_slot *s = &in.slot[i];
        if (s->status == FW_IMG_OK)
            printf("slot %c:    valid, version %u.%u, build %016" PRIx64 ", %u bytes\n", slot_name(i),
                   s->fw_version >> 16, s->fw_version & 0xffff, s->build_id, s->payload_len);
        else
            printf("slot %c:    no valid image (%s)\n", slot_name(i),
                   fw_image_status_str((enum fw_img_status)s->status));
    }
    printf("next boot: %c\n", slot_name(in.next_slot));
    printf("update:    the next flash writes slot %c\n", slot_name(in.update_slot));
    return 0;
}

/* After REBOOT: the core resets a few cycles after it answered, then the boot ROM checks
 * the slot and starts the firmware.  Wait for both edges of "firmware ready". */
#define REBOOT_START_CYCLES UINT64_C(1000000)
#define REBOOT_BOOT_CYCLES UINT64_C(100000000)

static int wait_reboot(struct vn_tr *tr, uint64_t *cycles)
{
    struct vn_model *m = vn_tr_sim_model(tr);
    if (!m)
        return -ENODEV;
    uint64_t t0 = vn_model_cycles(m);
    while (vn_model_fw_ready(m) && vn_model_cycles(m) - t0 < REBOOT_START_CYCLES)
        vn_model_step(m, 16);
    if (vn_model_fw_ready(m))
        return -ETIMEDOUT; /* the core never restarted */
    uint64_t t1 = vn_model_cycles(m);
    while (!vn_model_fw_ready(m) && vn_model_cycles(m) - t1 < REBOOT_BOOT_CYCLES)
        vn_model_step(m, 1024);
    *cycles = vn_model_cycles(m) - t1;
    return vn_model_fw_ready(m) ? 0 : -ETIMEDOUT;
}

static int vendor_rd(struct vn_pci *p, uint32_t off, uint32_t *v)
{
    return vn_tr_bar_read(p->tr, 0, VN_VENDOR_BASE + off, 4, v);
}

int ctl_fw_activate(struct vn_tr *tr, struct vn_pci *p, int slot, bool json)
{
    struct vn_fw_err e;
    char msg[160];
    uint32_t s;
    if (slot < 0) {
        struct fw_info in;
        if (vn_fw_info(p, &in, &e)) {
            fprintf(stderr, PROG ": fw activate: %s\n", vn_fw_strerror(&e, msg, sizeof msg));
            return 1;
        }
        s = in.update_slot; /* the slot an update writes: the one just flashed */
    } else {
        s = (uint32_t)slot;
    }
    if (vn_fw_activate(p, s, &e)) {
        fprintf(stderr, PROG ": fw activate %c: %s\n", slot_name(s), vn_fw_strerror(&e, msg, sizeof msg));
        return 1;
    }
    int rc = vn_fw_reboot(p, &e);
    bool rebooted = rc == 0;
    if (rc && rc != -EOPNOTSUPP) {
        fprintf(stderr, PROG ": reboot: %s\n", vn_fw_strerror(&e, msg, sizeof msg));
        return 1;
    }
    uint64_t boot_cycles = 0;
    uint32_t bs = 0, ver = 0;
    if (rebooted) {
        if ((rc = wait_reboot(tr, &boot_cycles))) {
            fprintf(stderr, PROG ": reboot: the firmware did not come back: %s\n", strerror(-rc));
            return 1;
        }
        if ((rc = vendor_rd(p, VN_VENDOR_VND_BOOT_STATUS, &bs)) ||
            (rc = vendor_rd(p, VN_VENDOR_VND_FW_VERSION, &ver))) {
            fprintf(stderr, PROG ": reboot: reading the boot status: %s\n", strerror(-rc));
            return 1;
        }
    }
    uint32_t booted = bs & 3u;
    if (json) {
        printf("{\"command\":\"fw activate\",\"slot\":\"%c\",\"rebooted\":%s", slot_name(s),
               rebooted ? "true" : "false");
        if (rebooted)
            printf(",\"booted\":\"%c\",\"fell_back\":%s,\"version\":\"%u.%u\",\"boot_cycles\":%llu",
                   slot_name(booted), (bs & VN_BOOT_FELL_BACK) ? "true" : "false", ver >> 16,
                   ver & 0xffff, (unsigned long long)boot_cycles);
        printf("}\n");
    } else if (rebooted) {
        printf("slot %c boots next; the core restarted: booted slot %c%s, firmware %u.%u "
               "(%llu cycles)\n", slot_name(s), slot_name(booted),
               (bs & VN_BOOT_FELL_BACK) ? " (FELL BACK: the activated slot was refused)" : "",
               ver >> 16, ver & 0xffff, (unsigned long long)boot_cycles);
    } else {
        printf("slot %c boots next; host mode: no core to restart\n", slot_name(s));
    }
    if (rebooted && booted != s) {
        fprintf(stderr, PROG ": fw activate: slot %c was activated but slot %c booted\n",
                slot_name(s), slot_name(booted));
        return 1;
    }
    return 0;
}
