/* fw_rss.c: receive-side scaling and hash reports (virtio 1.2 5.1.6.5.7, 5.1.6.5.6.4),
 * the RSS_CONFIG and HASH_CONFIG commands of the MQ class.
 *
 * The RTL stages the key, the indirection table, the mask and the unclassified queue; the
 * RSS_CTRL write makes them active together with itself.  Every command checks all of
 * its data first, then writes the staged fields, and RSS_CTRL last: a frame sees the old
 * configuration or the new one, never a mix, and a refused command changes nothing.
 *
 * Which steering is in force is decided by the most recent MQ command (5.1.6.5.5):
 * RSS_CONFIG sets RSS_EN; VQ_PAIRS_SET and HASH_CONFIG clear it, so that RX_QUEUE_PAIRS
 * spreads the frames again, while the enabled hash types stay: hash reports go on. */
#include "fw_internal.h"
#include "hal.h"

/* virtio_net_rss_config: le32 hash_types, le16 indirection_table_mask, le16
 * unclassified_queue, le16 indirection_table[mask + 1], le16 max_tx_vq, u8
 * hash_key_length, hash_key_length bytes of key. */
#define RSS_HDR 8u
#define RSS_MASK_OFF 4u
#define RSS_UNCLASS_OFF 6u
#define RSS_TAIL 3u /* max_tx_vq and hash_key_length, after the table */
/* virtio_net_hash_config: le32 hash_types, le16 reserved[4], u8 hash_key_length, key. */
#define HASH_HDR 13u
#define HASH_KEY_LEN_OFF 12u

#define KEY_WORDS (VN_RSS_KEY_LEN / 4u)
_Static_assert(VN_RSS_KEY_LEN % 4u == 0, "the key is RSS_KEY0.. words");
_Static_assert(VN_RSS_HASH_TYPES < VN_RSS_EN, "hash types below RSS_EN in RSS_CTRL");

static void write_ctrl(uint32_t v)
{
    fw_st.rss_ctrl = v;
    hal_write32(VN_FW_RSS_CTRL, v);
}

/* The key's first len bytes, zeros after them (key byte 0 in [7:0] of RSS_KEY0). */
static void write_key(const uint8_t *key, uint32_t len)
{
    for (uint32_t w = 0; w < KEY_WORDS; w++) {
        uint32_t v = 0;
        for (uint32_t b = 0; b < 4; b++)
            if (4 * w + b < len)
                v |= (uint32_t)key[4 * w + b] << (8 * b);
        hal_write32(VN_FW_RSS_KEY0 + 4 * w, v);
    }
}

void fw_rss_reset(void)
{
    /* The staged fields to zero, the table only where mask 0 reaches: the rest is not
     * used until an RSS_CONFIG writes every entry its mask covers. */
    hal_write32(VN_FW_RSS_UNCLASS, 0);
    hal_write32(VN_FW_RSS_MASK, 0);
    hal_write32(VN_FW_RSS_TBL_IDX, 0);
    hal_write32(VN_FW_RSS_TBL_DATA, 0);
    write_key((const uint8_t *)0, 0);
    /* 5.1.6.5.6.4: initially every hash type is disabled */
    write_ctrl(0);
}

static bool power_of_2(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

uint8_t fw_rss_config(const uint8_t *d, uint64_t len)
{
    if (!(fw_st.negotiated & FW_BIT(VN_F_RSS)) || len < RSS_HDR)
        return VN_CTRL_ERR;
    uint32_t entries = fw_le16(d + RSS_MASK_OFF) + 1u;
    /* 5.1.6.5.7.1: a power of 2, no longer than rss_max_indirection_table_length */
    if (!power_of_2(entries) || entries > VN_RSS_TABLE_LEN ||
        len < RSS_HDR + 2u * entries + RSS_TAIL)
        return VN_CTRL_ERR;
    const uint8_t *table = d + RSS_HDR, *tail = table + 2u * entries;
    uint32_t unclass = fw_le16(d + RSS_UNCLASS_OFF);
    uint32_t max_tx = fw_le16(tail), key_len = tail[2];
    /* Queue numbers (rss_rq_id in 1.3: bit 15 reserved) name receive queues that exist;
     * max_tx_vq only tells how many transmit queues the driver uses, and every enabled
     * one is served anyway, so it is only checked. */
    if (len != RSS_HDR + 2u * entries + RSS_TAIL + key_len || key_len > VN_RSS_KEY_LEN ||
        unclass >= fw_st.max_pairs || max_tx == 0 || max_tx > fw_st.max_pairs)
        return VN_CTRL_ERR;
    for (uint32_t i = 0; i < entries; i++)
        if (fw_le16(table + 2u * i) >= fw_st.max_pairs)
            return VN_CTRL_ERR;

    hal_write32(VN_FW_RSS_UNCLASS, unclass);
    hal_write32(VN_FW_RSS_MASK, entries - 1u);
    for (uint32_t i = 0; i < entries; i++) {
        hal_write32(VN_FW_RSS_TBL_IDX, i);
        hal_write32(VN_FW_RSS_TBL_DATA, fw_le16(table + 2u * i));
    }
    write_key(tail + RSS_TAIL, key_len);
    /* Types the device cannot hash are not enabled: their frames are unclassified. */
    write_ctrl((fw_le32(d) & VN_RSS_HASH_TYPES) | VN_RSS_EN);
    return VN_CTRL_OK;
}

uint8_t fw_hash_config(const uint8_t *d, uint64_t len)
{
    if (!(fw_st.negotiated & FW_BIT(VN_F_HASH_REPORT)) || len < HASH_HDR)
        return VN_CTRL_ERR;
    /* The reserved words are not checked: a value there changes nothing here. */
    uint32_t key_len = d[HASH_KEY_LEN_OFF];
    if (key_len > VN_RSS_KEY_LEN || len != HASH_HDR + key_len)
        return VN_CTRL_ERR;
    write_key(d + HASH_HDR, key_len);
    write_ctrl(fw_le32(d) & VN_RSS_HASH_TYPES);
    return VN_CTRL_OK;
}

void fw_rss_steer_off(void)
{
    if (fw_st.rss_ctrl & VN_RSS_EN)
        write_ctrl(fw_st.rss_ctrl & ~(uint32_t)VN_RSS_EN);
}
