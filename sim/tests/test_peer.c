/* The wire peer: byte-exact ARP/ICMP replies, drops, loopback, pcap, and random frames.
 * Usage: test_peer [SEED]  (the fuzz loop's seed; printed either way) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

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

/* what the peer emitted since the last reset */
#define MAXCAP 8
static struct {
    int n;
    uint32_t len[MAXCAP];
    uint8_t buf[MAXCAP][4096];
} cap;

static void capture(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    if (cap.n < MAXCAP) {
        cap.len[cap.n] = len;
        memcpy(cap.buf[cap.n], frame, len < 4096 ? len : 4096);
    }
    cap.n++;
}

static const uint8_t PEER_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t DEV_MAC[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
#define PEER_IP 0xc0a86401u /* 192.168.100.1 */
#define DEV_IP 0xc0a86402u  /* 192.168.100.2 */

/* Written independently of the peer's: a 32-bit accumulator over bytes by position. A
 * correct header/message including its checksum sums to 0xffff, so this returns 0. */
static unsigned ref_csum(const uint8_t *b, size_t n)
{
    unsigned long s = 0;
    for (size_t i = 0; i < n; i++)
        s += (i & 1) ? b[i] : (unsigned long)b[i] << 8;
    while (s > 0xffff)
        s = (s >> 16) + (s & 0xffff);
    return (unsigned)(~s & 0xffff);
}

static struct vn_peer *responder(const char *pcap)
{
    struct vn_peer_cfg c = {.mode = VN_PEER_RESPONDER, .ip = PEER_IP, .pcap_path = pcap};
    memcpy(c.mac, PEER_MAC, 6);
    struct vn_peer *p = vn_peer_new(&c, capture, NULL);
    CHECK(p != NULL);
    return p;
}

/* Feeds a copy of exactly len bytes so ASan sees any read past the end. */
static void feed(struct vn_peer *p, const uint8_t *f, uint32_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (len)
        memcpy(copy, f, len);
    vn_peer_input(p, copy, len);
    free(copy);
}

static const uint8_t ARP_REQ[42] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06, /* eth */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                                     /* op 1 */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 192, 168, 100, 2, /* sender: device */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 192, 168, 100, 1, /* target: peer */
};

static void test_arp(void)
{
    struct vn_peer *p = responder(NULL);
    struct vn_peer_stats st;
    static const uint8_t want[60] = {
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                /* op 2: reply */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 192, 168, 100, 1,          /* sender: peer */
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 192, 168, 100, 2,          /* target: device */
        /* 18 bytes of zero padding to the 60-byte minimum */
    };
    cap.n = 0;
    feed(p, ARP_REQ, sizeof(ARP_REQ));
    CHECK(cap.n == 1 && cap.len[0] == 60 && memcmp(cap.buf[0], want, 60) == 0);
    vn_peer_get_stats(p, &st);
    CHECK(st.arp_requests == 1 && st.arp_replies == 1 && st.dropped == 0);
    CHECK(st.rx_frames == 1 && st.rx_bytes == 42 && st.tx_frames == 1 && st.tx_bytes == 60);

    /* unicast to us (Linux's neighbour re-validation) and padded to 60: same answer */
    uint8_t f[60] = {0};
    memcpy(f, ARP_REQ, 42);
    memcpy(f, PEER_MAC, 6);
    cap.n = 0;
    feed(p, f, 60);
    CHECK(cap.n == 1 && cap.len[0] == 60 && memcmp(cap.buf[0], want, 60) == 0);

    /* someone else's address, someone else's MAC, not a request, tagged, short: nothing */
    uint64_t before = st.dropped;
    memcpy(f, ARP_REQ, 42);
    f[41] = 7;
    cap.n = 0;
    feed(p, f, 42);
    vn_peer_get_stats(p, &st);
    CHECK(cap.n == 0 && st.dropped == before + 1 && st.arp_requests == 3);
    memcpy(f, ARP_REQ, 42);
    f[5] = 0x77;
    feed(p, f, 42);
    memcpy(f, ARP_REQ, 42);
    f[21] = 2;
    feed(p, f, 42);
    feed(p, ARP_REQ, 41);
    uint8_t tagged[46];
    memcpy(tagged, ARP_REQ, 12);
    tagged[12] = 0x81, tagged[13] = 0x00, tagged[14] = 0x00, tagged[15] = 0x05;
    memcpy(tagged + 16, ARP_REQ + 12, 30);
    feed(p, tagged, sizeof(tagged));
    vn_peer_get_stats(p, &st);
    CHECK(cap.n == 0 && st.dropped == before + 5 && st.arp_replies == 2);
    CHECK(st.rx_frames == st.arp_replies + st.icmp_replies + st.dropped);
    vn_peer_free(p);
}

