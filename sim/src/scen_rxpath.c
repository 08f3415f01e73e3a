/* The receive path's features seen from the driver, each through the loopback: the device
 * sends what the driver queues, and its own receive path filters, steers, hashes and
 * checks it.
 *   rx-filter: control queue RX mode, MAC table, MAC address and VLAN commands, each
 *              observed on the RX path (delivered byte for byte, or refused and counted);
 *   rss:       flows land on the queue the Toeplitz hash (sim/src/toeplitz.c) and the
 *              indirection table say, with that hash and type in the 20-byte header;
 *              reconfiguring the table under traffic loses nothing;
 *   csum:      TX checksum offload (NEEDS_CSUM) for TCP/UDP over IPv4/IPv6 checked by
 *              the testbench's own arithmetic; RX DATA_VALID only for good checksums. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pkt.h"
#include "scenario.h"
#include "tb.h"
#include "flow_hash.h"
#include "toeplitz.h"
#include "traffic.h"
#include "vionic_regs.h"

#define POLL_NS 40u
#define GONE_NS 40000u /* a frame not delivered this long after it was sent was dropped */

#define FAIL(...)                                                                          \
    do {                                                                                   \
        snprintf(r->error, sizeof r->error, __VA_ARGS__);                                  \
        goto out;                                                                          \
    } while (0)

static uint32_t vendor(struct tb *tb, uint32_t off)
{
    uint32_t v = 0;
    if (vn_model_bar_read(tb->m, 0, VN_VENDOR_BASE + off, 4, &v))
        return 0xffffffffu;
    return v;
}

/* Send frame on TX pair 0; wait for it on any RX pair.  *qp gets the pair (-1: nothing
 * came within GONE_NS), got/glen/info what arrived. */
static int xfer(struct tb *tb, const uint8_t *frame, size_t len, int *qp, uint8_t *got,
                size_t *glen, struct vn_net_rxi *info)
{
    unsigned pairs = vn_net_queue_pairs(tb->net);
    int rc;

    *qp = -1;
    for (unsigned tries = 0; (rc = vn_net_tx(tb->net, 0, frame, len)) == -EAGAIN; tries++) {
        if (tries > 100000 || (rc = vn_net_poll(tb->net)))
            return rc ? rc : -ETIMEDOUT;
        vn_tr_delay(tb->tr, POLL_NS);
    }
    if (rc)
        return rc;
    for (unsigned t = 0; t * POLL_NS < GONE_NS; t++) {
        tb_pump(tb);
        for (unsigned q = 0; q < pairs; q++) {
            rc = vn_net_rx_ex(tb->net, q, got, 2048, glen, info);
            if (rc == 0) {
                *qp = (int)q;
                return 0;
            }
            if (rc != -EAGAIN && rc != -ENODEV) /* -ENODEV: a queue the test reset */
                return rc;
        }
        if ((rc = vn_net_poll(tb->net)))
            return rc;
        vn_tr_delay(tb->tr, POLL_NS);
    }
    return 0;
}

/* ---- rx-filter ------------------------------------------------------------------------ */

struct fcase {
    struct tb *tb;
    struct scen_result *r;
    unsigned n;
    uint64_t seed;
};

/* A frame to dst (tagged with vlan unless 0) must be delivered intact (want 1) or refused
 * by the filter and counted (want 0). */
static int expect(struct fcase *c, const char *what, const uint8_t dst[6], uint16_t vlan, int want)
{
    struct vn_pkt_spec s = {.src = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, .proto = 17,
                            .saddr = {10, 0, 0, 1}, .daddr = {10, 0, 0, 2}, .sport = 7,
                            .dport = 9, .payload = 40 + c->n % 100, .seed = c->seed + c->n,
                            .vlan = vlan};
    uint8_t f[2048], got[2048];
    size_t glen = 0;
    struct vn_net_rxi info;
    int qp, rc;

    memcpy(s.dst, dst, 6);
    size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
    uint32_t before = vendor(c->tb, VN_VENDOR_VND_RX_FILTERED);
    c->n++;
    if ((rc = xfer(c->tb, f, len, &qp, got, &glen, &info))) {
        snprintf(c->r->error, sizeof c->r->error, "%s: %s", what, strerror(-rc));
        return -1;
    }
    uint32_t after = vendor(c->tb, VN_VENDOR_VND_RX_FILTERED);
    c->r->tx_frames++;
    if (want && (qp < 0 || glen != len || memcmp(got, f, len))) {
        snprintf(c->r->error, sizeof c->r->error, "%s: %s", what,
                 qp < 0 ? "not delivered" : "delivered changed");
        return -1;
    }
    if (!want && (qp >= 0 || after != before + 1)) {
        snprintf(c->r->error, sizeof c->r->error, "%s: %s (filtered count %u -> %u)", what,
                 qp >= 0 ? "delivered, should be refused" : "not counted", before, after);
        return -1;
    }
    if (want)
        c->r->rx_ok++;
    return 0;
}

