/* test_qreset.c: per-virtqueue reset (RING_RESET): the reset procedure, re-enable, the
 * negative answers, several queues at once, the control queue, and a device reset that
 * overtakes queue resets. */
#include "fw.h"
#include "fw_test.h"

#define RING(q) (MOCK_MEM_BASE + 0x1000u * (q)) /* desc, then avail +0x400, used +0x800 */
#define NEW_RING(q) (MOCK_MEM_BASE + 0x9000u + 0x800u * (q))
#define QSIZE 256u
#define NO_RESET (FEATURES_ALL & ~BIT(VN_F_RING_RESET))

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static uint32_t qread(uint32_t q, uint32_t off)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    return drv_read(off, 2);
}

static void setup_ring(uint32_t q, uint16_t size, uint16_t vector, uint64_t base)
{
    drv_queue_setup(q, size, vector, base, base + 0x400, base + 0x800);
}

/* Negotiated, every queue but skip set up and enabled, DRIVER_OK. */
static void live_except(uint64_t features, uint32_t skip)
{
    CHECK(drv_negotiate(features) & VN_STATUS_FEATURES_OK, "FEATURES_OK");
    for (uint32_t q = 0; q < MOCK_QUEUES; q++) {
        if (q == skip)
            continue;
        setup_ring(q, q == MOCK_CTRLQ ? 16 : QSIZE, (uint16_t)(q + 1), RING(q));
        drv_queue_enable(q);
    }
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(status(), LIVE_STATUS, "live");
}

static void live(uint64_t features)
{
    live_except(features, MOCK_QUEUES);
}

/* The driver's write of queue_reset, left in the FIFO for the test to poll. */
static void push_reset(uint32_t q, uint32_t v)
{
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_QUEUE_RESET, 2, v, q);
}

static void check_defaults(uint32_t q)
{
    const struct mock_qs *s = &mock.qs[q];
    CHECK(s->reset == 0, "queue %u: queue_reset %u", q, s->reset);
    CHECK(s->enable == 0, "queue %u: queue_enable %u", q, s->enable);
    CHECK(s->size == VN_MAX_QUEUE_SIZE, "queue %u: size %u, not the maximum", q, s->size);
    CHECK(s->vector == VN_MSIX_NO_VECTOR, "queue %u: vector 0x%x", q, s->vector);
    CHECK(!s->desc_lo && !s->desc_hi && !s->driver_lo && !s->driver_hi && !s->device_lo &&
              !s->device_hi, "queue %u: addresses not 0", q);
}

/* A queue untouched by the resets of others: still enabled, engine running. */
static void check_running(uint32_t q)
{
    CHECK(mock.qs[q].enable == 1, "queue %u still enabled", q);
    CHECK(mock.qs[q].reset == 0, "queue %u: queue_reset %u", q, mock.qs[q].reset);
    CHECK(mock.qs[q].size == (q == MOCK_CTRLQ ? 16u : QSIZE), "queue %u: setup kept", q);
    if (q < MOCK_CTRLQ) {
        CHECK(mock.qc[q].state == VN_QSTATE_RUNNING, "queue %u engine running", q);
        CHECK(mock.qc[q].resets == 0, "queue %u engine not reset", q);
    }
}

static unsigned count_writes(unsigned from, uint32_t addr, uint32_t val)
{
    unsigned n = 0;
    for (unsigned i = from; i < mock.log_len && i < MOCK_LOG_MAX; i++)
        n += mock.log[i].addr == addr && mock.log[i].val == val;
    return n;
}

static int first_write(unsigned from, uint32_t addr, uint32_t val)
{
    for (unsigned i = from; i < mock.log_len && i < MOCK_LOG_MAX; i++)
        if (mock.log[i].addr == addr && mock.log[i].val == val)
            return (int)i;
    return -1;
}

static void offered(void)
{
    CHECK(drv_read_device_features() & BIT(VN_F_RING_RESET), "RING_RESET offered");
    (void)drv_negotiate(FEATURES_ALL);
    CHECK(drv_read_driver_features() & BIT(VN_F_RING_RESET), "and accepted");
}

