/* test_announce.c: GUEST_ANNOUNCE (virtio 1.2 5.1.6.5.4): the device sets ANNOUNCE when
 * the link comes back or the management side asks (mailbox), with a new generation and a
 * config interrupt; ANNOUNCE_ACK clears it before the buffer is used. */
#include <stddef.h>

#include "fw.h"
#include "fw_test.h"

#define ERR VN_CTRL_ERR
#define OK VN_CTRL_OK
#define MBOX_ANNOUNCE VN_MBOX_CMD_ANNOUNCE

static uint32_t net_status(void)
{
    return drv_devcfg_read(VN_DEVICE_NET_STATUS, 2);
}

static uint32_t generation(void)
{
    return drv_read(VN_COMMON_CONFIG_GENERATION, 1);
}

static void link(bool up)
{
    mock.link_down = !up;
    mock_push(VN_EVT_KIND_LINK, 0, 4, up, 0);
    fw_settle();
}

static uint8_t ack_cmd(void)
{
    return drv_ctrl(VN_CTRL_CLASS_ANNOUNCE, VN_CTRL_ANNOUNCE_ACK, NULL, 0);
}

static uint32_t mbox_err(void)
{
    return (mock_reg(VN_FW_MBOX_STATUS) >> VN_MBOX_ERR_SHIFT) & 0xffu;
}

static void link_up_announces(void)
{
    drv_live(FEATURES_ALL);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "up, nothing pending");
    uint32_t gen = generation();
    link(false);
    CHECK_EQ(net_status(), 0, "down: no announce");
    CHECK_EQ(mock.cfg_irqs, 1, "interrupt for the link change");
    link(true);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP | VN_NET_S_ANNOUNCE, "up again: announce");
    CHECK_EQ(generation(), (gen + 2) & 0xff, "a generation per change");
    CHECK_EQ(mock.cfg_irqs, 2, "one interrupt for link and announce together");

    unsigned mark = mock.log_len;
    CHECK_EQ(ack_cmd(), OK, "ANNOUNCE_ACK");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "ANNOUNCE cleared");
    CHECK_EQ(generation(), (gen + 3) & 0xff, "generation bumped");
    CHECK_EQ(mock.cfg_irqs, 2, "no interrupt for the driver's own ack");
    /* 5.1.6.5.4.2: cleared before the ack and the used element are written */
    int cfg = mock_find_write(mark, VN_FW_DEVCFG1, mock_reg(VN_FW_DEVCFG1));
    int ack = mock_find_write(mark, VN_FW_FDMA_ADDR_LO, (uint32_t)DRV_CQ_ACK);
    CHECK(cfg >= 0 && ack > cfg, "status word %d before the ack %d", cfg, ack);

    CHECK_EQ(ack_cmd(), OK, "a second ACK is harmless");
    CHECK_EQ(generation(), (gen + 3) & 0xff, "nothing changed");
}

static void only_when_negotiated_and_live(void)
{
    drv_live(FEATURES_ALL & ~BIT(VN_F_GUEST_ANNOUNCE));
    link(false);
    link(true);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "no announce without GUEST_ANNOUNCE");
    CHECK_EQ(ack_cmd(), ERR, "ACK without GUEST_ANNOUNCE");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    (void)drv_negotiate(FEATURES_ALL);
    link(false);
    link(true);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "no announce before DRIVER_OK");
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "nor at DRIVER_OK");
}

static void ack_errors(void)
{
    drv_live(FEATURES_ALL);
    link(false);
    link(true);
    uint8_t one = 0;
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_ANNOUNCE, VN_CTRL_ANNOUNCE_ACK, &one, 1), ERR, "with data");
    CHECK_EQ(drv_ctrl(VN_CTRL_CLASS_ANNOUNCE, 1, NULL, 0), ERR, "no such command");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP | VN_NET_S_ANNOUNCE, "still pending");
    CHECK_EQ(ack_cmd(), OK, "ACK");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "cleared");
}

static void mailbox_announce(void)
{
    mock_mbox_cmd(MBOX_ANNOUNCE, 0, 0);
    fw_settle();
    CHECK_EQ(mbox_err(), VN_MBOX_ERR_UNSUPPORTED, "no driver");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "nothing pending");

    drv_live(FEATURES_ALL);
    uint32_t gen = generation();
    mock_mbox_cmd(MBOX_ANNOUNCE, 0, 0);
    fw_settle();
    CHECK_EQ(mock_reg(VN_FW_MBOX_STATUS), 0, "done, no error");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP | VN_NET_S_ANNOUNCE, "announce");
    CHECK_EQ(generation(), (gen + 1) & 0xff, "generation bumped");
    CHECK_EQ(mock.cfg_irqs, 1, "config interrupt");
    CHECK_EQ(ack_cmd(), OK, "ACK");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "cleared");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    drv_live(FEATURES_ALL & ~BIT(VN_F_GUEST_ANNOUNCE));
    mock_mbox_cmd(MBOX_ANNOUNCE, 0, 0);
    fw_settle();
    CHECK_EQ(mbox_err(), VN_MBOX_ERR_UNSUPPORTED, "GUEST_ANNOUNCE not negotiated");
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "nothing pending");
    CHECK_EQ(mock.cfg_irqs, 1, "no interrupt");
}

static void reset_clears_announce(void)
{
    drv_live(FEATURES_ALL);
    link(false);
    link(true);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP | VN_NET_S_ANNOUNCE, "pending");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(net_status(), VN_NET_S_LINK_UP, "cleared by the reset");
}

int main(void)
{
    t_run("link_up_announces", link_up_announces);
    t_run("only_when_negotiated_and_live", only_when_negotiated_and_live);
    t_run("ack_errors", ack_errors);
    t_run("mailbox_announce", mailbox_announce);
    t_run("reset_clears_announce", reset_clears_announce);
    return t_summary();
}
