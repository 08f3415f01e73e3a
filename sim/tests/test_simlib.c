/* Unit tests of the testbench's own pieces: trace parser, DMA monitor, traffic model. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dmamon.h"
#include "flow_hash.h"
#include "regtrace.h"
#include "pkt.h"
#include "traffic.h"

static int passed, failed;
#define CHECK(c)                                                                              \
    do {                                                                                      \
        if (c)                                                                                \
            passed++;                                                                         \
        else {                                                                                \
            failed++;                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);             \
        }                                                                                     \
    } while (0)

static void test_regtrace(void)
{
    struct vn_regtrace t;
    char err[256] = "";
    CHECK(vn_regtrace_parse("R cfg 0x000 2 0x1af4\n# c\n\nW common 0x014 1 0xb\n", &t, err,
                            sizeof(err)) == 0);
    CHECK(t.n == 2);
    CHECK(t.ops[0].op == 'R' && t.ops[0].space == VN_RT_CFG && t.ops[0].value == 0x1af4);
    CHECK(t.ops[1].op == 'W' && t.ops[1].space == VN_RT_COMMON && t.ops[1].off == 0x14 &&
          t.ops[1].line == 4);
    vn_regtrace_free(&t);
    CHECK(vn_regtrace_parse("X cfg 0 1 0\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "line 1") != NULL);
    CHECK(vn_regtrace_parse("R cfg 0 1 0\nR bogus 0 1 0\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "line 2") && strstr(err, "bogus"));
    CHECK(vn_regtrace_parse("R cfg 0x1 2 0\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(vn_regtrace_parse("R cfg 0x0 2\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(vn_regtrace_parse("R cfg 0xzz 2 0\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(vn_regtrace_parse("\n# only comments\n", &t, err, sizeof(err)) == -EINVAL);
    CHECK(vn_regtrace_load("/nonexistent/trace", &t, err, sizeof(err)) == -ENOENT);
}

static void test_dmamon(void)
{
    struct vn_dmamon m;
    vn_dmamon_init(&m);
    CHECK(vn_dmamon_add(&m, 3, 0x1000, 0x100) == 0);
    CHECK(vn_dmamon_add(&m, 4, 0x2000, 0x10) == 0);
    CHECK(vn_dmamon_access(&m, 10, 0, 0x10f8, 16) == 3); /* straddles the end: still vq 3 */
    CHECK(vn_dmamon_access(&m, 11, 1, 0x3000, 4) == -1);
    vn_dmamon_fence(&m, 3, 100);
    CHECK(vn_dmamon_access(&m, 101, 1, 0x2008, 8) == 4 && m.violations == 0);
    CHECK(vn_dmamon_access(&m, 102, 1, 0x1000, 8) == 3 && m.violations == 1);
    CHECK(strstr(m.first_violation, "vq 3") != NULL);
    vn_dmamon_unfence(&m, 3);
    vn_dmamon_access(&m, 103, 0, 0x1000, 8);
    CHECK(m.violations == 1);
    vn_dmamon_drop_vq(&m, 3);
    CHECK(vn_dmamon_access(&m, 104, 0, 0x1000, 8) == -1);
    CHECK(m.unowned == 2 && m.writes == 3 && m.reads == 3);
    vn_dmamon_free(&m);
}

