/* queue-reset and queue-reset-random: per-virtqueue reset and ring resize under live
 * traffic.  Every frame handed to the driver is accounted exactly once: received intact on
 * its pair, in order, or handed back by a queue reset as never used; never both, never
 * lost.  A DMA monitor fails the run on any device access to a queue's memory between the
 * device acknowledging its reset and the queue's re-enable, and the sim transport counts
 * any access to memory already freed as a DMA fault. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmamon.h"
#include "scenario.h"
#include "tb.h"
#include "traffic.h"
#include "vionic_regs.h"

#define STALL_CYCLES 4000000ull
#define HDRS 42 /* Ethernet + IPv4 + UDP: the traffic model's tag follows */
enum { F_UNSENT, F_SENT, F_RECEIVED, F_RECLAIMED };
static const unsigned sizes[] = {64, 1024, 256, 128, 512, 32, 16, 2048};

struct qr {
    struct tb tb;
    struct vn_traffic t;
    struct vn_dmamon mon;
    uint8_t *state[VN_TRAFFIC_MAX_PAIRS];
    uint64_t cap, target[VN_TRAFFIC_MAX_PAIRS], last_rx[VN_TRAFFIC_MAX_PAIRS];
    int any_rx[VN_TRAFFIC_MAX_PAIRS], paused[VN_TRAFFIC_MAX_PAIRS];
    unsigned pairs;
    uint64_t received, bytes, reclaimed, rx_bufs_back, accounted, resets, dev_resets, errors;
    uint64_t reset_cycles_sum, reset_cycles_max, cycles_before; /* of devices reset away */
    char err[320];
    uint64_t rng;
};

static void fail(struct qr *q, const char *msg)
{
    q->errors++;
    if (!q->err[0])
        snprintf(q->err, sizeof(q->err), "%s", msg);
}

static void on_dma(void *ctx, uint64_t cycle, int is_write, uint64_t addr, uint32_t len)
{
    struct qr *q = ctx;
    if (!(is_write && addr >= VN_DMA_MSI_BASE && addr < VN_DMA_MSI_BASE + 0x100000))
        vn_dmamon_access(&q->mon, cycle, is_write, addr, len);
}

static void add_range(void *ctx, uint64_t iova, uint64_t len)
{
    struct { struct qr *q; int vq; } *a = ctx;
    if (vn_dmamon_add(&a->q->mon, a->vq, iova, len))
        fail(a->q, "DMA monitor: out of memory");
}

static void watch_vq(struct qr *q, unsigned vq)
{
    struct { struct qr *q; int vq; } a = {q, (int)vq};
    vn_dmamon_drop_vq(&q->mon, (int)vq);
    vn_net_queue_memory(q->tb.net, vq, add_range, &a);
}

/* Which frame is this (pair, seq), from the traffic model's tag; -1 if unrecognisable. */
static int tag_of(const struct qr *q, const uint8_t *f, size_t len, unsigned *pair, uint64_t *seq)
{
    uint32_t p32;
    if (len < HDRS + 16)
        return -1;
    memcpy(&p32, f + HDRS + 4, 4);
    memcpy(seq, f + HDRS + 8, 8);
    if (p32 >= q->pairs || *seq >= q->cap)
        return -1;
    *pair = p32;
    return 0;
}

static void got_frame(struct qr *q, unsigned rx_pair, const uint8_t *f, size_t len)
{
    unsigned pair;
    uint64_t seq;
    char m[200];
    uint8_t want[VN_FRAME_MAX];
    if (tag_of(q, f, len, &pair, &seq)) {
        snprintf(m, sizeof(m), "pair %u: unrecognisable frame of %zu bytes", rx_pair, len);
        fail(q, m);
        return;
    }
    size_t wl = vn_traffic_frame(&q->t, pair, seq, want);
    if (wl != len || memcmp(want, f, len)) {
        snprintf(m, sizeof(m), "pair %u seq %llu: contents differ", pair, (unsigned long long)seq);
        fail(q, m);
    } else if (pair != rx_pair) {
        snprintf(m, sizeof(m), "pair %u seq %llu arrived on pair %u", pair, (unsigned long long)seq,
                 rx_pair);
        fail(q, m);
    } else if (q->state[pair][seq] != F_SENT) {
        snprintf(m, sizeof(m), "pair %u seq %llu received but it was %s", pair,
                 (unsigned long long)seq,
                 q->state[pair][seq] == F_RECLAIMED ? "reclaimed (both!)" : "already received");
        fail(q, m);
    } else if (q->any_rx[pair] && seq <= q->last_rx[pair]) {
        snprintf(m, sizeof(m), "pair %u seq %llu after seq %llu: out of order", pair,
                 (unsigned long long)seq, (unsigned long long)q->last_rx[pair]);
        fail(q, m);
    } else {
        q->state[pair][seq] = F_RECEIVED;
        q->last_rx[pair] = seq;
        q->any_rx[pair] = 1;
        q->received++;
        q->bytes += len;
        q->accounted++;
    }
}

