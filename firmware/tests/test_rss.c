/* test_rss.c: RSS_CONFIG and HASH_CONFIG (virtio 1.2 5.1.6.5.7, 5.1.6.5.6.4): the staged
 * RSS fields, RSS_CTRL written last (the mock makes the staged copy active on that write),
 * the errors, the steering mode the most recent MQ command leaves, the device cfg fields
 * and the reset defaults. */
#include <string.h>

#include "fw.h"
#include "fw_test.h"

#define ERR VN_CTRL_ERR
#define OK VN_CTRL_OK
#define NO_RSS (FEATURES_ALL & ~BIT(VN_F_RSS))
#define NO_HASH (FEATURES_ALL & ~BIT(VN_F_HASH_REPORT))
#define ALL_TYPES 0x1ffu /* every hash type virtio defines, _EX ones too */

struct rss {
    uint32_t types;
    uint16_t mask, unclass, max_tx;
    uint16_t tbl[256];
    uint8_t key_len;
    uint8_t key[64];
};

/* A valid configuration: entries spread over every pair, a 40-byte key. */
static void rss_default(struct rss *r, unsigned entries)
{
    memset(r, 0, sizeof *r);
    r->types = ALL_TYPES;
    r->mask = (uint16_t)(entries - 1);
    r->unclass = 1;
    r->max_tx = MOCK_PAIRS;
    for (unsigned i = 0; i < entries; i++)
        r->tbl[i] = (uint16_t)((i * 3u) % MOCK_PAIRS);
    r->key_len = VN_RSS_KEY_LEN;
    for (unsigned i = 0; i < sizeof r->key; i++)
        r->key[i] = (uint8_t)(0x6d + 7 * i);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* virtio_net_rss_config from r, its table r->mask + 1 entries long; the length. */
static uint32_t rss_bytes(uint8_t *d, const struct rss *r)
{
    uint32_t t = r->mask + 1u, p = 8;
    put32(d, r->types);
    put16(d + 4, r->mask);
    put16(d + 6, r->unclass);
    for (uint32_t i = 0; i < t; i++, p += 2)
        put16(d + p, r->tbl[i]);
    put16(d + p, r->max_tx);
    d[p + 2] = r->key_len;
    memcpy(d + p + 3, r->key, r->key_len);
    return p + 3 + r->key_len;
}

static uint8_t rss_config_split(const struct rss *r, int delta, uint32_t piece)
{
    static uint8_t d[2048];
    uint32_t len = rss_bytes(d, r);
    return drv_ctrl_split(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, d, (uint32_t)(len + delta),
                          piece);
}

static uint8_t rss_config(const struct rss *r)
{
    return rss_config_split(r, 0, 0);
}

static uint8_t hash_config(uint32_t types, const uint8_t *key, uint8_t key_len, int delta)
{
    uint8_t d[64] = {0};
    put32(d, types);
    put16(d + 4, 0x1234); /* reserved: not checked */
    d[12] = key_len;
    memcpy(d + 13, key, key_len < 50 ? key_len : 50);
    return drv_ctrl(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_HASH_CONFIG, d, (uint32_t)(13 + key_len + delta));
}

static uint8_t vq_pairs_set(uint16_t pairs)
{
    uint8_t d[2];
    put16(d, pairs);
    return drv_ctrl(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, d, 2);
}

/* The active key words: the first len bytes of key, zeros after. */
static void check_key(const uint8_t *key, unsigned len)
{
    for (unsigned w = 0; w < MOCK_RSS_KEY_WORDS; w++) {
        uint32_t want = 0;
        for (unsigned b = 0; b < 4; b++)
            if (4 * w + b < len)
                want |= (uint32_t)key[4 * w + b] << (8 * b);
        CHECK(mock.rss.key[w] == want, "key word %u: 0x%08x, want 0x%08x", w, mock.rss.key[w],
              want);
    }
}

/* r is what the RTL steers by, and nothing is left staged: RSS_CTRL came last. */
static void check_active(const struct rss *r)
{
    CHECK_EQ(mock.rss.ctrl, (r->types & VN_RSS_HASH_TYPES) | VN_RSS_EN, "RSS_CTRL");
    CHECK_EQ(mock.rss.unclass, r->unclass, "RSS_UNCLASS");
    CHECK_EQ(mock.rss.mask, r->mask, "RSS_MASK");
    for (unsigned i = 0; i <= r->mask; i++)
        CHECK(mock.rss.tbl[i] == r->tbl[i], "entry %u: %u, want %u", i, mock.rss.tbl[i],
              r->tbl[i]);
    check_key(r->key, r->key_len);
    CHECK(memcmp(&mock.rss, &mock.rss_stage, sizeof mock.rss) == 0,
          "every staged write committed by RSS_CTRL");
}

static bool rss_reg(uint32_t a)
{
    return (a >= VN_FW_RSS_CTRL && a <= VN_FW_RSS_TBL_DATA) ||
           (a >= VN_FW_RSS_KEY0 && a < VN_FW_RSS_KEY0 + 4 * MOCK_RSS_KEY_WORDS);
}

/* The RSS register writes since mark: how many; the last is RSS_CTRL. */
static unsigned rss_writes_since(unsigned mark, bool *ctrl_last)
{
    unsigned n = 0;
    *ctrl_last = false;
    for (unsigned i = mark; i < mock.log_len && i < MOCK_LOG_MAX; i++) {
        if (rss_reg(mock.log[i].addr)) {
            n++;
            *ctrl_last = mock.log[i].addr == VN_FW_RSS_CTRL;
        }
    }
    return n;
}

static void device_cfg_fields(void)
{
    /* readable before FEATURES_OK (2.5.2) */
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_RSS_MAX_KEY_SIZE, 1), VN_RSS_KEY_LEN, "key size");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_RSS_MAX_KEY_SIZE, 1), 40, "40 bytes");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_RSS_MAX_ITABLE_LEN, 2), VN_RSS_TABLE_LEN, "table");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_RSS_MAX_ITABLE_LEN, 2), 128, "128 entries");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SUPPORTED_HASH_TYPES, 4), VN_RSS_HASH_TYPES, "types");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SUPPORTED_HASH_TYPES, 4), 0x3f, "no _EX types");
    /* the fields before them are where they were */
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_DUPLEX, 1), VN_NET_DUPLEX_FULL, "duplex");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, 2), MOCK_PAIRS, "max pairs");
    drv_live(FEATURES_ALL);
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SUPPORTED_HASH_TYPES, 4), VN_RSS_HASH_TYPES,
             "types when live");
}