/* An echo request from the device; returns its length. opt: bytes of IP options (x4). */
static uint32_t build_echo(uint8_t *f, uint32_t payload, unsigned opt_words, uint16_t id,
                           uint16_t seq)
{
    uint32_t ihl = 20 + 4 * opt_words, tot = ihl + 8 + payload;
    memset(f, 0, 14 + tot);
    memcpy(f, PEER_MAC, 6);
    memcpy(f + 6, DEV_MAC, 6);
    f[12] = 0x08;
    uint8_t *ip = f + 14;
    ip[0] = (uint8_t)(0x40 | ihl / 4);
    ip[1] = 0x10;
    ip[2] = (uint8_t)(tot >> 8), ip[3] = (uint8_t)tot;
    ip[4] = 0xab, ip[5] = 0xcd;
    ip[6] = 0x40; /* DF */
    ip[8] = 17;
    ip[9] = 1;
    ip[12] = 192, ip[13] = 168, ip[14] = 100, ip[15] = 2;
    ip[16] = 192, ip[17] = 168, ip[18] = 100, ip[19] = 1;
    for (unsigned i = 0; i < 4 * opt_words; i++)
        ip[20 + i] = 1; /* NOP options */
    unsigned c = ref_csum(ip, ihl);
    ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
    uint8_t *icmp = ip + ihl;
    icmp[0] = 8;
    icmp[4] = (uint8_t)(id >> 8), icmp[5] = (uint8_t)id;
    icmp[6] = (uint8_t)(seq >> 8), icmp[7] = (uint8_t)seq;
    for (uint32_t i = 0; i < payload; i++)
        icmp[8 + i] = (uint8_t)(i * 7 + 3);
    c = ref_csum(icmp, 8 + payload);
    icmp[2] = (uint8_t)(c >> 8), icmp[3] = (uint8_t)c;
    return 14 + tot;
}

/* Checks one captured reply to an echo built by build_echo with opt_words IP options. */
static void check_echo_reply(int k, const uint8_t *req, uint32_t payload, unsigned opt_words)
{
    const uint8_t *r = cap.buf[k];
    uint32_t want_len = 14 + 20 + 8 + payload;
    CHECK(cap.len[k] == (want_len < 60 ? 60 : want_len));
    CHECK(memcmp(r, DEV_MAC, 6) == 0 && memcmp(r + 6, PEER_MAC, 6) == 0);
    CHECK(r[12] == 0x08 && r[13] == 0x00);
    const uint8_t *ip = r + 14;
    CHECK(ip[0] == 0x45 && ip[1] == 0x10);
    CHECK((unsigned)(ip[2] << 8 | ip[3]) == 20 + 8 + payload);
    CHECK(ip[6] == 0 && ip[7] == 0 && ip[8] == 64 && ip[9] == 1);
    CHECK(ip[12] == 192 && ip[13] == 168 && ip[14] == 100 && ip[15] == 1);
    CHECK(ip[16] == 192 && ip[17] == 168 && ip[18] == 100 && ip[19] == 2);
    CHECK(ref_csum(ip, 20) == 0);
    const uint8_t *icmp = ip + 20, *qicmp = req + 14 + 20 + 4 * opt_words;
    CHECK(icmp[0] == 0 && icmp[1] == 0);
    CHECK(ref_csum(icmp, 8 + payload) == 0);
    CHECK(memcmp(icmp + 4, qicmp + 4, 4) == 0); /* identifier and sequence */
    CHECK(memcmp(icmp + 8, qicmp + 8, payload) == 0);
    for (uint32_t i = want_len; i < cap.len[k]; i++)
        CHECK(r[i] == 0);
}

