/* The Microsoft RSS verification suite the virtio spec points to (key, five IPv4 and
 * three IPv6 flows, hashes without and with ports): one copy for the C reference's test
 * and the RTL testbench. */
#ifndef VN_RSS_VECTORS_H
#define VN_RSS_VECTORS_H

#include <stdint.h>

static const uint8_t MS_KEY[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* The suite's tables list destination before source; the hash input is source first. */
struct vn_rss_v4 {
    uint32_t dst, src;
    uint16_t dport, sport;
    uint32_t h_ip, h_tcp;
};
static const struct vn_rss_v4 V4[] = {
    {IP4(161, 142, 100, 80), IP4(66, 9, 149, 187), 1766, 2794, 0x323e8fc2, 0x51ccc178},
    {IP4(65, 69, 140, 83), IP4(199, 92, 111, 2), 4739, 14230, 0xd718262a, 0xc626b0ea},
    {IP4(12, 22, 207, 184), IP4(24, 19, 198, 95), 38024, 12898, 0xd2d0a5de, 0x5c2b394a},
    {IP4(209, 142, 163, 6), IP4(38, 27, 205, 30), 2217, 48228, 0x82989176, 0xafc7327f},
    {IP4(202, 188, 127, 2), IP4(153, 39, 163, 191), 1303, 44251, 0x5d1809c5, 0x10e828a2},
};

/* IPv6 addresses as their eight 16-bit groups, "::" expanded */
struct vn_rss_v6 {
    uint16_t dst[8], src[8];
    uint16_t dport, sport;
    uint32_t h_ip, h_tcp;
};
static const struct vn_rss_v6 V6[] = {
    {{0x3ffe, 0x2501, 0x200, 0x3, 0, 0, 0, 0x1}, {0x3ffe, 0x2501, 0x200, 0x1fff, 0, 0, 0, 0x7},
     1766, 2794, 0x2cc18cd5, 0x40207d3d},
    {{0xff02, 0, 0, 0, 0, 0, 0, 0x1}, {0x3ffe, 0x501, 0x8, 0, 0x260, 0x97ff, 0xfe40, 0xefab},
     4739, 14230, 0x0f0c461c, 0xdde51bbf},
    {{0xfe80, 0, 0, 0, 0x200, 0xf8ff, 0xfe21, 0x67cf},
     {0x3ffe, 0x1900, 0x4545, 0x3, 0x200, 0xf8ff, 0xfe21, 0x67cf}, 38024, 44251, 0x4b61e985,
     0x02d1feef},
};

static inline void ip6_bytes(const uint16_t g[8], uint8_t out[16])
{
    for (int i = 0; i < 8; i++) {
        out[2 * i] = (uint8_t)(g[i] >> 8);
        out[2 * i + 1] = (uint8_t)g[i];
    }
}

#endif
