/* test_rxfilter.c: the receive filter through the control queue (RX, MAC and VLAN
 * classes, virtio 1.2 5.1.6.5.1 to 5.1.6.5.3): what reaches RXF_CTRL, RXF_OWN, the MAC
 * table and the VLAN bitmap, the errors, the feature gates and the reset defaults. */
#include <string.h>

#include "fw.h"
#include "fw_test.h"

#define ERR VN_CTRL_ERR
#define OK VN_CTRL_OK
#define MODES                                                                              \
    (VN_RXF_PROMISC | VN_RXF_ALLMULTI | VN_RXF_ALLUNI | VN_RXF_NOMULTI | VN_RXF_NOUNI |    \
     VN_RXF_NOBCAST)

static const uint8_t fw_mac[6] = {0x02, 0x56, 0x4e, 0x49, 0x43, 0x01};

static uint32_t rxf_ctrl(void)
{
    return mock_reg(VN_FW_RXF_CTRL);
}

static uint8_t rx_mode(uint8_t cmd, uint8_t on)
{
    return drv_ctrl(VN_CTRL_CLASS_RX, cmd, &on, 1);
}

/* Address i of a test list: a unicast (multi = 0) or multicast address. */
static void test_mac(uint8_t *m, unsigned i, int multi)
{
    m[0] = multi ? 0x01 : 0x02;
    m[1] = 0x10;
    m[2] = (uint8_t)(multi ? 0xcc : 0xaa);
    m[3] = 0x00;
    m[4] = (uint8_t)(i >> 8);
    m[5] = (uint8_t)i;
}

/* The TABLE_SET data for n unicast and m multicast test addresses; its length. */
static uint32_t table_data(uint8_t *d, unsigned n, unsigned m)
{
    uint32_t p = 0;
    d[p++] = (uint8_t)n, d[p++] = (uint8_t)(n >> 8), d[p++] = 0, d[p++] = 0;
    for (unsigned i = 0; i < n; i++, p += 6)
        test_mac(d + p, i, 0);
    d[p++] = (uint8_t)m, d[p++] = (uint8_t)(m >> 8), d[p++] = 0, d[p++] = 0;
    for (unsigned i = 0; i < m; i++, p += 6)
        test_mac(d + p, i, 1);
    return p;
}

static uint8_t table_set(unsigned n, unsigned m)
{
    uint8_t d[1024];
    uint32_t len = table_data(d, n, m);
    return drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len);
}

static uint32_t lo_of(const uint8_t *m)
{
    return (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
}

static uint32_t hi_of(const uint8_t *m)
{
    return (uint32_t)m[4] | (uint32_t)m[5] << 8;
}

/* MAC table entry e holds address i of the unicast or multicast test list. */
static void check_entry(unsigned e, unsigned i, int multi)
{
    uint8_t m[6];
    test_mac(m, i, multi);
    CHECK(mock.rxf_mac_lo[e] == lo_of(m) && mock.rxf_mac_hi[e] == (hi_of(m) | VN_RXF_MAC_VALID),
          "entry %u: 0x%08x 0x%08x, want %s %u", e, mock.rxf_mac_lo[e], mock.rxf_mac_hi[e],
          multi ? "multicast" : "unicast", i);
}

static void check_invalid_from(unsigned e)
{
    for (; e < VN_RXF_MAC_ENTRIES; e++)
        CHECK(!(mock.rxf_mac_hi[e] & VN_RXF_MAC_VALID), "entry %u invalid", e);
}

static void check_own(const uint8_t *m)
{
    CHECK_EQ(mock_reg(VN_FW_RXF_OWN_LO), lo_of(m), "RXF_OWN_LO");
    CHECK_EQ(mock_reg(VN_FW_RXF_OWN_HI), hi_of(m), "RXF_OWN_HI");
}

static void check_cfg_mac(const uint8_t *m)
{
    for (uint32_t i = 0; i < 6; i++)
        CHECK(drv_devcfg_read(VN_DEVICE_NET_MAC + i, 1) == m[i], "config mac byte %u", i);
}

static void check_vlans_zero(void)
{
    for (unsigned w = 0; w < VN_RXF_VLAN_WORDS; w++)
        CHECK(mock.rxf_vlan[w] == 0, "VLAN word %u: 0x%08x", w, mock.rxf_vlan[w]);
}

/* The RTL's tables hold garbage at power-on (mock_power_on): fw_init clears them. */
static void defaults_at_power_on(void)
{
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC, "RXF_CTRL: promiscuous");
    check_invalid_from(0);
    check_vlans_zero();
    check_own(fw_mac);
    check_cfg_mac(fw_mac);
    CHECK_EQ(mock.rss.ctrl, 0, "RSS_CTRL active");
}

