/* matrix: the negotiation matrix.  Every feature the device offers and the driver knows,
 * declined one at a time (and none declined), on 1, 4 and the most queue pairs the build
 * has, with split rings and again with packed rings (RING_PACKED taken); in each cell the
 * device must accept the set (FEATURES_OK), the driver must not have what it declined,
 * and the demo's traffic must arrive byte for byte, in order, exactly once.  The features
 * are those offered that the driver knows (vn_net_known_features) but RING_PACKED, which
 * is the layout axis: IN_ORDER, which this driver does not use, is covered by testpmd's
 * in_order=1 (tests/realdriver). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "tb.h"
#include "vn_features.h"
#include "vionic_regs.h"

#define BIT64(n) (UINT64_C(1) << (n))


/* One cell; 0 when it passed, else r->error says why. */
/* bit: the feature declined, or 64 for none */
static int cell(const struct scen_opts *o, unsigned pairs, unsigned bit, struct scen_result *r,
                unsigned *used_pairs)
{
    struct tb tb;
    uint64_t decline = bit < 64 ? BIT64(bit) : 0;
    const char *name = bit < 64 ? vn_feature_name(bit) : "(none)";
    /* without MQ the driver has one pair (RSS alone steers by its table, which the demo's
     * traffic does not set up) */
    if (decline & (BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ)))
        pairs = 1;
    struct tb_opts to = {.packed = o->packed, .queues = pairs, .dma_latency = o->dma_latency,
                         .firmware = o->firmware, .corrupt_frame = -1,
                         .features = ~decline};
    struct scen_opts po = *o;
    struct scen_result cr = {0};
    int rc;

    *used_pairs = 0;
    if ((rc = tb_open(&tb, &to))) {
        /* declining ACCESS_PLATFORM must be refused by the device (FEATURES_OK stays
         * clear): that is the cell passing */
        if (bit == VN_F_ACCESS_PLATFORM)
            return 0;
        snprintf(r->error, sizeof r->error, "%s off, %u pairs: bring-up: %s", name,
                 pairs, strerror(-rc));
        return -1;
    }
    if (bit == VN_F_ACCESS_PLATFORM) {
        snprintf(r->error, sizeof r->error, "ACCESS_PLATFORM declined but FEATURES_OK accepted");
        goto bad;
    }
    uint64_t got = vn_net_driver_features(tb.net);
    if (got & decline) {
        snprintf(r->error, sizeof r->error, "%s declined but negotiated", name);
        goto bad;
    }
    if (!(got & BIT64(VN_F_RING_PACKED)) != !o->packed) {
        snprintf(r->error, sizeof r->error, "%s off, %u pairs: RING_PACKED %s", name, pairs,
                 o->packed ? "not negotiated" : "negotiated unasked");
        goto bad;
    }
    *used_pairs = vn_net_queue_pairs(tb.net);
    po.queues = *used_pairs;
    po.packets = o->packets ? o->packets : 48u * *used_pairs;
    scen_traffic_run(&tb, &po, &cr);
    r->tx_frames += cr.tx_frames;
    r->rx_frames += cr.rx_frames;
    r->rx_ok += cr.rx_ok;
    r->rx_bad += cr.rx_bad;
    r->missing += cr.missing;
    r->total_cycles += vn_model_cycles(tb.m);
    if (!cr.pass) {
        snprintf(r->error, sizeof r->error, "%s off, %u pairs, %s (features 0x%llx): %.180s",
                 name, pairs, o->packed ? "packed" : "split", (unsigned long long)got, cr.error);
        goto bad;
    }
    tb_close(&tb);
    return 0;
bad:
    tb_close(&tb);
    return -1;
}

int scen_matrix(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .dma_latency = o->dma_latency, .firmware = o->firmware,
                         .corrupt_frame = -1};
    unsigned rows[3], nrows = 0, max;
    int rc;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "bring-up: %s", strerror(-rc));
        return 0;
    }
    max = vn_net_queue_pairs(tb.net);
    uint64_t offered = vn_net_device_features(tb.net);
    r->device_features = offered;
    r->driver_features = vn_net_driver_features(tb.net);
    tb_close(&tb);
    rows[nrows++] = 1;
    if (max >= 4)
        rows[nrows++] = 4;
    if (o->queues > 4 && o->queues < max)
        max = o->queues;
    if (max > 4)
        rows[nrows++] = max;

    unsigned cells = 0;
    /* declining VERSION_1 is the driver's own refusal, not the device's */
    uint64_t cols = offered & vn_net_known_features() &
                    ~(BIT64(VN_F_VERSION_1) | BIT64(VN_F_RING_PACKED));
    unsigned layouts = (offered & BIT64(VN_F_RING_PACKED)) ? 2 : 1;
    for (unsigned lay = 0; lay < layouts; lay++) {
        struct scen_opts lo = *o;
        lo.packed = (int)lay;
        printf("  matrix     %-6s rings, declined    ", lay ? "packed" : "split");
        for (unsigned c = 0; c < nrows; c++)
            printf(" %2u pairs", rows[c]);
        printf("\n");
        for (unsigned bit = 0; bit <= 64; bit++) {
            if (bit < 64 && !(cols & BIT64(bit)))
                continue;
            printf("             %-24s", bit < 64 ? vn_feature_name(bit) : "(none)");
            for (unsigned c = 0; c < nrows; c++) {
                unsigned used;
                if (cell(&lo, rows[c], bit, r, &used)) {
                    printf("  FAIL\n");
                    return 0;
                }
                if (used)
                    printf("   ok(%2u)", used);
                else
                    printf("  refused");
                cells++;
            }
            printf("\n");
        }
    }
    printf("  matrix     %u cells, every one byte for byte (ok(N): N pairs in use; refused: "
           "the device kept FEATURES_OK clear, as it must)\n", cells);
    r->queues = max;
    r->cycles = r->total_cycles;
    r->pass = 1;
    return 0;
}
