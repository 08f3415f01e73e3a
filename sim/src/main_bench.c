/* vionic-bench: modeled performance of the device (cycles per packet, TX and RX, by frame
 * size) and the simulator's own speed, written as a JSON report.  Measures; asserts nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "tb.h"
#include "traffic.h"
#include "vionic_regs.h"
#include "vn_pci.h"

static const char *prog = "vionic-bench";
static const unsigned wire_sizes[] = {64, 256, 1518}; /* on the wire, FCS included */

struct point {
    unsigned wire;
    double tx_cpp, rx_cpp; /* modeled cycles per packet */
    uint64_t tx_frames, rx_frames;
};

/* 100GbE: preamble + SFD 8 B and inter-frame gap 12 B per frame */
static double line_rate_cpp(unsigned wire)
{
    return (wire + 20) * 8.0 / 100e9 * VN_MODEL_CLOCK_HZ;
}

/* The ring layout of the devices opened next: the packed-vs-split rows set it around
 * their runs, everything else measures split rings. */
static int ring_packed;

static int open_bench(struct tb *tb, unsigned queues, uint32_t lat)
{
    struct tb_opts to = {.queues = queues, .dma_latency = lat, .corrupt_frame = -1,
                         .no_loopback = 1, .packed = ring_packed};
    return tb_open(tb, &to);
}

/* TX: keep every TX ring full until n frames left the MAC. */
static int bench_tx(unsigned queues, uint32_t lat, unsigned wire, uint64_t n, double *cpp)
{
    struct tb tb;
    static struct vn_traffic t;
    int rc = open_bench(&tb, queues, lat);
    if (rc)
        return rc;
    unsigned pairs = vn_net_queue_pairs(tb.net);
    vn_traffic_init(&t, 1, pairs, wire - 4);
    uint8_t frame[VN_FRAME_MAX];
    uint64_t sent = 0, start = vn_model_cycles(tb.m), guard = start + n * 20000 + 10000000;
    while (tb.mac_tx_frames < n && vn_model_cycles(tb.m) < guard) {
        for (unsigned p = 0; p < pairs && sent < n; p++) {
            while (sent < n) {
                size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
                if (vn_net_tx(tb.net, p, frame, len))
                    break;
                t.sent[p]++;
                sent++;
            }
        }
        if ((rc = vn_net_wait(tb.net, 1000)) || (rc = vn_net_poll(tb.net)))
            break;
    }
    if (!rc && tb.mac_tx_frames < n)
        rc = -ETIMEDOUT;
    *cpp = (double)(tb.last_tx_cycle - start) / (double)n;
    tb_close(&tb);
    return rc;
}

/* RX: frames offered at the MAC as fast as the device takes them; every RX ring kept full. */
static int bench_rx(unsigned queues, uint32_t lat, unsigned wire, uint64_t n, double *cpp)
{
    struct tb tb;
    static struct vn_traffic t;
    int rc = open_bench(&tb, queues, lat);
    if (rc)
        return rc;
    unsigned pairs = vn_net_queue_pairs(tb.net);
    vn_traffic_init(&t, 1, pairs, wire - 4);
    uint8_t frame[VN_FRAME_MAX + 64];
    uint64_t offered = 0, got = 0, start = vn_model_cycles(tb.m), last = start;
    uint64_t guard = start + n * 20000 + 10000000;
    while (got < n && vn_model_cycles(tb.m) < guard) {
        while (offered < n) {
            unsigned p = (unsigned)(offered % pairs);
            /* stay within the buffers posted so that nothing is dropped */
            if (t.sent[p] - t.next_rx[p] >= vn_net_ring_size(tb.net, 2 * p))
                break;
            size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
            if (vn_model_mac_rx(tb.m, frame, (uint32_t)len))
                break;
            t.sent[p]++;
            offered++;
        }
        if ((rc = vn_net_wait(tb.net, 1000)) || (rc = vn_net_poll(tb.net)))
            break;
        for (unsigned p = 0; p < pairs; p++) {
            size_t len;
            while (vn_net_rx(tb.net, p, frame, sizeof(frame), &len) == 0) {
                got++;
                last = vn_model_cycles(tb.m);
                if (vn_traffic_check(&t, p, frame, len)) {
                    fprintf(stderr, "%s: RX check failed: %s\n", prog, t.first_error);
                    rc = -EIO;
                    goto out;
                }
            }
        }
    }
    if (!rc && got < n)
        rc = -ETIMEDOUT;
out:
    *cpp = (double)(last - start) / (double)n;
    tb_close(&tb);
    return rc;
}

