/* flash-powercut: the update of vionic-fw-next.img over the running 0.1 image, and its
 * activation, with the power cut (vn_model_power_cycle) at every phase: during the erase,
 * after K program chunks, just before, during and just after COMMIT's header write, and
 * during the boot record ACTIVATE writes.  After each cut the core boots from its ROM
 * alone and must run a whole image: the old one, or the new one once its record is
 * complete; the update slot checked on the host must hold either the whole new image or
 * no valid one.  The cases run in order on one model, each starting from what the cut
 * before left, so each update is also a retry over debris; a full retry follows them.
 *
 * The cuts come from a transport wrapped around the sim transport: it passes every BAR
 * access through, watches the mailbox commands and the flash (backdoor reads, no model
 * time), and when the case's moment has come it cuts the power instead of doing the
 * access; vn_fw_flash then fails as a real host would. */
#include "scen_flash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vionic_regs.h"
#include "vn_fwupdate.h"
#include "vn_pci.h"

#define ERASED 0xffffffffu
#define FLASH_BOOT_RECORD_MAGIC 0x43424e56u /* "VNBC", fw_flash.h (firmware-private) */
#define BEFORE_HEADER_MARGIN 1500u        /* cycles: cut this long before the header begins */

enum cut_when {
    AT_DELAY,       /* cycles after the arming command */
    HDR_PARTIAL,    /* some of header words 1..31 programmed, the magic (word 0) not */
    HDR_MAGIC,      /* the header's magic programmed: the image is committed */
    REC_PARTIAL,    /* a boot record sector erased, then words 1..3 programmed, no magic */
    REC_DONE,       /* a boot record sector erased, then its magic programmed */
};

struct cut_case {
    const char *name;
    uint32_t cmd;   /* MBOX_CMD_* that arms the cut ... */
    unsigned nth;   /* ... at its nth write (1-based; counted within the case) */
    enum cut_when when;
    uint64_t delay; /* AT_DELAY */
    int new_boots;  /* the new image boots after this cut (else the old one) */
    int slot_whole; /* the update slot holds the whole new image after this cut */
    int activate;   /* the case runs ACTIVATE (else an update) */
};

struct cutter {
    struct vn_tr tr; /* first: the ops recover the cutter from it */
    struct vn_tr *in;
    struct vn_model *m;
    const struct cut_case *c;
    uint64_t delay; /* AT_DELAY, resolved */
    unsigned seen;
    int armed, cut, rec_erased[2];
    uint64_t t_arm, t_cut;
};

static struct cutter *to_cutter(struct vn_tr *tr)
{
    return (struct cutter *)tr;
}

static uint32_t flash_word(struct vn_model *m, uint32_t off)
{
    uint8_t b[4] = {0, 0, 0, 0};
    (void)vn_model_flash_read(m, off, b, 4);
    return fw_img_get32(b);
}

static int hdr_state(struct vn_model *m, int *partial)
{
    *partial = 0;
    for (uint32_t w = 1; w < FW_IMG_HDR_SIZE / 4; w++)
        if (flash_word(m, VN_FLASH_SLOT_B + 4 * w) != ERASED)
            *partial = 1;
    return flash_word(m, VN_FLASH_SLOT_B) == FW_IMG_MAGIC;
}

static int moment(struct cutter *x)
{
    struct vn_model *m = x->m;
    static const uint32_t rec[2] = {VN_FLASH_BOOTCFG0, VN_FLASH_BOOTCFG1};
    int partial;
    switch (x->c->when) {
    case AT_DELAY:
        return vn_model_cycles(m) - x->t_arm >= x->delay;
    case HDR_PARTIAL:
        return !hdr_state(m, &partial) && partial;
    case HDR_MAGIC:
        return hdr_state(m, &partial);
    case REC_PARTIAL:
    case REC_DONE:
        for (unsigned s = 0; s < 2; s++) {
            uint32_t w[4];
            for (unsigned i = 0; i < 4; i++)
                w[i] = flash_word(m, rec[s] + 4 * i);
            if (w[0] == ERASED && w[1] == ERASED && w[2] == ERASED && w[3] == ERASED)
                x->rec_erased[s] = 1;
            if (!x->rec_erased[s])
                continue;
            if (x->c->when == REC_DONE ? w[0] == FLASH_BOOT_RECORD_MAGIC
                                       : w[0] == ERASED && (w[1] != ERASED || w[3] != ERASED))
                return 1;
        }
        return 0;
    }
    return 0;
}

