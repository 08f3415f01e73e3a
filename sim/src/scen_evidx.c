/* event-idx: VIRTIO_F_EVENT_IDX's two rules, seen in the rings (2.7.10, 2.8.10).
 *   - used_event: a frame the driver has not consumed gets its interrupt; with used_event
 *     set 5 ahead, the first 5 frames get none and the 6th does (packed: the driver event
 *     suppression area in DESC mode at that position);
 *   - avail_event (split): after traffic the device has written, in each data queue's used
 *     ring, the avail idx it last read (the driver kicks once it adds past it), and nothing
 *     was lost on the way (the demo's traffic, byte for byte).  A packed device does not
 *     write its event suppression area (the driver kicks after every add), so with
 *     --packed that check is skipped and the traffic part stands alone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "tb.h"
#include "vionic_regs.h"
#include "vn_vq.h"

#define STEP_NS 200u

#define FAIL(...)                                                                          \
    do {                                                                                   \
        snprintf(r->error, sizeof r->error, __VA_ARGS__);                                  \
        goto out;                                                                          \
    } while (0)

/* Vectors that fire within ns, frames pumped meanwhile (nothing consumed). */
static int irqs_within(struct tb *tb, uint64_t ns, uint64_t *fired)
{
    *fired = 0;
    for (uint64_t t = 0; t < ns; t += STEP_NS) {
        uint64_t f = 0;
        tb_pump(tb);
        int rc = vn_tr_irq_wait(tb->tr, STEP_NS, &f);
        if (rc)
            return rc;
        *fired |= f;
    }
    return 0;
}

static int send_lone(struct tb *tb, uint8_t tag)
{
    uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5};
    frame[59] = tag;
    return vn_net_tx(tb->net, 0, frame, sizeof frame);
}

int scen_evidx(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = 1, .dma_latency = o->dma_latency, .fst_path = o->fst_path,
                         .pcap_path = o->pcap_path, .firmware = o->firmware,
                         .corrupt_frame = -1};
    struct scen_opts po = *o;
    struct scen_result tr = {0};
    uint8_t got[2048];
    size_t len;
    uint64_t fired;
    int rc;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "bring-up: %s", strerror(-rc));
        return 0;
    }
    struct vn_net *n = tb.net;
    if (!(vn_net_driver_features(n) & (UINT64_C(1) << VN_F_EVENT_IDX)))
        FAIL("EVENT_IDX not negotiated");
    struct vn_vq *rx = vn_net_vq(n, 0);
    const uint64_t rx_vec = UINT64_C(1) << 1; /* RX queue 0's vector */

    /* the traffic first: every frame once, in order */
    po.queues = 1;
    po.packets = o->packets ? o->packets : 1000;
    scen_traffic_run(&tb, &po, &tr);
    if (!tr.pass)
        FAIL("traffic: %.280s", tr.error);
    r->tx_frames = tr.tx_frames;
    r->rx_ok = tr.rx_ok;
    if ((rc = irqs_within(&tb, 20000, &fired)))
        FAIL("irq: %s", strerror(-rc));
    /* avail_event of both rings: the avail idx the device read last, all of it */
    for (unsigned vq = 0; vq < 2 && !o->packed; vq++) {
        struct vn_vq *v = vn_net_vq(n, vq);
        if (vn_vq_avail_event(v) != vn_vq_avail_idx(v))
            FAIL("queue %u: avail_event %u, avail idx %u", vq, vn_vq_avail_event(v),
                 vn_vq_avail_idx(v));
    }

    /* a frame nobody consumed: its interrupt comes */
    if ((rc = send_lone(&tb, 1)) || (rc = irqs_within(&tb, 50000, &fired)))
        FAIL("lone frame: %s", strerror(-rc));
    if (!(fired & rx_vec))
        FAIL("no interrupt for an unconsumed frame (used_event %u)", vn_vq_last_used(rx));
    if ((rc = vn_net_rx(n, 0, got, sizeof got, &len)) || got[59] != 1)
        FAIL("lone frame not received: %s", rc ? strerror(-rc) : "wrong frame");

    /* used_event 5 ahead: frames 1..5 are not announced, the 6th is */
    uint16_t base = vn_vq_last_used(rx);
    vn_vq_set_used_event(rx, vn_vq_pos_advance(rx, base, 5));
    for (unsigned i = 1; i <= 6; i++) {
        if ((rc = send_lone(&tb, (uint8_t)(10 + i))) || (rc = irqs_within(&tb, 30000, &fired)))
            FAIL("frame %u: %s", i, strerror(-rc));
        if ((fired & rx_vec) && i < 6)
            FAIL("interrupt after frame %u with used_event = used idx + 5", i);
        if (!(fired & rx_vec) && i == 6)
            FAIL("no interrupt after the 6th frame (used_event passed)");
    }
    for (unsigned i = 1; i <= 6; i++)
        if ((rc = vn_net_rx(n, 0, got, sizeof got, &len)) || got[59] != 10 + i)
            FAIL("suppressed frame %u: %s", i, rc ? strerror(-rc) : "out of order");
    printf("  event-idx  %llu frames of traffic; %s; an unconsumed frame interrupted; with "
           "used_event 5 ahead only the 6th frame did\n", (unsigned long long)tr.rx_ok,
           o->packed ? "packed rings" : "avail_event = avail idx on both rings");
    r->pass = 1;
out:
    scen_close(&tb, r);
    return 0;
}