static void reset_and_reenable_new_size(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 1);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_RESET, 2), 0, "complete");
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_ENABLE, 2), 0, "disabled");
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_SIZE, 2), VN_MAX_QUEUE_SIZE, "size back to the maximum");
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "vector NO_VECTOR");
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_DESC_LO, 4), 0, "desc 0");
    check_defaults(1);
    CHECK_EQ(mock.qc[1].resets, 1, "engine reset once");
    CHECK_EQ(mock.qc[1].state, VN_QSTATE_IDLE, "engine idle");
    int sel = first_write(mark, VN_FW_QC_SEL, 1);
    int cmd = first_write(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET);
    CHECK(sel >= 0 && cmd > sel, "QC_SEL 1 (%d) then QC_CMD_RESET (%d)", sel, cmd);
    for (uint32_t q = 0; q < MOCK_QUEUES; q++)
        if (q != 1)
            check_running(q);

    /* a different size, vector and rings, as ethtool -G does */
    setup_ring(1, 64, 7, NEW_RING(1));
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_MSIX_VECTOR, 2), 7, "vector read back");
    drv_queue_enable(1);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 1, "enabled again");
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_RESET), 0, "queue_reset 0 after re-enable");
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_SIZE), 64, "new size");
    const struct mock_qc *c = &mock.qc[1];
    CHECK_EQ(c->starts, 2, "engine started again");
    CHECK_EQ(c->state, VN_QSTATE_RUNNING, "running");
    CHECK_EQ(c->size, 64, "engine has the new size");
    CHECK_EQ(c->vector, 7, "engine has the new vector");
    CHECK_EQ(c->desc, NEW_RING(1), "new desc");
    CHECK_EQ(c->driver, NEW_RING(1) + 0x400, "new driver area");
    CHECK_EQ(c->device, NEW_RING(1) + 0x800, "new device area");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");

    /* an RX queue the same way, and the same queue a second time */
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 0);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    check_defaults(0);
    setup_ring(0, 1024, 0, NEW_RING(0));
    drv_queue_enable(0);
    CHECK_EQ(mock.qc[0].size, 1024, "RX queue at the maximum");
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 1);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    check_defaults(1);
    CHECK_EQ(mock.qc[1].resets, 2, "second reset of queue 1");
    setup_ring(1, 128, 2, RING(1));
    drv_queue_enable(1);
    CHECK_EQ(mock.qc[1].size, 128, "third setup");
    CHECK_EQ(status(), LIVE_STATUS, "still no NEEDS_RESET");
}

static void driver_sees_1_then_0(void)
{
    live(FEATURES_ALL);
    mock.qc_stop_reads = 3;
    mock.qc_drain_reads = 3;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 3);
    push_reset(3, 1);
    CHECK(fw_poll() != 0, "fw_poll asks to be polled while the engine stops");
    CHECK_EQ(mock.fifo_count, 0, "the event is popped at once");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_RESET, 2), 1, "the driver reads 1");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_ENABLE, 2), 1, "still enabled meanwhile");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_SIZE, 2), QSIZE, "setup shown until done");

    unsigned busy_polls = 1, ones = 1;
    bool done = false, saw_draining = false;
    for (int i = 0; i < 100 && !done; i++) {
        saw_draining |= mock.qc[3].state == VN_QSTATE_DRAINING;
        int r = fw_poll();
        uint32_t rst = drv_read_now(VN_COMMON_QUEUE_RESET, 2);
        uint32_t en = drv_read_now(VN_COMMON_QUEUE_ENABLE, 2);
        CHECK(!(rst == 0 && en != 0), "poll %d: queue_reset 0 with queue_enable 1", i);
        if (rst) {
            ones++;
            CHECK(r != 0, "poll %d: in progress but fw_poll returned 0", i);
            busy_polls++;
        } else {
            CHECK_EQ(r, 0, "nothing left once complete");
            done = true;
        }
    }
    CHECK(done, "the reset completes");
    CHECK(saw_draining, "the engine went through DRAINING");
    CHECK(busy_polls >= 3, "completion took several fw_poll calls (%u)", busy_polls);
    CHECK(ones >= 3, "the driver read 1 several times (%u)", ones);
    check_defaults(3);
}