/* Nonzero: the power is off (now or earlier); the access must fail. */
static int check(struct cutter *x)
{
    if (x->cut)
        return 1;
    if (!x->armed || !moment(x))
        return 0;
    x->t_cut = vn_model_cycles(x->m);
    vn_model_power_cycle(x->m);
    x->cut = 1;
    return 1;
}

static int cut_bar_read(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t *v)
{
    struct cutter *x = to_cutter(tr);
    return check(x) ? -EIO : vn_tr_bar_read(x->in, bar, off, size, v);
}

static int cut_bar_write(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t v)
{
    struct cutter *x = to_cutter(tr);
    if (!x->armed && bar == 0 && off == VN_VENDOR_BASE + VN_VENDOR_VND_MBOX_CMD &&
        v == x->c->cmd && ++x->seen == x->c->nth) {
        x->armed = 1;
        x->t_arm = vn_model_cycles(x->m);
    }
    return check(x) ? -EIO : vn_tr_bar_write(x->in, bar, off, size, v);
}

static int cut_cfg_read(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *v)
{
    return vn_tr_cfg_read(to_cutter(tr)->in, off, size, v);
}

static int cut_cfg_write(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t v)
{
    return vn_tr_cfg_write(to_cutter(tr)->in, off, size, v);
}

static int cut_dma_alloc(struct vn_tr *tr, size_t len, struct vn_dma *out)
{
    return vn_tr_dma_alloc(to_cutter(tr)->in, len, out);
}

static void cut_dma_free(struct vn_tr *tr, struct vn_dma *d)
{
    vn_tr_dma_free(to_cutter(tr)->in, d);
}

static int cut_irq_setup(struct vn_tr *tr, unsigned nvec)
{
    return vn_tr_irq_setup(to_cutter(tr)->in, nvec);
}

static int cut_irq_wait(struct vn_tr *tr, uint64_t timeout_ns, uint64_t *fired)
{
    return vn_tr_irq_wait(to_cutter(tr)->in, timeout_ns, fired);
}

static void cut_delay(struct vn_tr *tr, uint64_t ns)
{
    vn_tr_delay(to_cutter(tr)->in, ns);
}

static void cut_close(struct vn_tr *tr)
{
    (void)tr; /* the wrapped transport belongs to the scenario */
}

static const struct vn_tr_ops cut_ops = {
    .name = "powercut",
    .cfg_read = cut_cfg_read,
    .cfg_write = cut_cfg_write,
    .bar_read = cut_bar_read,
    .bar_write = cut_bar_write,
    .dma_alloc = cut_dma_alloc,
    .dma_free = cut_dma_free,
    .irq_setup = cut_irq_setup,
    .irq_wait = cut_irq_wait,
    .delay = cut_delay,
    .close = cut_close,
};

/* ---- the cases ------------------------------------------------------------------------- */

