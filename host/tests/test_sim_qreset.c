/* Per-queue reset (RING_RESET) with buffer reclaim against the real device: the Verilated
 * model with the host-mode firmware, its MAC looped back to its own receive side.  Every
 * frame is numbered; the test accounts for each one: arrived once on the pair it was
 * steered to, with its contents intact, or handed back by a reset -- never lost, never
 * twice.  The sim transport never reuses an IOVA, so a device access to a ring freed
 * after a reset shows up as a DMA fault. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_model.h"
#include "ctl_traffic.h"
#include "vn_net.h"
#include "vn_pci.h"
#include "vn_transport.h"

#define BIT64(n) (UINT64_C(1) << (n))
#define MAXSEQ 4096u
#define BACKLOG 1024u
#define FRAME_MAX CTL_FRAME_MAX
#define SEQ_OFF CTL_SEQ_OFF


struct h {
    struct vn_tr *tr;
    struct vn_model *m;
    struct vn_net *n;
    struct vn_model_mac mac;
    /* frames the MAC sent that the model's receive queue had no room for yet */
    uint8_t *bl[BACKLOG];
    uint32_t bl_len[BACKLOG];
    unsigned bl_head, bl_count, bl_lost;
    /* accounting, by sequence number */
    unsigned nseq;
    uint8_t target[MAXSEQ], arrived[MAXSEQ], back_used[MAXSEQ], back_unused[MAXSEQ];
    unsigned bad, rx_empty, outstanding[2];
};

static struct h H;

static void print_log(void *ctx, enum vn_log_level level, const char *msg)
{
    (void)ctx;
    if (level <= VN_LOG_WARN)
        fprintf(stderr, "vionic[%d]: %s\n", level, msg);
}

/* The sequence number of a frame whose every byte is as sent; -1 otherwise. */
static int frame_seq(const struct h *h, const uint8_t *f, size_t len)
{
    uint8_t want[FRAME_MAX];
    unsigned seq;

    if (len < SEQ_OFF + sizeof seq)
        return -1;
    memcpy(&seq, f + SEQ_OFF, sizeof seq);
    if (seq >= h->nseq || ctl_traffic_frame(want, seq, h->target[seq]) != len || memcmp(want, f, len))
        return -1;
    return (int)seq;
}

static void settle(struct h *h, int seq)
{
    if (h->arrived[seq] + h->back_unused[seq] == 1)
        h->outstanding[h->target[seq]]--;
}

static void got(struct h *h, unsigned pair, const uint8_t *f, size_t len)
{
    int seq = frame_seq(h, f, len);
    if (seq < 0 || h->target[seq] != pair) {
        h->bad++;
        return;
    }
    h->arrived[seq]++;
    settle(h, seq);
}

static void on_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct h *h = ctx;
    if (vq % 2 == 0 && !used) {
        h->rx_empty += len == 0;
        h->bad += len != 0;
        return;
    }
    if (vq % 2 == 0) {
        got(h, vq / 2, frame, len);
        return;
    }
    int seq = frame_seq(h, frame, len);
    if (seq < 0) {
        h->bad++;
        return;
    }
    if (used) {
        h->back_used[seq]++;
    } else {
        h->back_unused[seq]++;
        settle(h, seq);
    }
}

static void pump(struct h *h)
{
    while (h->bl_count && vn_model_mac_rx(h->m, h->bl[h->bl_head], h->bl_len[h->bl_head]) == 0) {
        free(h->bl[h->bl_head]);
        h->bl_head = (h->bl_head + 1) % BACKLOG;
        h->bl_count--;
    }
}

static void loop_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct h *h = ctx;
    if (!h->bl_count && vn_model_mac_rx(h->m, frame, len) == 0)
        return;
    uint8_t *c = h->bl_count < BACKLOG ? malloc(len) : NULL;
    if (!c) {
        h->bl_lost++;
        return;
    }
    memcpy(c, frame, len);
    unsigned t = (h->bl_head + h->bl_count++) % BACKLOG;
    h->bl[t] = c;
    h->bl_len[t] = len;
}