static int read_cfg_mac(struct tb *tb, uint8_t mac[6])
{
    for (unsigned i = 0; i < 6; i++) {
        uint32_t v;
        if (vn_model_bar_read(tb->m, 0, VN_DEVICE_BASE + VN_DEVICE_NET_MAC + i, 1, &v))
            return -EIO;
        mac[i] = (uint8_t)v;
    }
    return 0;
}

int scen_rxfilter(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = 1, .dma_latency = o->dma_latency, .fst_path = o->fst_path,
                         .pcap_path = o->pcap_path, .firmware = o->firmware,
                         .corrupt_frame = -1};
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t mc1[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    static const uint8_t mc2[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x02};
    static const uint8_t uni1[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01};
    static const uint8_t uni2[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x02};
    static const uint8_t newmac[6] = {0x02, 0x56, 0x4e, 0x49, 0x43, 0x77};
    uint8_t own[6], cfg[6];
    struct fcase c = {.tb = &tb, .r = r, .seed = o->seed};
    int rc;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "bring-up: %s", strerror(-rc));
        return 0;
    }
    struct vn_net *n = tb.net;
    uint64_t need = (UINT64_C(1) << VN_F_CTRL_RX) | (UINT64_C(1) << VN_F_CTRL_RX_EXTRA) |
                    (UINT64_C(1) << VN_F_CTRL_VLAN) | (UINT64_C(1) << VN_F_CTRL_MAC_ADDR) |
                    (UINT64_C(1) << VN_F_GUEST_ANNOUNCE);
    if ((vn_net_driver_features(n) & need) != need)
        FAIL("CTRL_RX, CTRL_RX_EXTRA, CTRL_VLAN, CTRL_MAC_ADDR, GUEST_ANNOUNCE not all "
             "negotiated (0x%llx)",
             (unsigned long long)vn_net_driver_features(n));
    if (read_cfg_mac(&tb, own))
        FAIL("config mac unreadable");

#define STEP(what, dst, vlan, want)                                                        \
    do {                                                                                   \
        if (expect(&c, what, dst, vlan, want))                                             \
            goto out;                                                                      \
    } while (0)