static void on_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct qr *q = ctx;
    unsigned pair;
    uint64_t seq;
    char m[200];
    if (vq % 2 == 0) { /* RX */
        if (used)
            got_frame(q, vq / 2, frame, len);
        else
            q->rx_bufs_back++;
        return;
    }
    if (used)
        return; /* sent before the reset: it arrives on its receive queue */
    if (tag_of(q, frame, len, &pair, &seq)) {
        fail(q, "reclaimed TX frame is unrecognisable");
        return;
    }
    if (q->state[pair][seq] != F_SENT) {
        snprintf(m, sizeof(m), "pair %u seq %llu reclaimed but it was %s", pair,
                 (unsigned long long)seq,
                 q->state[pair][seq] == F_RECEIVED ? "received (both!)" : "already reclaimed");
        fail(q, m);
        return;
    }
    q->state[pair][seq] = F_RECLAIMED;
    q->reclaimed++;
    q->accounted++;
}

static uint64_t outstanding(const struct qr *q, unsigned p)
{
    uint64_t n = 0;
    for (uint64_t s = q->last_rx[p]; s < q->t.sent[p]; s++)
        n += q->state[p][s] == F_SENT;
    return n;
}

/* Queue what the windows allow (no time passes). */
static int send_some(struct qr *q)
{
    uint8_t frame[VN_FRAME_MAX];
    for (unsigned p = 0; p < q->pairs; p++) {
        unsigned win = vn_net_ring_size(q->tb.net, 2 * p);
        while (!q->paused[p] && q->t.sent[p] < q->target[p] && outstanding(q, p) < win) {
            size_t len = vn_traffic_frame(&q->t, p, q->t.sent[p], frame);
            int rc = vn_net_tx(q->tb.net, p, frame, len);
            if (rc == -EAGAIN)
                break;
            if (rc)
                return rc;
            q->state[p][q->t.sent[p]++] = F_SENT;
        }
    }
    return 0;
}

/* One round of the loop: send what the windows allow, let time pass, take what arrived. */
static int step(struct qr *q, const struct scen_opts *o, uint64_t *last_progress)
{
    uint8_t frame[VN_FRAME_MAX + 64];
    int rc;
    (void)o;
    if ((rc = send_some(q)))
        return rc;
    tb_pump(&q->tb);
    if ((rc = vn_net_wait(q->tb.net, 2000)) || (rc = vn_net_poll(q->tb.net)))
        return rc;
    tb_pump(&q->tb);
    uint64_t before = q->accounted;
    for (unsigned p = 0; p < q->pairs; p++) {
        size_t len;
        while (vn_net_rx(q->tb.net, p, frame, sizeof(frame), &len) == 0)
            got_frame(q, p, frame, len);
    }
    if (q->accounted != before)
        *last_progress = vn_model_cycles(q->tb.m);
    return 0;
}

static int reset_queue(struct qr *q, const struct scen_opts *o, unsigned vq, unsigned size)
{
    unsigned p = vq / 2;
    uint64_t lp = vn_model_cycles(q->tb.m);
    int rc;
    if (vq % 2 == 0) {
        /* RX: hold this pair's senders and let what is in flight land first, so no frame
         * meets its receive queue in reset (the device would drop it, as it must) */
        q->paused[p] = 1;
        while (outstanding(q, p) && !q->errors) {
            if ((rc = step(q, o, &lp)))
                return rc;
            if (vn_model_cycles(q->tb.m) - lp > STALL_CYCLES) {
                fail(q, "pair stuck while draining before an RX reset");
                return -ETIMEDOUT;
            }
        }
    }
    /* TX: reset with the ring just refilled, so frames are still queued in it */
    if (vq % 2 == 1 && (rc = send_some(q)))
        return rc;
    uint64_t t0 = vn_model_cycles(q->tb.m);
    rc = vn_net_queue_reset(q->tb.net, vq, on_reclaim, q);
    uint64_t dt = vn_model_cycles(q->tb.m) - t0;
    if (rc)
        return rc;
    vn_dmamon_fence(&q->mon, (int)vq, vn_model_cycles(q->tb.m));
    q->reset_cycles_sum += dt;
    if (dt > q->reset_cycles_max)
        q->reset_cycles_max = dt;
    vn_dmamon_drop_vq(&q->mon, (int)vq); /* freed: any access now is a DMA fault */
    vn_dmamon_unfence(&q->mon, (int)vq);
    if ((rc = vn_net_queue_enable(q->tb.net, vq, size)))
        return rc;
    watch_vq(q, vq);
    q->paused[p] = 0;
    q->resets++;
    return 0;
}

