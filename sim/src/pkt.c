/* Test frames and the testbench's own checksum arithmetic (see pkt.h). */
#include "pkt.h"

#include <string.h>

#include "traffic.h"

#define ETH_HLEN 14u
#define VLAN_HLEN 4u
#define IP4_HLEN 20u
#define IP6_HLEN 40u
#define TCP_HLEN 20u
#define UDP_HLEN 8u

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

uint32_t vn_pkt_sum(uint32_t acc, const uint8_t *p, size_t len)
{
    uint64_t s = acc;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += get16(p + i);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t vn_pkt_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)acc;
}

/* The pseudo header of the L4 segment at f + l4 of l4len bytes (RFC 768/793, RFC 8200 8.1) */
static uint32_t pseudo_sum(const uint8_t *f, unsigned l3, int ipv6, uint8_t proto, size_t l4len)
{
    uint32_t s = 0;
    if (ipv6)
        s = vn_pkt_sum(s, f + l3 + 8, 32);
    else
        s = vn_pkt_sum(s, f + l3 + 12, 8);
    return s + proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
}

size_t vn_pkt_build(uint8_t *buf, size_t cap, const struct vn_pkt_spec *s, struct vn_pkt_info *info)
{
    unsigned l3 = ETH_HLEN + (s->vlan ? VLAN_HLEN : 0);
    unsigned l4 = l3 + (s->ipv6 ? IP6_HLEN : IP4_HLEN);
    unsigned l4h = s->proto == 6 ? TCP_HLEN : s->proto == 17 ? UDP_HLEN : 0;
    size_t len = (size_t)l4 + l4h + s->payload;
    size_t flen = len < VN_FRAME_MIN ? VN_FRAME_MIN : len;
    uint64_t seed = s->seed;

    if (flen > cap)
        return 0;
    memset(buf, 0, flen);
    memcpy(buf, s->dst, 6);
    memcpy(buf + 6, s->src, 6);
    if (s->vlan) {
        put16(buf + 12, 0x8100);
        put16(buf + 14, s->vlan & 0xfff);
    }
    uint8_t *ip = buf + l3;
    size_t l4len = len - l4;
    if (s->ipv6) {
        put16(buf + l3 - 2, 0x86dd);
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)l4len);
        ip[6] = s->proto;
        ip[7] = 64;
        memcpy(ip + 8, s->saddr, 16);
        memcpy(ip + 24, s->daddr, 16);
    } else {
        put16(buf + l3 - 2, 0x0800);
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)(len - l3));
        put16(ip + 4, (uint16_t)s->seed);
        if (s->fragment)
            put16(ip + 6, 0x2000);
        ip[8] = 64;
        ip[9] = s->proto;
        memcpy(ip + 12, s->saddr, 4);
        memcpy(ip + 16, s->daddr, 4);
        put16(ip + 10, (uint16_t)~vn_pkt_fold(vn_pkt_sum(0, ip, IP4_HLEN)));
    }
    uint8_t *th = buf + l4;
    for (size_t i = l4 + l4h; i < len; i++)
        buf[i] = (uint8_t)vn_rand_next(&seed);
    unsigned coff = 0;
    if (l4h) {
        put16(th, s->sport);
        put16(th + 2, s->dport);
        if (s->proto == 6) {
            put16(th + 4, 0x1234);
            th[12] = 5 << 4; /* data offset: 20 bytes */
            th[13] = 0x18;   /* PSH ACK */
            put16(th + 14, 0xffff);
            coff = 16;
        } else {
            put16(th + 4, (uint16_t)l4len);
            coff = 6;
        }
        uint32_t ps = pseudo_sum(buf, l3, s->ipv6, s->proto, l4len);
        if (s->csum == VN_PKT_CSUM_PARTIAL) {
            put16(th + coff, vn_pkt_fold(ps));
        } else {
            uint16_t c = (uint16_t)~vn_pkt_fold(vn_pkt_sum(ps, th, l4len));
            if (c == 0 && s->proto == 17)
                c = 0xffff; /* 0 means "no checksum" for UDP */
            if (s->csum == VN_PKT_CSUM_BAD)
                c = (uint16_t)(c == 0xfffe ? 0x1234 : c + 1);
            put16(th + coff, c);
        }
    }
    if (info) {
        info->len = flen;
        info->l3_off = l3;
        info->l4_off = l4;
        info->csum_start = (uint16_t)l4;
        info->csum_offset = (uint16_t)coff;
    }
    return flen;
}

int vn_pkt_l4_csum_ok(const uint8_t *f, size_t len)
{
    unsigned l3 = ETH_HLEN;
    if (len < ETH_HLEN)
        return -1;
    uint16_t et = get16(f + 12);
    if (et == 0x8100) {
        if (len < ETH_HLEN + VLAN_HLEN)
            return -1;
        l3 += VLAN_HLEN;
        et = get16(f + 16);
    }
    int ipv6;
    uint8_t proto;
    size_t l4, end;
    if (et == 0x0800 && len >= l3 + IP4_HLEN && f[l3] >> 4 == 4) {
        ipv6 = 0;
        proto = f[l3 + 9];
        l4 = l3 + (size_t)(f[l3] & 15) * 4;
        end = l3 + get16(f + l3 + 2);
        if (get16(f + l3 + 6) & 0x3fff)
            return -1; /* a fragment */
    } else if (et == 0x86dd && len >= l3 + IP6_HLEN && f[l3] >> 4 == 6) {
        ipv6 = 1;
        proto = f[l3 + 6];
        l4 = l3 + IP6_HLEN;
        end = l4 + get16(f + l3 + 4);
    } else {
        return -1;
    }
    if ((proto != 6 && proto != 17) || end > len || l4 + (proto == 6 ? TCP_HLEN : UDP_HLEN) > end)
        return -1;
    if (proto == 17 && get16(f + l4 + 6) == 0)
        return -1;
    uint32_t s = vn_pkt_sum(pseudo_sum(f, l3, ipv6, proto, end - l4), f + l4, end - l4);
    return vn_pkt_fold(s) == 0xffff;
}