static void rss_config_full(void)
{
    struct rss r;
    rss_default(&r, VN_RSS_TABLE_LEN);
    drv_live(FEATURES_ALL);
    unsigned mark = mock.log_len, commits = mock.rss_commits;
    /* 8 + 256 + 3 + 40 = 307 bytes of data, in 50-byte descriptors */
    CHECK_EQ(rss_config_split(&r, 0, 50), OK, "RSS_CONFIG, 128 entries");
    check_active(&r);
    bool last;
    CHECK_EQ(rss_writes_since(mark, &last), 2 + 2 * VN_RSS_TABLE_LEN + MOCK_RSS_KEY_WORDS + 1,
             "writes: unclass, mask, table, key, ctrl");
    CHECK(last, "RSS_CTRL written last");
    CHECK_EQ(mock.rss_commits, commits + 1, "one commit");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 1, "RX_QUEUE_PAIRS untouched: the table steers");
    CHECK_EQ(mock.fdma_faults, 0, "FDMA inside host memory");

    /* a smaller table, a shorter key: the key bytes after it are zeros */
    rss_default(&r, 4);
    r.types = 1u << 1 | 1u << 4; /* TCPv4, TCPv6 */
    r.unclass = 3;
    r.key_len = 10;
    CHECK_EQ(rss_config(&r), OK, "4 entries, 10-byte key");
    check_active(&r);
    r.key_len = 0;
    r.mask = 0;
    CHECK_EQ(rss_config(&r), OK, "1 entry, no key");
    check_active(&r);
}

