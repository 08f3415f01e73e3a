/* fw_devcfg.c: virtio_net_config as the driver reads it (DEVCFG0..7), and
 * config_generation. */
#include "fw_internal.h"
#include "hal.h"

_Static_assert(VN_FW_DEVCFG7 - VN_FW_DEVCFG0 == 4 * (FW_DEVCFG_WORDS - 1),
               "DEVCFG0..7 are consecutive words covering the device cfg");
_Static_assert(VN_DEVICE_NET_MAC_SIZE == 6 && VN_DEVICE_NET_STATUS_SIZE == 2 &&
                   VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE == 2 && VN_DEVICE_NET_MTU_SIZE == 2 &&
                   VN_DEVICE_NET_RSS_MAX_KEY_SIZE_SIZE == 1 &&
                   VN_DEVICE_NET_RSS_MAX_ITABLE_LEN_SIZE == 2 &&
                   VN_DEVICE_NET_SUPPORTED_HASH_TYPES_SIZE == 4,
               "virtio_net_config field widths");
_Static_assert(VN_DEVICE_NET_SUPPORTED_HASH_TYPES + 4 <= VN_DEVICE_LEN,
               "the RSS fields are inside the advertised device cfg");
/* 5.1.4.1: a device offering RSS or HASH_REPORT has at least these */
_Static_assert(VN_RSS_KEY_LEN >= 40 && VN_RSS_KEY_LEN <= 0xff && VN_RSS_TABLE_LEN >= 128 &&
                   VN_RSS_TABLE_LEN <= 0xffff,
               "rss_max_key_size and rss_max_indirection_table_length");

void fw_publish_devcfg(void)
{
    uint8_t b[VN_DEVICE_LEN];

    for (uint32_t i = 0; i < VN_DEVICE_LEN; i++)
        b[i] = 0;
    fw_bcopy(b + VN_DEVICE_NET_MAC, fw_st.mac, sizeof fw_st.mac);
    fw_put_le16(b + VN_DEVICE_NET_STATUS, (uint16_t)((fw_st.link_up ? VN_NET_S_LINK_UP : 0) |
                                                     (fw_st.announce ? VN_NET_S_ANNOUNCE : 0)));
    fw_put_le16(b + VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, (uint16_t)fw_st.max_pairs);
    fw_put_le16(b + VN_DEVICE_NET_MTU, VN_NET_MTU_DEFAULT);
    /* SPEED_DUPLEX: the line's figures while it is up, unknown while it is down */
    fw_put_le32(b + VN_DEVICE_NET_SPEED, fw_st.link_up ? VN_NET_SPEED_MBPS : VN_NET_SPEED_UNKNOWN);
    b[VN_DEVICE_NET_DUPLEX] = (uint8_t)(fw_st.link_up ? VN_NET_DUPLEX_FULL : VN_NET_DUPLEX_UNKNOWN);
    /* Always there, as every field is: readable before FEATURES_OK (2.5.2) */
    b[VN_DEVICE_NET_RSS_MAX_KEY_SIZE] = VN_RSS_KEY_LEN;
    fw_put_le16(b + VN_DEVICE_NET_RSS_MAX_ITABLE_LEN, VN_RSS_TABLE_LEN);
    fw_put_le32(b + VN_DEVICE_NET_SUPPORTED_HASH_TYPES, VN_RSS_HASH_TYPES);

    bool changed = false;
    for (uint32_t w = 0; w < FW_DEVCFG_WORDS; w++) {
        uint32_t v = fw_le32(b + 4 * w);
        if (!fw_st.devcfg_valid || fw_st.devcfg[w] != v) {
            changed = true;
            fw_st.devcfg[w] = v;
            hal_write32(VN_FW_DEVCFG0 + 4 * w, v);
        }
    }
    /* 4.1.4.3.1: a driver that read the old contents must see a new generation. */
    if (changed && fw_st.devcfg_valid) {
        fw_st.config_gen++;
        hal_write32(VN_FW_CC_CONFIG_GENERATION, fw_st.config_gen);
    }
    fw_st.devcfg_valid = true;
}

static bool may_announce(void)
{
    return (fw_st.status & VN_STATUS_DRIVER_OK) &&
           (fw_st.negotiated & FW_BIT(VN_F_GUEST_ANNOUNCE));
}

bool fw_announce(void)
{
    if (!may_announce())
        return false;
    /* 5.1.4.2: the bit, then the config change notification */
    fw_st.announce = true;
    fw_publish_devcfg();
    hal_write32(VN_FW_CFG_IRQ, 1);
    return true;
}

void fw_on_link(bool up)
{
    if (up == fw_st.link_up)
        return;
    fw_st.link_up = up;
    /* Back on the wire, perhaps somewhere else: the peers' tables may be stale, so the
     * driver is asked to announce itself (5.1.6.5.4) in the same configuration change. */
    if (up && may_announce())
        fw_st.announce = true;
    fw_publish_devcfg();
    /* 5.1.4.2: a link change is a configuration change; the driver hears of it once it
     * is live (before DRIVER_OK it reads the status when it gets there). */
    if (fw_st.status & VN_STATUS_DRIVER_OK)
        hal_write32(VN_FW_CFG_IRQ, 1);
}