static int open_dev(struct h *h, unsigned ring, uint64_t features)
{
    struct vn_net_opts o = {.queue_pairs = 2, .ring_size = ring, .use_irq = 1,
                            .features = features};
    memset(h, 0, sizeof *h);
    if (vn_tr_sim_open(NULL, &h->tr))
        return -1;
    h->m = vn_tr_sim_model(h->tr);
    h->mac = (struct vn_model_mac){h, loop_tx};
    vn_model_set_mac(h->m, &h->mac);
    if (vn_net_open(h->tr, &o, &h->n)) {
        vn_tr_close(h->tr);
        return -1;
    }
    return 0;
}

static void close_dev(struct h *h)
{
    struct vn_model_stats ms;
    vn_model_get_stats(h->m, &ms);
    CHECK_EQ(ms.dma_faults, 0);
    CHECK_EQ(h->bl_lost, 0);
    CHECK_EQ(h->bad, 0);
    vn_net_close(h->n);
    while (h->bl_count) {
        free(h->bl[h->bl_head]);
        h->bl_head = (h->bl_head + 1) % BACKLOG;
        h->bl_count--;
    }
    vn_tr_close(h->tr);
}

/* Queue frame seq for RX pair target on TX pair qp; -EAGAIN when the ring is full. */
static int send(struct h *h, unsigned qp, unsigned target)
{
    uint8_t f[FRAME_MAX];
    if (h->nseq >= MAXSEQ)
        return -ENOSPC;
    unsigned seq = h->nseq;
    h->target[seq] = (uint8_t)target;
    h->nseq++; /* frame_seq accepts it from now on */
    int rc = vn_net_tx(h->n, qp, f, ctl_traffic_frame(f, seq, target));
    if (rc)
        h->nseq--;
    else
        h->outstanding[target]++;
    return rc;
}

/* Let the device work a while, then take what arrived on the pairs in rx_mask. */
static void step(struct h *h, unsigned rx_mask)
{
    uint8_t f[2048];
    size_t len;

    pump(h);
    CHECK_EQ(vn_net_wait(h->n, 2000), 0);
    CHECK_EQ(vn_net_poll(h->n), 0);
    pump(h);
    for (unsigned p = 0; p < 2; p++)
        while ((rx_mask >> p & 1) && vn_net_rx(h->n, p, f, sizeof f, &len) == 0)
            got(h, p, f, len);
}

static void drain(struct h *h, unsigned rx_mask)
{
    for (unsigned i = 0; i < 400 && (h->outstanding[0] || h->outstanding[1] || h->bl_count); i++)
        step(h, rx_mask);
}

static uint32_t vendor(struct h *h, uint32_t off)
{
    uint32_t v = 0;
    CHECK_EQ(vn_tr_bar_read(h->tr, 0, VN_VENDOR_BASE + off, 4, &v), 0);
    return v;
}