#define CMD(what, call)                                                                    \
    do {                                                                                   \
        if ((rc = (call)))                                                                 \
            FAIL("%s: %s", what, strerror(-rc));                                           \
    } while (0)

    /* after reset the device is promiscuous (QEMU's behaviour) until the driver says */
    STEP("default: foreign unicast", uni1, 0, 1);
    CMD("PROMISC off", vn_net_set_rx_mode(n, VN_CTRL_RX_PROMISC, 0));
    STEP("foreign unicast", uni1, 0, 0);
    STEP("own MAC", own, 0, 1);
    STEP("broadcast", bcast, 0, 1);
    STEP("multicast not in the table", mc1, 0, 0);
    CMD("ALLMULTI on", vn_net_set_rx_mode(n, VN_CTRL_RX_ALLMULTI, 1));
    STEP("multicast with ALLMULTI", mc1, 0, 1);
    CMD("ALLMULTI off", vn_net_set_rx_mode(n, VN_CTRL_RX_ALLMULTI, 0));
    const uint8_t uni_tbl[1][6] = {{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01}};
    const uint8_t mc_tbl[2][6] = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01},
                                  {0x33, 0x33, 0x00, 0x00, 0x00, 0x02}};
    CMD("MAC TABLE_SET", vn_net_set_mac_table(n, uni_tbl, 1, mc_tbl, 2));
    STEP("unicast in the table", uni1, 0, 1);
    STEP("unicast not in the table", uni2, 0, 0);
    STEP("multicast in the table", mc1, 0, 1);
    STEP("IPv6 multicast in the table", mc2, 0, 1);
    CMD("NOBCAST on", vn_net_set_rx_mode(n, VN_CTRL_RX_NOBCAST, 1));
    STEP("broadcast with NOBCAST", bcast, 0, 0);
    CMD("NOBCAST off", vn_net_set_rx_mode(n, VN_CTRL_RX_NOBCAST, 0));
    CMD("NOMULTI on", vn_net_set_rx_mode(n, VN_CTRL_RX_NOMULTI, 1));
    STEP("table multicast with NOMULTI", mc1, 0, 0);
    STEP("broadcast with NOMULTI", bcast, 0, 1);
    CMD("NOMULTI off", vn_net_set_rx_mode(n, VN_CTRL_RX_NOMULTI, 0));
    CMD("ALLUNI on", vn_net_set_rx_mode(n, VN_CTRL_RX_ALLUNI, 1));
    STEP("any unicast with ALLUNI", uni2, 0, 1);
    CMD("ALLUNI off", vn_net_set_rx_mode(n, VN_CTRL_RX_ALLUNI, 0));
    CMD("NOUNI on", vn_net_set_rx_mode(n, VN_CTRL_RX_NOUNI, 1));
    STEP("own MAC with NOUNI", own, 0, 0);
    STEP("table unicast with NOUNI", uni1, 0, 0);
    CMD("NOUNI off", vn_net_set_rx_mode(n, VN_CTRL_RX_NOUNI, 0));
    /* ADDR_SET: config space first, then the filter */
    CMD("MAC ADDR_SET", vn_net_set_mac_addr(n, newmac));
    if (read_cfg_mac(&tb, cfg) || memcmp(cfg, newmac, 6))
        FAIL("config mac after ADDR_SET is %02x:%02x:%02x:%02x:%02x:%02x", cfg[0], cfg[1],
             cfg[2], cfg[3], cfg[4], cfg[5]);
    STEP("the new MAC", newmac, 0, 1);
    STEP("the old MAC", own, 0, 0);
    /* VLAN filtering: tagged frames need their id in the table; untagged ones do not */
    STEP("VLAN 100 not in the table", newmac, 100, 0);
    CMD("VLAN ADD 100", vn_net_vlan(n, 1, 100));
    STEP("VLAN 100 in the table", newmac, 100, 1);
    STEP("VLAN 101", newmac, 101, 0);
    STEP("untagged", newmac, 0, 1);
    CMD("VLAN DEL 100", vn_net_vlan(n, 0, 100));
    STEP("VLAN 100 after DEL", newmac, 100, 0);
    CMD("PROMISC on", vn_net_set_rx_mode(n, VN_CTRL_RX_PROMISC, 1));
    STEP("foreign unicast, VLAN 200, PROMISC", uni2, 200, 1);
    /* what the device must refuse */
    if (vn_net_set_rx_mode(n, 42, 1) != -EIO)
        FAIL("an unknown RX command was not answered VIRTIO_NET_ERR");
    if (vn_net_vlan(n, 1, 4096) != -EIO)
        FAIL("VLAN id 4096 was not answered VIRTIO_NET_ERR");
    /* GUEST_ANNOUNCE: the management side asks (MBOX_CMD_ANNOUNCE, as after a migration);
     * the driver hears a config interrupt with ANNOUNCE and acknowledges it, which clears it */
    {
        struct vn_net_stats st0, st1;
        uint32_t stv = 0, mb = 0;
        vn_net_get_stats(n, &st0);
        if (vn_model_bar_write(tb.m, 0, VN_VENDOR_BASE + VN_VENDOR_VND_MBOX_CMD, 4,
                               VN_MBOX_CMD_ANNOUNCE))
            FAIL("MBOX_CMD_ANNOUNCE: BAR write failed");
        for (unsigned i = 0; i < 200; i++) {
            if ((rc = vn_net_wait(n, 1000)) || (rc = vn_net_poll(n)))
                FAIL("announce: %s", strerror(-rc));
            vn_net_get_stats(n, &st1);
            if (st1.announces != st0.announces)
                break;
        }
        mb = vendor(&tb, VN_VENDOR_VND_MBOX_STATUS);
        if (vn_model_bar_read(tb.m, 0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2, &stv))
            FAIL("config status unreadable");
        if (st1.announces != st0.announces + 1 || (stv & VN_NET_S_ANNOUNCE) ||
            (mb & VN_MBOX_STATUS_BUSY) || (mb >> VN_MBOX_ERR_SHIFT & 0xff) != VN_MBOX_ERR_NONE)
            FAIL("announce: %llu acknowledged, status 0x%x, mailbox 0x%x",
                 (unsigned long long)(st1.announces - st0.announces), stv, mb);
    }
    printf("  rx-filter  %u frames: every RX mode, MAC table, ADDR_SET and VLAN command seen "
           "on the RX path; %u refused by the filter; an announce raised and acknowledged\n",
           c.n, vendor(&tb, VN_VENDOR_VND_RX_FILTERED));
    r->pass = 1;
out:
    scen_close(&tb, r);
    return 0;
#undef STEP
#undef CMD
}

