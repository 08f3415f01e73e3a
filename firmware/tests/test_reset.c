/* test_reset.c: device reset (device_status = 0). */
#include "fw.h"
#include "fw_test.h"

#define DESC (MOCK_MEM_BASE + 0x1000)
#define DRV (MOCK_MEM_BASE + 0x2000)
#define DEV (MOCK_MEM_BASE + 0x3000)

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

/* A live device with everything away from its reset value. */
static void bring_up(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    drv_write(VN_COMMON_CONFIG_MSIX_VECTOR, 2, 0);
    for (uint32_t q = 0; q < MOCK_QUEUES; q++) {
        drv_queue_setup(q, 64, (uint16_t)(q + 1), DESC + 0x100 * q, DRV + 0x100 * q,
                        DEV + 0x100 * q);
        drv_queue_enable(q);
    }
    drv_status_add(VN_STATUS_DRIVER_OK);
    mock.regs[VN_FW_RX_QUEUE_PAIRS / 4] = 3; /* as a VQ_PAIRS_SET would have left it */
}

static void check_defaults(void)
{
    CHECK_EQ(status(), 0, "device_status");
    CHECK_EQ(drv_read_driver_features(), 0, "driver_feature");
    CHECK_EQ(drv_read_device_features(), FEATURES_OFFERED, "device_feature");
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "config vector");
    CHECK_EQ(drv_read(VN_COMMON_NUM_QUEUES, 2), MOCK_QUEUES, "num_queues");
    for (uint32_t q = 0; q < MOCK_QUEUES; q++) {
        const struct mock_qs *s = &mock.qs[q];
        CHECK(s->size == VN_MAX_QUEUE_SIZE, "queue %u size %u", q, s->size);
        CHECK(s->vector == VN_MSIX_NO_VECTOR, "queue %u vector 0x%x", q, s->vector);
        CHECK(s->enable == 0, "queue %u enable", q);
        CHECK(s->reset == 0, "queue %u reset", q);
        CHECK(!s->desc_lo && !s->desc_hi && !s->driver_lo && !s->driver_hi && !s->device_lo &&
                  !s->device_hi, "queue %u addresses", q);
    }
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 1, "RX_QUEUE_PAIRS");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), 0, "DEV_CTRL");
    CHECK_EQ(drv_devcfg_read(VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, 2), MOCK_PAIRS, "devcfg kept");
}

static void reset_waits_for_idle(void)
{
    bring_up();
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK |
                           VN_STATUS_DRIVER_OK, "live");
    unsigned mark = mock.log_len;
    unsigned pops = mock.pops;
    mock.draining = true;
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, 0, 0);

    CHECK(fw_poll() != 0, "fw_poll asks to be polled while the engines drain");
    int off = mock_find_write(mark, VN_FW_DEV_CTRL, 0);
    int rst = mock_find_write(mark, VN_FW_DEV_RESET, 1);
    CHECK(off >= 0 && rst > off, "datapath off (%d) then DEV_RESET (%d)", off, rst);
    CHECK_EQ(mock.dev_resets, 1, "one DEV_RESET");
    CHECK_EQ(mock.fifo_count, 1, "the reset event is not popped yet");
    CHECK(mock_reg(VN_FW_CC_DEVICE_STATUS) != 0, "status not 0 while draining");
    unsigned reads = mock.dev_idle_reads;
    for (int i = 0; i < 5; i++)
        CHECK(fw_poll() != 0, "still draining (poll %d)", i);
    CHECK(mock.dev_idle_reads > reads, "DEV_IDLE polled across fw_poll calls");
    CHECK_EQ(mock.dev_resets, 1, "DEV_RESET not repeated");

    mock.draining = false;
    CHECK_EQ(fw_poll(), 0, "done once idle");
    CHECK_EQ(mock.pops, pops + 1, "reset event popped");
    CHECK_EQ(mock.fifo_count, 0, "FIFO empty");

    /* status 0 is the last shadow write: only the pop follows it */
    int st = mock_find_write(mark, VN_FW_CC_DEVICE_STATUS, 0);
    CHECK(st >= 0, "status 0 written");
    for (unsigned i = (unsigned)st + 1; i < mock.log_len; i++) {
        if (mock.log[i].addr != VN_FW_EVT_POP) {
            CHECK(false, "write to 0x%x after status 0", mock.log[i].addr);
            break;
        }
    }
    check_defaults();
}

static void reset_when_already_idle(void)
{
    bring_up();
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, 0, 0);
    CHECK_EQ(fw_poll(), 0, "one poll");
    CHECK_EQ(mock.fifo_count, 0, "popped");
    check_defaults();
}

static void events_behind_reset_wait(void)
{
    bring_up();
    mock.draining = true;
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, 0, 0);
    mock_push(VN_EVT_KIND_QERR, 0, 4, 1, 0); /* raised before the engines stopped */
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, VN_STATUS_ACKNOWLEDGE, 0);
    CHECK(fw_poll() != 0, "draining");
    CHECK_EQ(mock.fifo_count, 3, "nothing popped");
    mock.draining = false;
    CHECK_EQ(fw_poll(), 0, "done");
    CHECK_EQ(mock.fifo_count, 0, "all popped");
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE, "stale QERR ignored, ACKNOWLEDGE after reset");
}

static void usable_after_reset(void)
{
    bring_up();
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(status(), 0, "reset");
    bring_up();
    CHECK_EQ(status(), VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK |
                           VN_STATUS_DRIVER_OK, "live again");
    CHECK_EQ(mock.qc[0].starts, 2, "engine restarted");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), DEV_CTRL_ALL, "datapath on");
}

static void reset_clears_needs_reset(void)
{
    bring_up();
    hw_qerr(0, 1);
    CHECK(status() & VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    check_defaults();
}

int main(void)
{
    t_run("reset_waits_for_idle", reset_waits_for_idle);
    t_run("reset_when_already_idle", reset_when_already_idle);
    t_run("events_behind_reset_wait", events_behind_reset_wait);
    t_run("usable_after_reset", usable_after_reset);
    t_run("reset_clears_needs_reset", reset_clears_needs_reset);
    return t_summary();
}