static void test_icmp(void)
{
    struct vn_peer *p = responder(NULL);
    struct vn_peer_stats st;
    static uint8_t f[4000];

    uint32_t n = build_echo(f, 37, 0, 0x1234, 0x0007);
    cap.n = 0;
    feed(p, f, n);
    CHECK(cap.n == 1);
    check_echo_reply(0, f, 37, 0);
    const uint8_t *icmp = cap.buf[0] + 34;
    CHECK(icmp[4] == 0x12 && icmp[5] == 0x34 && icmp[6] == 0x00 && icmp[7] == 0x07);

    /* no payload, unpadded 42-byte frame: reply padded with zeros */
    n = build_echo(f, 0, 0, 1, 2);
    cap.n = 0;
    feed(p, f, n);
    CHECK(cap.n == 1);
    check_echo_reply(0, f, 0, 0);

    /* IP options are not echoed; payload still is */
    n = build_echo(f, 101, 3, 9, 9);
    cap.n = 0;
    feed(p, f, n);
    CHECK(cap.n == 1);
    check_echo_reply(0, f, 101, 3);

    /* Ethernet padding after the IP datagram is not payload */
    n = build_echo(f, 5, 0, 3, 4);
    memset(f + n, 0xee, 60 - n);
    cap.n = 0;
    feed(p, f, 60);
    CHECK(cap.n == 1);
    check_echo_reply(0, f, 5, 0);

    /* to broadcast MAC: answered; larger than the peer's stack buffer: answered */
    n = build_echo(f, 37, 0, 5, 6);
    memset(f, 0xff, 6);
    cap.n = 0;
    feed(p, f, n);
    CHECK(cap.n == 1);
    n = build_echo(f, 3001, 0, 5, 7);
    cap.n = 0;
    feed(p, f, n);
    CHECK(cap.n == 1);
    check_echo_reply(0, f, 3001, 0);
    vn_peer_get_stats(p, &st);
    CHECK(st.icmp_requests == 6 && st.icmp_replies == 6 && st.dropped == 0);

    /* each of these is dropped without an answer */
    cap.n = 0;
    uint64_t drops = 0;
#define DROP(len) (feed(p, f, (len)), drops++)
    n = build_echo(f, 37, 0, 1, 1);
    DROP(14 + 19);               /* truncated IPv4 header */
    DROP(n - 1);                 /* total length > frame */
    f[14] = 0x44, DROP(n);       /* IHL 4 */
    f[14] = 0x4f, DROP(14 + 40); /* IHL 15 > what is there */
    n = build_echo(f, 37, 0, 1, 1);
    f[14] = 0x65, DROP(n);       /* version 6 */
    n = build_echo(f, 37, 0, 1, 1);
    f[24] ^= 1, DROP(n);         /* IPv4 header checksum */
    n = build_echo(f, 37, 0, 1, 1);
    f[n - 1] ^= 1, DROP(n);      /* ICMP checksum */
    n = build_echo(f, 37, 0, 1, 1);
    f[5] = 0x99, DROP(n);        /* another MAC */
    n = build_echo(f, 37, 0, 1, 1);
    f[33] = 9, f[24] = 0, f[25] = 0;
    unsigned c = ref_csum(f + 14, 20);
    f[24] = (uint8_t)(c >> 8), f[25] = (uint8_t)c;
    DROP(n);                     /* another IP */
    n = build_echo(f, 37, 0, 1, 1);
    f[20] = 0x20, f[24] = 0, f[25] = 0;
    c = ref_csum(f + 14, 20);
    f[24] = (uint8_t)(c >> 8), f[25] = (uint8_t)c;
    DROP(n);                     /* a fragment (MF) */
    n = build_echo(f, 37, 0, 1, 1);
    f[34] = 0, f[36] = 0, f[37] = 0;
    c = ref_csum(f + 34, 8 + 37);
    f[36] = (uint8_t)(c >> 8), f[37] = (uint8_t)c;
    DROP(n);                     /* an echo reply, not a request */
    DROP(13);                    /* shorter than an Ethernet header */
    DROP(0);
    vn_peer_get_stats(p, &st);
    CHECK(cap.n == 0 && st.dropped == drops && st.icmp_replies == 6);
    CHECK(st.csum_errors == 2);
    CHECK(st.rx_frames == st.arp_replies + st.icmp_replies + st.dropped);
    vn_peer_free(p);
}

static uint32_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random frames, and valid ones with random bytes flipped and random truncation, so the
 * parser's deeper branches are reached too. ASan checks every read against len. */
