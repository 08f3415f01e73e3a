/* Traffic model: deterministic frames that can be regenerated from (seed, pair, seq), so
 * every received frame is checked byte for byte without storing what was sent, plus the
 * per-pair in-order, exactly-once bookkeeping. */
#ifndef VN_TRAFFIC_H
#define VN_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#define VN_FRAME_MIN 60    /* without FCS */
#define VN_FRAME_MAX 1514  /* MTU 1500 + Ethernet header */
#define VN_TRAFFIC_MAX_PAIRS 64

struct vn_traffic {
    uint64_t seed;
    unsigned pairs;     /* pairs in use: frames of pair p are steered back to pair p */
    unsigned fixed_len; /* 0: mixed sizes */
    uint64_t sent[VN_TRAFFIC_MAX_PAIRS], next_rx[VN_TRAFFIC_MAX_PAIRS];
    uint64_t rx_ok, rx_bad, rx_wrong_queue, rx_out_of_order, bytes_ok;
    char first_error[256];
};

void vn_traffic_init(struct vn_traffic *t, uint64_t seed, unsigned pairs, unsigned fixed_len);
/* Length of frame (pair, seq). */
size_t vn_traffic_len(const struct vn_traffic *t, unsigned pair, uint64_t seq);
/* Build frame (pair, seq) into buf (>= VN_FRAME_MAX bytes); returns its length. */
size_t vn_traffic_frame(const struct vn_traffic *t, unsigned pair, uint64_t seq, uint8_t *buf);
/* Account a frame received on pair rx_pair; returns 0 when it is the next expected frame of
 * that pair, byte for byte, else -1 with first_error filled. */
int vn_traffic_check(struct vn_traffic *t, unsigned rx_pair, const uint8_t *frame, size_t len);
uint64_t vn_traffic_missing(const struct vn_traffic *t);

/* splitmix64: the seeded generator every randomised part of the testbench uses */
static inline uint64_t vn_rand_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#endif
