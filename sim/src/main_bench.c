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

static int open_bench(struct tb *tb, unsigned queues, uint32_t lat)
{
    struct tb_opts to = {.queues = queues, .dma_latency = lat, .corrupt_frame = -1, .no_loopback = 1};
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
    double cps = 0, idle = 0;
    fprintf(stderr, "%s: measuring simulator speed...\n", prog);
    if (bench_speed((unsigned)queues, (uint32_t)lat, n, &cps, &idle))
        rc = 1;
    printf("  simulator: %.2f M cycles/s with traffic, %.2f M cycles/s idle (target >= 1)\n",
           cps / 1e6, idle / 1e6);
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
    vn_json_dbl(&j, "sim_cycles_per_s", cps);
    vn_json_dbl(&j, "sim_idle_cycles_per_s", idle);
    vn_json_bool(&j, "complete", rc == 0);
    vn_json_end(&j);
    fclose(f);
    printf("  report: %s\n", out);
    return rc;
}
