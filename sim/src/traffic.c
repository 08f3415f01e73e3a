#include "traffic.h"

#include <stdio.h>
#include <string.h>

#include "flow_hash.h"

static const uint8_t dst_mac[6] = {0x02, 0x56, 0x4e, 0x49, 0x43, 0x01};
static const uint8_t src_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
#define HDRS 42 /* Ethernet 14 + IPv4 20 + UDP 8 */
#define TAG_MAGIC 0x564e5446u /* "VNTF": marks our payload */

void vn_traffic_init(struct vn_traffic *t, uint64_t seed, unsigned pairs, unsigned fixed_len)
{
    memset(t, 0, sizeof(*t));
    t->seed = seed;
    t->pairs = pairs ? pairs : 1;
    t->fixed_len = fixed_len;
}

static uint64_t frame_seed(const struct vn_traffic *t, unsigned pair, uint64_t seq)
{
    uint64_t s = t->seed ^ ((uint64_t)pair << 56) ^ seq * 0x2545f4914f6cdd1dull;
    return vn_rand_next(&s);
}

size_t vn_traffic_len(const struct vn_traffic *t, unsigned pair, uint64_t seq)
{
    if (t->fixed_len)
        return t->fixed_len;
    /* a mix weighted towards the sizes that stress a NIC: minimum, medium, full */
    static const uint16_t sizes[] = {60, 60, 124, 252, 508, 1020, 1514, 1514};
    uint64_t s = frame_seed(t, pair, seq);
    uint64_t r = vn_rand_next(&s);
    if ((r & 7) == 7)
        return VN_FRAME_MIN + (size_t)((r >> 8) % (VN_FRAME_MAX - VN_FRAME_MIN + 1));
    return sizes[(r >> 3) & 7];
}

static void put16be(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

size_t vn_traffic_frame(const struct vn_traffic *t, unsigned pair, uint64_t seq, uint8_t *buf)
{
    size_t len = vn_traffic_len(t, pair, seq);
    memcpy(buf, dst_mac, 6);
    memcpy(buf + 6, src_mac, 6);
    put16be(buf + 12, 0x0800);
    uint8_t *ip = buf + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16be(ip + 2, (uint16_t)(len - 14));
    ip[8] = 64;
    ip[9] = 17; /* UDP */
    ip[12] = 10, ip[13] = 0, ip[14] = (uint8_t)pair, ip[15] = 1;
    ip[16] = 10, ip[17] = 1, ip[18] = (uint8_t)pair, ip[19] = 2;
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16be(ip + 10, (uint16_t)~sum);
    uint8_t *udp = ip + 20;
    put16be(udp, (uint16_t)(4000 + (seq & 0xff)));
    put16be(udp + 2, 5000);
    put16be(udp + 4, (uint16_t)(len - 34));
    put16be(udp + 6, 0); /* no UDP checksum: allowed for IPv4 */
    /* pick the last port byte so the device steers the frame back to `pair` */
    for (unsigned x = 0; x < 256; x++) {
        udp[3] = (uint8_t)x;
        if (vn_flow_pair(buf, len, t->pairs) == pair % t->pairs)
            break;
    }
    uint8_t *pl = buf + HDRS;
    size_t plen = len - HDRS;
    uint8_t tag[16];
    uint32_t magic = TAG_MAGIC;
    memcpy(tag, &magic, 4);
    uint32_t p32 = pair;
    memcpy(tag + 4, &p32, 4);
    memcpy(tag + 8, &seq, 8);
    memcpy(pl, tag, plen < 16 ? plen : 16);
    uint64_t s = frame_seed(t, pair, seq);
    for (size_t i = 16; i < plen; i += 8) {
        uint64_t r = vn_rand_next(&s);
        memcpy(pl + i, &r, plen - i < 8 ? plen - i : 8);
    }
    return len;
}

int vn_traffic_check(struct vn_traffic *t, unsigned rx_pair, const uint8_t *frame, size_t len)
{
    uint32_t magic = 0, pair = 0;
    uint64_t seq = 0;
    if (len >= HDRS + 16) {
        memcpy(&magic, frame + HDRS, 4);
        memcpy(&pair, frame + HDRS + 4, 4);
        memcpy(&seq, frame + HDRS + 8, 8);
    }
    if (magic != TAG_MAGIC || pair >= t->pairs || seq >= t->sent[pair]) {
        t->rx_bad++;
        if (!t->first_error[0])
            snprintf(t->first_error, sizeof(t->first_error),
                     "pair %u: unrecognisable frame of %zu bytes (tag corrupted?)", rx_pair, len);
        return -1;
    }
    uint8_t want[VN_FRAME_MAX];
    size_t wlen = vn_traffic_frame(t, pair, seq, want);
    if (wlen != len || memcmp(want, frame, len) != 0) {
        t->rx_bad++;
        if (!t->first_error[0]) {
            size_t i = 0;
            while (i < len && i < wlen && want[i] == frame[i])
                i++;
            snprintf(t->first_error, sizeof(t->first_error),
                     "pair %u seq %llu: %zu bytes, expected %zu; first difference at byte %zu",
                     pair, (unsigned long long)seq, len, wlen, i);
        }
        return -1;
    }
    if (rx_pair != pair) {
        t->rx_wrong_queue++;
        if (!t->first_error[0])
            snprintf(t->first_error, sizeof(t->first_error),
                     "pair %u seq %llu arrived on pair %u", pair, (unsigned long long)seq, rx_pair);
        return -1;
    }
    if (seq != t->next_rx[pair]) {
        t->rx_out_of_order++;
        if (!t->first_error[0])
            snprintf(t->first_error, sizeof(t->first_error),
                     "pair %u: got seq %llu, expected %llu (lost, duplicated or reordered)", pair,
                     (unsigned long long)seq, (unsigned long long)t->next_rx[pair]);
        return -1;
    }
    t->next_rx[pair]++;
    t->rx_ok++;
    t->bytes_ok += len;
    return 0;
}

uint64_t vn_traffic_missing(const struct vn_traffic *t)
{
    uint64_t m = 0;
    for (unsigned p = 0; p < t->pairs; p++)
        m += t->sent[p] - t->next_rx[p];
    return m;
}
