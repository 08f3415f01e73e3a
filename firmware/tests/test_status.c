/* test_status.c: power-on shadows and the device_status state machine. */
#include "fw.h"
#include "fw_test.h"

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static void power_on_shadows(void)
{
    CHECK_EQ(fw_poll(), 0, "fw_poll with nothing to do");
    CHECK_EQ(status(), 0, "device_status");
    CHECK_EQ(drv_read_device_features(), FEATURES_OFFERED, "device_feature");
    drv_write(VN_COMMON_DEVICE_FEATURE_SELECT, 4, 2);
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_FEATURE, 4), 0, "device_feature word 2");
    CHECK_EQ(drv_read_driver_features(), 0, "driver_feature");
    CHECK_EQ(drv_read(VN_COMMON_NUM_QUEUES, 2), MOCK_QUEUES, "num_queues");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "config vector");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), 0, "config_generation");
    for (uint32_t q = 0; q < MOCK_QUEUES; q++) {
        drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
        CHECK_EQ(drv_read(VN_COMMON_QUEUE_SIZE, 2), VN_MAX_QUEUE_SIZE, "queue_size");
        CHECK_EQ(drv_read(VN_COMMON_QUEUE_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "queue vector");
        CHECK_EQ(drv_read(VN_COMMON_QUEUE_ENABLE, 2), 0, "queue_enable");
    }
    drv_write(VN_COMMON_QUEUE_SELECT, 2, MOCK_QUEUES);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_SIZE, 2), 0, "queue_size of a queue that does not exist");
    CHECK_EQ(mock_reg(VN_FW_FW_VERSION), FW_VERSION, "FW_VERSION");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 1, "RX_QUEUE_PAIRS");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), 0, "DEV_CTRL");
}

static void device_config(void)
{
    static const uint8_t mac[6] = {0x02, 0x56, 0x4e, 0x49, 0x43, 0x01};
    for (uint32_t i = 0; i < 6; i++)
        CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MAC + i, 1), mac[i], "mac byte");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_STATUS, 2), VN_NET_S_LINK_UP, "status");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, 2), MOCK_PAIRS, "max pairs");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MTU, 2), VN_NET_MTU_DEFAULT, "mtu");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SPEED, 4), VN_NET_SPEED_MBPS, "speed");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_DUPLEX, 1), VN_NET_DUPLEX_FULL, "duplex");
    /* a driver write to device cfg is an event firmware drops */
    unsigned pops = mock.pops;
    mock_push(VN_EVT_KIND_DEVICE, VN_DEVICE_NET_MTU, 2, 9000, 0);
    fw_settle();
    CHECK_EQ(mock.pops, pops + 1, "device cfg write event popped");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MTU, 2), VN_NET_MTU_DEFAULT, "mtu after write");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), 0, "config_generation unchanged");
}

static void bring_up_in_order(void)
{
    drv_write(VN_COMMON_DEVICE_STATUS, 1, VN_STATUS_ACKNOWLEDGE);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE, "after ACKNOWLEDGE");
    drv_status_add(VN_STATUS_DRIVER);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER, "after DRIVER");
    drv_write_features(FEATURES_ALL);
    drv_status_add(VN_STATUS_FEATURES_OK);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK,
             "after FEATURES_OK");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), 0, "datapath off before DRIVER_OK");
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK |
                           VN_STATUS_DRIVER_OK, "after DRIVER_OK");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), DEV_CTRL_ALL,
             "DATAPATH_EN at DRIVER_OK, the rest as negotiated");
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt");
    CHECK_EQ(mock.fifo_count, 0, "every event popped");
}

static void clearing_a_bit_needs_reset(void)
{
    uint8_t s = drv_negotiate(FEATURES_ALL);
    CHECK_EQ(s, VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK, "negotiated");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER);
    CHECK_EQ(status(), s | VN_STATUS_NEEDS_RESET, "FEATURES_OK kept, NEEDS_RESET set");
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt before DRIVER_OK");
}

static void clearing_a_bit_after_driver_ok_interrupts(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    drv_status_add(VN_STATUS_DRIVER_OK);
    uint8_t s = status();
    drv_write(VN_COMMON_DEVICE_STATUS, 1, s & ~VN_STATUS_ACKNOWLEDGE);
    CHECK_EQ(status(), s | VN_STATUS_NEEDS_RESET, "status after clearing ACKNOWLEDGE");
    CHECK_EQ(mock.cfg_irqs, 1, "config interrupt once DRIVER_OK");
    /* the driver echoing NEEDS_RESET back, or not, changes nothing more */
    drv_status_add(0);
    drv_write(VN_COMMON_DEVICE_STATUS, 1, s);
    CHECK_EQ(status(), s | VN_STATUS_NEEDS_RESET, "status stays");
    CHECK_EQ(mock.cfg_irqs, 1, "no second interrupt");
}

