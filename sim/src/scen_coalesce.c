/* coalesce: notification coalescing (NOTF_COAL, VQ_NOTF_COAL) seen from the driver.  The
 * demo's traffic twice, without and with RX_SET/TX_SET, must need at least half as many
 * interrupts the second time (vq_used's publish batching already merges some without;
 * split rings only, see below); a lone frame on a queue set to a long max_packets must be
 * announced max_usecs after its used idx, not at once and not later; VQ_GET reads back
 * what VQ_SET wrote, and a queue re-enabled after a per-queue reset is back at the
 * RX_SET value (5.1.6.5.9.6). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "tb.h"
#include "vionic_regs.h"

#define CYCLES_PER_US 250u
#define BATCH_PKTS 32u
#define BATCH_USECS 50u
#define LONE_USECS 20u
/* An element may wait up to vq_used's LINGER (128 cycles) for company before its used idx
 * is written, and the scanner visits a queue every QP cycles; the driver looks every
 * POLL_NS. */
#define POLL_NS 40u
#define SLACK_CYCLES 400u

static int fail(struct scen_result *r, const char *what, int rc)
{
    snprintf(r->error, sizeof r->error, "%s: %s", what, rc < 0 ? strerror(-rc) : "mismatch");
    r->pass = 0;
    return -1;
}

/* Cycles from the moment the driver sees a lone frame's used element on RX queue 0 to the
 * moment that queue's interrupt (vector 1) arrives. */
static int lone_frame_latency(struct tb *tb, uint64_t *cycles)
{
    static const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1,
                                      0x88, 0xb5};
    uint8_t got[2048];
    size_t len;
    uint64_t fired = 0;
    int rc;

    /* A message still owed for the traffic before (its first publish less than max_usecs
     * ago) would come due now and announce this frame early: let it go out first. */
    vn_tr_delay(tb->tr, (BATCH_USECS + 10u) * 1000u);
    while (vn_tr_irq_wait(tb->tr, 0, &fired) == 0 && fired) /* earlier ones, if any */
        fired = 0;
    if ((rc = vn_net_tx(tb->net, 0, frame, sizeof frame)))
        return rc;
    for (unsigned i = 0;; i++) {
        tb_pump(tb);
        rc = vn_net_rx(tb->net, 0, got, sizeof got, &len);
        if (rc == 0)
            break;
        if (rc != -EAGAIN || i > 1000000)
            return rc ? rc : -ETIMEDOUT;
        vn_tr_delay(tb->tr, POLL_NS);
    }
    uint64_t t_used = vn_model_cycles(tb->m);
    while (!(fired & 2)) {
        uint64_t f = 0;
        if ((rc = vn_tr_irq_wait(tb->tr, 1000000, &f)))
            return rc;
        if (!f)
            return -ETIMEDOUT;
        fired |= f;
    }
    *cycles = vn_model_cycles(tb->m) - t_used;
    return 0;
}

int scen_coalesce(const struct scen_opts *o, struct scen_result *r)
{
    struct scen_opts po = *o;
    struct scen_result r1 = {0}, r2 = {0};
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = 1, .ring_size = o->ring_size, .dma_latency = o->dma_latency,
                         .fst_path = o->fst_path, .pcap_path = o->pcap_path,
                         .firmware = o->firmware, .corrupt_frame = -1,
                         /* interrupt timing as the flags rule it: with EVENT_IDX a driver
                          * that consumed the frame before the device read used_event asked
                          * for no interrupt (scenario event-idx covers that rule) */
                         .features = ~(UINT64_C(1) << VN_F_EVENT_IDX)};
    uint64_t lat_off = 0, lat_on = 0;
    uint32_t pk = 0, us = 0;
    int rc;

    if ((rc = tb_open(&tb, &to)))
        return fail(r, "bring-up", rc);
    po.queues = 1;
    po.packets = o->packets ? o->packets : 2000;
    scen_traffic_run(&tb, &po, &r1);
    if (!r1.pass) {
        snprintf(r->error, sizeof r->error, "traffic without coalescing: %.280s", r1.error);
        goto out;
    }
    if ((rc = lone_frame_latency(&tb, &lat_off)))
        goto bad;
    if ((rc = vn_net_set_coalesce(tb.net, 1, BATCH_PKTS, BATCH_USECS)) ||
        (rc = vn_net_set_coalesce(tb.net, 0, BATCH_PKTS, BATCH_USECS)))
        goto bad;
    scen_traffic_run(&tb, &po, &r2);
    if (!r2.pass) {
        snprintf(r->error, sizeof r->error, "traffic with coalescing: %.280s", r2.error);
        goto out;
    }
    /* a lone frame waits for company that never comes: max_usecs decides */
    if ((rc = vn_net_set_queue_coalesce(tb.net, 0, 1000, LONE_USECS)) ||
        (rc = vn_net_get_queue_coalesce(tb.net, 0, &pk, &us)))
        goto bad;
    if (pk != 1000 || us != LONE_USECS) {
        snprintf(r->error, sizeof r->error, "VQ_GET after VQ_SET: %u/%u", pk, us);
        goto out;
    }
    if ((rc = lone_frame_latency(&tb, &lat_on)))
        goto bad;
    /* resize = per-queue reset and re-enable: RX queue 0 falls back to the RX_SET values */
    if ((rc = vn_net_set_ring_sizes(tb.net, 256, 0, NULL, NULL)) ||
        (rc = vn_net_get_queue_coalesce(tb.net, 0, &pk, &us)))
        goto bad;
    if (pk != BATCH_PKTS || us != BATCH_USECS) {
        snprintf(r->error, sizeof r->error, "after re-enable: %u/%u, want the RX_SET %u/%u",
                 pk, us, BATCH_PKTS, BATCH_USECS);
        goto out;
    }
    r->tx_frames = r1.tx_frames + r2.tx_frames;
    r->rx_frames = r1.rx_frames + r2.rx_frames;
    r->rx_ok = r1.rx_ok + r2.rx_ok;
    printf("  coalesce   %llu frames: %llu interrupts without, %llu with %u packets/%u us; "
           "lone frame announced after %llu cycles without, %llu with max_usecs %u\n",
           (unsigned long long)po.packets, (unsigned long long)r1.irqs,
           (unsigned long long)(r2.irqs - r1.irqs), BATCH_PKTS, BATCH_USECS,
           (unsigned long long)lat_off, (unsigned long long)lat_on, LONE_USECS);
    uint64_t want = (uint64_t)LONE_USECS * CYCLES_PER_US;
    /* Packed rings: the device reads the driver's event suppression flags right before
     * each message, so a driver that polls with DISABLE set already takes few interrupts
     * (about 100 for these 4000 frames): there is nothing to halve, and only the
     * max_usecs timing below is checked. */
    if (!o->packed && 2 * (r2.irqs - r1.irqs) > r1.irqs)
        snprintf(r->error, sizeof r->error, "interrupts %llu with coalescing vs %llu without",
                 (unsigned long long)(r2.irqs - r1.irqs), (unsigned long long)r1.irqs);
    else if (lat_off > SLACK_CYCLES)
        snprintf(r->error, sizeof r->error, "uncoalesced interrupt after %llu cycles",
                 (unsigned long long)lat_off);
    else if (lat_on + SLACK_CYCLES < want || lat_on > want + SLACK_CYCLES)
        snprintf(r->error, sizeof r->error, "coalesced interrupt after %llu cycles, want %llu",
                 (unsigned long long)lat_on, (unsigned long long)want);
    else
        r->pass = 1;
    goto out;
bad:
    fail(r, "coalescing", rc);
out:
    scen_close(&tb, r);
    return 0;
}
