/* fw_rxfilter.c: the receive filter the RTL applies to every frame (RXF_*), driven by the
 * RX, MAC and VLAN classes of the control queue (virtio 1.2 5.1.6.5.1 to 5.1.6.5.3), and
 * the rest of the receive-side state the driver changes through it: the current MAC
 * (ADDR_SET), the announce handshake (5.1.6.5.4) and the receive offloads (5.1.6.5.6.1).
 *
 * The firmware's copies are the truth: the filter registers are written, never read back
 * (the MAC table and the VLAN bitmap cannot be: they are written through an index). */
#include "fw_internal.h"
#include "hal.h"

#define RX_ONOFF_LEN 1u  /* u8: 0 off, 1 on */
#define MAC_LEN VN_DEVICE_NET_MAC_SIZE
#define MAC_COUNT_LEN 4u /* le32 entries, before each of the two tables */
#define VLAN_ID_LEN 2u   /* le16 */
#define OFFLOADS_LEN 8u  /* le64 */

/* RX class command n switches RXF_CTRL bit n. */
_Static_assert(VN_RXF_PROMISC == 1u << VN_CTRL_RX_PROMISC &&
                   VN_RXF_ALLMULTI == 1u << VN_CTRL_RX_ALLMULTI &&
                   VN_RXF_ALLUNI == 1u << VN_CTRL_RX_ALLUNI &&
                   VN_RXF_NOMULTI == 1u << VN_CTRL_RX_NOMULTI &&
                   VN_RXF_NOUNI == 1u << VN_CTRL_RX_NOUNI &&
                   VN_RXF_NOBCAST == 1u << VN_CTRL_RX_NOBCAST,
               "RXF_CTRL bits in the order of the RX commands");
_Static_assert(MAC_LEN == 6, "a MAC entry is RXF_MAC_LO and RXF_MAC_HI[15:0]");
_Static_assert(FW_VLAN_WORDS == 128, "RXF_VLAN_IDX 0..127");

static const uint8_t fw_mac[MAC_LEN] = {FW_MAC0, FW_MAC1, FW_MAC2, FW_MAC3, FW_MAC4, FW_MAC5};

static bool negotiated(unsigned bit)
{
    return (fw_st.negotiated & FW_BIT(bit)) != 0;
}

/* RXF_CTRL: the driver's modes, the overflow bits given, and the VLAN filter when the
 * driver can fill its table (CTRL_VLAN: until then every VLAN passes, as in QEMU). */
static void write_ctrl(uint32_t overflow)
{
    uint32_t v = fw_st.rxf_mode | overflow;
    if (negotiated(VN_F_CTRL_VLAN))
        v |= VN_RXF_VLAN;
    hal_write32(VN_FW_RXF_CTRL, v);
}

static void write_own(void)
{
    hal_write32(VN_FW_RXF_OWN_LO, fw_le32(fw_st.mac));
    hal_write32(VN_FW_RXF_OWN_HI, fw_le16(fw_st.mac + 4));
}

/* MAC table entry i: the address at mac, or invalid when mac is NULL. */
static void write_entry(uint32_t i, const uint8_t *mac)
{
    hal_write32(VN_FW_RXF_MAC_IDX, i);
    hal_write32(VN_FW_RXF_MAC_LO, mac ? fw_le32(mac) : 0);
    /* last: this write stores the entry */
    hal_write32(VN_FW_RXF_MAC_HI, mac ? fw_le16(mac + 4) | VN_RXF_MAC_VALID : 0);
}

static void write_vlan(uint32_t w)
{
    hal_write32(VN_FW_RXF_VLAN_IDX, w);
    hal_write32(VN_FW_RXF_VLAN_DATA, fw_st.rxf_vlan[w]);
}

void fw_rxf_init(void)
{
    /* Counted as in use, so that the reset fw_init does next clears every entry. */
    fw_st.rxf_macs = VN_RXF_MAC_ENTRIES;
    for (uint32_t w = 0; w < FW_VLAN_WORDS; w++)
        fw_st.rxf_vlan[w] = ~0u;
}

void fw_rxf_reset(void)
{
    fw_bcopy(fw_st.mac, fw_mac, MAC_LEN);
    fw_st.announce = false;
    fw_st.guest_offloads = 0;
    /* Promiscuous, as QEMU: a driver without CTRL_RX never says otherwise, and one with
     * it sets its own modes once it is live. */
    fw_st.rxf_mode = VN_RXF_PROMISC;
    fw_st.rxf_overflow = 0;
    write_ctrl(0);
    write_own();
    /* 5.1.6.5.2.1: the MAC filter is empty at reset.  Only what was written since the last
     * reset needs clearing: a device reset stays short. */
    for (uint32_t i = 0; i < fw_st.rxf_macs; i++)
        write_entry(i, (const uint8_t *)0);
    fw_st.rxf_macs = 0;
    for (uint32_t w = 0; w < FW_VLAN_WORDS; w++) {
        if (fw_st.rxf_vlan[w]) {
            fw_st.rxf_vlan[w] = 0;
            write_vlan(w);
        }
    }
}

void fw_rxf_features(void)
{
    /* 5.1.6.5.6.1: each negotiated receive offload starts enabled */
    fw_st.guest_offloads = fw_st.negotiated & FW_GUEST_OFFLOADS;
    write_ctrl(fw_st.rxf_overflow);
}