static void reset_waits_for_drain(void)
{
    live(FEATURES_ALL);
    mock.qc[2].hold = true; /* a read for the queue never completes */
    push_reset(2, 1);
    for (int i = 0; i < 20; i++)
        CHECK(fw_poll() != 0, "poll %d: still waiting", i);
    CHECK_EQ(mock.qc[2].state, VN_QSTATE_DRAINING, "engine draining");
    CHECK_EQ(mock.qs[2].reset, 1, "queue_reset 1");
    CHECK_EQ(mock.qs[2].enable, 1, "queue_enable 1");
    CHECK_EQ(mock.qs[2].size, QSIZE, "the rings may still be used: setup shown");
    CHECK_EQ(mock.qs[2].desc_lo, (uint32_t)RING(2), "desc shown");
    mock.qc[2].hold = false;
    fw_settle();
    check_defaults(2);
}

static void enable_cleared_before_reset(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 4);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    int en = mock_find_write(mark, VN_FW_QS_ENABLE, 0);
    int rst = mock_find_write(mark, VN_FW_QS_RESET, 0);
    int sel = mock_find_write(mark, VN_FW_QS_SEL, 4);
    CHECK(sel >= 0 && en > sel && rst > en, "QS_SEL 4 (%d), enable 0 (%d), reset 0 (%d)", sel,
          en, rst);
    for (int i = en + 1; i < rst && i >= 0; i++)
        CHECK(mock.log[i].addr != VN_FW_QS_SEL, "QS_SEL moved between enable and reset");
    /* the shadows were at their defaults before the driver could see completion */
    int size = mock_find_write(mark, VN_FW_QS_SIZE, VN_MAX_QUEUE_SIZE);
    int vec = mock_find_write(mark, VN_FW_QS_MSIX_VECTOR, VN_MSIX_NO_VECTOR);
    CHECK(size >= 0 && size < rst && vec >= 0 && vec < rst, "defaults before reset 0");
}

/* ---- negative answers ---- */

