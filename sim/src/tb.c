#include "tb.h"
#include "vionic_regs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t cycles_to_ns(uint64_t c)
{
    return c * 1000000000ull / VN_MODEL_CLOCK_HZ;
}

void tb_pump(struct tb *tb)
{
    while (tb->fifo_count) {
        struct tb_frame *f = &tb->fifo[tb->fifo_head];
        if (vn_model_mac_rx(tb->m, f->data, f->len) != 0)
            return; /* model queue full: retry later, nothing is dropped */
        free(f->data);
        f->data = NULL;
        tb->fifo_head = (tb->fifo_head + 1) % tb->fifo_cap;
        tb->fifo_count--;
    }
}

static void on_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct tb *tb = ctx;
    tb->mac_tx_frames++;
    tb->mac_tx_bytes += len;
    tb->last_tx_cycle = vn_model_cycles(tb->m);
    if (tb->pcap && vn_pcap_write(tb->pcap, cycles_to_ns(tb->last_tx_cycle), frame, len) && !tb->err)
        tb->err = -EIO;
    if (tb->o.no_loopback)
        return;
    if (tb->fifo_count == tb->fifo_cap) {
        unsigned ncap = tb->fifo_cap ? tb->fifo_cap * 2 : 1024;
        struct tb_frame *n = calloc(ncap, sizeof(*n));
        if (!n) {
            tb->err = -ENOMEM;
            return;
        }
        for (unsigned i = 0; i < tb->fifo_count; i++)
            n[i] = tb->fifo[(tb->fifo_head + i) % tb->fifo_cap];
        free(tb->fifo);
        tb->fifo = n;
        tb->fifo_cap = ncap;
        tb->fifo_head = 0;
    }
    struct tb_frame *f = &tb->fifo[(tb->fifo_head + tb->fifo_count) % tb->fifo_cap];
    f->data = malloc(len ? len : 1);
    if (!f->data) {
        tb->err = -ENOMEM;
        return;
    }
    memcpy(f->data, frame, len);
    f->len = len;
    if (tb->o.corrupt_frame >= 0 && (int64_t)tb->looped == tb->o.corrupt_frame && len > 20)
        f->data[len - 7] ^= 0x5a; /* the fault the negative test must catch */
    tb->looped++;
    tb->fifo_count++;
    tb_pump(tb);
}

int tb_open(struct tb *tb, const struct tb_opts *o)
{
    memset(tb, 0, sizeof(*tb));
    tb->o = *o;
    struct vn_tr_sim_opts so = {.dma_latency = o->dma_latency, .fst_path = o->fst_path,
                                .firmware = o->firmware};
    int rc = vn_tr_sim_open(&so, &tb->tr);
    if (rc) {
        fprintf(stderr, "vionic: cannot create the simulated device: %s\n", strerror(-rc));
        return rc;
    }
    tb->m = vn_tr_sim_model(tb->tr);
    if (o->pcap_path && (rc = vn_pcap_open(o->pcap_path, &tb->pcap))) {
        fprintf(stderr, "vionic: cannot write %s: %s\n", o->pcap_path, strerror(-rc));
        tb_close(tb);
        return rc;
    }
    struct vn_model_mac mac = {.ctx = tb, .tx_frame = on_tx};
    vn_model_set_mac(tb->m, &mac);
    struct vn_net_opts no = {.queue_pairs = o->queues ? o->queues : VN_NET_ALL_PAIRS,
                             .ring_size = o->ring_size,
                             .rx_buf_len = o->rx_buf_len,
                             .indirect = o->indirect,
                             .tx_split_hdr = o->indirect,
                             .features = (o->features ? o->features : ~UINT64_C(0)) &
                                         (o->no_mrg ? ~(UINT64_C(1) << VN_F_MRG_RXBUF)
                                                    : ~UINT64_C(0)) &
                                         (o->packed ? ~UINT64_C(0)
                                                    : ~(UINT64_C(1) << VN_F_RING_PACKED)),
                             .use_irq = 1};
    rc = vn_net_open(tb->tr, &no, &tb->net);
    if (rc) {
        fprintf(stderr, "vionic: driver bring-up failed: %s\n", strerror(-rc));
        tb_close(tb);
        return rc;
    }
    return 0;
}

void tb_close(struct tb *tb)
{
    if (tb->net)
        vn_net_close(tb->net);
    tb->net = NULL;
    vn_tr_close(tb->tr);
    tb->tr = NULL;
    if (vn_pcap_close(tb->pcap) && !tb->err)
        tb->err = -EIO;
    tb->pcap = NULL;
    for (unsigned i = 0; i < tb->fifo_count; i++)
        free(tb->fifo[(tb->fifo_head + i) % tb->fifo_cap].data);
    free(tb->fifo);
    tb->fifo = NULL;
    tb->fifo_count = 0;
}