/* ---- rss ------------------------------------------------------------------------------ */

/* The hash type and value the spec (5.1.6.4.3) says for a frame, from the reference. */
static unsigned expect_hash(const uint8_t key[40], uint32_t types, const struct vn_pkt_spec *s,
                            uint32_t *hash)
{
    uint8_t in[36];
    size_t n = 0;
    unsigned rep = VN_HASH_REPORT_NONE;
    int l4 = !(s->ipv6 == 0 && s->fragment) && (s->proto == 6 || s->proto == 17);
    if (!s->ipv6) {
        uint32_t sa = (uint32_t)s->saddr[0] << 24 | s->saddr[1] << 16 | s->saddr[2] << 8 | s->saddr[3];
        uint32_t da = (uint32_t)s->daddr[0] << 24 | s->daddr[1] << 16 | s->daddr[2] << 8 | s->daddr[3];
        if (l4 && s->proto == 6 && (types & 2)) {
            rep = VN_HASH_REPORT_TCPV4;
            n = vn_rss_input_ipv4(sa, da, s->sport, s->dport, 1, in);
        } else if (l4 && s->proto == 17 && (types & 4)) {
            rep = VN_HASH_REPORT_UDPV4;
            n = vn_rss_input_ipv4(sa, da, s->sport, s->dport, 1, in);
        } else if (types & 1) {
            rep = VN_HASH_REPORT_IPV4;
            n = vn_rss_input_ipv4(sa, da, 0, 0, 0, in);
        }
    } else {
        if (l4 && s->proto == 6 && (types & 16)) {
            rep = VN_HASH_REPORT_TCPV6;
            n = vn_rss_input_ipv6(s->saddr, s->daddr, s->sport, s->dport, 1, in);
        } else if (l4 && s->proto == 17 && (types & 32)) {
            rep = VN_HASH_REPORT_UDPV6;
            n = vn_rss_input_ipv6(s->saddr, s->daddr, s->sport, s->dport, 1, in);
        } else if (types & 8) {
            rep = VN_HASH_REPORT_IPV6;
            n = vn_rss_input_ipv6(s->saddr, s->daddr, 0, 0, 0, in);
        }
    }
    *hash = rep == VN_HASH_REPORT_NONE ? 0 : vn_toeplitz(key, 40, in, n);
    return rep;
}

static void random_flow(uint64_t *rs, struct vn_pkt_spec *s, const uint8_t own[6])
{
    uint64_t v = vn_rand_next(rs);
    memset(s, 0, sizeof *s);
    memcpy(s->dst, own, 6);
    s->src[0] = 0x02;
    s->src[5] = (uint8_t)v;
    s->ipv6 = (v >> 8) & 1;
    static const uint8_t protos[4] = {6, 17, 6, 1};
    s->proto = protos[(v >> 9) & 3];
    s->fragment = !s->ipv6 && ((v >> 11) & 7) == 0;
    s->vlan = ((v >> 14) & 7) == 0 ? 5 : 0;
    uint64_t a = vn_rand_next(rs), b = vn_rand_next(rs);
    memcpy(s->saddr, &a, 8);
    memcpy(s->saddr + 8, &b, 8);
    a = vn_rand_next(rs);
    b = vn_rand_next(rs);
    memcpy(s->daddr, &a, 8);
    memcpy(s->daddr + 8, &b, 8);
    s->sport = (uint16_t)(v >> 16);
    s->dport = (uint16_t)(v >> 32);
    s->payload = (unsigned)((v >> 48) % 1200);
    s->seed = vn_rand_next(rs);
}

/* HASH_REPORT without RSS: HASH_CONFIG sets types and key; frames keep the XOR steering
 * and carry the hash.  0, or -1 with r->error. */