static void vlan_filter_follows_negotiation(void)
{
    (void)drv_negotiate(FEATURES_ALL & ~BIT(VN_F_CTRL_VLAN));
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC, "no VLAN filter without CTRL_VLAN");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    (void)drv_negotiate(FEATURES_ALL);
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC | VN_RXF_VLAN, "VLAN filter with CTRL_VLAN");
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC | VN_RXF_VLAN, "kept at DRIVER_OK");
}

static void rx_modes(void)
{
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_VLAN));
    CHECK_EQ(rx_mode(VN_CTRL_RX_PROMISC, 0), OK, "PROMISC off");
    CHECK_EQ(rxf_ctrl(), 0, "nothing on");
    static const struct { uint8_t cmd; uint32_t bit; } m[] = {
        {VN_CTRL_RX_PROMISC, VN_RXF_PROMISC}, {VN_CTRL_RX_ALLMULTI, VN_RXF_ALLMULTI},
        {VN_CTRL_RX_ALLUNI, VN_RXF_ALLUNI},   {VN_CTRL_RX_NOMULTI, VN_RXF_NOMULTI},
        {VN_CTRL_RX_NOUNI, VN_RXF_NOUNI},     {VN_CTRL_RX_NOBCAST, VN_RXF_NOBCAST},
    };
    uint32_t want = 0;
    for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++) {
        CHECK(rx_mode(m[i].cmd, 1) == OK, "command %u on", m[i].cmd);
        want |= m[i].bit;
        CHECK(rxf_ctrl() == want, "after %u on: 0x%x, want 0x%x", m[i].cmd, rxf_ctrl(), want);
        CHECK(rx_mode(m[i].cmd, 1) == OK, "command %u on again", m[i].cmd);
        CHECK(rxf_ctrl() == want, "on twice: 0x%x", rxf_ctrl());
    }
    for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++) {
        CHECK(rx_mode(m[i].cmd, 0) == OK, "command %u off", m[i].cmd);
        want &= ~m[i].bit;
        CHECK(rxf_ctrl() == want, "after %u off: 0x%x, want 0x%x", m[i].cmd, rxf_ctrl(), want);
    }
}

static void rx_mode_errors(void)
{
    drv_live(FEATURES_ALL);
    uint32_t before = rxf_ctrl();
    uint8_t two[2] = {1, 0};
    CHECK_EQ(rx_mode(VN_CTRL_RX_PROMISC, 2), ERR, "value 2");
    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLMULTI, 0xff), ERR, "value 0xff");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_RX, VN_CTRL_RX_PROMISC, NULL, 0), ERR, "no data");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_RX, VN_CTRL_RX_PROMISC, two, 2), ERR, "two bytes");
    CHECK_EQ(rx_mode(VN_CTRL_RX_NOBCAST + 1, 1), ERR, "no such command");
    CHECK_EQ(rxf_ctrl(), before, "RXF_CTRL unchanged");
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_STATUS, 1), LIVE_STATUS, "errors are answers");
}

static void rx_mode_gates(void)
{
    /* PROMISC and ALLMULTI need CTRL_RX, the others CTRL_RX_EXTRA */
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_RX_EXTRA));
    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLMULTI, 1), OK, "ALLMULTI with CTRL_RX");
    for (uint8_t c = VN_CTRL_RX_ALLUNI; c <= VN_CTRL_RX_NOBCAST; c++)
        CHECK(rx_mode(c, 1) == ERR, "command %u without CTRL_RX_EXTRA", c);
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_PROMISC | VN_RXF_ALLMULTI, "only ALLMULTI added");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_RX));
    CHECK_EQ(rx_mode(VN_CTRL_RX_PROMISC, 0), ERR, "PROMISC without CTRL_RX");
    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLMULTI, 1), ERR, "ALLMULTI without CTRL_RX");
    CHECK_EQ(rx_mode(VN_CTRL_RX_NOBCAST, 1), OK, "NOBCAST with CTRL_RX_EXTRA");
    CHECK_EQ(table_set(1, 1), ERR, "TABLE_SET without CTRL_RX");
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_PROMISC | VN_RXF_NOBCAST, "still promiscuous");
}