/* The erase of one 4 KiB sector takes FLASH_ERASE_CYCLES; BEGIN erases the header's first. */
static const struct cut_case cases[] = {
    {"erase: first sector (the header's)", VN_MBOX_CMD_BEGIN, 1, AT_DELAY, 3000, 0, 0, 0},
    {"erase: third sector", VN_MBOX_CMD_BEGIN, 1, AT_DELAY, 2 * VN_FLASH_ERASE_CYCLES + 10000, 0, 0, 0},
    {"program: after 1 chunk", VN_MBOX_CMD_WRITE, 2, AT_DELAY, 0, 0, 0, 0},
    {"program: after 24 chunks", VN_MBOX_CMD_WRITE, 25, AT_DELAY, 0, 0, 0, 0},
    {"program: every chunk, COMMIT not sent", VN_MBOX_CMD_COMMIT, 1, AT_DELAY, 0, 0, 0, 0},
    {"commit: header half written, no magic", VN_MBOX_CMD_COMMIT, 1, HDR_PARTIAL, 0, 0, 0, 0},
    {"commit: just before the header write", VN_MBOX_CMD_COMMIT, 1, AT_DELAY, 0, 0, 0, 0},
    {"commit: just after the header write", VN_MBOX_CMD_COMMIT, 1, HDR_MAGIC, 0, 0, 1, 0},
    {"activate: boot record without its magic", VN_MBOX_CMD_ACTIVATE, 1, REC_PARTIAL, 0, 0, 1, 1},
    {"activate: boot record sector erasing", VN_MBOX_CMD_ACTIVATE, 1, AT_DELAY, 0, 0, 1, 1},
    {"activate: boot record complete", VN_MBOX_CMD_ACTIVATE, 1, REC_DONE, 0, 1, 1, 1},
};
#define N_CASES (sizeof cases / sizeof cases[0])
/* Two delays are learned from the case before: the header write begins after COMMIT has
 * checked the payload (millions of cycles), the record's erase after ACTIVATE has checked
 * the slot; both times depend on the image, so they are measured, not assumed. */
#define CASE_HALF_HEADER 5
#define CASE_BEFORE_HEADER 6
#define CASE_HALF_RECORD 8
#define CASE_RECORD_ERASE 9
/* the record's words 1..3 are programmed right after its sector's erase: cut mid-erase */
#define RECORD_ERASE_BACK (VN_FLASH_ERASE_CYCLES / 2 + 4 * VN_FLASH_PROGRAM_CYCLES)

struct run {
    struct vn_tr *tr;
    struct vn_model *m;
    struct vn_pci p;
    const struct image *next;
    uint8_t *old; /* slot A as first booted */
    size_t old_len;
    uint32_t old_version;
};

/* The host's own look at the update slot: the whole new image, or nothing valid; and the
 * running image untouched.  0, or -1 with why. */
static int check_slot(struct run *u, int want_whole, char *why, size_t len)
{
    uint8_t *b = malloc(VN_FLASH_SLOT_BYTES);
    if (!b) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    (void)vn_model_flash_read(u->m, VN_FLASH_SLOT_B, b, VN_FLASH_SLOT_BYTES);
    struct fw_img_report rep;
    enum fw_img_status st = fw_image_check(b, VN_FLASH_SLOT_BYTES, FW_IMG_DEVICE_ID, &rep);
    int whole = memcmp(b, u->next->b, u->next->len) == 0;
    const char *bad = NULL;
    if (st == FW_IMG_OK && !whole)
        bad = "slot B checks valid but is not the image flashed";
    else if (want_whole && st != FW_IMG_OK)
        bad = "slot B should hold the committed image";
    else if (!want_whole && st == FW_IMG_OK)
        bad = "slot B checks valid before its commit finished";
    (void)vn_model_flash_read(u->m, VN_FLASH_SLOT_A, b, u->old_len);
    if (!bad && memcmp(b, u->old, u->old_len) != 0)
        bad = "slot A (the running image) was changed";
    free(b);
    snprintf(why, len, "%s%sslot B %s", bad ? bad : "", bad ? ": " : "",
             st == FW_IMG_OK ? "valid" : fw_image_status_str(st));
    return bad ? -1 : 0;
}