static void test_fuzz(uint32_t seed)
{
    struct vn_peer *p = responder(NULL);
    static uint8_t f[1600];
    rng_state = seed ? seed : 1;
    for (int i = 0; i < 10000; i++) {
        uint32_t len;
        switch (rnd() % 3) {
        case 0:
            len = rnd() % 200;
            for (uint32_t j = 0; j < len; j++)
                f[j] = (uint8_t)rnd();
            break;
        case 1:
            memcpy(f, ARP_REQ, 42);
            len = 42;
            break;
        default:
            len = build_echo(f, rnd() % 300, rnd() % 3, (uint16_t)rnd(), (uint16_t)rnd());
            break;
        }
        for (uint32_t k = rnd() % 4; k && len; k--)
            f[rnd() % len] = (uint8_t)rnd();
        if (rnd() % 2 && len)
            len = rnd() % (len + 1);
        cap.n = 0;
        feed(p, f, len);
        CHECK(cap.n <= 1);
        if (cap.n == 1) {
            CHECK(cap.len[0] >= 60);
            if (cap.buf[0][13] == 0x00) { /* IPv4: the reply's checksums must verify */
                uint32_t ilen = (uint32_t)(cap.buf[0][16] << 8 | cap.buf[0][17]);
                CHECK(ref_csum(cap.buf[0] + 14, 20) == 0);
                CHECK(ilen >= 28 && ref_csum(cap.buf[0] + 34, ilen - 20) == 0);
            }
        }
    }
    struct vn_peer_stats st;
    vn_peer_get_stats(p, &st);
    CHECK(st.rx_frames == 10000);
    CHECK(st.rx_frames == st.arp_replies + st.icmp_replies + st.dropped);
    CHECK(st.arp_replies > 0 && st.icmp_replies > 0 && st.dropped > 0);
    printf("fuzz: %llu ARP, %llu ICMP replies, %llu dropped\n",
           (unsigned long long)st.arp_replies, (unsigned long long)st.icmp_replies,
           (unsigned long long)st.dropped);
    vn_peer_free(p);
}

static void test_loopback(void)
{
    struct vn_peer_cfg c = {.mode = VN_PEER_LOOPBACK};
    struct vn_peer *p = vn_peer_new(&c, capture, NULL);
    CHECK(p != NULL);
    uint8_t f[1514];
    for (unsigned i = 0; i < sizeof(f); i++)
        f[i] = (uint8_t)(i ^ 0x5a);
    static const uint32_t lens[] = {1514, 60, 14, 5, 0};
    uint64_t bytes = 0;
    for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        cap.n = 0;
        feed(p, f, lens[i]);
        CHECK(cap.n == 1 && cap.len[0] == lens[i] && memcmp(cap.buf[0], f, lens[i]) == 0);
        bytes += lens[i];
    }
    struct vn_peer_stats st;
    vn_peer_get_stats(p, &st);
    CHECK(st.rx_frames == 5 && st.tx_frames == 5 && st.rx_bytes == bytes &&
          st.tx_bytes == bytes && st.dropped == 0);
    vn_peer_free(p);
}

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void test_pcap(void)
{
    char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/test_peer_%ld.pcap", dir ? dir : "/tmp", (long)getpid());
    struct vn_peer *p = responder(path);
    uint8_t echo[200];
    uint32_t en = build_echo(echo, 37, 0, 1, 1);
    vn_peer_set_time(p, 5000000000ull);
    feed(p, ARP_REQ, 42);      /* record 0 in, 1 out */
    feed(p, echo, en);         /* 2 in, 3 out */
    feed(p, ARP_REQ, 20);      /* 4 in, dropped */
    vn_peer_set_time(p, 6000001000ull);
    feed(p, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 6); /* 5 in, dropped */
    struct vn_peer_stats st;
    vn_peer_get_stats(p, &st);
    CHECK(st.pcap_records == 6);
    CHECK(vn_peer_close(p) == 0);

    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (!fp)
        return;
    static uint8_t b[8192];
    size_t n = fread(b, 1, sizeof(b), fp);
    fclose(fp);
    unlink(path);
    CHECK(n >= 24 && le32(b) == 0xa1b2c3d4u && b[4] == 2 && b[6] == 4 && le32(b + 20) == 1);
    static const uint32_t want_len[] = {42, 60, 0, 79, 20, 6}; /* [2]: the echo */
    uint32_t off = 24, recs = 0;
    while (off + 16 <= n) {
        uint32_t incl = le32(b + off + 8), orig = le32(b + off + 12);
        CHECK(incl == orig && off + 16 + incl <= n);
        if (recs < 6) {
            uint32_t want = recs == 2 ? en : want_len[recs];
            CHECK(incl == want);
            CHECK(le32(b + off) == (recs < 5 ? 5u : 6u));
            CHECK(le32(b + off + 4) == (recs < 5 ? 0u : 1u));
        }
        if (recs == 1) /* the direction: the reply comes from the peer's MAC */
            CHECK(memcmp(b + off + 16 + 6, PEER_MAC, 6) == 0);
        if (recs == 2)
            CHECK(memcmp(b + off + 16, echo, en) == 0);
        off += 16 + incl;
        recs++;
    }
    CHECK(recs == 6 && off == n);
}

