#include "toeplitz.h"

#include <string.h>

static uint8_t key_byte(const uint8_t *key, size_t key_len, size_t i)
{
    return i < key_len ? key[i] : 0;
}

uint32_t vn_toeplitz(const uint8_t *key, size_t key_len, const uint8_t *in, size_t in_len)
{
    /* A 64-bit window over the key: its top 32 bits are the key bits that line up with
     * the current input bit, and the low bytes hold enough lookahead that one key byte
     * refill per input byte keeps it full. */
    uint64_t win = 0;
    for (size_t i = 0; i < 8; i++)
        win = win << 8 | key_byte(key, key_len, i);

    uint32_t hash = 0;
    for (size_t i = 0; i < in_len; i++) {
        for (int b = 7; b >= 0; b--) {
            if ((in[i] >> b) & 1u)
                hash ^= (uint32_t)(win >> 32);
            win <<= 1;
        }
        win |= key_byte(key, key_len, i + 8);
    }
    return hash;
}

static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
    p = put_be16(p, (uint16_t)(v >> 16));
    return put_be16(p, (uint16_t)v);
}

/* The order is the one virtio took over from Microsoft RSS, so that a driver's software
 * hash (e.g. to pick the key and indirection table) agrees with the device bit for bit. */
size_t vn_rss_input_ipv4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                         bool with_ports, uint8_t out[12])
{
    uint8_t *p = put_be32(put_be32(out, src), dst);
    if (with_ports)
        p = put_be16(put_be16(p, sport), dport);
    return (size_t)(p - out);
}

size_t vn_rss_input_ipv6(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
                         uint16_t dport, bool with_ports, uint8_t out[36])
{
    memcpy(out, src, 16);
    memcpy(out + 16, dst, 16);
    if (!with_ports)
        return 32;
    put_be16(put_be16(out + 32, sport), dport);
    return 36;
}
