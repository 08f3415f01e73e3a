/* replay: drive the device with a register trace of a real driver (../shared/traces).
 * The trace was recorded against another virtio-net implementation, so values that may
 * legitimately differ (features offered, MAC, BAR layout, ring addresses) are mapped or
 * only logged, while the protocol is enforced: polls must end, FEATURES_OK and vectors
 * must be accepted as the trace shows, a queue reset must complete and leave the queue at
 * its defaults, a queue must come back when re-enabled, and the device must never touch
 * a reset queue's rings or write into rings that hold no buffers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dmamon.h"
#include "regtrace.h"
#include "replay.h"
#include "vionic_regs.h"
#include "vn_model.h"
#include "vn_pci.h"
#include "vn_transport.h"

#define POLL_STEP_NS 1000ull
#define POLL_LIMIT_NS 10000000ull /* 10 ms of device time: Linux would wait forever */
#define MAX_VQ 64
#define GRAVEYARD (VN_DMAMON_MAX_VQ - 1) /* rings a reset queue used before: fenced for good */

struct rq {
    struct vn_dma area[3]; /* desc, driver, device: zeroed, so the rings hold no buffers */
    uint64_t trace_addr[3];
    int enabled;
};

struct replay {
    struct vn_tr *tr;
    struct vn_pci pci;
    struct vn_dmamon mon;
    struct rq q[MAX_VQ];
    uint16_t qsel;
    uint32_t dev_feat[2], feat_sel, drv_sel;
    uint8_t ref_msix_cap;
    uint32_t msix_table_off;
    uint64_t violations, differences, skipped, polls, queue_resets, msi_writes;
    char first[320];
    const struct vn_rt_op *op;
    int verbose;
};

static void violation(struct replay *r, const char *fmt, unsigned a, unsigned b)
{
    r->violations++;
    if (!r->first[0]) {
        char what[200];
        snprintf(what, sizeof(what), fmt, a, b);
        snprintf(r->first, sizeof(r->first), "trace line %u (%c %s 0x%x): %s", r->op->line,
                 r->op->op, vn_rt_space_name(r->op->space), r->op->off, what);
    }
}

static void on_dma(void *ctx, uint64_t cycle, int is_write, uint64_t addr, uint32_t len)
{
    struct replay *r = ctx;
    if (is_write && addr >= VN_DMA_MSI_BASE && addr < VN_DMA_MSI_BASE + 0x100000) {
        r->msi_writes++;
        return;
    }
    int owner = vn_dmamon_access(&r->mon, cycle, is_write, addr, len);
    /* every ring in a replay is empty: the device has nothing to write back */
    if (is_write && owner >= 0 && !r->mon.violations) {
        r->mon.violations++;
        snprintf(r->mon.first_violation, sizeof(r->mon.first_violation),
                 "cycle %llu: write of %u bytes at 0x%llx into vq %d, whose rings hold no buffers",
                 (unsigned long long)cycle, len, (unsigned long long)addr, owner);
    }
}

static int bar_rw(struct replay *r, const struct vn_pci_region *reg, uint32_t off, unsigned size,
                  int write, uint32_t *v)
{
    if (!reg->present || off + size > reg->len)
        return -ERANGE;
    return write ? vn_tr_bar_write(r->tr, reg->bar, reg->off + off, size, *v)
                 : vn_tr_bar_read(r->tr, reg->bar, reg->off + off, size, v);
}

/* Read until the device presents want (a driver poll); -ETIMEDOUT after the limit. */
static int poll_until(struct replay *r, const struct vn_pci_region *reg, uint32_t off, unsigned size,
                      uint32_t want, uint32_t *got)
{
    for (uint64_t waited = 0;; waited += POLL_STEP_NS) {
        int rc = bar_rw(r, reg, off, size, 0, got);
        if (rc)
            return rc;
        if (*got == want)
            return 0;
        if (waited >= POLL_LIMIT_NS)
            return -ETIMEDOUT;
        r->polls++;
        vn_tr_delay(r->tr, POLL_STEP_NS);
    }
}

static int area_of(uint32_t off)
{
    if (off >= VN_COMMON_QUEUE_DESC_LO && off <= VN_COMMON_QUEUE_DESC_HI)
        return 0;
    if (off >= VN_COMMON_QUEUE_DRIVER_LO && off <= VN_COMMON_QUEUE_DRIVER_HI)
        return 1;
    if (off >= VN_COMMON_QUEUE_DEVICE_LO && off <= VN_COMMON_QUEUE_DEVICE_HI)
        return 2;
    return -1;
}