/* TX queue reset with frames queued: each one comes back exactly once, sent or not. */
static void tx_reset(void)
{
    struct h *h = &H;
    struct vn_pci *p;
    uint16_t v = 0;

    if (open_dev(h, 256, 0)) {
        CHECK(!"bring-up");
        return;
    }
    p = vn_net_pci(h->n);
    /* half of them given time to go out (completions not reaped: no vn_net_poll), half
     * queued just before the reset */
    for (unsigned i = 0; i < 200; i++) {
        CHECK_EQ(send(h, 0, 0), 0);
        if (i == 99)
            vn_tr_delay(h->tr, 8000);
    }
    CHECK_EQ(vn_net_queue_reset(h->n, 1, on_reclaim, h), 0);
    drain(h, 1);
    unsigned sent = 0, unsent = 0, unacked = 0, wrong = 0;
    for (unsigned s = 0; s < h->nseq; s++) {
        sent += h->back_used[s];
        unsent += h->back_unused[s];
        /* sent on the MAC but handed back unsent: the device contract says never both */
        unacked += h->back_unused[s] && h->arrived[s];
        wrong += h->back_used[s] + h->back_unused[s] != 1 || h->arrived[s] > 1 ||
                 h->back_used[s] != h->arrived[s];
    }
    printf("tx reset: %u sent, %u reclaimed unsent\n", sent, unsent);
    CHECK_EQ(unacked, 0);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(sent + unsent, 200);
    CHECK(sent > 0);   /* completed before the reset, handed back as sent */
    CHECK(unsent > 0); /* the reset did catch frames still queued */
    CHECK_EQ(h->outstanding[0], 0);

    /* out of use; errors for a second reset and for bad sizes */
    uint8_t f[60] = {0};
    CHECK_EQ(vn_net_tx(h->n, 0, f, sizeof f), -ENODEV);
    CHECK_EQ(vn_net_queue_reset(h->n, 1, on_reclaim, h), -EALREADY);
    CHECK_EQ(vn_net_queue_enable(h->n, 1, 100), -EINVAL);
    CHECK_EQ(vn_net_queue_enable(h->n, 1, 2 * VN_MAX_QUEUE_SIZE), -EINVAL);
    CHECK_EQ(vn_pci_set_queue_select(p, 1), 0);
    CHECK_EQ(vn_pci_get_queue_enable(p, &v), 0);
    CHECK_EQ(v, 0);
    /* back at its size, with its vector */
    CHECK_EQ(vn_net_queue_enable(h->n, 1, 0), 0);
    CHECK_EQ(vn_net_ring_size(h->n, 1), 256);
    CHECK_EQ(vn_pci_set_queue_select(p, 1), 0);
    CHECK_EQ(vn_pci_get_queue_msix_vector(p, &v), 0);
    CHECK_EQ(v, 2);
    CHECK_EQ(vn_pci_get_queue_size(p, &v), 0);
    CHECK_EQ(v, 256);
    unsigned before = h->nseq;
    for (unsigned i = 0; i < 50; i++)
        CHECK_EQ(send(h, 0, i % 2), 0);
    drain(h, 3);
    for (unsigned s = before; s < h->nseq; s++)
        CHECK_EQ(h->arrived[s], 1);
    uint8_t st = 0;
    CHECK_EQ(vn_pci_get_device_status(p, &st), 0);
    CHECK_EQ(st & VN_STATUS_NEEDS_RESET, 0);
    CHECK_EQ(vendor(h, VN_VENDOR_VND_RX_DROPS), 0);
    close_dev(h);
}

/* RX of pair 1 resized 256 -> 64 -> 1024 while pair 0 carries traffic: nothing lost.
 * The pacing (steps of one interrupt or 2 us) assumes the flags' interrupt rule: with
 * EVENT_IDX a driver that polls asks for few interrupts, each step waits out its 2 us and
 * the frame budget runs out before the resets (scenario event-idx covers EVENT_IDX). */