static void not_negotiated_ignored(void)
{
    live(NO_RESET);
    unsigned mark = mock.log_len;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 1);
    push_reset(1, 1);
    CHECK_EQ(fw_poll(), 0, "nothing to poll for");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_RESET, 2), 0, "reads 0");
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 1, "still enabled");
    CHECK_EQ(mock.qc[1].resets, 0, "engine not reset");
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET), 0, "no QC_CMD_RESET");
    CHECK_EQ(count_writes(mark, VN_FW_QS_RESET, 1), 0, "QS_RESET never 1");
    check_running(1);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void not_negotiated_no_late_enable(void)
{
    live_except(NO_RESET, 5);
    setup_ring(5, QSIZE, 6, RING(5));
    drv_queue_enable(5);
    CHECK_EQ(qread(5, VN_COMMON_QUEUE_ENABLE), 0, "not enabled after DRIVER_OK");
    CHECK_EQ(mock.qc[5].starts, 0, "engine not started");
    CHECK_EQ(status(), LIVE_STATUS | VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
    CHECK_EQ(mock.cfg_irqs, 1, "config interrupt");
}

static void late_enable_with_ring_reset(void)
{
    /* with RING_RESET a disabled queue may be enabled while live: the same path */
    live_except(FEATURES_ALL, 5);
    setup_ring(5, QSIZE, 6, RING(5));
    drv_queue_enable(5);
    CHECK_EQ(qread(5, VN_COMMON_QUEUE_ENABLE), 1, "enabled");
    CHECK_EQ(mock.qc[5].starts, 1, "engine started");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void reset_of_disabled_queue(void)
{
    live_except(FEATURES_ALL, 5);
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 5);
    drv_write(VN_COMMON_QUEUE_SIZE, 2, 128);
    unsigned mark = mock.log_len;
    push_reset(5, 1);
    CHECK_EQ(fw_poll(), 0, "complete in the same poll");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_RESET, 2), 0, "reads 0 at once");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_ENABLE, 2), 0, "still disabled");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_SIZE, 2), 128, "nothing to do: setup kept");
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET), 0, "no QC_CMD_RESET");
    CHECK_EQ(count_writes(mark, VN_FW_QS_RESET, 1), 0, "QS_RESET never 1");
    /* and a queue that does not exist */
    push_reset(MOCK_QUEUES, 1);
    CHECK_EQ(fw_poll(), 0, "nothing for a missing queue");
    drv_write(VN_COMMON_QUEUE_SELECT, 2, MOCK_QUEUES);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_RESET, 2), 0, "missing queue reads 0");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void reset_write_0_ignored(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 2);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 0);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_RESET, 2), 0, "reads 0");
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET), 0, "no QC_CMD_RESET");
    check_running(2);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void second_write_while_in_progress(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    mock.qc[6].hold = true;
    push_reset(6, 1);
    CHECK(fw_poll() != 0, "in progress");
    push_reset(6, 1);
    CHECK(fw_poll() != 0, "still in progress");
    CHECK_EQ(mock.fifo_count, 0, "second write popped");
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 6);
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_RESET, 2), 1, "still reads 1");
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET), 1, "one QC_CMD_RESET");
    mock.qc[6].hold = false;
    fw_settle();
    check_defaults(6);
    CHECK_EQ(mock.qc[6].resets, 1, "engine reset once");
    CHECK_EQ(count_writes(mark, VN_FW_QS_RESET, 0), 1, "completed once");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void enable_writes_during_reset_ignored(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    mock.qc[7].hold = true;
    push_reset(7, 1);
    CHECK(fw_poll() != 0, "in progress");
    /* a driver that does not wait: 0 and 1 to queue_enable, a new size */
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_QUEUE_ENABLE, 2, 0, 7);
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_QUEUE_SIZE, 2, 64, 7);
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_QUEUE_ENABLE, 2, 1, 7);
    CHECK(fw_poll() != 0, "still in progress");
    CHECK_EQ(mock.qs[7].enable, 1, "enable unchanged");
    CHECK_EQ(mock.qs[7].size, QSIZE, "size unchanged");
    CHECK_EQ(mock.qc[7].starts, 1, "engine not restarted");
    mock.qc[7].hold = false;
    fw_settle();
    check_defaults(7);
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_START), 0, "no START");

    /* queue_enable = 0 on a live queue: ignored, the only way off is queue_reset */
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 6);
    drv_write(VN_COMMON_QUEUE_ENABLE, 2, 0);
    check_running(6);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void reenable_validated_as_first(void)
{
    live(FEATURES_ALL);
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 1);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    /* invalid sizes are ignored as before the first enable: the default stays */
    static const uint16_t bad_size[] = {0, 3, 100, 2048};
    for (unsigned i = 0; i < sizeof bad_size / sizeof bad_size[0]; i++) {
        drv_write(VN_COMMON_QUEUE_SIZE, 2, bad_size[i]);
        CHECK(drv_read(VN_COMMON_QUEUE_SIZE, 2) == VN_MAX_QUEUE_SIZE, "size %u ignored",
              bad_size[i]);
    }
    drv_write(VN_COMMON_QUEUE_MSIX_VECTOR, 2, MOCK_VECTORS);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "bad vector");
    /* misaligned rings: not enabled, NEEDS_RESET, as at the first enable */
    drv_queue_setup(1, 64, 2, NEW_RING(1) + 8, NEW_RING(1) + 0x400, NEW_RING(1) + 0x800);
    drv_queue_enable(1);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 0, "not enabled");
    CHECK_EQ(mock.qc[1].starts, 1, "engine not restarted");
    CHECK_EQ(mock.qc[1].state, VN_QSTATE_IDLE, "engine idle");
    CHECK_EQ(status(), LIVE_STATUS | VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
}