/* After the cut: the core boots with nothing but its ROM and the flash. */
static int boot_after_cut(struct run *u, const struct cut_case *c, uint64_t *cycles, char *why,
                          size_t len)
{
    char v1[16], v2[16];
    uint32_t bs, ver;
    if (sf_wait_fw(u->m, cycles))
        return snprintf(why, len, "nothing booted within the limit"), -1;
    if (vn_pci_probe(u->tr, &u->p) || vn_pci_enable(&u->p) ||
        sf_vrd(u->tr, VN_VENDOR_VND_BOOT_STATUS, &bs) || sf_vrd(u->tr, VN_VENDOR_VND_FW_VERSION, &ver))
        return snprintf(why, len, "the device does not answer after the cut"), -1;
    uint32_t want_slot = c->new_boots ? VN_BOOT_SLOT_B : VN_BOOT_SLOT_A;
    uint32_t want_ver = c->new_boots ? u->next->h.fw_version : u->old_version;
    int n = snprintf(why, len, "booted %c %s (status 0x%x) in %llu cycles", sf_slot_name(bs & 3u),
                     sf_ver_str(ver, v1, sizeof v1), bs, (unsigned long long)*cycles);
    if ((bs & 3u) != want_slot || ver != want_ver || (bs & VN_BOOT_FELL_BACK)) {
        snprintf(why + n, len - (size_t)n, ", expected %c %s", sf_slot_name(want_slot),
                 sf_ver_str(want_ver, v2, sizeof v2));
        return -1;
    }
    return 0;
}

static int run_case(struct run *u, unsigned i, uint64_t delay, uint64_t *learned,
                    struct scen_result *r)
{
    const struct cut_case *c = &cases[i];
    struct cutter x = {.tr = {&cut_ops}, .in = u->tr, .m = u->m, .c = c, .delay = delay};
    struct vn_pci cp = u->p;
    struct vn_fw_err e;
    char why[200], why2[200];
    cp.tr = &x.tr;
    int rc = c->activate ? vn_fw_activate(&cp, VN_BOOT_SLOT_B, &e)
                         : vn_fw_flash(&cp, u->next->b, u->next->len, NULL, NULL, NULL, &e);
    if (!x.cut)
        return sf_fail(r, "cut %u (%s): the power was never cut (the %s %s)", i, c->name,
                       c->activate ? "activation" : "update", rc ? "failed" : "completed");
    if (i == CASE_HALF_HEADER || i == CASE_HALF_RECORD)
        *learned = x.t_cut - x.t_arm;
    if (i == CASE_BEFORE_HEADER) {
        int partial, magic = hdr_state(u->m, &partial);
        if (magic || partial)
            return sf_fail(r, "cut %u (%s): landed after the header write began", i, c->name);
    }
    uint64_t boot;
    int bad = boot_after_cut(u, c, &boot, why, sizeof why);
    int bad2 = check_slot(u, c->slot_whole, why2, sizeof why2);
    r->fw.cuts++;
    r->fw.boot_cycles = boot;
    fprintf(stderr, "flash-powercut: cut %2u at +%7llu cycles, %-40s %s; %s: %s\n", i,
            (unsigned long long)(x.t_cut - x.t_arm), c->name, why, why2,
            bad || bad2 ? "FAIL" : "ok");
    if (bad || bad2)
        return sf_fail(r, "cut %u (%s): %s; %s", i, c->name, why, why2);
    r->fw.cuts_ok++;
    return 0;
}