static void mac_table(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(table_set(2, 3), OK, "2 + 3");
    check_entry(0, 0, 0);
    check_entry(1, 1, 0);
    check_entry(2, 0, 1);
    check_entry(3, 1, 1);
    check_entry(4, 2, 1);
    check_invalid_from(5);
    CHECK_EQ(rxf_ctrl() & (VN_RXF_ALLUNI | VN_RXF_ALLMULTI), 0, "no overflow");

    /* a smaller table: the entries beyond it go */
    CHECK_EQ(table_set(0, 1), OK, "0 + 1");
    check_entry(0, 0, 1);
    check_invalid_from(1);
    CHECK_EQ(table_set(0, 0), OK, "empty");
    check_invalid_from(0);

    /* exactly full */
    CHECK_EQ(table_set(20, VN_RXF_MAC_ENTRIES - 20), OK, "full");
    for (unsigned i = 0; i < 20; i++)
        check_entry(i, i, 0);
    for (unsigned i = 20; i < VN_RXF_MAC_ENTRIES; i++)
        check_entry(i, i - 20, 1);
    CHECK_EQ(rxf_ctrl() & (VN_RXF_ALLUNI | VN_RXF_ALLMULTI), 0, "a full table is no overflow");
}

/* A list that does not fit is not stored: ALLUNI or ALLMULTI instead, kept apart from the
 * driver's own ALLUNI/ALLMULTI. */
static void mac_table_overflow(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(rx_mode(VN_CTRL_RX_PROMISC, 0), OK, "PROMISC off");
    CHECK_EQ(table_set(VN_RXF_MAC_ENTRIES + 1, 2), OK, "unicast overflow");
    check_entry(0, 0, 1);
    check_entry(1, 1, 1);
    check_invalid_from(2);
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_ALLUNI, "ALLUNI by overflow");
    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLUNI, 1), OK, "driver ALLUNI on");
    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLUNI, 0), OK, "driver ALLUNI off");
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_ALLUNI, "the overflow keeps ALLUNI on");

    CHECK_EQ(table_set(30, 3), OK, "multicast overflow");
    for (unsigned i = 0; i < 30; i++)
        check_entry(i, i, 0);
    check_invalid_from(30);
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_ALLMULTI, "ALLMULTI by overflow, ALLUNI off again");

    CHECK_EQ(rx_mode(VN_CTRL_RX_ALLMULTI, 1), OK, "driver ALLMULTI on");
    CHECK_EQ(table_set(40, 40), OK, "both overflow");
    check_invalid_from(0);
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_ALLUNI | VN_RXF_ALLMULTI, "both");

    CHECK_EQ(table_set(1, 1), OK, "fits again");
    check_entry(0, 0, 0);
    check_entry(1, 0, 1);
    CHECK_EQ(rxf_ctrl() & MODES, VN_RXF_ALLMULTI, "the driver's ALLMULTI stays");
}

static void mac_table_errors(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(table_set(1, 1), OK, "a table first");
    uint8_t d[1024];
    uint32_t len = table_data(d, 3, 2);
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len - 1), ERR, "short");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len + 1), ERR, "long");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, 4), ERR, "no second count");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, 0), ERR, "no data");
    d[0] = d[1] = d[2] = d[3] = 0xff; /* n = 0xffffffff */
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len), ERR, "huge n");
    len = table_data(d, 1, 2);
    d[len - 2 * 6 - 4] = 0xff; /* m = 255 */
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len), ERR, "m too large");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, 2, d, 6), ERR, "no such MAC command");
    check_entry(0, 0, 0);
    check_entry(1, 0, 1);
    check_invalid_from(2);
    CHECK_EQ(rxf_ctrl() & (VN_RXF_ALLUNI | VN_RXF_ALLMULTI), 0, "no overflow bits");
}

/* The largest command kept is 512 bytes; the data read across several descriptors and
 * FDMA transfers. */