static void test_api(void)
{
    uint32_t ip = 0;
    uint8_t mac[6] = {0};
    CHECK(vn_peer_parse_ip("192.168.100.1", &ip) == 0 && ip == PEER_IP);
    CHECK(vn_peer_parse_ip("0.0.0.0", &ip) == 0 && ip == 0);
    CHECK(vn_peer_parse_ip("255.255.255.255", &ip) == 0 && ip == 0xffffffffu);
    static const char *bad_ip[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ",
                                   "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.1000", "-1.2.3.4"};
    for (unsigned i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++)
        CHECK(vn_peer_parse_ip(bad_ip[i], &ip) == -EINVAL);
    CHECK(vn_peer_parse_mac("02:00:00:00:00:01", mac) == 0 && memcmp(mac, PEER_MAC, 6) == 0);
    CHECK(vn_peer_parse_mac("52-54-00-12-34-56", mac) == 0 && memcmp(mac, DEV_MAC, 6) == 0);
    CHECK(vn_peer_parse_mac("AA:bb:CC:dd:EE:ff", mac) == 0 && mac[0] == 0xaa && mac[5] == 0xff);
    static const char *bad_mac[] = {"", "02:00:00:00:00", "02:00:00:00:00:01:02",
                                    "2:00:00:00:00:01", "02:00:00:00:00:0g", "02:00-00:00:00:01",
                                    "0200.0000.0001", "02:00:00:00:00:01 "};
    for (unsigned i = 0; i < sizeof(bad_mac) / sizeof(bad_mac[0]); i++)
        CHECK(vn_peer_parse_mac(bad_mac[i], mac) == -EINVAL);

    struct vn_peer_cfg c = {.mode = VN_PEER_RESPONDER, .ip = PEER_IP};
    errno = 0;
    CHECK(vn_peer_new(&c, capture, NULL) == NULL && errno == EINVAL); /* zero MAC */
    memcpy(c.mac, PEER_MAC, 6);
    c.mac[0] = 0x01;
    errno = 0;
    CHECK(vn_peer_new(&c, capture, NULL) == NULL && errno == EINVAL); /* multicast MAC */
    memcpy(c.mac, PEER_MAC, 6);
    c.ip = 0;
    errno = 0;
    CHECK(vn_peer_new(&c, capture, NULL) == NULL && errno == EINVAL);
    c.ip = PEER_IP;
    CHECK(vn_peer_new(&c, NULL, NULL) == NULL && errno == EINVAL);
    c.pcap_path = "/nonexistent-dir/x.pcap";
    errno = 0;
    CHECK(vn_peer_new(&c, capture, NULL) == NULL && errno == ENOENT);
    vn_peer_free(NULL);
}

/* A device that answers at once: the reply re-enters the peer from inside emit. */
static struct vn_peer *reenter_peer;
static int reenter_depth;
static void reenter(void *ctx, const uint8_t *frame, uint32_t len)
{
    capture(ctx, frame, len);
    if (reenter_depth++ < 3)
        vn_peer_input(reenter_peer, ARP_REQ, sizeof(ARP_REQ));
}

static void test_reentry(void)
{
    struct vn_peer_cfg c = {.mode = VN_PEER_RESPONDER, .ip = PEER_IP};
    memcpy(c.mac, PEER_MAC, 6);
    reenter_peer = vn_peer_new(&c, reenter, NULL);
    cap.n = 0;
    vn_peer_input(reenter_peer, ARP_REQ, sizeof(ARP_REQ));
    struct vn_peer_stats st;
    vn_peer_get_stats(reenter_peer, &st);
    CHECK(cap.n == 4 && st.arp_replies == 4 && st.rx_frames == 4);
    for (int i = 1; i < cap.n; i++)
        CHECK(cap.len[i] == 60 && memcmp(cap.buf[i], cap.buf[0], 60) == 0);
    vn_peer_free(reenter_peer);
}

int main(int argc, char **argv)
{
    uint32_t seed = (uint32_t)time(NULL);
    if (argc > 1) {
        char *end;
        if (!strcmp(argv[1], "--help")) {
            printf("usage: %s [SEED]\nUnit tests of the wire peer; SEED repeats a fuzz run.\n",
                   argv[0]);
            return 0;
        }
        unsigned long v = strtoul(argv[1], &end, 0);
        if (!*argv[1] || *end || v > 0xffffffffu) {
            fprintf(stderr, "%s: SEED must be a number, got '%s'\n", argv[0], argv[1]);
            return 2;
        }
        seed = (uint32_t)v;
    }
    printf("seed %u (rerun: %s %u)\n", seed, argv[0], seed);
    test_api();
    test_arp();
    test_icmp();
    test_loopback();
    test_pcap();
    test_reentry();
    test_fuzz(seed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
