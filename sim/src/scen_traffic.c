/* demo: traffic of mixed sizes on every pair through the MAC loopback, each frame checked
 * byte for byte, in order and exactly once per pair. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "tb.h"
#include "traffic.h"
#include "vionic_regs.h"

#define STALL_CYCLES 4000000ull /* no frame received for this long: the device is stuck */
#define MAX_ERRORS 16

void scen_fill_common(struct tb *tb, struct scen_result *r)
{
    struct vn_model_stats ms;
    struct vn_net_stats ns;
    vn_model_get_stats(tb->m, &ms);
    vn_net_get_stats(tb->net, &ns);
    r->device_features = vn_net_device_features(tb->net);
    r->driver_features = vn_net_driver_features(tb->net);
    r->queues = vn_net_queue_pairs(tb->net);
    r->irqs = ns.irqs;
    r->dma_reads = ms.dma_reads;
    r->dma_writes = ms.dma_writes;
    r->dma_faults = ms.dma_faults;
    uint32_t drops = 0;
    if (vn_model_bar_read(tb->m, 0, VN_VENDOR_BASE + VN_VENDOR_VND_RX_DROPS, 4, &drops) == 0)
        r->rx_drops = drops;
    r->total_cycles = vn_model_cycles(tb->m);
}

void scen_close(struct tb *tb, struct scen_result *r)
{
    scen_fill_common(tb, r);
    r->cycles = r->total_cycles;
    tb_close(tb);
}

static int open_tb(const struct scen_opts *o, struct tb *tb, struct scen_result *r, int loopback)
{
    struct tb_opts to = {
        .packed = o->packed,
        .queues = o->queues,
        .ring_size = o->ring_size,
        .rx_buf_len = o->rx_buf_len,
        .no_mrg = o->no_mrg,
        .indirect = o->indirect,
        .dma_latency = o->dma_latency,
        .fst_path = o->fst_path,
        .pcap_path = o->pcap_path,
        .firmware = o->firmware,
        .corrupt_frame = o->corrupt_frame,
        .no_loopback = !loopback,
    };
    int rc = tb_open(tb, &to);
    if (rc)
        snprintf(r->error, sizeof(r->error), "bring-up failed: %s", strerror(-rc));
    return rc;
}

int scen_bringup(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    if (open_tb(o, &tb, r, 1))
        return -1;
    scen_fill_common(&tb, r);
    r->pass = r->dma_faults == 0 && r->queues == (o->queues ? o->queues : 1);
    if (!r->pass)
        snprintf(r->error, sizeof(r->error), "%u pairs in use (asked %u), %llu DMA faults",
                 r->queues, o->queues, (unsigned long long)r->dma_faults);
    tb_close(&tb);
    return 0;
}

int scen_traffic(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    if (open_tb(o, &tb, r, 1))
        return -1;
    scen_traffic_run(&tb, o, r);
    tb_close(&tb);
    return 0;
}

void scen_traffic_run(struct tb *tb, const struct scen_opts *o, struct scen_result *r)
{
    static struct vn_traffic t;
    unsigned pairs = vn_net_queue_pairs(tb->net);
    vn_traffic_init(&t, o->seed, pairs, o->frame_len);
    uint64_t target[VN_TRAFFIC_MAX_PAIRS], window[VN_TRAFFIC_MAX_PAIRS];
    for (unsigned p = 0; p < pairs; p++) {
        target[p] = o->packets / pairs + (p < o->packets % pairs);
        /* never more frames in flight than RX buffers posted: nothing may be dropped */
        window[p] = vn_net_ring_size(tb->net, 2 * p);
    }
    uint8_t frame[VN_FRAME_MAX + 64];
    uint64_t start = vn_model_cycles(tb->m), last_rx = start, rx_frames = 0, errors = 0;
    int rc = 0;
    while (rx_frames < o->packets && !tb->err) {
        for (unsigned p = 0; p < pairs; p++) {
            while (t.sent[p] < target[p] && t.sent[p] - t.next_rx[p] < window[p]) {
                size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
                rc = vn_net_tx(tb->net, p, frame, len);
                if (rc == -EAGAIN)
                    break;
                if (rc) {
                    snprintf(r->error, sizeof(r->error), "tx on pair %u: %s", p, strerror(-rc));
                    goto out;
                }
                t.sent[p]++;
                r->tx_frames++;
            }
        }
        tb_pump(tb);
        if ((rc = vn_net_wait(tb->net, 2000)) || (rc = vn_net_poll(tb->net))) {
            snprintf(r->error, sizeof(r->error), "driver: %s", strerror(-rc));
            goto out;
        }
        tb_pump(tb);
        for (unsigned p = 0; p < pairs; p++) {
            size_t len;
            while (vn_net_rx(tb->net, p, frame, sizeof(frame), &len) == 0) {
                rx_frames++;
                last_rx = vn_model_cycles(tb->m);
                if (vn_traffic_check(&t, p, frame, len) && ++errors >= MAX_ERRORS)
                    goto out;
            }
        }
        if (vn_model_cycles(tb->m) - last_rx > STALL_CYCLES) {
            snprintf(r->error, sizeof(r->error),
                     "stalled: no frame for %llu cycles with %llu of %llu received",
                     (unsigned long long)STALL_CYCLES, (unsigned long long)rx_frames,
                     (unsigned long long)o->packets);
            break;
        }
    }
out:
    r->cycles = last_rx - start;
    r->rx_frames = rx_frames;
    r->rx_ok = t.rx_ok;
    r->rx_bad = t.rx_bad + t.rx_wrong_queue + t.rx_out_of_order;
    r->missing = o->packets - t.rx_ok;
    r->bytes = t.bytes_ok;
    scen_fill_common(tb, r);
    if (!r->error[0] && t.first_error[0])
        snprintf(r->error, sizeof(r->error), "%s", t.first_error);
    if (!r->error[0] && tb->err)
        snprintf(r->error, sizeof(r->error), "testbench: %s", strerror(-tb->err));
    if (!r->error[0] && r->dma_faults)
        snprintf(r->error, sizeof(r->error), "%llu DMA faults", (unsigned long long)r->dma_faults);
    if (!r->error[0] && r->rx_drops)
        snprintf(r->error, sizeof(r->error), "device dropped %llu frames",
                 (unsigned long long)r->rx_drops);
    r->pass = !r->error[0] && r->rx_ok == o->packets && r->rx_bad == 0;
}