static void mac_table_long_commands(void)
{
    drv_live(FEATURES_ALL);
    uint8_t d[1024];
    /* 83 unicast addresses: 2 + 4 + 498 + 4 = 508 bytes, in 13-byte pieces */
    uint32_t len = table_data(d, 83, 0);
    CHECK_EQ(drv_ctrl_split(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len, 13), OK, "508 bytes");
    CHECK_EQ(rxf_ctrl() & VN_RXF_ALLUNI, VN_RXF_ALLUNI, "overflow");
    /* 32 + 0 in 7-byte pieces: one chain of 30 descriptors */
    len = table_data(d, VN_RXF_MAC_ENTRIES, 0);
    CHECK_EQ(drv_ctrl_split(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len, 7), OK, "pieces");
    for (unsigned i = 0; i < VN_RXF_MAC_ENTRIES; i++)
        check_entry(i, i, 0);
    CHECK_EQ(rxf_ctrl() & VN_RXF_ALLUNI, 0, "no overflow");
    /* 84 + 0: 514 bytes, too long: ERR, nothing changed, nothing read past 512 */
    len = table_data(d, 84, 0);
    unsigned faults = mock.fdma_faults;
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, d, len), ERR, "514 bytes");
    CHECK_EQ(mock.fdma_faults, faults, "no FDMA fault");
    for (unsigned i = 0; i < VN_RXF_MAC_ENTRIES; i++)
        check_entry(i, i, 0);
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_STATUS, 1), LIVE_STATUS, "answered, not reset");
}

static void mac_addr_set(void)
{
    static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    drv_live(FEATURES_ALL);
    uint32_t gen = drv_read(VN_COMMON_CONFIG_GENERATION, 1);
    unsigned mark = mock.log_len;
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6), OK, "ADDR_SET");
    check_cfg_mac(mac);
    check_own(mac);
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), (gen + 1) & 0xff, "generation bumped");
    /* 5.1.6.5.2.1: the config field and the filter change before the ack and the used
     * element are written */
    int cfg = mock_find_write(mark, VN_FW_DEVCFG0, lo_of(mac));
    int own = mock_find_write(mark, VN_FW_RXF_OWN_LO, lo_of(mac));
    int ack = mock_find_write(mark, VN_FW_FDMA_ADDR_LO, (uint32_t)DRV_CQ_ACK);
    CHECK(cfg >= 0 && own >= 0 && ack > cfg && ack > own, "devcfg %d, RXF_OWN %d, then ack %d",
          cfg, own, ack);
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt: the driver asked");

    uint8_t seven[7] = {1, 2, 3, 4, 5, 6, 7};
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, seven, 5), ERR, "5 bytes");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, seven, 7), ERR, "7 bytes");
    check_cfg_mac(mac);
    check_own(mac);

    /* ADDR_SET is gated by CTRL_MAC_ADDR alone (virtio-facts 9.6) */
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    check_cfg_mac(fw_mac);
    check_own(fw_mac);
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_RX) & ~BIT(VN_F_CTRL_RX_EXTRA));
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6), OK, "without CTRL_RX");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_MAC_ADDR));
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6), ERR,
             "without CTRL_MAC_ADDR");
    check_cfg_mac(fw_mac);
    check_own(fw_mac);
}

static uint8_t vlan(uint8_t cmd, uint16_t id)
{
    uint8_t d[2] = {(uint8_t)id, (uint8_t)(id >> 8)};
    return drv_ctrl(VN_CTRL_CLASS_VLAN, cmd, d, 2);
}