static void rss_config_errors(void)
{
    drv_live(FEATURES_ALL);
    struct rss good, r;
    rss_default(&good, 8);
    CHECK_EQ(rss_config(&good), OK, "a configuration first");
    unsigned mark = mock.log_len;

    r = good, r.mask = 2;
    CHECK_EQ(rss_config(&r), ERR, "3 entries: not a power of 2");
    r = good, r.mask = 255;
    CHECK_EQ(rss_config(&r), ERR, "256 entries: more than rss_max_indirection_table_length");
    uint8_t big[16] = {0x3f, 0, 0, 0, 0xff, 0xff}; /* mask 0xffff, and little else */
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, big, sizeof big), ERR,
             "mask 0xffff");
    r = good, r.tbl[5] = MOCK_PAIRS;
    CHECK_EQ(rss_config(&r), ERR, "an entry naming a queue that does not exist");
    r = good, r.tbl[0] = 0x8000;
    CHECK_EQ(rss_config(&r), ERR, "an entry with bit 15 set");
    r = good, r.unclass = MOCK_PAIRS;
    CHECK_EQ(rss_config(&r), ERR, "unclassified_queue too large");
    r = good, r.max_tx = 0;
    CHECK_EQ(rss_config(&r), ERR, "max_tx_vq 0");
    r = good, r.max_tx = MOCK_PAIRS + 1;
    CHECK_EQ(rss_config(&r), ERR, "max_tx_vq above max_virtqueue_pairs");
    r = good, r.key_len = VN_RSS_KEY_LEN + 1;
    CHECK_EQ(rss_config(&r), ERR, "41-byte key");
    CHECK_EQ(rss_config_split(&good, -1, 0), ERR, "one byte short");
    CHECK_EQ(rss_config_split(&good, 1, 0), ERR, "one byte long");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, NULL, 0), ERR, "no data");
    uint8_t d[8] = {0};
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, d, 7), ERR, "7 bytes");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MQ, 3, d, 8), ERR, "no such MQ command");
    bool last;
    CHECK_EQ(rss_writes_since(mark, &last), 0, "a refused command writes nothing");
    check_active(&good);
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_STATUS, 1), LIVE_STATUS, "errors are answers");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(NO_RSS);
    CHECK_EQ(rss_config(&good), ERR, "without RSS");
    CHECK_EQ(mock.rss.ctrl, 0, "nothing enabled");
}

static void hash_config_cmd(void)
{
    static const uint8_t key[64] = {0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
                                               0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
                                               0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
                                               0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
                                               0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};
    drv_live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    CHECK_EQ(hash_config(ALL_TYPES, key, VN_RSS_KEY_LEN, 0), OK, "HASH_CONFIG");
    CHECK_EQ(mock.rss.ctrl, VN_RSS_HASH_TYPES, "hash types, RSS_EN clear");
    check_key(key, VN_RSS_KEY_LEN);
    CHECK(memcmp(&mock.rss, &mock.rss_stage, sizeof mock.rss) == 0, "RSS_CTRL last");
    bool last;
    CHECK_EQ(rss_writes_since(mark, &last), MOCK_RSS_KEY_WORDS + 1, "key and ctrl");
    CHECK(last, "RSS_CTRL written last");

    CHECK_EQ(hash_config(0x1, key, 12, 0), OK, "IPv4 only, 12-byte key");
    CHECK_EQ(mock.rss.ctrl, 0x1, "IPv4");
    check_key(key, 12);

    mark = mock.log_len;
    CHECK_EQ(hash_config(0x1, key, VN_RSS_KEY_LEN + 1, 0), ERR, "41-byte key");
    CHECK_EQ(hash_config(0x1, key, 12, -1), ERR, "short");
    CHECK_EQ(hash_config(0x1, key, 12, 1), ERR, "long");
    CHECK_EQ(hash_config(0x1, key, 0, -1), ERR, "no key length");
    CHECK_EQ(rss_writes_since(mark, &last), 0, "a refused command writes nothing");

    CHECK_EQ(hash_config(0, key, 0, 0), OK, "every type off, no key");
    CHECK_EQ(mock.rss.ctrl, 0, "off");
    check_key(key, 0);

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(NO_HASH);
    CHECK_EQ(hash_config(0x3, key, 40, 0), ERR, "without HASH_REPORT");
    CHECK_EQ(mock.rss.ctrl, 0, "nothing enabled");
}