static void reenable_after_bad_size_uses_readback(void)
{
    live(FEATURES_ALL);
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 3);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    drv_queue_setup(3, 3, 4, NEW_RING(3), NEW_RING(3) + 0x400, NEW_RING(3) + 0x800);
    drv_queue_enable(3);
    CHECK_EQ(qread(3, VN_COMMON_QUEUE_ENABLE), 1, "enabled");
    CHECK_EQ(qread(3, VN_COMMON_QUEUE_SIZE), VN_MAX_QUEUE_SIZE, "reads the size it runs");
    CHECK_EQ(mock.qc[3].size, VN_MAX_QUEUE_SIZE, "the engine runs what the driver reads");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void qerr_during_reset_ignored(void)
{
    live(FEATURES_ALL);
    mock.qc[0].hold = true;
    push_reset(0, 1);
    CHECK(fw_poll() != 0, "in progress");
    mock_push(VN_EVT_KIND_QERR, 0, 4, VN_QERR_DESC_RANGE, 0);
    CHECK(fw_poll() != 0, "still in progress");
    CHECK_EQ(mock.fifo_count, 0, "QERR popped");
    mock.qc[0].hold = false;
    fw_settle();
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
    CHECK_EQ(mock.cfg_irqs, 0, "no config interrupt");
    check_defaults(0);
    /* the same error on a running queue still counts */
    hw_qerr(1, VN_QERR_DESC_RANGE);
    CHECK_EQ(status(), LIVE_STATUS | VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
}

/* ---- several at once, the control queue, device reset ---- */

static void several_queues_at_once(void)
{
    static const uint32_t qs[] = {0, 1, 2, 5, MOCK_CTRLQ};
    live(FEATURES_ALL);
    mock.qc[2].hold = true;
    for (unsigned i = 0; i < sizeof qs / sizeof qs[0]; i++)
        push_reset(qs[i], 1);
    CHECK(fw_poll() != 0, "in progress");
    CHECK_EQ(mock.fifo_count, 0, "all popped");
    for (unsigned i = 0; i < 4; i++)
        CHECK(mock.qs[qs[i]].reset == 1, "queue %u reads 1", qs[i]);
    check_defaults(MOCK_CTRLQ); /* nothing to wait for */
    for (int i = 0; i < 20; i++)
        (void)fw_poll();
    CHECK(fw_poll() != 0, "queue 2 still draining");
    check_defaults(0);
    check_defaults(1);
    check_defaults(5);
    CHECK_EQ(mock.qs[2].reset, 1, "queue 2 still resetting");
    CHECK_EQ(mock.qs[2].enable, 1, "queue 2 still enabled");
    mock.qc[2].hold = false;
    fw_settle();
    for (unsigned i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        check_defaults(qs[i]);
        if (qs[i] < MOCK_CTRLQ)
            CHECK(mock.qc[qs[i]].resets == 1, "queue %u engine reset once", qs[i]);
    }
    check_running(3);
    check_running(4);
    check_running(6);
    check_running(7);
    for (unsigned i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        setup_ring(qs[i], (uint16_t)(16u << i), (uint16_t)i, NEW_RING(qs[i]));
        drv_queue_enable(qs[i]);
        CHECK(qread(qs[i], VN_COMMON_QUEUE_ENABLE) == 1, "queue %u enabled again", qs[i]);
        if (qs[i] < MOCK_CTRLQ)
            CHECK(mock.qc[qs[i]].size == 16u << i, "queue %u new size", qs[i]);
    }
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

/* A VQ_PAIRS_SET command in the control queue's ring at base: desc 0..2, buffers after. */
static void cq_post_pairs(uint64_t base, uint16_t qsize, uint16_t avail_idx, uint16_t pairs)
{
    uint64_t desc = base, avail = base + 0x400, buf = base + 0x600;
    uint8_t *b = mock_mem(buf, 4);
    b[0] = VN_CTRL_CLASS_MQ;
    b[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    mock_put16(buf + 0x10, pairs);
    mock_mem(buf + 0x20, 1)[0] = 0xee;
    static const uint32_t len[3] = {2, 2, 1};
    static const uint16_t flags[3] = {VN_DESC_F_NEXT, VN_DESC_F_NEXT, VN_DESC_F_WRITE};
    for (uint16_t i = 0; i < 3; i++) {
        mock_put64(desc + 16u * i, buf + 0x10u * i);
        mock_put32(desc + 16u * i + 8, len[i]);
        mock_put16(desc + 16u * i + 12, flags[i]);
        mock_put16(desc + 16u * i + 14, (uint16_t)(i + 1));
    }
    mock_put16(avail + 4 + 2u * (avail_idx % qsize), 0);
    mock_put16(avail + 2, (uint16_t)(avail_idx + 1));
}

static void control_queue_reset(void)
{
    live(FEATURES_ALL);
    cq_post_pairs(RING(MOCK_CTRLQ), 16, 0, 2);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "served before the reset");
    CHECK_EQ(mock_get16(RING(MOCK_CTRLQ) + 0x800 + 2), 1, "used idx 1");

    drv_write(VN_COMMON_QUEUE_SELECT, 2, MOCK_CTRLQ);
    push_reset(MOCK_CTRLQ, 1);
    CHECK_EQ(fw_poll(), 0, "no engine to wait for: complete in the same poll");
    CHECK_EQ(drv_read_now(VN_COMMON_QUEUE_RESET, 2), 0, "complete");
    check_defaults(MOCK_CTRLQ);
    CHECK_EQ(count_writes(0, VN_FW_QC_CMD, VN_QC_CMD_RESET), 0, "no engine command");

    /* the old ring is the driver's again: a kick must not touch it */
    unsigned fdma = mock.fdma_cmds;
    cq_post_pairs(RING(MOCK_CTRLQ), 16, 1, 3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock.fdma_cmds, fdma, "no DMA after the reset");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "not served");

    /* a new, smaller ring elsewhere: indices from 0 */
    setup_ring(MOCK_CTRLQ, 4, 3, NEW_RING(MOCK_CTRLQ));
    drv_queue_enable(MOCK_CTRLQ);
    CHECK_EQ(qread(MOCK_CTRLQ, VN_COMMON_QUEUE_ENABLE), 1, "enabled again");
    unsigned msi = mock.msi_count;
    cq_post_pairs(NEW_RING(MOCK_CTRLQ), 4, 0, 4);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 4, "served from the new ring");
    uint64_t used = NEW_RING(MOCK_CTRLQ) + 0x800;
    CHECK_EQ(mock_get16(used + 2), 1, "used idx restarted: 1");
    CHECK_EQ(mock_get32(used + 4), 0, "used slot 0 holds head 0");
    CHECK_EQ(mock_mem(NEW_RING(MOCK_CTRLQ) + 0x620, 1)[0], VN_CTRL_OK, "ack");
    CHECK_EQ(mock.msi_count, msi + 1, "one interrupt");
    CHECK_EQ(mock.msi[msi], 3, "on the new vector");
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void control_queue_reset_unbreaks(void)
{
    /* a ring the driver broke is served again after a queue reset */
    live(FEATURES_ALL);
    mock_put16(RING(MOCK_CTRLQ) + 0x400 + 2, 100); /* avail idx far ahead of the size */
    drv_kick(MOCK_CTRLQ);
    CHECK(status() & VN_STATUS_NEEDS_RESET, "broken");
    drv_write(VN_COMMON_QUEUE_SELECT, 2, MOCK_CTRLQ);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    check_defaults(MOCK_CTRLQ);
    setup_ring(MOCK_CTRLQ, 16, 3, NEW_RING(MOCK_CTRLQ));
    drv_queue_enable(MOCK_CTRLQ);
    cq_post_pairs(NEW_RING(MOCK_CTRLQ), 16, 0, 3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 3, "served");
}

static void device_reset_during_queue_resets(void)
{
    live(FEATURES_ALL);
    mock.qc[0].hold = true;
    mock.qc[3].hold = true;
    push_reset(0, 1);
    push_reset(3, 1);
    CHECK(fw_poll() != 0, "queue resets in progress");
    CHECK_EQ(mock.qs[0].reset, 1, "queue 0 resetting");
    CHECK_EQ(mock.qs[3].reset, 1, "queue 3 resetting");

    mock.draining = true;
    unsigned mark = mock.log_len;
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, 0, 0);
    for (int i = 0; i < 5; i++)
        CHECK(fw_poll() != 0, "device reset draining (%d)", i);
    CHECK_EQ(mock.dev_resets, 1, "one DEV_RESET");
    CHECK_EQ(count_writes(mark, VN_FW_QC_CMD, VN_QC_CMD_RESET), 0, "no queue command");
    mock.draining = false;
    CHECK_EQ(fw_poll(), 0, "the device reset ends every queue reset");
    /* status 0 is the last shadow written: the driver may start again at once */
    int st = mock_find_write(mark, VN_FW_CC_DEVICE_STATUS, 0);
    CHECK(st >= 0, "status 0 written");
    for (unsigned i = (unsigned)st + 1; st >= 0 && i < mock.log_len; i++) {
        if (mock.log[i].addr != VN_FW_EVT_POP) {
            CHECK(false, "write to 0x%x after status 0", mock.log[i].addr);
            break;
        }
    }
    CHECK_EQ(status(), 0, "status 0");
    for (uint32_t q = 0; q < MOCK_QUEUES; q++) {
        check_defaults(q);
        drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
        CHECK(drv_read(VN_COMMON_QUEUE_RESET, 2) == 0, "queue %u: queue_reset 0", q);
        if (q < MOCK_CTRLQ)
            CHECK(mock.qc[q].state == VN_QSTATE_IDLE, "queue %u idle", q);
    }

    /* nothing left over: the device comes up and queue resets work again */
    mock.qc[0].hold = false;
    mock.qc[3].hold = false;
    live(FEATURES_ALL);
    mark = mock.log_len;
    drv_write(VN_COMMON_QUEUE_SELECT, 2, 3);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    check_defaults(3);
    CHECK_EQ(count_writes(mark, VN_FW_QS_RESET, 0), 1, "one completion");
    CHECK_EQ(mock.qs[0].enable, 1, "queue 0 enabled");
    CHECK_EQ(mock.qc[0].state, VN_QSTATE_RUNNING, "queue 0 running");
}