uint8_t fw_rx_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    unsigned gate = cmd <= VN_CTRL_RX_ALLMULTI ? VN_F_CTRL_RX : VN_F_CTRL_RX_EXTRA;

    if (cmd > VN_CTRL_RX_NOBCAST || !negotiated(gate) || len != RX_ONOFF_LEN || data[0] > 1)
        return VN_CTRL_ERR;
    uint32_t bit = 1u << cmd;
    fw_st.rxf_mode = data[0] ? fw_st.rxf_mode | bit : fw_st.rxf_mode & ~bit;
    write_ctrl(fw_st.rxf_overflow);
    return VN_CTRL_OK;
}

/* TABLE_SET: le32 n, n unicast addresses, le32 m, m multicast addresses, exactly. */
static uint8_t table_set(const uint8_t *d, uint64_t len)
{
    if (!negotiated(VN_F_CTRL_RX) || len < 2 * MAC_COUNT_LEN)
        return VN_CTRL_ERR;
    uint64_t n = fw_le32(d);
    if (n > (len - 2 * MAC_COUNT_LEN) / MAC_LEN)
        return VN_CTRL_ERR;
    const uint8_t *uni = d + MAC_COUNT_LEN, *mc = uni + n * MAC_LEN + MAC_COUNT_LEN;
    uint64_t m = fw_le32(mc - MAC_COUNT_LEN);
    if (len != 2 * MAC_COUNT_LEN + (n + m) * MAC_LEN)
        return VN_CTRL_ERR;

    /* A list that does not fit is not stored at all: every address of its kind passes
     * instead (as QEMU), and the multicast list gets what unicast left. */
    uint32_t overflow = 0, used = 0;
    if (n <= VN_RXF_MAC_ENTRIES)
        used = (uint32_t)n;
    else
        overflow |= VN_RXF_ALLUNI;
    if (m > VN_RXF_MAC_ENTRIES - used)
        overflow |= VN_RXF_ALLMULTI;

    /* An overflow bit coming on does so before the entries change, one going off after
     * they are in: a frame in between is let through rather than refused. */
    if (overflow & ~fw_st.rxf_overflow)
        write_ctrl(fw_st.rxf_overflow | overflow);
    uint32_t next = 0;
    for (uint32_t i = 0; !(overflow & VN_RXF_ALLUNI) && i < n; i++)
        write_entry(next++, uni + MAC_LEN * i);
    for (uint32_t i = 0; !(overflow & VN_RXF_ALLMULTI) && i < m; i++)
        write_entry(next++, mc + MAC_LEN * i);
    for (uint32_t i = next; i < fw_st.rxf_macs; i++)
        write_entry(i, (const uint8_t *)0);
    fw_st.rxf_macs = next;
    fw_st.rxf_overflow = overflow;
    write_ctrl(overflow);
    return VN_CTRL_OK;
}

/* ADDR_SET (CTRL_MAC_ADDR, whatever CTRL_RX says: virtio-facts 9.6). */
static uint8_t addr_set(const uint8_t *d, uint64_t len)
{
    if (!negotiated(VN_F_CTRL_MAC_ADDR) || len != MAC_LEN)
        return VN_CTRL_ERR;
    fw_bcopy(fw_st.mac, d, MAC_LEN);
    write_own();
    /* 5.1.6.5.2.1: the mac field is the new one before the buffer is marked used */
    fw_publish_devcfg();
    return VN_CTRL_OK;
}

uint8_t fw_mac_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    switch (cmd) {
    case VN_CTRL_MAC_TABLE_SET:
        return table_set(data, len);
    case VN_CTRL_MAC_ADDR_SET:
        return addr_set(data, len);
    default:
        return VN_CTRL_ERR;
    }
}

uint8_t fw_vlan_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    if (!negotiated(VN_F_CTRL_VLAN) || cmd > VN_CTRL_VLAN_DEL || len != VLAN_ID_LEN)
        return VN_CTRL_ERR;
    uint32_t id = fw_le16(data);
    if (id >= FW_VLAN_IDS)
        return VN_CTRL_ERR;
    uint32_t w = id / 32u, bit = 1u << (id % 32u);
    fw_st.rxf_vlan[w] = cmd == VN_CTRL_VLAN_ADD ? fw_st.rxf_vlan[w] | bit
                                                : fw_st.rxf_vlan[w] & ~bit;
    write_vlan(w);
    return VN_CTRL_OK;
}

uint8_t fw_announce_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    (void)data;
    if (!negotiated(VN_F_GUEST_ANNOUNCE) || cmd != VN_CTRL_ANNOUNCE_ACK || len != 0)
        return VN_CTRL_ERR;
    /* 5.1.6.5.4.2: ANNOUNCE is clear before the buffer is marked used.  An ACK with
     * nothing pending (a second one) changes nothing and is no error. */
    if (fw_st.announce) {
        fw_st.announce = false;
        fw_publish_devcfg();
    }
    return VN_CTRL_OK;
}

uint8_t fw_offloads_command(uint8_t cmd, const uint8_t *data, uint64_t len)
{
    if (!negotiated(VN_F_CTRL_GUEST_OFFLOADS) || cmd != VN_CTRL_GUEST_OFFLOADS_SET ||
        len != OFFLOADS_LEN)
        return VN_CTRL_ERR;
    uint64_t want = fw_le64(data);
    /* 5.1.6.5.6.1: only receive offloads that were negotiated may be named */
    if (want & ~(fw_st.negotiated & FW_GUEST_OFFLOADS))
        return VN_CTRL_ERR;
    fw_st.guest_offloads = want;
    if (fw_st.status & VN_STATUS_DRIVER_OK)
        hal_write32(VN_FW_DEV_CTRL, fw_dev_ctrl());
    return VN_CTRL_OK;
}