static void driver_ok_without_features_ok(void)
{
    drv_status_add(VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_DRIVER);
    drv_write_features(FEATURES_ALL);
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_NEEDS_RESET,
             "DRIVER_OK not latched, NEEDS_RESET");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), 0, "datapath stays off");
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt without DRIVER_OK");
}

static void failed_is_latched(void)
{
    drv_status_add(VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_FAILED);
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_FAILED, "FAILED latched");
}

static void qerr_needs_reset(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    drv_queue_setup(1, 256, 1, MOCK_MEM_BASE, MOCK_MEM_BASE + 0x1000, MOCK_MEM_BASE + 0x2000);
    drv_queue_enable(1);
    drv_status_add(VN_STATUS_DRIVER_OK);
    hw_qerr(3, 1); /* a queue that is not enabled: stale, ignored */
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "QERR of a disabled queue ignored");
    hw_qerr(1, 1);
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, VN_STATUS_NEEDS_RESET, "QERR -> NEEDS_RESET");
    CHECK_EQ(mock.cfg_irqs, 1, "config interrupt");
}

static void many_events_in_one_poll(void)
{
    /* a burst the driver wrote without reading back: handled in order, each popped */
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, VN_STATUS_ACKNOWLEDGE, 0);
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1,
              VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER, 0);
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_CONFIG_MSIX_VECTOR, 2, 0, 0);
    unsigned pops = mock.pops;
    CHECK_EQ(fw_poll(), 0, "fw_poll handled the burst");
    CHECK_EQ(mock.pops, pops + 3, "three pops");
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER, "status");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), 0, "config vector");
}

/* A link change from the MAC: status bit, a new generation, and a config interrupt only
 * once the driver is live. */
static void link_change(void)
{
    mock.link_down = true;
    mock_push(VN_EVT_KIND_LINK, 0, 4, 0, 0);
    fw_settle();
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_STATUS, 2), 0, "status with link down");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SPEED, 4), VN_NET_SPEED_UNKNOWN, "speed with link down");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_DUPLEX, 1), VN_NET_DUPLEX_UNKNOWN, "duplex with link down");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), 1, "generation after the change");
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt before DRIVER_OK");
    /* without GUEST_ANNOUNCE: the link coming back asks for no announce (test_announce) */
    CHECK_EQ(drv_negotiate(FEATURES_ALL & ~BIT(VN_F_GUEST_ANNOUNCE)) & VN_STATUS_FEATURES_OK,
             VN_STATUS_FEATURES_OK, "negotiated");
    drv_status_add(VN_STATUS_DRIVER_OK);
    mock.link_down = false;
    mock_push(VN_EVT_KIND_LINK, 0, 4, 1, 0);
    fw_settle();
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_STATUS, 2), VN_NET_S_LINK_UP, "status with link up");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_SPEED, 4), VN_NET_SPEED_MBPS, "speed with link up");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_DUPLEX, 1), VN_NET_DUPLEX_FULL, "duplex with link up");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), 2, "generation after the second change");
    CHECK_EQ(mock.cfg_irqs, 1, "one config interrupt once live");
    mock_push(VN_EVT_KIND_LINK, 0, 4, 1, 0); /* no change: nothing happens */
    fw_settle();
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_GENERATION, 1), 2, "generation unchanged");
    CHECK_EQ(mock.cfg_irqs, 1, "no interrupt without a change");
}

/* Merged receive buffers are the engines' business only when the driver took them. */
static void rx_mrg_follows_negotiation(void)
{
    drv_write(VN_COMMON_DEVICE_STATUS, 1, VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_DRIVER);
    drv_write_features(FEATURES_ALL & ~BIT(VN_F_MRG_RXBUF));
    drv_status_add(VN_STATUS_FEATURES_OK);
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), DEV_CTRL_ALL & ~VN_DEV_CTRL_RX_MRG,
             "RX_MRG off without MRG_RXBUF");
}

int main(void)
{
    t_run("power_on_shadows", power_on_shadows);
    t_run("device_config", device_config);
    t_run("bring_up_in_order", bring_up_in_order);
    t_run("clearing_a_bit_needs_reset", clearing_a_bit_needs_reset);
    t_run("clearing_a_bit_after_driver_ok_interrupts", clearing_a_bit_after_driver_ok_interrupts);
    t_run("driver_ok_without_features_ok", driver_ok_without_features_ok);
    t_run("failed_is_latched", failed_is_latched);
    t_run("qerr_needs_reset", qerr_needs_reset);
    t_run("many_events_in_one_poll", many_events_in_one_poll);
    t_run("link_change", link_change);
    t_run("rx_mrg_follows_negotiation", rx_mrg_follows_negotiation);
    return t_summary();
}