/* The most recent MQ command decides how frames are steered (5.1.6.5.5). */
static void most_recent_mq_command_decides(void)
{
    struct rss r;
    rss_default(&r, 16);
    r.types = 0x3;
    drv_live(FEATURES_ALL);
    CHECK_EQ(rss_config(&r), OK, "RSS_CONFIG");
    CHECK_EQ(mock.rss.ctrl, 0x3 | VN_RSS_EN, "RSS on");
    CHECK_EQ(vq_pairs_set(2), OK, "VQ_PAIRS_SET");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "two pairs");
    CHECK_EQ(mock.rss.ctrl, 0x3, "RSS off, the hash types stay for the reports");
    CHECK_EQ(mock.rss.mask, r.mask, "the table is kept");
    CHECK_EQ(rss_config(&r), OK, "RSS_CONFIG again");
    CHECK_EQ(mock.rss.ctrl, 0x3 | VN_RSS_EN, "RSS on again");
    CHECK_EQ(hash_config(0x4, r.key, 40, 0), OK, "HASH_CONFIG");
    CHECK_EQ(mock.rss.ctrl, 0x4, "RSS off, UDPv4 reports");
    unsigned commits = mock.rss_commits;
    CHECK_EQ(vq_pairs_set(3), OK, "VQ_PAIRS_SET without RSS on");
    CHECK_EQ(mock.rss_commits, commits, "RSS_CTRL not rewritten");
    CHECK_EQ(mock.rss.ctrl, 0x4, "unchanged");
    CHECK_EQ(vq_pairs_set(0), ERR, "0 pairs");
    CHECK_EQ(mock.rss.ctrl, 0x4, "unchanged by an error");
}

/* RSS without MQ: the control queue is still at 2 * max_pairs, and VQ_PAIRS_SET is not
 * there. */
static void rss_without_mq(void)
{
    struct rss r;
    rss_default(&r, 32);
    drv_live(FEATURES_ALL & ~BIT(VN_F_MQ));
    CHECK_EQ(rss_config(&r), OK, "RSS_CONFIG on the control queue at 2 * max_pairs");
    check_active(&r);
    CHECK_EQ(vq_pairs_set(2), ERR, "VQ_PAIRS_SET needs MQ");
    CHECK_EQ(mock.rss.ctrl & VN_RSS_EN, VN_RSS_EN, "RSS stays on");
}

static void reset_clears_rss(void)
{
    struct rss r;
    rss_default(&r, 64);
    drv_live(FEATURES_ALL);
    CHECK_EQ(rss_config(&r), OK, "RSS_CONFIG");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(mock.rss.ctrl, 0, "RSS_CTRL 0");
    CHECK_EQ(mock.rss.unclass, 0, "RSS_UNCLASS 0");
    CHECK_EQ(mock.rss.mask, 0, "RSS_MASK 0");
    CHECK_EQ(mock.rss.tbl[0], 0, "entry 0");
    check_key(r.key, 0);
    CHECK(memcmp(&mock.rss, &mock.rss_stage, sizeof mock.rss) == 0, "committed");
    /* at power-on too (the key held garbage) */
    mock_power_on();
    fw_init();
    CHECK_EQ(mock.rss.ctrl, 0, "RSS_CTRL 0 at power-on");
    check_key(r.key, 0);
}

int main(void)
{
    t_run("device_cfg_fields", device_cfg_fields);
    t_run("rss_config_full", rss_config_full);
    t_run("rss_config_errors", rss_config_errors);
    t_run("hash_config", hash_config_cmd);
    t_run("most_recent_mq_command_decides", most_recent_mq_command_decides);
    t_run("rss_without_mq", rss_without_mq);
    t_run("reset_clears_rss", reset_clears_rss);
    return t_summary();
}
