#include "peer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pcap.h"

enum {
    ETH_HLEN = 14,
    ETH_ZLEN = 60,  /* minimum frame without FCS: a real link partner pads to it */
    ARP_LEN = 28,
    IP_HLEN = 20,
    ICMP_HLEN = 8,
    ET_IPV4 = 0x0800,
    ET_ARP = 0x0806,
    REPLY_STACK = 1600, /* replies up to this size are built on the stack */
};

struct vn_peer {
    struct vn_peer_cfg cfg;
    vn_peer_emit_fn emit;
    void *ctx;
    struct vn_pcap *pcap;
    int pcap_err;
    int time_set;
    uint64_t now_ns, last_ts;
    uint16_t ip_id;
    struct vn_peer_stats st;
};

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint16_t get16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }
static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static void put16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}
static void put32(uint8_t *b, uint32_t v)
{
    put16(b, (uint16_t)(v >> 16));
    put16(b + 2, (uint16_t)v);
}

/* RFC 1071 one's-complement sum; an odd trailing byte is the high half of a 16-bit word. */
static uint16_t inet_csum(const uint8_t *b, uint32_t n)
{
    uint64_t s = 0;
    uint32_t i;
    for (i = 0; i + 1 < n; i += 2)
        s += get16(b + i);
    if (i < n)
        s += (uint32_t)b[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void record(struct vn_peer *p, const uint8_t *frame, uint32_t len)
{
    if (!p->pcap)
        return;
    uint64_t ts = p->time_set ? p->now_ns : p->st.pcap_records * 1000u;
    if (ts < p->last_ts)
        ts = p->last_ts;
    p->last_ts = ts;
    if (vn_pcap_write(p->pcap, ts, frame, len) != 0 && !p->pcap_err)
        p->pcap_err = -EIO;
    p->st.pcap_records++;
}

static void send_frame(struct vn_peer *p, const uint8_t *frame, uint32_t len)
{
    p->st.tx_frames++;
    p->st.tx_bytes += len;
    record(p, frame, len);
    p->emit(p->ctx, frame, len);
}

static int for_us(const struct vn_peer *p, const uint8_t *dst)
{
    return memcmp(dst, p->cfg.mac, 6) == 0 || memcmp(dst, bcast, 6) == 0;
}

/* Returns 1 when a reply went out, 0 when the frame is to be counted as dropped. */
static int arp_input(struct vn_peer *p, const uint8_t *f, uint32_t len)
{
    if (len < ETH_HLEN + ARP_LEN)
        return 0;
    const uint8_t *a = f + ETH_HLEN;
    if (get16(a) != 1 || get16(a + 2) != ET_IPV4 || a[4] != 6 || a[5] != 4 || get16(a + 6) != 1)
        return 0;
    p->st.arp_requests++;
    const uint8_t *sha = a + 8, *spa = a + 14, *tpa = a + 24;
    if (!for_us(p, f) || get32(tpa) != p->cfg.ip || (sha[0] & 1))
        return 0;

    uint8_t r[ETH_ZLEN] = {0};
    memcpy(r, sha, 6); /* RFC 826: the reply goes to the requester's hardware address */
    memcpy(r + 6, p->cfg.mac, 6);
    put16(r + 12, ET_ARP);
    uint8_t *ra = r + ETH_HLEN;
    put16(ra, 1);
    put16(ra + 2, ET_IPV4);
    ra[4] = 6;
    ra[5] = 4;
    put16(ra + 6, 2);
    memcpy(ra + 8, p->cfg.mac, 6);
    put32(ra + 14, p->cfg.ip);
    memcpy(ra + 18, sha, 6);
    memcpy(ra + 24, spa, 4);
    p->st.arp_replies++;
    send_frame(p, r, sizeof(r));
    return 1;
}

static int bad_reply_ip(uint32_t ip)
{
    return ip == 0 || ip >= 0xe0000000u; /* unspecified, multicast, reserved, broadcast */
}

static int icmp_input(struct vn_peer *p, const uint8_t *f, uint32_t len)
{
    const uint8_t *ip = f + ETH_HLEN;
    uint32_t avail = len - ETH_HLEN;
    if (avail < IP_HLEN || ip[0] >> 4 != 4)
        return 0;
    uint32_t ihl = (uint32_t)(ip[0] & 0xf) * 4, tot = get16(ip + 2);
    if (ihl < IP_HLEN || ihl > avail || tot < ihl + ICMP_HLEN || tot > avail)
        return 0;
    /* a fragment cannot be answered without reassembly, which this peer does not do */
    if (ip[9] != 1 || (get16(ip + 6) & 0x3fff) != 0)
        return 0;
    if (inet_csum(ip, ihl) != 0) {
        p->st.csum_errors++;
        return 0;
    }
    const uint8_t *icmp = ip + ihl;
    uint32_t ilen = tot - ihl;
    if (icmp[0] != 8 || icmp[1] != 0)
        return 0;
    if (inet_csum(icmp, ilen) != 0) {
        p->st.csum_errors++;
        return 0;
    }
    p->st.icmp_requests++;
    uint32_t src = get32(ip + 12);
    if (!for_us(p, f) || get32(ip + 16) != p->cfg.ip || bad_reply_ip(src) || (f[6] & 1))
        return 0;

    /* IP options are not echoed: the reply has a plain 20-byte header */
    uint32_t rlen = ETH_HLEN + IP_HLEN + ilen;
    if (rlen < ETH_ZLEN)
        rlen = ETH_ZLEN;
    uint8_t stackbuf[REPLY_STACK];
    uint8_t *r = rlen <= sizeof(stackbuf) ? stackbuf : malloc(rlen);
    if (!r)
        return 0;
    memset(r, 0, rlen);
    memcpy(r, f + 6, 6);
    memcpy(r + 6, p->cfg.mac, 6);
    put16(r + 12, ET_IPV4);
    uint8_t *rip = r + ETH_HLEN;
    rip[0] = 0x45;
    rip[1] = ip[1];
    put16(rip + 2, (uint16_t)(IP_HLEN + ilen));
    put16(rip + 4, p->ip_id++);
    rip[8] = 64;
    rip[9] = 1;
    put32(rip + 12, p->cfg.ip);
    put32(rip + 16, src);
    put16(rip + 10, inet_csum(rip, IP_HLEN));
    uint8_t *ricmp = rip + IP_HLEN;
    memcpy(ricmp + 4, icmp + 4, ilen - 4); /* identifier, sequence and payload as sent */
    put16(ricmp + 2, inet_csum(ricmp, ilen));
    p->st.icmp_replies++;
    send_frame(p, r, rlen);
    if (r != stackbuf)
        free(r);
    return 1;
}

void vn_peer_input(struct vn_peer *p, const uint8_t *frame, uint32_t len)
{
    p->st.rx_frames++;
    p->st.rx_bytes += len;
    record(p, frame, len);
    if (p->cfg.mode == VN_PEER_LOOPBACK) {
        send_frame(p, frame, len);
        return;
    }
    int answered = 0;
    if (len >= ETH_HLEN) {
        /* an 802.1Q tag (0x8100) lands here as an unknown type: this host has no VLANs */
        uint16_t et = get16(frame + 12);
        if (et == ET_ARP)
            answered = arp_input(p, frame, len);
        else if (et == ET_IPV4)
            answered = icmp_input(p, frame, len);
    }
    if (!answered)
        p->st.dropped++;
}

struct vn_peer *vn_peer_new(const struct vn_peer_cfg *cfg, vn_peer_emit_fn emit, void *ctx)
{
    static const uint8_t zero[6];
    if (!cfg || !emit ||
        (cfg->mode != VN_PEER_LOOPBACK && cfg->mode != VN_PEER_RESPONDER) ||
        (cfg->mode == VN_PEER_RESPONDER &&
         ((cfg->mac[0] & 1) || !memcmp(cfg->mac, zero, 6) || bad_reply_ip(cfg->ip)))) {
        errno = EINVAL;
        return NULL;
    }
    struct vn_peer *p = calloc(1, sizeof(*p));
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    p->cfg = *cfg;
    p->cfg.pcap_path = NULL; /* the caller's string need not outlive this call */
    p->emit = emit;
    p->ctx = ctx;
    if (cfg->pcap_path) {
        int rc = vn_pcap_open(cfg->pcap_path, &p->pcap);
        if (rc < 0) {
            free(p);
            errno = -rc;
            return NULL;
        }
    }
    return p;
}

int vn_peer_close(struct vn_peer *p)
{
    if (!p)
        return 0;
    int rc = vn_pcap_close(p->pcap);
    if (!rc)
        rc = p->pcap_err;
    free(p);
    return rc;
}

void vn_peer_free(struct vn_peer *p) { (void)vn_peer_close(p); }

void vn_peer_get_stats(const struct vn_peer *p, struct vn_peer_stats *st) { *st = p->st; }

void vn_peer_set_time(struct vn_peer *p, uint64_t time_ns)
{
    p->time_set = 1;
    p->now_ns = time_ns;
}

int vn_peer_parse_ip(const char *s, uint32_t *ip)
{
    uint32_t v = 0;
    if (!s)
        return -EINVAL;
    for (int part = 0; part < 4; part++) {
        if (part && *s++ != '.')
            return -EINVAL;
        /* 1-3 digits, no leading zero: "010" would be octal to inet_aton */
        if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
            return -EINVAL;
        uint32_t octet = 0;
        int n = 0;
        while (*s >= '0' && *s <= '9' && n < 4) {
            octet = octet * 10 + (uint32_t)(*s++ - '0');
            n++;
        }
        if (n > 3 || octet > 255)
            return -EINVAL;
        v = v << 8 | octet;
    }
    if (*s)
        return -EINVAL;
    *ip = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vn_peer_parse_mac(const char *s, uint8_t mac[6])
{
    uint8_t m[6];
    if (!s)
        return -EINVAL;
    char sep = 0;
    for (int i = 0; i < 6; i++) {
        if (i) {
            if (*s != ':' && *s != '-')
                return -EINVAL;
            if (sep && *s != sep)
                return -EINVAL;
            sep = *s++;
        }
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0)
            return -EINVAL;
        m[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    if (*s)
        return -EINVAL;
    memcpy(mac, m, 6);
    return 0;
}