/* The rings the trace's driver had at some address become rings of ours at an IOVA. */
static int map_ring_write(struct replay *r, uint32_t off, uint32_t *v)
{
    int a = area_of(off);
    if (a < 0 || r->qsel >= MAX_VQ)
        return 0;
    struct rq *q = &r->q[r->qsel];
    int hi = off == VN_COMMON_QUEUE_DESC_HI || off == VN_COMMON_QUEUE_DRIVER_HI ||
             off == VN_COMMON_QUEUE_DEVICE_HI;
    if (!hi) {
        static const size_t sizes[3] = {16u * 32768, 6u + 2 * 32768, 6u + 8 * 32768};
        if (q->area[a].va) {
            /* a new ring after a reset: the old one is freed memory from now on */
            vn_dmamon_drop_vq(&r->mon, r->qsel);
            vn_dmamon_add(&r->mon, GRAVEYARD, q->area[a].iova, q->area[a].len);
            vn_tr_dma_free(r->tr, &q->area[a]);
            memset(&q->area[a], 0, sizeof(q->area[a]));
            for (int k = 0; k < 3; k++)
                if (q->area[k].va)
                    vn_dmamon_add(&r->mon, r->qsel, q->area[k].iova, q->area[k].len);
        }
        int rc = vn_tr_dma_alloc(r->tr, sizes[a], &q->area[a]);
        if (rc)
            return rc;
        memset(q->area[a].va, 0, q->area[a].len);
        if (vn_dmamon_add(&r->mon, r->qsel, q->area[a].iova, q->area[a].len))
            return -ENOMEM;
        q->trace_addr[a] = *v;
        *v = (uint32_t)q->area[a].iova;
    } else {
        *v = q->area[a].va ? (uint32_t)(q->area[a].iova >> 32) : 0;
    }
    return 0;
}

static int do_common(struct replay *r, const struct vn_rt_op *op)
{
    uint32_t v = op->value, got = 0;
    int rc;
    if (op->op == 'W') {
        switch (op->off) {
        case VN_COMMON_QUEUE_SELECT:
            r->qsel = (uint16_t)v;
            break;
        case VN_COMMON_DEVICE_FEATURE_SELECT:
            r->feat_sel = v;
            break;
        case VN_COMMON_DRIVER_FEATURE_SELECT:
            r->drv_sel = v;
            break;
        case VN_COMMON_DRIVER_FEATURE:
            /* the driver accepts what it knows of what *this* device offers */
            /* The trace's driver chose from the reference device's offer. Linux 6.1 also
             * accepts MQ and ACCESS_PLATFORM when offered, as this device does (with MQ the
             * trace's queue 2 is a receive queue here, not the control queue). */
            if (r->drv_sel < 2) {
                uint64_t extra = (1ull << VN_F_MQ) | (1ull << VN_F_ACCESS_PLATFORM);
                v = (v | (uint32_t)(extra >> (32 * r->drv_sel))) & r->dev_feat[r->drv_sel];
            }
            break;
        case VN_COMMON_QUEUE_ENABLE:
            if (r->qsel < MAX_VQ) {
                r->q[r->qsel].enabled = 1;
                vn_dmamon_unfence(&r->mon, r->qsel);
            }
            break;
        default:
            if ((rc = map_ring_write(r, op->off, &v)))
                return rc;
        }
        rc = bar_rw(r, &r->pci.common, op->off, op->size, 1, &v);
        if (rc)
            return rc;
        if (op->off == VN_COMMON_QUEUE_ENABLE && v == 1) {
            /* the queue must come back */
            if ((rc = poll_until(r, &r->pci.common, VN_COMMON_QUEUE_ENABLE, 2, 1, &got)) == -ETIMEDOUT)
                violation(r, "queue %u did not come back after queue_enable = 1 (reads %u)", r->qsel, got);
            else if (rc)
                return rc;
        }
        return 0;
    }
    /* reads */
    switch (op->off) {
    case VN_COMMON_DEVICE_STATUS:
    case VN_COMMON_QUEUE_RESET:
    case VN_COMMON_QUEUE_ENABLE:
        /* fields a driver polls: wait for what the reference device ended on */
        rc = poll_until(r, &r->pci.common, op->off, op->size, op->value, &got);
        if (rc == -ETIMEDOUT) {
            violation(r, "poll never ends: reads 0x%x, the driver waits for 0x%x", got, op->value);
            return 0;
        }
        if (rc)
            return rc;
        if (op->off == VN_COMMON_QUEUE_RESET && op->value == 0 && r->qsel < MAX_VQ &&
            r->q[r->qsel].enabled) {
            /* reset acknowledged: nothing of this queue may be touched until re-enable */
            r->queue_resets++;
            r->q[r->qsel].enabled = 0;
            vn_dmamon_fence(&r->mon, r->qsel, vn_model_cycles(vn_tr_sim_model(r->tr)));
            uint32_t en = 1, size = 0, vec = 0, lo = 1;
            if ((rc = poll_until(r, &r->pci.common, VN_COMMON_QUEUE_ENABLE, 2, 0, &en)) == -ETIMEDOUT)
                violation(r, "queue %u: queue_enable reads %u after the reset completed", r->qsel, en);
            if ((rc = bar_rw(r, &r->pci.common, VN_COMMON_QUEUE_SIZE, 2, 0, &size)) ||
                (rc = bar_rw(r, &r->pci.common, VN_COMMON_QUEUE_MSIX_VECTOR, 2, 0, &vec)) ||
                (rc = bar_rw(r, &r->pci.common, VN_COMMON_QUEUE_DESC_LO, 4, 0, &lo)))
                return rc;
            if (size != VN_MAX_QUEUE_SIZE)
                violation(r, "queue %u: queue_size reads %u after reset, not the maximum", r->qsel, size);
            if (vec != VN_MSIX_NO_VECTOR)
                violation(r, "queue %u: vector reads 0x%x after reset, not NO_VECTOR", r->qsel, vec);
            if (lo != 0)
                violation(r, "queue %u: queue_desc reads 0x%x after reset, not 0", r->qsel, lo);
        }
        return 0;
    default:
        if ((rc = bar_rw(r, &r->pci.common, op->off, op->size, 0, &got)))
            return rc;
        if (op->off == VN_COMMON_DEVICE_FEATURE && r->feat_sel < 2)
            r->dev_feat[r->feat_sel] = got;
        if ((op->off == VN_COMMON_QUEUE_MSIX_VECTOR || op->off == VN_COMMON_CONFIG_MSIX_VECTOR) &&
            got != op->value)
            violation(r, "vector read back as 0x%x, the driver wrote and expects 0x%x", got, op->value);
        else if (got != op->value)
            r->differences++;
        return 0;
    }
}