static int hash_config_only(const struct scen_opts *o, struct scen_result *r, uint64_t *rs)
{
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = 4, .dma_latency = o->dma_latency, .firmware = o->firmware,
                         .corrupt_frame = -1, .features = ~(UINT64_C(1) << VN_F_RSS)};
    uint8_t key[40], own[6], f[2048], got[2048];
    const uint32_t types = VN_RSS_HASH_TYPES;
    int rc, ret = -1;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "HASH_REPORT alone: bring-up: %s", strerror(-rc));
        return -1;
    }
    unsigned pairs = vn_net_queue_pairs(tb.net);
    vn_net_mac(tb.net, own);
    for (unsigned i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)vn_rand_next(rs);
    if ((rc = vn_net_set_hash_config(tb.net, types, key, sizeof key))) {
        snprintf(r->error, sizeof r->error, "HASH_CONFIG: %s", strerror(-rc));
        goto out;
    }
    for (unsigned i = 0; i < 60; i++) {
        struct vn_pkt_spec s;
        struct vn_net_rxi info;
        size_t glen;
        int qp;
        uint32_t want_hash;
        random_flow(rs, &s, own);
        size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
        unsigned rep = expect_hash(key, types, &s, &want_hash);
        if ((rc = xfer(&tb, f, len, &qp, got, &glen, &info)) || qp < 0) {
            snprintf(r->error, sizeof r->error, "HASH_CONFIG flow %u: %s", i,
                     rc ? strerror(-rc) : "not delivered");
            goto out;
        }
        if (qp != (int)vn_flow_pair(f, len, pairs) || info.hash_report != rep ||
            info.hash_value != want_hash) {
            snprintf(r->error, sizeof r->error, "HASH_CONFIG flow %u: queue %d (want %u) report %u "
                     "hash 0x%08x (want %u 0x%08x)", i, qp, vn_flow_pair(f, len, pairs),
                     info.hash_report, info.hash_value, rep, want_hash);
            goto out;
        }
        r->tx_frames++;
        r->rx_ok++;
    }
    ret = 0;
out:
    tb_close(&tb);
    return ret;
}