static void test_traffic(void)
{
    static struct vn_traffic t;
    uint8_t f[VN_FRAME_MAX];
    for (unsigned pairs = 1; pairs <= 8; pairs++) {
        vn_traffic_init(&t, 42, pairs, 0);
        for (unsigned p = 0; p < pairs; p++)
            for (uint64_t s = 0; s < 50; s++) {
                size_t len = vn_traffic_frame(&t, p, s, f);
                CHECK(len >= VN_FRAME_MIN && len <= VN_FRAME_MAX);
                CHECK(vn_flow_pair(f, len, pairs) == p);
            }
    }
    vn_traffic_init(&t, 42, 2, 0);
    t.sent[1] = 2;
    size_t len = vn_traffic_frame(&t, 1, 0, f);
    CHECK(vn_traffic_check(&t, 1, f, len) == 0);
    len = vn_traffic_frame(&t, 1, 1, f);
    f[len - 1] ^= 1;
    CHECK(vn_traffic_check(&t, 1, f, len) == -1 && t.rx_bad == 1);
    f[len - 1] ^= 1;
    CHECK(vn_traffic_check(&t, 0, f, len) == -1 && t.rx_wrong_queue == 1);
    CHECK(vn_traffic_check(&t, 1, f, len) == 0 && vn_traffic_missing(&t) == 0);
    CHECK(vn_traffic_check(&t, 1, f, len) == -1); /* duplicate */
    uint8_t short_frame[20] = {0};
    CHECK(vn_flow_hash(short_frame, sizeof(short_frame)) == 0);
}

/* The checksum checker against a frame whose checksum is known (RFC 1071's example data
 * aside, a hand-checked UDP/IPv4 frame), and against frames the builder makes. */
static void test_pkt(void)
{
    uint8_t f[256];
    struct vn_pkt_info info;
    struct vn_pkt_spec s = {.dst = {2, 0, 0, 0, 0, 1}, .src = {2, 0, 0, 0, 0, 2},
                            .saddr = {192, 168, 0, 1}, .daddr = {192, 168, 0, 199},
                            .proto = 17, .sport = 1024, .dport = 53, .payload = 4};
    /* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 */
    static const uint8_t ex[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(vn_pkt_fold(vn_pkt_sum(0, ex, sizeof ex)) == 0xddf2);
    for (int v6 = 0; v6 < 2; v6++)
        for (int proto = 6; proto <= 17; proto += 11)
            for (uint16_t vlan = 0; vlan <= 7; vlan += 7) {
                s.ipv6 = v6;
                s.proto = (uint8_t)proto;
                s.vlan = vlan;
                s.payload = 33;
                s.csum = VN_PKT_CSUM_FULL;
                size_t n = vn_pkt_build(f, sizeof f, &s, &info);
                CHECK(n == info.len && n >= 60 && vn_pkt_l4_csum_ok(f, n) == 1);
                f[n - 1] ^= 0x10;
                CHECK(vn_pkt_l4_csum_ok(f, n) == 0);
                s.csum = VN_PKT_CSUM_BAD;
                n = vn_pkt_build(f, sizeof f, &s, &info);
                CHECK(vn_pkt_l4_csum_ok(f, n) == 0);
                /* PARTIAL + the sum from csum_start, as a device completes it */
                s.csum = VN_PKT_CSUM_PARTIAL;
                n = vn_pkt_build(f, sizeof f, &s, &info);
                size_t end = info.len;
                uint16_t c = (uint16_t)~vn_pkt_fold(vn_pkt_sum(0, f + info.csum_start,
                                                              end - info.csum_start));
                f[info.csum_start + info.csum_offset] = (uint8_t)(c >> 8);
                f[info.csum_start + info.csum_offset + 1] = (uint8_t)c;
                CHECK(vn_pkt_l4_csum_ok(f, n) == 1);
            }
    s.ipv6 = 0;
    s.proto = 1; /* ICMP: nothing to check */
    size_t n = vn_pkt_build(f, sizeof f, &s, NULL);
    CHECK(vn_pkt_l4_csum_ok(f, n) == -1);
    s.proto = 6;
    s.fragment = 1;
    n = vn_pkt_build(f, sizeof f, &s, NULL);
    CHECK(vn_pkt_l4_csum_ok(f, n) == -1);
    CHECK(vn_pkt_build(f, 40, &s, NULL) == 0);
}

int main(void)
{
    test_pkt();
    test_regtrace();
    test_dmamon();
    test_traffic();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