static int do_cfg(struct replay *r, const struct vn_rt_op *op)
{
    uint32_t v = op->value;
    if (op->op == 'R') {
        if (op->off >= 0x40) {
            r->skipped++; /* the capability layout is the reference device's, not ours */
            return 0;
        }
        int rc = vn_tr_cfg_read(r->tr, op->off, op->size, &v);
        if (rc)
            return rc;
        if (op->off == VN_CFG_VENDOR_ID && op->size >= 2 && (v & 0xffff) != (op->value & 0xffff))
            violation(r, "vendor id 0x%x, the driver expects 0x%x", v & 0xffff, op->value & 0xffff);
        else if (v != op->value)
            r->differences++;
        return 0;
    }
    if (op->off == VN_CFG_COMMAND)
        return vn_tr_cfg_write(r->tr, op->off, op->size, v);
    if (r->ref_msix_cap && r->pci.msix_cap && op->off == r->ref_msix_cap + VN_MSIX_CAP_CTRL)
        return vn_tr_cfg_write(r->tr, r->pci.msix_cap + VN_MSIX_CAP_CTRL, op->size, v);
    r->skipped++; /* BAR placement, latency timer, interrupt line: the platform's business */
    return 0;
}

static int do_msix(struct replay *r, const struct vn_rt_op *op)
{
    uint32_t v = op->value, entry = op->off / VN_MSIX_ENTRY_SIZE, field = op->off % VN_MSIX_ENTRY_SIZE;
    if (entry >= r->pci.msix_entries) {
        r->skipped++;
        return 0;
    }
    if (op->op == 'W' && field == VN_MSIX_ENT_ADDR_LO)
        v = VN_DMA_MSI_BASE + 4 * entry; /* where this host decodes interrupts */
    else if (op->op == 'W' && field == VN_MSIX_ENT_ADDR_HI)
        v = 0;
    uint32_t off = r->msix_table_off + op->off;
    if (op->op == 'W')
        return vn_tr_bar_write(r->tr, 0, off, op->size, v);
    int rc = vn_tr_bar_read(r->tr, 0, off, op->size, &v);
    if (!rc && field == VN_MSIX_ENT_DATA && v != op->value)
        violation(r, "MSI-X data reads 0x%x, written 0x%x", v, op->value);
    return rc;
}