static int powercut(struct run *u, struct scen_result *r)
{
    struct vn_fw_err e;
    char msg[200];
    uint64_t learned = 0;
    for (unsigned i = 0; i < N_CASES; i++) {
        if (cases[i].activate && !cases[i - 1].activate) {
            /* the update retried over whatever the cuts left: must now succeed */
            uint32_t slot = 0;
            uint64_t t0 = vn_model_cycles(u->m);
            double w0 = vn_wall_seconds();
            if (vn_fw_flash(&u->p, u->next->b, u->next->len, NULL, NULL, &slot, &e))
                return sf_fail(r, "the update retried after the cuts failed: %s",
                               vn_fw_strerror(&e, msg, sizeof msg));
            r->fw.flash_cycles = vn_model_cycles(u->m) - t0;
            r->fw.flash_wall_s = vn_wall_seconds() - w0;
            if (check_slot(u, 1, msg, sizeof msg))
                return sf_fail(r, "after the retried update: %s", msg);
            fprintf(stderr, "flash-powercut: update retried: slot %c written in %llu cycles\n",
                    sf_slot_name(slot), (unsigned long long)r->fw.flash_cycles);
        }
        uint64_t delay = cases[i].delay;
        if (i == CASE_BEFORE_HEADER)
            delay = learned > BEFORE_HEADER_MARGIN ? learned - BEFORE_HEADER_MARGIN : 0;
        if (i == CASE_RECORD_ERASE)
            delay = learned > RECORD_ERASE_BACK ? learned - RECORD_ERASE_BACK : 0;
        if (run_case(u, i, delay, &learned, r))
            return -1;
    }
    return 0;
}

int scen_flash_powercut(const struct scen_opts *o, struct scen_result *r)
{
    struct image next;
    struct run u = {0};
    char v[16];
    r->fw.used = 1;
    if (sf_load_image(o->image_path ? o->image_path : VIONIC_FW_NEXT_IMG_DEFAULT, &next, r))
        return -1;
    r->fw.image_bytes = next.len;
    u.next = &next;
    struct vn_tr_sim_opts so = {.dma_latency = o->dma_latency, .fst_path = o->fst_path,
                                .firmware = "core"};
    int rc = vn_tr_sim_open(&so, &u.tr);
    if (rc) {
        free(next.b);
        return sf_fail(r, "cannot create the simulated device with the core: %s", strerror(-rc));
    }
    u.m = vn_tr_sim_model(u.tr);
    uint32_t bs = 0;
    if (vn_pci_probe(u.tr, &u.p) || vn_pci_enable(&u.p) ||
        sf_vrd(u.tr, VN_VENDOR_VND_FW_VERSION, &u.old_version) ||
        sf_vrd(u.tr, VN_VENDOR_VND_BOOT_STATUS, &bs)) {
        sf_fail(r, "the device does not answer");
        goto out;
    }
    r->fw.version_before = u.old_version;
    if ((bs & 3u) != VN_BOOT_SLOT_A || u.old_version == next.h.fw_version) {
        sf_fail(r, "first boot: status 0x%x, version %s: expected slot A, another version than "
                   "the image to flash", bs, sf_ver_str(u.old_version, v, sizeof v));
        goto out;
    }
    /* slot A as booted: the length of its image from its header */
    uint8_t hb[FW_IMG_HDR_SIZE];
    struct fw_image_hdr h;
    (void)vn_model_flash_read(u.m, VN_FLASH_SLOT_A, hb, sizeof hb);
    fw_image_hdr_decode(hb, &h);
    u.old_len = FW_IMG_HDR_SIZE + (h.payload_len < VN_FLASH_SLOT_BYTES - FW_IMG_HDR_SIZE
                                       ? h.payload_len : VN_FLASH_SLOT_BYTES - FW_IMG_HDR_SIZE);
    u.old = malloc(u.old_len);
    if (!u.old) {
        sf_fail(r, "out of memory");
        goto out;
    }
    (void)vn_model_flash_read(u.m, VN_FLASH_SLOT_A, u.old, u.old_len);
    if (powercut(&u, r) == 0) {
        r->pass = 1;
        (void)sf_vrd(u.tr, VN_VENDOR_VND_FW_VERSION, &r->fw.version_after);
        (void)sf_vrd(u.tr, VN_VENDOR_VND_BOOT_STATUS, &r->fw.boot_status_after);
    }
out:
    r->total_cycles = vn_model_cycles(u.m);
    free(u.old);
    vn_tr_close(u.tr);
    free(next.b);
    return 0;
}
