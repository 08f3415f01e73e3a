/* test_offloads.c: the checksum, hash-header and ring-layout bits of DEV_CTRL as
 * negotiated at DRIVER_OK, and GUEST_OFFLOADS_SET (virtio 1.2 5.1.6.5.6.1) switching the
 * receive checksum. */
#include "fw.h"
#include "fw_test.h"

#define ERR VN_CTRL_ERR
#define OK VN_CTRL_OK
#define BASE_CTRL (FEATURES_MIN | BIT(VN_F_CTRL_VQ) | BIT(VN_F_MQ))

static uint32_t dev_ctrl(void)
{
    return mock_reg(VN_FW_DEV_CTRL);
}

static uint8_t offloads_set(uint64_t mask, uint32_t len)
{
    uint8_t d[9] = {0};
    for (unsigned i = 0; i < 8; i++)
        d[i] = (uint8_t)(mask >> (8 * i));
    return drv_ctrl(VN_CTRL_CLASS_GUEST_OFFLOADS, VN_CTRL_GUEST_OFFLOADS_SET, d, len);
}

/* DEV_CTRL at DRIVER_OK for features f (a fresh device). */
static uint32_t dev_ctrl_for(uint64_t f)
{
    mock_power_on();
    fw_init();
    drv_live(f);
    return dev_ctrl();
}

static void dev_ctrl_as_negotiated(void)
{
    CHECK_EQ(dev_ctrl_for(FEATURES_ALL), DEV_CTRL_ALL, "everything");
    CHECK_EQ(dev_ctrl_for(BASE_CTRL), VN_DEV_CTRL_DATAPATH_EN, "no offload");
    CHECK_EQ(dev_ctrl_for(BASE_CTRL | BIT(VN_F_CSUM)),
             VN_DEV_CTRL_DATAPATH_EN | VN_DEV_CTRL_TX_CSUM, "CSUM: TX_CSUM");
    CHECK_EQ(dev_ctrl_for(BASE_CTRL | BIT(VN_F_GUEST_CSUM)),
             VN_DEV_CTRL_DATAPATH_EN | VN_DEV_CTRL_RX_CSUM, "GUEST_CSUM: RX_CSUM");
    CHECK_EQ(dev_ctrl_for(BASE_CTRL | BIT(VN_F_HASH_REPORT)),
             VN_DEV_CTRL_DATAPATH_EN | VN_DEV_CTRL_HDR_HASH, "HASH_REPORT: HDR_HASH");
    CHECK_EQ(dev_ctrl_for(FEATURES_ALL & ~BIT(VN_F_CSUM) & ~BIT(VN_F_HASH_REPORT)),
             DEV_CTRL_ALL & ~VN_DEV_CTRL_TX_CSUM & ~VN_DEV_CTRL_HDR_HASH, "without two");
    CHECK_EQ(dev_ctrl_for(BASE_CTRL | BIT(VN_F_RING_PACKED)),
             VN_DEV_CTRL_DATAPATH_EN | VN_DEV_CTRL_PACKED, "RING_PACKED: PACKED");
    CHECK_EQ(dev_ctrl_for(FEATURES_ALL | BIT(VN_F_RING_PACKED)),
             DEV_CTRL_ALL | VN_DEV_CTRL_PACKED, "everything, packed");
    /* no more than the datapath bits before DRIVER_OK */
    mock_power_on();
    fw_init();
    (void)drv_negotiate(FEATURES_ALL);
    CHECK_EQ(dev_ctrl(), 0, "nothing at FEATURES_OK");
}

static void guest_offloads_set(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(offloads_set(0, 8), OK, "every receive offload off");
    CHECK_EQ(dev_ctrl(), DEV_CTRL_ALL & ~VN_DEV_CTRL_RX_CSUM, "RX_CSUM off, the rest stays");
    CHECK_EQ(offloads_set(BIT(VN_F_GUEST_CSUM), 8), OK, "GUEST_CSUM on");
    CHECK_EQ(dev_ctrl(), DEV_CTRL_ALL, "RX_CSUM on again");

    unsigned mark = mock.log_len;
    CHECK_EQ(offloads_set(BIT(7), 8), ERR, "GUEST_TSO4: not negotiated");
    CHECK_EQ(offloads_set(BIT(VN_F_GUEST_CSUM) | BIT(55), 8), ERR, "GUEST_USO6 with it");
    CHECK_EQ(offloads_set(BIT(VN_F_CSUM), 8), ERR, "CSUM: not a receive offload");
    CHECK_EQ(offloads_set(BIT(63), 8), ERR, "bit 63");
    CHECK_EQ(offloads_set(0, 7), ERR, "7 bytes");
    CHECK_EQ(offloads_set(0, 9), ERR, "9 bytes");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_GUEST_OFFLOADS, 1, "\0\0\0\0\0\0\0", 8), ERR,
             "no such command");
    CHECK_EQ(mock_find_write(mark, VN_FW_DEV_CTRL, DEV_CTRL_ALL & ~VN_DEV_CTRL_RX_CSUM), -1,
             "no DEV_CTRL change on an error");
    CHECK_EQ(dev_ctrl(), DEV_CTRL_ALL, "unchanged");
}

static void guest_offloads_gates(void)
{
    /* without CTRL_GUEST_OFFLOADS: no command, RX_CSUM as negotiated */
    drv_live(FEATURES_ALL & ~BIT(VN_F_CTRL_GUEST_OFFLOADS));
    CHECK_EQ(offloads_set(0, 8), ERR, "without CTRL_GUEST_OFFLOADS");
    CHECK_EQ(dev_ctrl() & VN_DEV_CTRL_RX_CSUM, VN_DEV_CTRL_RX_CSUM, "RX_CSUM stays");

    /* without GUEST_CSUM there is nothing to switch: 0 is all it takes */
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(FEATURES_ALL & ~BIT(VN_F_GUEST_CSUM));
    CHECK_EQ(dev_ctrl() & VN_DEV_CTRL_RX_CSUM, 0, "no RX_CSUM");
    CHECK_EQ(offloads_set(BIT(VN_F_GUEST_CSUM), 8), ERR, "GUEST_CSUM not negotiated");
    CHECK_EQ(offloads_set(0, 8), OK, "0");
    CHECK_EQ(dev_ctrl(), DEV_CTRL_ALL & ~VN_DEV_CTRL_RX_CSUM, "unchanged");
}

/* Each negotiated offload starts enabled after a reset, whatever the last driver set. */
static void offloads_back_at_reset(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(offloads_set(0, 8), OK, "off");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(dev_ctrl(), 0, "DEV_CTRL 0 after reset");
    drv_live(FEATURES_ALL);
    CHECK_EQ(dev_ctrl(), DEV_CTRL_ALL, "RX_CSUM on again");
}

int main(void)
{
    t_run("dev_ctrl_as_negotiated", dev_ctrl_as_negotiated);
    t_run("guest_offloads_set", guest_offloads_set);
    t_run("guest_offloads_gates", guest_offloads_gates);
    t_run("offloads_back_at_reset", offloads_back_at_reset);
    return t_summary();
}