/* Simulator speed: the demo's loopback traffic, cycles per wall second. */
static int bench_speed(unsigned queues, uint32_t lat, uint64_t n, double *cps, double *idle_cps)
{
    struct tb tb;
    static struct vn_traffic t;
    struct tb_opts to = {.queues = queues, .dma_latency = lat, .corrupt_frame = -1};
    int rc = tb_open(&tb, &to);
    if (rc)
        return rc;
    double t0 = vn_wall_seconds();
    uint64_t c0 = vn_model_cycles(tb.m);
    vn_model_step(tb.m, 1000000);
    *idle_cps = 1000000.0 / (vn_wall_seconds() - t0);
    unsigned pairs = vn_net_queue_pairs(tb.net);
    vn_traffic_init(&t, 7, pairs, 0);
    uint8_t frame[VN_FRAME_MAX + 64];
    uint64_t got = 0;
    c0 = vn_model_cycles(tb.m);
    t0 = vn_wall_seconds();
    while (got < n && vn_model_cycles(tb.m) - c0 < n * 20000 + 10000000) {
        for (unsigned p = 0; p < pairs; p++)
            while (t.sent[p] - t.next_rx[p] < 128) {
                size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
                if (vn_net_tx(tb.net, p, frame, len))
                    break;
                t.sent[p]++;
            }
        tb_pump(&tb);
        if ((rc = vn_net_wait(tb.net, 1000)) || (rc = vn_net_poll(tb.net)))
            break;
        tb_pump(&tb);
        for (unsigned p = 0; p < pairs; p++) {
            size_t len;
            while (vn_net_rx(tb.net, p, frame, sizeof(frame), &len) == 0) {
                got++;
                vn_traffic_check(&t, p, frame, len);
            }
        }
    }
    *cps = (double)(vn_model_cycles(tb.m) - c0) / (vn_wall_seconds() - t0);
    tb_close(&tb);
    return rc;
}

/* ---- per-queue reset ------------------------------------------------------------------ */

struct pair_count {
    struct tb *tb;
    uint64_t frames[VN_TRAFFIC_MAX_PAIRS];
};