int scen_rss(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    unsigned pairs = o->queues ? o->queues : 4;
    struct tb_opts to = {.packed = o->packed, .queues = pairs, .dma_latency = o->dma_latency,
                         .fst_path = o->fst_path, .pcap_path = o->pcap_path,
                         .firmware = o->firmware, .corrupt_frame = -1};
    uint64_t rs = o->seed ? o->seed : 1;
    uint16_t tbl[VN_RSS_TABLE_LEN];
    const uint32_t all = VN_RSS_HASH_TYPES;
    uint8_t own[6], f[2048], got[2048], key[40];
    unsigned nflows = o->packets ? (unsigned)o->packets : 400, per_q[64] = {0};
    int rc;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "bring-up: %s", strerror(-rc));
        return 0;
    }
    struct vn_net *n = tb.net;
    pairs = vn_net_queue_pairs(n);
    uint64_t need = (UINT64_C(1) << VN_F_RSS) | (UINT64_C(1) << VN_F_HASH_REPORT);
    if ((vn_net_driver_features(n) & need) != need)
        FAIL("RSS and HASH_REPORT not negotiated (0x%llx)",
             (unsigned long long)vn_net_driver_features(n));
    if (vn_net_hdr_len(n) != VN_NET_HDR_HASH_LEN)
        FAIL("net header is %u bytes with HASH_REPORT", vn_net_hdr_len(n));
    vn_net_mac(n, own);
    for (unsigned i = 0; i < VN_RSS_TABLE_LEN; i++)
        tbl[i] = (uint16_t)(vn_rand_next(&rs) % pairs);
    for (unsigned i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)vn_rand_next(&rs);
    const uint16_t unclass = (uint16_t)(pairs - 1);
    if ((rc = vn_net_set_rss(n, all, tbl, VN_RSS_TABLE_LEN, unclass, key, 40)))
        FAIL("RSS_CONFIG: %s", strerror(-rc));

    /* every flow to the queue and with the hash the reference predicts */
    for (unsigned i = 0; i < nflows; i++) {
        struct vn_pkt_spec s;
        struct vn_pkt_info pi;
        struct vn_net_rxi info;
        size_t glen;
        int qp;
        uint32_t want_hash;
        random_flow(&rs, &s, own);
        s.csum = VN_PKT_CSUM_FULL;
        size_t len = vn_pkt_build(f, sizeof f, &s, &pi);
        unsigned rep = expect_hash(key, all, &s, &want_hash);
        int want_q = rep == VN_HASH_REPORT_NONE ? unclass : tbl[want_hash & (VN_RSS_TABLE_LEN - 1)];
        if ((rc = xfer(&tb, f, len, &qp, got, &glen, &info)))
            FAIL("flow %u: %s", i, strerror(-rc));
        r->tx_frames++;
        if (qp < 0)
            FAIL("flow %u (IPv%d proto %u): not delivered", i, s.ipv6 ? 6 : 4, s.proto);
        if (qp != want_q || info.hash_report != rep || info.hash_value != want_hash ||
            glen != len || memcmp(got, f, len))
            FAIL("flow %u (IPv%d proto %u%s%s): queue %d report %u hash 0x%08x, want queue %d "
                 "report %u hash 0x%08x%s", i, s.ipv6 ? 6 : 4, s.proto,
                 s.fragment ? " fragment" : "", s.vlan ? " tagged" : "", qp, info.hash_report,
                 info.hash_value, want_q, rep, want_hash,
                 glen != len || memcmp(got, f, len) ? "; bytes differ" : "");
        per_q[qp]++;
        r->rx_ok++;
    }
    /* fewer hash types: a TCP flow hashes by its addresses only */
    {
        struct vn_pkt_spec s;
        struct vn_net_rxi info;
        size_t glen;
        int qp;
        uint32_t want_hash;
        if ((rc = vn_net_set_rss(n, 1, tbl, VN_RSS_TABLE_LEN, unclass, key, 40)))
            FAIL("RSS_CONFIG IPv4 only: %s", strerror(-rc));
        random_flow(&rs, &s, own);
        s.ipv6 = 0;
        s.proto = 6;
        s.fragment = 0;
        size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
        unsigned rep = expect_hash(key, 1, &s, &want_hash);
        if ((rc = xfer(&tb, f, len, &qp, got, &glen, &info)) || qp < 0)
            FAIL("IPv4-only hash: %s", rc ? strerror(-rc) : "not delivered");
        if (rep != VN_HASH_REPORT_IPV4 || info.hash_report != rep || info.hash_value != want_hash ||
            qp != tbl[want_hash & (VN_RSS_TABLE_LEN - 1)])
            FAIL("IPv4-only hash: report %u hash 0x%08x queue %d", info.hash_report,
                 info.hash_value, qp);
    }
    /* reconfigure under traffic: a burst in flight while the table changes, every frame
     * delivered once */
    {
        unsigned burst = 64, seen = 0;
        uint8_t delivered[64] = {0};
        struct vn_pkt_spec s;
        for (unsigned i = 0; i < burst; i++) {
            random_flow(&rs, &s, own);
            s.proto = 17;
            s.payload = 30;
            size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
            f[len - 1] = (uint8_t)i; /* which frame this is */
            while ((rc = vn_net_tx(n, 0, f, len)) == -EAGAIN) {
                if ((rc = vn_net_poll(n)))
                    break;
                vn_tr_delay(tb.tr, POLL_NS);
            }
            if (rc)
                FAIL("burst: %s", strerror(-rc));
            if (i == burst / 2) {
                for (unsigned k = 0; k < VN_RSS_TABLE_LEN; k++)
                    tbl[k] = (uint16_t)((k + 1) % pairs);
                if ((rc = vn_net_set_rss(n, all, tbl, VN_RSS_TABLE_LEN, unclass, key, 40)))
                    FAIL("RSS_CONFIG under traffic: %s", strerror(-rc));
            }
        }
        for (unsigned t = 0; seen < burst && t * POLL_NS < 4 * GONE_NS; t++) {
            tb_pump(&tb);
            for (unsigned q = 0; q < pairs; q++) {
                size_t glen;
                struct vn_net_rxi info;
                while (vn_net_rx_ex(n, q, got, sizeof got, &glen, &info) == 0) {
                    unsigned id = got[glen - 1];
                    if (id >= burst || delivered[id]++)
                        FAIL("burst: frame %u delivered twice", id);
                    seen++;
                }
            }
            if ((rc = vn_net_poll(n)))
                FAIL("burst: %s", strerror(-rc));
            vn_tr_delay(tb.tr, POLL_NS);
        }
        if (seen != burst)
            FAIL("reconfiguring under traffic lost %u of %u frames", burst - seen, burst);
        r->tx_frames += burst;
        r->rx_ok += burst;
    }
    /* a frame steered to a receive queue that is reset is dropped and counted; the other
     * queues keep receiving, and the queue works again once re-enabled */
    if (pairs > 1) {
        unsigned dropped = 0, delivered = 0;
        uint32_t drops0 = vendor(&tb, VN_VENDOR_VND_RX_DROPS);
        if ((rc = vn_net_queue_reset(n, 2, NULL, NULL)))
            FAIL("reset of RX queue 2: %s", strerror(-rc));
        for (unsigned i = 0; i < 40; i++) {
            struct vn_pkt_spec s;
            struct vn_net_rxi info;
            size_t glen;
            int qp;
            uint32_t want_hash;
            random_flow(&rs, &s, own);
            size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
            unsigned rep = expect_hash(key, all, &s, &want_hash);
            int want_q = rep == VN_HASH_REPORT_NONE ? unclass : tbl[want_hash & (VN_RSS_TABLE_LEN - 1)];
            if ((rc = xfer(&tb, f, len, &qp, got, &glen, &info)))
                FAIL("with pair 1's RX queue reset: %s", strerror(-rc));
            r->tx_frames++;
            if (want_q == 1 && qp >= 0)
                FAIL("a frame for the reset queue came out on pair %d", qp);
            if (want_q != 1 && qp != want_q)
                FAIL("with pair 1's RX queue reset, a frame for pair %d came on %d", want_q, qp);
            dropped += want_q == 1;
            delivered += want_q != 1;
        }
        uint32_t drops1 = vendor(&tb, VN_VENDOR_VND_RX_DROPS);
        if (drops1 - drops0 != dropped)
            FAIL("%u frames steered to the reset queue, RX drops grew by %u", dropped,
                 drops1 - drops0);
        if ((rc = vn_net_queue_enable(n, 2, 0)))
            FAIL("re-enable of RX queue 2: %s", strerror(-rc));
        printf("  rss        RX queue of pair 1 reset: %u frames steered to it dropped and "
               "counted, %u for the others delivered\n", dropped, delivered);
        r->rx_ok += delivered;
    }
    /* VQ_PAIRS_SET after RSS_CONFIG: the most recent MQ command decides (5.1.6.5.6) */
    if ((rc = vn_net_set_queue_pairs(n, pairs)))
        FAIL("VQ_PAIRS_SET: %s", strerror(-rc));
    {
        struct vn_pkt_spec s;
        struct vn_net_rxi info;
        size_t glen;
        int qp;
        uint32_t want_hash;
        random_flow(&rs, &s, own);
        s.ipv6 = 0;
        s.proto = 6;
        s.fragment = 0;
        size_t len = vn_pkt_build(f, sizeof f, &s, NULL);
        unsigned rep = expect_hash(key, all, &s, &want_hash);
        if ((rc = xfer(&tb, f, len, &qp, got, &glen, &info)) || qp < 0)
            FAIL("after VQ_PAIRS_SET: %s", rc ? strerror(-rc) : "not delivered");
        if (qp != (int)vn_flow_pair(f, len, pairs) || info.hash_report != rep ||
            info.hash_value != want_hash)
            FAIL("after VQ_PAIRS_SET: queue %d (want %u), report %u hash 0x%08x", qp,
                 vn_flow_pair(f, len, pairs), info.hash_report, info.hash_value);
    }
    printf("  rss        %u flows on %u pairs, each on the queue and with the hash the "
           "reference says; per queue:", nflows, pairs);
    for (unsigned q = 0; q < pairs; q++)
        printf(" %u", per_q[q]);
    printf("; table rewritten under a 64-frame burst: none lost\n");
    r->pass = 1;