static void device_reset_with_queue_reset_queued(void)
{
    /* the driver resets the device right after asking for a queue reset */
    live(FEATURES_ALL);
    push_reset(2, 1);
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_DEVICE_STATUS, 1, 0, 0);
    fw_settle();
    CHECK_EQ(status(), 0, "status 0");
    for (uint32_t q = 0; q < MOCK_QUEUES; q++)
        check_defaults(q);
}

int main(void)
{
    t_run("offered", offered);
    t_run("reset_and_reenable_new_size", reset_and_reenable_new_size);
    t_run("driver_sees_1_then_0", driver_sees_1_then_0);
    t_run("reset_waits_for_drain", reset_waits_for_drain);
    t_run("enable_cleared_before_reset", enable_cleared_before_reset);
    t_run("not_negotiated_ignored", not_negotiated_ignored);
    t_run("not_negotiated_no_late_enable", not_negotiated_no_late_enable);
    t_run("late_enable_with_ring_reset", late_enable_with_ring_reset);
    t_run("reset_of_disabled_queue", reset_of_disabled_queue);
    t_run("reset_write_0_ignored", reset_write_0_ignored);
    t_run("second_write_while_in_progress", second_write_while_in_progress);
    t_run("enable_writes_during_reset_ignored", enable_writes_during_reset_ignored);
    t_run("reenable_validated_as_first", reenable_validated_as_first);
    t_run("reenable_after_bad_size_uses_readback", reenable_after_bad_size_uses_readback);
    t_run("qerr_during_reset_ignored", qerr_during_reset_ignored);
    t_run("several_queues_at_once", several_queues_at_once);
    t_run("control_queue_reset", control_queue_reset);
    t_run("control_queue_reset_unbreaks", control_queue_reset_unbreaks);
    t_run("device_reset_during_queue_resets", device_reset_during_queue_resets);
    t_run("device_reset_with_queue_reset_queued", device_reset_with_queue_reset_queued);
    return t_summary();
}