static void count_pair(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct pair_count *pc = ctx;
    pc->tb->mac_tx_frames++;
    pc->tb->last_tx_cycle = vn_model_cycles(pc->tb->m);
    if (len > 28 && frame[28] < VN_TRAFFIC_MAX_PAIRS)
        pc->frames[frame[28]]++; /* the traffic model puts the pair in the source address */
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reset latency as the driver sees it (queue_reset = 1 written .. both fields read 0),
 * polled every 20 ns, with `queued` frames just made available on the TX queue being reset
 * (their descriptor and buffer reads are what is in flight) and every other pair busy. */
static int bench_reset_latency(unsigned queues, uint32_t lat, unsigned queued, unsigned reps,
                               double *median, double *worst)
{
    struct tb tb;
    static struct vn_traffic t;
    static uint64_t samples[1000];
    int rc = open_bench(&tb, queues, lat);
    if (rc)
        return rc;
    vn_net_pci(tb.net)->poll_ns = 20;
    unsigned pairs = vn_net_queue_pairs(tb.net);
    /* the pairs the build has, as a host reads them (VND_HWCFG), not off the firmware bus */
    uint32_t hwcfg = 0;
    if (vn_model_bar_read(tb.m, 0, VN_VENDOR_BASE + VN_VENDOR_VND_HWCFG, 4, &hwcfg))
        hwcfg = 0;
    unsigned hw_pairs = (hwcfg >> VN_HWCFG_PAIRS_SHIFT) & VN_HWCFG_PAIRS_MASK;
    vn_traffic_init(&t, 3, pairs, 508);
    uint8_t frame[VN_FRAME_MAX];
    if (reps > 1000)
        reps = 1000;
    for (unsigned i = 0; i < reps && !rc; i++) {
        for (unsigned p = 0; p < pairs; p++) {
            unsigned want = p == 0 ? queued : 64;
            for (unsigned k = 0; k < want; k++) {
                size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
                if (vn_net_tx(tb.net, p, frame, len))
                    break;
                t.sent[p]++;
            }
        }
        /* the doorbells are seen and the fetches under way: vq_ring's scanner visits one
         * queue a cycle, so a build with more pairs needs longer to get there */
        vn_model_step(tb.m, 20 + 2 * hw_pairs);
        uint64_t t0 = vn_model_cycles(tb.m);
        if ((rc = vn_net_queue_reset(tb.net, 1, NULL, NULL)))
            break;
        samples[i] = vn_model_cycles(tb.m) - t0;
        if ((rc = vn_net_queue_enable(tb.net, 1, 0)) || (rc = vn_net_wait(tb.net, 4000)) ||
            (rc = vn_net_poll(tb.net)))
            break;
    }
    if (!rc) {
        qsort(samples, reps, sizeof(samples[0]), cmp_u64);
        *median = (double)samples[reps / 2];
        *worst = (double)samples[reps - 1];
    }
    tb_close(&tb);
    return rc;
}

/* Throughput of the other pairs' TX queues while pair 0's TX queue is reset over and over,
 * as a ratio to their throughput without resets. */
static int bench_reset_isolation(unsigned queues, uint32_t lat, uint64_t n, uint64_t period,
                                 double *cpp, uint64_t *resets)
{
    struct tb tb;
    static struct vn_traffic t;
    struct pair_count pc;
    int rc = open_bench(&tb, queues, lat);
    if (rc)
        return rc;
    memset(&pc, 0, sizeof(pc));
    pc.tb = &tb;
    struct vn_model_mac mac = {.ctx = &pc, .tx_frame = count_pair};
    vn_model_set_mac(tb.m, &mac);
    vn_net_pci(tb.net)->poll_ns = 20;
    unsigned pairs = vn_net_queue_pairs(tb.net);
    if (pairs < 2) {
        tb_close(&tb);
        return -EINVAL;
    }
    vn_traffic_init(&t, 5, pairs, 252);
    uint8_t frame[VN_FRAME_MAX];
    uint64_t others = 0, start = vn_model_cycles(tb.m), end = start, next_reset = start + period;
    *resets = 0;
    while (others < n && !rc && vn_model_cycles(tb.m) - start < n * 200 + 2000000) {
        for (unsigned p = 0; p < pairs; p++)
            for (;;) {
                size_t len = vn_traffic_frame(&t, p, t.sent[p], frame);
                if (vn_net_tx(tb.net, p, frame, len))
                    break;
                t.sent[p]++;
            }
        if (period && vn_model_cycles(tb.m) >= next_reset) {
            if ((rc = vn_net_queue_reset(tb.net, 1, NULL, NULL)) ||
                (rc = vn_net_queue_enable(tb.net, 1, 0)))
                break;
            (*resets)++;
            next_reset = vn_model_cycles(tb.m) + period;
        }
        if ((rc = vn_net_wait(tb.net, 500)) || (rc = vn_net_poll(tb.net)))
            break;
        others = 0;
        for (unsigned p = 1; p < pairs; p++)
            others += pc.frames[p];
        end = tb.last_tx_cycle;
    }
    if (!rc && others < n) {
        fprintf(stderr, "isolation: %llu of %llu frames of the other pairs after %llu cycles, %llu resets\n",
                (unsigned long long)others, (unsigned long long)n,
                (unsigned long long)(vn_model_cycles(tb.m) - start), (unsigned long long)*resets);
        rc = -ETIMEDOUT;
    }
    *cpp = (double)(end - start) / (double)others;
    tb_close(&tb);
    return rc;
}

int main(int argc, char **argv)
{
    const char *out = "vionic-bench.json";
    uint64_t n = 20000, queues = 4, lat = 250;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: %s [--out FILE.json] [--packets N] [--queues N] [--dma-latency CYCLES]\n"
                   "Measures modeled cycles per packet for TX and RX at 64, 256 and 1518-byte\n"
                   "frames (loopback off), and simulated cycles per wall second; prints a table\n"
                   "and writes the JSON report (default vionic-bench.json).\n",
                   prog);
            return 0;
        } else if (!strcmp(argv[i], "--out") && v) {
            out = v;
            i++;
        } else if (!strcmp(argv[i], "--packets")) {
            if (vn_cli_u64(prog, "--packets", v, 16, 10000000, &n))
                return 2;
            i++;
        } else if (!strcmp(argv[i], "--queues")) {
            if (vn_cli_u64(prog, "--queues", v, 1, 64, &queues))
                return 2;
            i++;
        } else if (!strcmp(argv[i], "--dma-latency")) {
            if (vn_cli_u64(prog, "--dma-latency", v, 1, 100000, &lat))
                return 2;
            i++;
        } else {
            fprintf(stderr, "%s: unknown option or missing value '%s' (see --help)\n", prog, argv[i]);
            return 2;
        }
    }
    struct point pts[3];
    int rc = 0;
    printf("vionic-bench: %llu frames a point, %llu queue pairs, DMA round trip %llu cycles\n",
           (unsigned long long)n, (unsigned long long)queues, (unsigned long long)lat);
    printf("  %6s %12s %12s %12s %10s %10s\n", "frame", "TX cyc/pkt", "RX cyc/pkt", "100G cyc/pkt",
           "TX Mpps", "RX Mpps");
    for (unsigned i = 0; i < 3; i++) {
        pts[i].wire = wire_sizes[i];
        fprintf(stderr, "%s: measuring %u-byte frames...\n", prog, wire_sizes[i]);
        int r1 = bench_tx((unsigned)queues, (uint32_t)lat, wire_sizes[i], n, &pts[i].tx_cpp);
        int r2 = bench_rx((unsigned)queues, (uint32_t)lat, wire_sizes[i], n, &pts[i].rx_cpp);
        if (r1 || r2) {
            fprintf(stderr, "%s: %u-byte run failed: TX %s, RX %s\n", prog, wire_sizes[i],
                    strerror(-r1), strerror(-r2));
            rc = 1;
        }
        printf("  %6u %12.2f %12.2f %12.2f %10.2f %10.2f\n", pts[i].wire, pts[i].tx_cpp,
               pts[i].rx_cpp, line_rate_cpp(pts[i].wire), 250.0 / pts[i].tx_cpp,
               250.0 / pts[i].rx_cpp);
    }
    /* the same traffic spread over 1, 4 and 16 pairs (as many as the build has: the
     * default build has 4, -DVIONIC_QUEUE_PAIRS=64 all three) */
    static const unsigned qp_rows[] = {1, 4, 16};
    double qp_tx[3][2], qp_rx[3][2];
    unsigned qp_max = 0;
    {
        struct tb tb;
        if (open_bench(&tb, 0, (uint32_t)lat) == 0) {
            qp_max = vn_net_queue_pairs(tb.net);
            tb_close(&tb);
        }
    }
    fprintf(stderr, "%s: measuring by queue pairs...\n", prog);
    printf("  by queue pairs (TX/RX cycles per packet, %u and %u B):\n", wire_sizes[0], wire_sizes[2]);
    for (unsigned q = 0; q < 3; q++) {
        qp_tx[q][0] = qp_tx[q][1] = qp_rx[q][0] = qp_rx[q][1] = 0;
        if (qp_rows[q] > qp_max) {
            printf("  %6u pairs: not in this build (%u pairs; configure with "
                   "-DVIONIC_QUEUE_PAIRS=64)\n", qp_rows[q], qp_max);
            continue;
        }
        for (unsigned k = 0; k < 2; k++) {
            unsigned w = wire_sizes[k ? 2 : 0];
            if (bench_tx(qp_rows[q], (uint32_t)lat, w, n, &qp_tx[q][k]) ||
                bench_rx(qp_rows[q], (uint32_t)lat, w, n, &qp_rx[q][k])) {
                fprintf(stderr, "%s: %u pairs, %u B failed\n", prog, qp_rows[q], w);
                rc = 1;
            }
        }
        printf("  %6u pairs: %6.2f / %6.2f (64 B), %6.2f / %6.2f (1518 B)\n", qp_rows[q],
               qp_tx[q][0], qp_rx[q][0], qp_tx[q][1], qp_rx[q][1]);
    }
    /* the same 4-pair points with packed rings, beside the split ones above */
    double pk_tx[3] = {0, 0, 0}, pk_rx[3] = {0, 0, 0};
    fprintf(stderr, "%s: measuring packed rings...\n", prog);
    printf("  packed vs split rings (TX/RX cycles per packet):\n");
    ring_packed = 1;
    for (unsigned i = 0; i < 3; i++) {
        if (bench_tx((unsigned)queues, (uint32_t)lat, wire_sizes[i], n, &pk_tx[i]) ||
            bench_rx((unsigned)queues, (uint32_t)lat, wire_sizes[i], n, &pk_rx[i])) {
            fprintf(stderr, "%s: packed %u-byte run failed\n", prog, wire_sizes[i]);
            rc = 1;
        }
        printf("  %6u B: packed %6.2f / %6.2f, split %6.2f / %6.2f\n", wire_sizes[i], pk_tx[i],
               pk_rx[i], pts[i].tx_cpp, pts[i].rx_cpp);
    }
    ring_packed = 0;
    double cps = 0, idle = 0;
    fprintf(stderr, "%s: measuring simulator speed...\n", prog);
    if (bench_speed((unsigned)queues, (uint32_t)lat, n, &cps, &idle))
        rc = 1;
    printf("  simulator: %.2f M cycles/s with traffic, %.2f M cycles/s idle (target >= 1)\n",
           cps / 1e6, idle / 1e6);
    static const uint32_t lats[] = {250, 1000, 2500};
    static const unsigned depths[] = {0, 8, 32, 128};
    double rl_med[3][4], rl_worst[3][4];
    fprintf(stderr, "%s: measuring per-queue reset latency...\n", prog);
    printf("  queue reset latency, cycles median/worst (driver view, 20 ns polls), by frames queued on the queue:\n");
    printf("  %9s", "DMA lat");
    for (unsigned d = 0; d < 4; d++)
        printf(" %13u", depths[d]);
    printf("\n");
    for (unsigned l = 0; l < 3; l++) {
        printf("  %9u", lats[l]);
        for (unsigned d = 0; d < 4; d++) {
            rl_med[l][d] = rl_worst[l][d] = 0;
            if (bench_reset_latency((unsigned)queues, lats[l], depths[d], 41, &rl_med[l][d],
                                    &rl_worst[l][d])) {
                fprintf(stderr, "%s: reset latency at %u/%u failed\n", prog, lats[l], depths[d]);
                rc = 1;
            }
            printf("   %5.0f/%5.0f", rl_med[l][d], rl_worst[l][d]);
        }
        printf("\n");
    }
    static const uint64_t periods[] = {20000, 2000}; /* 80 us, 8 us */
    double iso_base = 0, iso_cpp[2] = {0, 0}, iso_ratio[2] = {0, 0};
    uint64_t iso_resets[2] = {0, 0}, none = 0;
    fprintf(stderr, "%s: measuring isolation...\n", prog);
    if (bench_reset_isolation((unsigned)queues, (uint32_t)lat, n, 0, &iso_base, &none)) {
        fprintf(stderr, "%s: isolation baseline failed\n", prog);
        rc = 1;
    }
    for (unsigned i = 0; i < 2; i++) {
        int r = bench_reset_isolation((unsigned)queues, (uint32_t)lat, n, periods[i], &iso_cpp[i],
                                      &iso_resets[i]);
        iso_ratio[i] = iso_cpp[i] > 0 ? iso_base / iso_cpp[i] : 0;
        printf("  other TX queues while pair 0's TX queue is reset every %llu cycles (%llu resets): "
               "%.4f of their throughput without resets%s (goal >= 0.99)\n",
               (unsigned long long)periods[i], (unsigned long long)iso_resets[i], iso_ratio[i],
               r == -ETIMEDOUT ? " [starved: did not finish]" : "");
    }
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, out, strerror(errno));
        return 1;
    }
    struct vn_json j;
    vn_json_begin(&j, f);
    vn_json_str(&j, "tool", "vionic-bench");
    vn_json_u64(&j, "clock_hz", VN_MODEL_CLOCK_HZ);
    vn_json_u64(&j, "queue_pairs", queues);
    vn_json_u64(&j, "dma_latency_cycles", lat);
    vn_json_u64(&j, "packets_per_point", n);
    vn_json_arr(&j, "points");
    for (unsigned i = 0; i < 3; i++) {
        vn_json_obj(&j, NULL);
        vn_json_u64(&j, "frame_bytes", pts[i].wire);
        vn_json_dbl(&j, "tx_cycles_per_packet", pts[i].tx_cpp);
        vn_json_dbl(&j, "rx_cycles_per_packet", pts[i].rx_cpp);
        vn_json_dbl(&j, "line_rate_cycles_per_packet", line_rate_cpp(pts[i].wire));
        vn_json_dbl(&j, "tx_mpps", 250.0 / pts[i].tx_cpp);
        vn_json_dbl(&j, "rx_mpps", 250.0 / pts[i].rx_cpp);
        vn_json_close(&j, '}');
    }
    vn_json_close(&j, ']');
    vn_json_arr(&j, "by_queue_pairs");
    for (unsigned q = 0; q < 3; q++) {
        if (qp_rows[q] > qp_max)
            continue;
        vn_json_obj(&j, NULL);
        vn_json_u64(&j, "queue_pairs", qp_rows[q]);
        vn_json_dbl(&j, "tx_cycles_per_packet_64", qp_tx[q][0]);
        vn_json_dbl(&j, "rx_cycles_per_packet_64", qp_rx[q][0]);
        vn_json_dbl(&j, "tx_cycles_per_packet_1518", qp_tx[q][1]);
        vn_json_dbl(&j, "rx_cycles_per_packet_1518", qp_rx[q][1]);
        vn_json_close(&j, '}');
    }
    vn_json_close(&j, ']');
    vn_json_arr(&j, "packed");
    for (unsigned i = 0; i < 3; i++) {
        vn_json_obj(&j, NULL);
        vn_json_u64(&j, "frame_bytes", wire_sizes[i]);
        vn_json_dbl(&j, "tx_cycles_per_packet", pk_tx[i]);
        vn_json_dbl(&j, "rx_cycles_per_packet", pk_rx[i]);
        vn_json_close(&j, '}');
    }
    vn_json_close(&j, ']');
    vn_json_arr(&j, "queue_reset_latency");
    for (unsigned l = 0; l < 3; l++)
        for (unsigned d = 0; d < 4; d++) {
            vn_json_obj(&j, NULL);
            vn_json_u64(&j, "dma_latency_cycles", lats[l]);
            vn_json_u64(&j, "frames_queued", depths[d]);
            vn_json_dbl(&j, "median_cycles", rl_med[l][d]);
            vn_json_dbl(&j, "worst_cycles", rl_worst[l][d]);
            vn_json_close(&j, '}');
        }
    vn_json_close(&j, ']');
    vn_json_arr(&j, "reset_isolation");
    for (unsigned i = 0; i < 2; i++) {
        vn_json_obj(&j, NULL);
        vn_json_u64(&j, "reset_period_cycles", periods[i]);
        vn_json_u64(&j, "resets", iso_resets[i]);
        vn_json_dbl(&j, "others_cycles_per_packet_no_reset", iso_base);
        vn_json_dbl(&j, "others_cycles_per_packet_with_resets", iso_cpp[i]);
        vn_json_dbl(&j, "throughput_ratio", iso_ratio[i]);
        vn_json_close(&j, '}');
    }
    vn_json_close(&j, ']');
    vn_json_dbl(&j, "sim_cycles_per_s", cps);
    vn_json_dbl(&j, "sim_idle_cycles_per_s", idle);
    vn_json_bool(&j, "complete", rc == 0);
    vn_json_end(&j);
    fclose(f);
    printf("  report: %s\n", out);
    return rc;
}