static void vlan_table(void)
{
    drv_live(FEATURES_ALL);
    static const uint16_t ids[] = {0, 1, 31, 32, 100, 4095};
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++)
        CHECK(vlan(VN_CTRL_VLAN_ADD, ids[i]) == OK, "add %u", ids[i]);
    CHECK_EQ(mock.rxf_vlan[0], 0x80000003u, "word 0: 0, 1, 31");
    CHECK_EQ(mock.rxf_vlan[1], 1, "word 1: 32");
    CHECK_EQ(mock.rxf_vlan[3], 1u << 4, "word 3: 100");
    CHECK_EQ(mock.rxf_vlan[127], 0x80000000u, "word 127: 4095");
    CHECK_EQ(vlan(VN_CTRL_VLAN_DEL, 1), OK, "del 1");
    CHECK_EQ(vlan(VN_CTRL_VLAN_DEL, 1), OK, "del 1 again");
    CHECK_EQ(vlan(VN_CTRL_VLAN_DEL, 4095), OK, "del 4095");
    CHECK_EQ(mock.rxf_vlan[0], 0x80000001u, "word 0: 0, 31");
    CHECK_EQ(mock.rxf_vlan[127], 0, "word 127 empty");

    uint8_t three[3] = {5, 0, 0};
    CHECK_EQ(vlan(VN_CTRL_VLAN_ADD, 4096), ERR, "id 4096");
    CHECK_EQ(vlan(VN_CTRL_VLAN_ADD, 0xffff), ERR, "id 0xffff");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_VLAN, VN_CTRL_VLAN_ADD, three, 1), ERR, "1 byte");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_VLAN, VN_CTRL_VLAN_ADD, three, 3), ERR, "3 bytes");
    CHECK_EQ(vlan(VN_CTRL_VLAN_DEL + 1, 5), ERR, "no such VLAN command");
    CHECK_EQ(mock.rxf_vlan[0], 0x80000001u, "word 0 unchanged");
    CHECK_EQ(mock.bad_writes, 0, "no index out of range");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_VLAN));
    CHECK_EQ(vlan(VN_CTRL_VLAN_ADD, 5), ERR, "without CTRL_VLAN");
    check_vlans_zero();
}

/* 5: every filter setting back to its default at a device reset. */
static void reset_restores_defaults(void)
{
    static const uint8_t mac[6] = {0x02, 0x99, 0x88, 0x77, 0x66, 0x55};
    drv_live(FEATURES_ALL);
    CHECK_EQ(rx_mode(VN_CTRL_RX_PROMISC, 0), OK, "PROMISC off");
    CHECK_EQ(rx_mode(VN_CTRL_RX_NOBCAST, 1), OK, "NOBCAST on");
    CHECK_EQ(table_set(40, 3), OK, "table with overflow");
    CHECK_EQ(vlan(VN_CTRL_VLAN_ADD, 7), OK, "vlan 7");
    CHECK_EQ(vlan(VN_CTRL_VLAN_ADD, 4000), OK, "vlan 4000");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6), OK, "ADDR_SET");
    CHECK(rxf_ctrl() != VN_RXF_PROMISC, "filter changed");

    unsigned mark = mock.log_len;
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_STATUS, 1), 0, "reset");
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC, "promiscuous again");
    check_invalid_from(0);
    check_vlans_zero();
    check_own(fw_mac);
    check_cfg_mac(fw_mac);
    /* only what was in use is rewritten: 3 entries and 2 VLAN words */
    unsigned entries = 0, words = 0;
    for (unsigned i = mark; i < mock.log_len && i < MOCK_LOG_MAX; i++) {
        entries += mock.log[i].addr == VN_FW_RXF_MAC_HI;
        words += mock.log[i].addr == VN_FW_RXF_VLAN_DATA;
    }
    CHECK_EQ(entries, 3, "MAC entries cleared");
    CHECK_EQ(words, 2, "VLAN words cleared");

    /* the next driver starts from the same place */
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_VLAN));
    CHECK_EQ(rxf_ctrl(), VN_RXF_PROMISC, "promiscuous, no VLAN filter");
    CHECK_EQ(table_set(1, 0), OK, "table");
    check_entry(0, 0, 0);
    check_invalid_from(1);
}

int main(void)
{
    t_run("defaults_at_power_on", defaults_at_power_on);
    t_run("vlan_filter_follows_negotiation", vlan_filter_follows_negotiation);
    t_run("rx_modes", rx_modes);
    t_run("rx_mode_errors", rx_mode_errors);
    t_run("rx_mode_gates", rx_mode_gates);
    t_run("mac_table", mac_table);
    t_run("mac_table_overflow", mac_table_overflow);
    t_run("mac_table_errors", mac_table_errors);
    t_run("mac_table_long_commands", mac_table_long_commands);
    t_run("mac_addr_set", mac_addr_set);
    t_run("vlan_table", vlan_table);
    t_run("reset_restores_defaults", reset_restores_defaults);
    return t_summary();
}