out:
    scen_close(&tb, r);
    /* one model at a time: the HASH_REPORT-only device after this one */
    if (r->pass) {
        r->pass = 0;
        if (hash_config_only(o, r, &rs) == 0) {
            printf("  rss        HASH_REPORT without RSS: 60 flows hashed as HASH_CONFIG says, "
                   "steered by the XOR rule\n");
            r->pass = 1;
        }
    }
    return 0;
}

/* ---- csum ----------------------------------------------------------------------------- */

int scen_csum(const struct scen_opts *o, struct scen_result *r)
{
    struct tb tb;
    struct tb_opts to = {.packed = o->packed, .queues = 1, .dma_latency = o->dma_latency, .fst_path = o->fst_path,
                         .pcap_path = o->pcap_path, .firmware = o->firmware,
                         .corrupt_frame = -1,
                         .indirect = o->indirect, .rx_buf_len = o->rx_buf_len};
    static const unsigned sizes[] = {0, 1, 17, 64, 65, 200, 1001, 1400};
    uint8_t own[6], f[2048], full[2048], got[2048];
    uint64_t rs = o->seed ? o->seed : 1;
    unsigned offloaded = 0, valid = 0, refused = 0;
    int rc;

    if ((rc = tb_open(&tb, &to))) {
        snprintf(r->error, sizeof r->error, "bring-up: %s", strerror(-rc));
        return 0;
    }
    struct vn_net *n = tb.net;
    uint64_t need = (UINT64_C(1) << VN_F_CSUM) | (UINT64_C(1) << VN_F_GUEST_CSUM) |
                    (UINT64_C(1) << VN_F_CTRL_GUEST_OFFLOADS);
    if ((vn_net_driver_features(n) & need) != need)
        FAIL("CSUM, GUEST_CSUM, CTRL_GUEST_OFFLOADS not negotiated (0x%llx)",
             (unsigned long long)vn_net_driver_features(n));
    vn_net_mac(n, own);
    for (int pass = 0; pass < 2; pass++) { /* pass 1: GUEST_OFFLOADS_SET 0 */
        for (int v6 = 0; v6 < 2; v6++)
            for (int udp = 0; udp < 2; udp++)
                for (unsigned vl = 0; vl < 2; vl++)
                    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                        for (int kind = 0; kind < 3; kind++) { /* offload, good, bad */
                            struct vn_pkt_spec s = {.ipv6 = v6, .proto = udp ? 17 : 6,
                                                    .vlan = vl ? 33 : 0, .payload = sizes[k],
                                                    .sport = 1000, .dport = 2000,
                                                    .seed = vn_rand_next(&rs),
                                                    .saddr = {10, 1, 2, 3}, .daddr = {10, 4, 5, 6}};
                            struct vn_pkt_info pi;
                            struct vn_net_rxi info;
                            struct vn_net_txo txo = {0};
                            size_t glen = 0, len;
                            int qp;
                            memcpy(s.dst, own, 6);
                            s.src[0] = 2;
                            s.csum = VN_PKT_CSUM_FULL;
                            len = vn_pkt_build(full, sizeof full, &s, &pi);
                            s.csum = kind == 0 ? VN_PKT_CSUM_PARTIAL
                                     : kind == 1 ? VN_PKT_CSUM_FULL : VN_PKT_CSUM_BAD;
                            vn_pkt_build(f, sizeof f, &s, &pi);
                            if (kind == 0) {
                                txo.needs_csum = 1;
                                txo.csum_start = pi.csum_start;
                                txo.csum_offset = pi.csum_offset;
                            }
                            unsigned tries = 0;
                            while ((rc = vn_net_tx_ex(n, 0, f, len, &txo)) == -EAGAIN &&
                                   tries++ < 100000) {
                                if ((rc = vn_net_poll(n)))
                                    break;
                                vn_tr_delay(tb.tr, POLL_NS);
                            }
                            if (rc)
                                FAIL("tx: %s", strerror(-rc));
                            qp = -1;
                            for (unsigned t = 0; t * POLL_NS < GONE_NS && qp < 0; t++) {
                                tb_pump(&tb);
                                rc = vn_net_rx_ex(n, 0, got, sizeof got, &glen, &info);
                                if (rc == 0)
                                    qp = 0;
                                else if (rc != -EAGAIN)
                                    FAIL("rx: %s", strerror(-rc));
                                else if ((rc = vn_net_poll(n)))
                                    FAIL("poll: %s", strerror(-rc));
                                else
                                    vn_tr_delay(tb.tr, POLL_NS);
                            }
                            r->tx_frames++;
                            const char *what = kind == 0 ? "offloaded" : kind == 1 ? "good" : "bad";
                            if (qp < 0)
                                FAIL("IPv%d %s %zu B %s: not delivered", v6 ? 6 : 4,
                                     udp ? "UDP" : "TCP", len, what);
                            int ok = vn_pkt_l4_csum_ok(got, glen);
                            int dv = (info.flags & VN_NET_HDR_F_DATA_VALID) != 0;
                            const uint8_t *want = kind == 2 ? f : full;
                            if (glen != len || memcmp(got, want, len))
                                FAIL("IPv%d %s%s %zu B %s: delivered bytes differ from the "
                                     "correctly summed frame (checker says %d)", v6 ? 6 : 4,
                                     udp ? "UDP" : "TCP", vl ? " tagged" : "", len, what, ok);
                            if (ok != (kind == 2 ? 0 : 1))
                                FAIL("checker: %d for a %s frame", ok, what);
                            if (dv != (pass == 0 && kind != 2))
                                FAIL("IPv%d %s%s %zu B %s: DATA_VALID %d%s", v6 ? 6 : 4,
                                     udp ? "UDP" : "TCP", vl ? " tagged" : "", len, what, dv,
                                     pass ? " after GUEST_OFFLOADS_SET 0" : "");
                            offloaded += kind == 0;
                            valid += dv;
                            refused += kind == 2;
                            r->rx_ok++;
                        }
        if (pass == 0 && (rc = vn_net_set_guest_offloads(n, 0)))
            FAIL("GUEST_OFFLOADS_SET 0: %s", strerror(-rc));
    }
    if (vn_net_set_guest_offloads(n, UINT64_C(1) << VN_F_CSUM) != -EIO)
        FAIL("GUEST_OFFLOADS_SET with a non-GUEST bit was not refused");
    printf("  csum       %llu frames: %u checksums inserted by the device, all correct by the "
           "testbench's arithmetic; DATA_VALID on %u good ones, never on the %u bad ones or "
           "with the offload off\n", (unsigned long long)r->tx_frames, offloaded, valid, refused);
    r->pass = 1;
out:
    scen_close(&tb, r);
    return 0;
}