static int open_dev(struct qr *q, const struct scen_opts *o, int first)
{
    struct tb_opts to = {
        .packed = o->packed,
        .queues = o->queues,
        .ring_size = o->ring_size ? o->ring_size : 256,
        .rx_buf_len = o->rx_buf_len,
        .no_mrg = o->no_mrg,
        .indirect = o->indirect,
        .dma_latency = o->dma_latency,
        .fst_path = first ? o->fst_path : NULL,
        .pcap_path = first ? o->pcap_path : NULL,
        .firmware = o->firmware,
        .corrupt_frame = -1,
    };
    int rc = tb_open(&q->tb, &to);
    if (rc)
        return rc;
    if (!(vn_net_driver_features(q->tb.net) & (1ull << VN_F_RING_RESET))) {
        fail(q, "RING_RESET was not negotiated");
        return -ENOTSUP;
    }
    vn_tr_sim_set_dma_hook(q->tb.tr, on_dma, q);
    for (unsigned vq = 0; vq < 2 * vn_net_queue_pairs(q->tb.net); vq++)
        watch_vq(q, vq);
    return 0;
}

/* A full device reset between bursts: quiesce, reset, bring the device up again. */
static int device_reset(struct qr *q, const struct scen_opts *o)
{
    uint64_t lp = vn_model_cycles(q->tb.m);
    for (unsigned p = 0; p < q->pairs; p++)
        q->paused[p] = 1;
    int rc = 0;
    for (unsigned p = 0; p < q->pairs && !rc; p++)
        while (outstanding(q, p) && !rc) {
            rc = step(q, o, &lp);
            if (vn_model_cycles(q->tb.m) - lp > STALL_CYCLES) {
                fail(q, "stuck while quiescing before a device reset");
                rc = -ETIMEDOUT;
            }
        }
    struct vn_model_stats ms;
    vn_model_get_stats(q->tb.m, &ms);
    if (ms.dma_faults)
        fail(q, "DMA faults before a device reset");
    q->cycles_before += vn_model_cycles(q->tb.m);
    tb_close(&q->tb);
    vn_dmamon_free(&q->mon);
    vn_dmamon_init(&q->mon);
    if (!rc && (rc = open_dev(q, o, 0)) == 0) {
        for (unsigned p = 0; p < q->pairs; p++)
            q->paused[p] = 0;
        q->dev_resets++;
    }
    return rc;
}