static int do_op(struct replay *r, const struct vn_rt_op *op)
{
    uint32_t v = op->value;
    r->op = op;
    switch (op->space) {
    case VN_RT_CFG:
        return do_cfg(r, op);
    case VN_RT_COMMON:
        return do_common(r, op);
    case VN_RT_DEVICE:
        if (op->op == 'W') {
            r->skipped++;
            return 0;
        }
        return bar_rw(r, &r->pci.device, op->off, op->size, 0, &v);
    case VN_RT_ISR:
        return op->op == 'R' ? bar_rw(r, &r->pci.isr, op->off, op->size, 0, &v) : 0;
    case VN_RT_NOTIFY: {
        uint16_t q = (uint16_t)op->value; /* the written value names the queue */
        return vn_pci_notify(&r->pci, q, q);
    }
    case VN_RT_MSIX:
        return do_msix(r, op);
    }
    return -EINVAL;
}

/* The reference device's MSI-X capability, seen in the driver's capability walk. */
static uint8_t find_ref_msix(const struct vn_regtrace *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct vn_rt_op *o = &t->ops[i];
        if (o->op == 'R' && o->space == VN_RT_CFG && o->off >= 0x40 && o->size == 2 &&
            (o->value & 0xff) == VN_PCI_CAP_ID_MSIX)
            return (uint8_t)o->off;
    }
    return 0;
}

int vn_replay_run(const char *path, const struct vn_replay_opts *o, struct vn_replay_result *res)
{
    static struct replay r;
    struct vn_regtrace t;
    memset(&r, 0, sizeof(r));
    memset(res, 0, sizeof(*res));
    int rc = vn_regtrace_load(path, &t, res->error, sizeof(res->error));
    if (rc)
        return rc;
    res->ops = t.n;
    struct vn_tr_sim_opts so = {.dma_latency = o->dma_latency, .fst_path = o->fst_path,
                                .firmware = o->firmware};
    if ((rc = vn_tr_sim_open(&so, &r.tr))) {
        snprintf(res->error, sizeof(res->error), "cannot create the device: %s", strerror(-rc));
        vn_regtrace_free(&t);
        return rc;
    }
    vn_dmamon_init(&r.mon);
    vn_tr_sim_set_dma_hook(r.tr, on_dma, &r);
    uint32_t tbl = 0;
    if ((rc = vn_pci_probe(r.tr, &r.pci)) ||
        (rc = vn_tr_cfg_read(r.tr, r.pci.msix_cap + VN_MSIX_CAP_TABLE, 4, &tbl))) {
        snprintf(res->error, sizeof(res->error), "probe: %s", strerror(-rc));
        goto out;
    }
    r.msix_table_off = tbl & ~(uint32_t)VN_MSIX_BIR_MASK;
    r.ref_msix_cap = find_ref_msix(&t);
    for (size_t i = 0; i < t.n && !rc; i++) {
        rc = do_op(&r, &t.ops[i]);
        if (rc)
            snprintf(res->error, sizeof(res->error), "trace line %u: access failed: %s",
                     t.ops[i].line, strerror(-rc));
        if (o->progress && i % 100 == 99)
            fprintf(stderr, "replay: %zu/%zu accesses\n", i + 1, t.n);
    }
out:
    res->violations = r.violations + r.mon.violations;
    res->differences = r.differences;
    res->skipped = r.skipped;
    res->polls = r.polls;
    res->queue_resets = r.queue_resets;
    res->dma_accesses = r.mon.accesses;
    res->msi_writes = r.msi_writes;
    res->cycles = vn_model_cycles(vn_tr_sim_model(r.tr));
    if (!res->error[0] && r.first[0])
        snprintf(res->error, sizeof(res->error), "%s", r.first);
    if (!res->error[0] && r.mon.first_violation[0])
        snprintf(res->error, sizeof(res->error), "DMA: %s", r.mon.first_violation);
    for (int q = 0; q < MAX_VQ; q++)
        for (int a = 0; a < 3; a++)
            if (r.q[q].area[a].va)
                vn_tr_dma_free(r.tr, &r.q[q].area[a]);
    vn_tr_close(r.tr);
    vn_dmamon_free(&r.mon);
    vn_regtrace_free(&t);
    res->pass = !rc && res->violations == 0;
    return rc;
}
