/* Test frames with real protocol headers (Ethernet, 802.1Q, IPv4/IPv6, TCP/UDP) for the
 * receive filter, RSS and checksum scenarios, and an independent checksum checker: the
 * testbench's own arithmetic (RFC 1071), not the device's. */
#ifndef VN_PKT_H
#define VN_PKT_H

#include <stddef.h>
#include <stdint.h>

enum vn_pkt_csum {
    VN_PKT_CSUM_FULL,    /* a correct L4 checksum */
    VN_PKT_CSUM_PARTIAL, /* the pseudo-header sum only, as a driver leaves it for NEEDS_CSUM */
    VN_PKT_CSUM_BAD,     /* a correct one, then off by one */
};

struct vn_pkt_spec {
    uint8_t dst[6], src[6];
    uint16_t vlan;       /* 0: untagged; else the 802.1Q VLAN id (1..4095) */
    int ipv6;            /* 0: IPv4, 1: IPv6 */
    uint8_t proto;       /* 6 TCP, 17 UDP, anything else: that protocol, no L4 header */
    uint8_t saddr[16], daddr[16]; /* IPv4 uses the first 4 bytes */
    uint16_t sport, dport;
    unsigned payload;    /* bytes after the L4 header */
    uint64_t seed;       /* payload bytes */
    enum vn_pkt_csum csum;
    int fragment;        /* IPv4: MF set (a first fragment) */
};

struct vn_pkt_info {
    size_t len;
    unsigned l3_off, l4_off;
    uint16_t csum_start, csum_offset; /* for NEEDS_CSUM */
};

/* Build the frame into buf (cap bytes; short frames are padded to 60); 0 if it does not fit. */
size_t vn_pkt_build(uint8_t *buf, size_t cap, const struct vn_pkt_spec *s, struct vn_pkt_info *info);
/* 1 when the frame is TCP/UDP over IPv4/IPv6 (optionally one 802.1Q tag) with a correct L4
 * checksum, 0 when the checksum is wrong, -1 when there is no checksum to check. */
int vn_pkt_l4_csum_ok(const uint8_t *f, size_t len);
/* RFC 1071 sum of len bytes (big-endian words), not folded, added to acc. */
uint32_t vn_pkt_sum(uint32_t acc, const uint8_t *p, size_t len);
uint16_t vn_pkt_fold(uint32_t acc);

#endif