static void rx_resize(void)
{
    struct h *h = &H;

    if (open_dev(h, 256, ~(BIT64(VN_F_EVENT_IDX) | BIT64(VN_F_RING_PACKED)))) {
        CHECK(!"bring-up");
        return;
    }
    /* frames that land on pair 1 and wait there: the reset hands them back, received */
    for (unsigned i = 0; i < 10; i++)
        CHECK_EQ(send(h, 1, 1), 0);
    for (unsigned i = 0; i < 50; i++)
        step(h, 1); /* pair 1 is not read */
    CHECK_EQ(h->outstanding[1], 10);

    static const unsigned sizes[] = {64, 1024};
    unsigned rx_empty_want = 256 - 10 + 64;
    for (unsigned round = 0; round < 2; round++) {
        /* pair 0 busy from both TX queues, up to half its ring in flight */
        for (unsigned i = 0; i < 300; i++) {
            while (h->outstanding[0] < 128 && send(h, i % 2, 0) == 0)
                ;
            step(h, 1);
        }
        CHECK(h->outstanding[0] > 0); /* traffic in flight across the reset */
        CHECK_EQ(vn_net_queue_reset(h->n, 2, on_reclaim, h), 0);
        for (unsigned i = 0; i < 20; i++) {
            while (h->outstanding[0] < 128 && send(h, i % 2, 0) == 0)
                ;
            step(h, 1);
        }
        CHECK_EQ(vn_net_queue_enable(h->n, 2, sizes[round]), 0);
        CHECK_EQ(vn_net_ring_size(h->n, 2), sizes[round]);
    }
    CHECK_EQ(h->outstanding[1], 0); /* the ten came back through the first reset */
    CHECK_EQ(h->rx_empty, rx_empty_want);
    uint16_t v = 0;
    CHECK_EQ(vn_pci_set_queue_select(vn_net_pci(h->n), 2), 0);
    CHECK_EQ(vn_pci_get_queue_size(vn_net_pci(h->n), &v), 0);
    CHECK_EQ(v, 1024);
    for (unsigned i = 0; i < 20; i++)
        CHECK_EQ(send(h, i % 2, 1), 0);
    drain(h, 3);
    unsigned missing = 0, twice = 0;
    for (unsigned s = 0; s < h->nseq; s++) {
        missing += !h->arrived[s];
        twice += h->arrived[s] > 1;
    }
    printf("rx resize: %u frames, %u missing, %u twice, %llu cycles\n", h->nseq, missing, twice,
           (unsigned long long)vn_model_cycles(h->m));
    CHECK(h->nseq > 500);
    CHECK_EQ(missing, 0);
    CHECK_EQ(twice, 0);
    CHECK_EQ(vendor(h, VN_VENDOR_VND_RX_DROPS), 0);
    struct vn_net_stats st;
    vn_net_get_stats(h->n, &st);
    CHECK_EQ(st.queue_resets, 2);
    CHECK_EQ(st.reset_dropped, 0);
    close_dev(h);
}

/* ethtool -G over every pair, and the refusals of a device without RING_RESET. */
static void ring_sizes(void)
{
    struct h *h = &H;

    if (open_dev(h, 256, 0)) {
        CHECK(!"bring-up");
        return;
    }
    CHECK_EQ(vn_net_set_ring_sizes(h->n, 100, 0, on_reclaim, h), -EINVAL);
    CHECK_EQ(vn_net_set_ring_sizes(h->n, 128, 64, on_reclaim, h), 0);
    for (unsigned vq = 0; vq < 4; vq++) {
        uint16_t v = 0;
        CHECK_EQ(vn_net_ring_size(h->n, vq), vq & 1 ? 64 : 128);
        CHECK_EQ(vn_pci_set_queue_select(vn_net_pci(h->n), (uint16_t)vq), 0);
        CHECK_EQ(vn_pci_get_queue_msix_vector(vn_net_pci(h->n), &v), 0);
        CHECK_EQ(v, 1 + vq);
    }
    CHECK_EQ(h->rx_empty, 256 * 2);
    for (unsigned i = 0; i < 40; i++)
        CHECK_EQ(send(h, i % 2, (i / 2) % 2), 0);
    drain(h, 3);
    for (unsigned s = 0; s < h->nseq; s++)
        CHECK_EQ(h->arrived[s], 1);
    close_dev(h);

    if (open_dev(h, 64, ~(BIT64(VN_F_RING_RESET) | BIT64(VN_F_RING_PACKED)))) {
        CHECK(!"bring-up without RING_RESET");
        return;
    }
    CHECK_EQ(vn_net_driver_features(h->n) & BIT64(VN_F_RING_RESET), 0);
    CHECK_EQ(vn_net_queue_reset(h->n, 1, on_reclaim, h), -ENOTSUP);
    CHECK_EQ(vn_net_set_ring_sizes(h->n, 32, 32, on_reclaim, h), -ENOTSUP);
    CHECK_EQ(vn_net_ring_size(h->n, 1), 64);
    close_dev(h);
}

int main(void)
{
    vn_log_set(print_log, NULL);
#if VIONIC_QUEUE_PAIRS < 2
    printf("needs a device with 2 queue pairs or more: skipped\n");
    return 0;
#endif
    tx_reset();
    rx_resize();
    ring_sizes();
    return check_report();
}