static int run(const struct scen_opts *o, struct scen_result *r, int random)
{
    static struct qr q;
    memset(&q, 0, sizeof(q));
    q.rng = o->seed;
    int rc = open_dev(&q, o, 1);
    if (rc) {
        snprintf(r->error, sizeof(r->error), "%s", q.err[0] ? q.err : "bring-up failed");
        return -1;
    }
    q.pairs = vn_net_queue_pairs(q.tb.net);
    vn_traffic_init(&q.t, o->seed, q.pairs, o->frame_len);
    uint64_t total = o->packets;
    q.cap = total / q.pairs + 1;
    for (unsigned p = 0; p < q.pairs; p++) {
        q.target[p] = total / q.pairs + (p < total % q.pairs);
        q.state[p] = calloc(q.cap, 1);
        if (!q.state[p]) {
            snprintf(r->error, sizeof(r->error), "out of memory");
            goto out;
        }
    }
    /* the resets to do: every data queue in turn (queue-reset), or o->resets random ones */
    uint64_t want = random ? (o->resets ? o->resets : 1000) : 2 * q.pairs * 3;
    uint64_t spacing = total / (want + 1) ? total / (want + 1) : 1;
    uint64_t start = vn_model_cycles(q.tb.m), lp = start, next = spacing, done = 0;
    unsigned turn = 0;
    while (!q.errors && (q.accounted < total || done < want)) {
        if ((rc = step(&q, o, &lp))) {
            snprintf(r->error, sizeof(r->error), "driver: %s", strerror(-rc));
            break;
        }
        while (done < want && (q.accounted >= next || q.accounted >= total) && !q.errors) {
            unsigned vq, size;
            if (random) {
                uint64_t x = vn_rand_next(&q.rng);
                if (x % 50 == 0) {
                    if ((rc = device_reset(&q, o)))
                        break;
                    lp = vn_model_cycles(q.tb.m); /* a new device: its clock starts again */
                    done++;
                    next += spacing;
                    continue;
                }
                vq = (unsigned)((x >> 8) % (2 * q.pairs));
                size = sizes[(x >> 24) % (sizeof(sizes) / sizeof(sizes[0]))];
            } else {
                vq = turn % (2 * q.pairs);
                size = sizes[turn % 3 == 0 ? 0 : turn % 3 == 1 ? 1 : 2];
                turn++;
            }
            if (size > VN_MAX_QUEUE_SIZE)
                size = VN_MAX_QUEUE_SIZE;
            if ((rc = reset_queue(&q, o, vq, size))) {
                snprintf(r->error, sizeof(r->error), "reset of vq %u to %u: %s", vq, size,
                         strerror(-rc));
                break;
            }
            done++;
            next += spacing;
        }
        if (rc)
            break;
        if (vn_model_cycles(q.tb.m) - lp > STALL_CYCLES) {
            snprintf(r->error, sizeof(r->error), "stalled with %llu of %llu frames accounted",
                     (unsigned long long)q.accounted, (unsigned long long)total);
            break;
        }
    }
    r->cycles = q.cycles_before + vn_model_cycles(q.tb.m) - start;
out:
    r->tx_frames = total;
    r->rx_ok = q.received;
    r->rx_frames = q.received;
    r->reclaimed = q.reclaimed;
    r->resets = q.resets;
    r->dev_resets = q.dev_resets;
    r->reset_cycles_mean = q.resets ? (double)q.reset_cycles_sum / (double)q.resets : 0;
    r->reset_cycles_max = q.reset_cycles_max;
    r->missing = total - q.accounted;
    r->rx_bad = q.errors;
    r->bytes = q.bytes;
    if (q.tb.net) {
        struct vn_model_stats ms;
        vn_model_get_stats(q.tb.m, &ms);
        r->dma_faults = ms.dma_faults;
        r->dma_reads = ms.dma_reads;
        r->dma_writes = ms.dma_writes;
        r->device_features = vn_net_device_features(q.tb.net);
        r->driver_features = vn_net_driver_features(q.tb.net);
        r->queues = q.pairs;
        r->total_cycles = q.cycles_before + vn_model_cycles(q.tb.m);
        struct vn_net_stats ns;
        vn_net_get_stats(q.tb.net, &ns);
        r->irqs = ns.irqs;
        uint32_t drops = 0;
        if (vn_model_bar_read(q.tb.m, 0, VN_VENDOR_BASE + VN_VENDOR_VND_RX_DROPS, 4, &drops) == 0)
            r->rx_drops = drops;
    }
    if (!r->error[0] && q.err[0])
        snprintf(r->error, sizeof(r->error), "%s", q.err);
    if (!r->error[0] && q.mon.violations)
        snprintf(r->error, sizeof(r->error), "DMA monitor: %s", q.mon.first_violation);
    if (!r->error[0] && r->dma_faults)
        snprintf(r->error, sizeof(r->error), "%llu DMA faults (access to freed memory?)",
                 (unsigned long long)r->dma_faults);
    if (!r->error[0] && r->missing)
        snprintf(r->error, sizeof(r->error), "%llu frames neither received nor reclaimed",
                 (unsigned long long)r->missing);
    if (!r->error[0] && r->rx_drops)
        snprintf(r->error, sizeof(r->error), "device dropped %llu frames",
                 (unsigned long long)r->rx_drops);
    r->pass = !r->error[0];
    if (q.tb.tr)
        tb_close(&q.tb);
    vn_dmamon_free(&q.mon);
    for (unsigned p = 0; p < VN_TRAFFIC_MAX_PAIRS; p++)
        free(q.state[p]);
    return 0;
}

int scen_qreset(const struct scen_opts *o, struct scen_result *r)
{
    return run(o, r, 0);
}

int scen_qreset_random(const struct scen_opts *o, struct scen_result *r)
{
    return run(o, r, 1);
}
