/* The Toeplitz reference (sim/src/toeplitz.c) against the Microsoft RSS verification
 * suite that the virtio spec points to, and the hash's algebra on inputs of every length. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "rss_vectors.h"
#include "toeplitz.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void t_ms_ipv4(void)
{
    for (size_t i = 0; i < N(V4); i++) {
        uint8_t in[12];
        size_t n = vn_rss_input_ipv4(V4[i].src, V4[i].dst, V4[i].sport, V4[i].dport, false, in);
        CHECK_EQ(n, 8);
        CHECK_EQ(vn_toeplitz(MS_KEY, sizeof MS_KEY, in, n), V4[i].h_ip);
        n = vn_rss_input_ipv4(V4[i].src, V4[i].dst, V4[i].sport, V4[i].dport, true, in);
        CHECK_EQ(n, 12);
        CHECK_EQ(vn_toeplitz(MS_KEY, sizeof MS_KEY, in, n), V4[i].h_tcp);
    }
}

static void t_ms_ipv6(void)
{
    for (size_t i = 0; i < N(V6); i++) {
        uint8_t src[16], dst[16], in[36];
        ip6_bytes(V6[i].src, src);
        ip6_bytes(V6[i].dst, dst);
        size_t n = vn_rss_input_ipv6(src, dst, V6[i].sport, V6[i].dport, false, in);
        CHECK_EQ(n, 32);
        CHECK_EQ(vn_toeplitz(MS_KEY, sizeof MS_KEY, in, n), V6[i].h_ip);
        n = vn_rss_input_ipv6(src, dst, V6[i].sport, V6[i].dport, true, in);
        CHECK_EQ(n, 36);
        CHECK_EQ(vn_toeplitz(MS_KEY, sizeof MS_KEY, in, n), V6[i].h_tcp);
    }
}

/* the builders' layout, byte for byte: network order, source before destination */
static void t_layout(void)
{
    uint8_t in[36];
    static const uint8_t want4[12] = {66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6};
    CHECK_EQ(vn_rss_input_ipv4(V4[0].src, V4[0].dst, 2794, 1766, true, in), 12);
    CHECK(!memcmp(in, want4, 12));

    uint8_t src[16], dst[16];
    for (int i = 0; i < 16; i++) {
        src[i] = (uint8_t)i;
        dst[i] = (uint8_t)(0x80 + i);
    }
    memset(in, 0xee, sizeof in);
    CHECK_EQ(vn_rss_input_ipv6(src, dst, 0x1234, 0xabcd, false, in), 32);
    CHECK(!memcmp(in, src, 16) && !memcmp(in + 16, dst, 16));
    CHECK_EQ(in[32], 0xee); /* nothing past the count */
    CHECK_EQ(vn_rss_input_ipv6(src, dst, 0x1234, 0xabcd, true, in), 36);
    CHECK(in[32] == 0x12 && in[33] == 0x34 && in[34] == 0xab && in[35] == 0xcd);
}

/* Key bits i..i+31, MSB first, read straight off the key bytes. */
static uint32_t key_window(const uint8_t *key, size_t key_len, size_t i)
{
    uint32_t w = 0;
    for (size_t k = i; k < i + 32; k++) {
        unsigned bit = k / 8 < key_len ? (key[k / 8] >> (7 - k % 8)) & 1u : 0u;
        w = w << 1 | bit;
    }
    return w;
}

/* One set bit selects exactly its key window (this pins the bit order); the hash is linear
 * over XOR, so with the first property it is the Toeplitz product for every input. */
static void t_algebra(void)
{
    uint32_t s = 12345;
    uint8_t key[40];
    for (size_t i = 0; i < sizeof key; i++) {
        s = s * 1103515245u + 12345u;
        key[i] = (uint8_t)(s >> 16);
    }
    unsigned bad = 0;
    for (size_t bit = 0; bit < 36 * 8; bit++) {
        uint8_t in[36] = {0};
        in[bit / 8] = (uint8_t)(0x80u >> (bit % 8));
        bad += vn_toeplitz(key, sizeof key, in, 36) != key_window(key, sizeof key, bit);
    }
    CHECK_EQ(bad, 0);

    bad = 0;
    for (int t = 0; t < 200; t++) {
        uint8_t a[36], b[36], x[36];
        for (int i = 0; i < 36; i++) {
            s = s * 1103515245u + 12345u;
            a[i] = (uint8_t)(s >> 16);
            s = s * 1103515245u + 12345u;
            b[i] = (uint8_t)(s >> 16);
            x[i] = a[i] ^ b[i];
        }
        size_t n = (size_t)t % 37;
        bad += vn_toeplitz(key, sizeof key, x, n) !=
               (vn_toeplitz(key, sizeof key, a, n) ^ vn_toeplitz(key, sizeof key, b, n));
    }
    CHECK_EQ(bad, 0);

    /* nothing hashed gives 0; a short key reads as zero-padded */
    CHECK_EQ(vn_toeplitz(key, sizeof key, key, 0), 0);
    uint8_t ones[36];
    memset(ones, 0xff, sizeof ones);
    uint8_t padded[40] = {0};
    memcpy(padded, key, 10);
    CHECK_EQ(vn_toeplitz(key, 10, ones, 36), vn_toeplitz(padded, 40, ones, 36));
    CHECK_EQ(vn_toeplitz(NULL, 0, ones, 36), 0);
}

int main(void)
{
    t_ms_ipv4();
    t_ms_ipv6();
    t_layout();
    t_algebra();
    return check_report();
}
