/* test_ctrlq.c: the control virtqueue served through FDMA, with the ring in fake host
 * memory laid out as a driver would. */
#include "fw.h"
#include "fw_test.h"

#define QSIZE 8u
#define DESC (MOCK_MEM_BASE + 0x1000)
#define AVAIL (MOCK_MEM_BASE + 0x2000)
#define USED (MOCK_MEM_BASE + 0x3000)
#define BUF (MOCK_MEM_BASE + 0x4000) /* command buffers, 0x100 a descriptor */
#define CQ_VECTOR 5u

static uint16_t avail_idx;

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    mock_put_desc(DESC, i, addr, len, flags, next);
}

static uint64_t buf(uint16_t i)
{
    return BUF + 0x100u * i;
}

/* Posts the chain starting at head; does not kick. */
static void post(uint16_t head)
{
    mock_put16(AVAIL + 4 + 2u * (avail_idx % QSIZE), head);
    avail_idx++;
    mock_put16(AVAIL + 2, avail_idx);
}

/* class, command, data in three readable descriptors, ack writable; at slot base. */
static void vq_pairs_cmd(uint16_t base, uint8_t cls, uint8_t cmd, uint16_t pairs)
{
    mock_mem(buf(base), 1)[0] = cls;
    mock_mem(buf(base), 2)[1] = cmd;
    mock_put16(buf((uint16_t)(base + 1)), pairs);
    mock_mem(buf((uint16_t)(base + 2)), 1)[0] = 0xee;
    set_desc(base, buf(base), 2, VN_DESC_F_NEXT, (uint16_t)(base + 1));
    set_desc((uint16_t)(base + 1), buf((uint16_t)(base + 1)), 2, VN_DESC_F_NEXT,
             (uint16_t)(base + 2));
    set_desc((uint16_t)(base + 2), buf((uint16_t)(base + 2)), 1, VN_DESC_F_WRITE, 0);
}

static uint8_t ack(uint16_t base)
{
    return mock_mem(buf((uint16_t)(base + 2)), 1)[0];
}

static void setup(uint64_t features, bool driver_ok)
{
    avail_idx = 0;
    mock.fdma_busy_reads = 3; /* make firmware wait on the mailbox */
    (void)drv_negotiate(features);
    drv_queue_setup(MOCK_CTRLQ, QSIZE, CQ_VECTOR, DESC, AVAIL, USED);
    drv_queue_enable(MOCK_CTRLQ);
    if (driver_ok)
        drv_status_add(VN_STATUS_DRIVER_OK);
}

static void check_used(uint16_t idx, uint16_t slot, uint16_t head)
{
    CHECK_EQ(mock_get16(USED + 2), idx, "used idx");
    CHECK_EQ(mock_get32(USED + 4 + 8u * slot), head, "used id");
    CHECK_EQ(mock_get32(USED + 8 + 8u * slot), 1, "used len");
}

static void vq_pairs_set_ok(void)
{
    setup(FEATURES_ALL, true);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 3);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 3, "RX_QUEUE_PAIRS");
    check_used(1, 0, 0);
    CHECK_EQ(mock.msi_count, 1, "one interrupt");
    CHECK_EQ(mock.msi[0], CQ_VECTOR, "on the control queue's vector");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "healthy");
    CHECK_EQ(mock.fdma_faults, 0, "FDMA stayed inside host memory");

    /* the maximum, then back to 1 */
    vq_pairs_cmd(3, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, MOCK_PAIRS);
    post(3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(3), VN_CTRL_OK, "ack max");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), MOCK_PAIRS, "RX_QUEUE_PAIRS max");
    check_used(2, 1, 3);
}

static void vq_pairs_set_err(void)
{
    static const struct { uint8_t cls, cmd; uint16_t pairs; } bad[] = {
        {VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 0},
        {VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, MOCK_PAIRS + 1},
        {VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, 2}, /* 2 bytes of an rss_config */
        {VN_CTRL_CLASS_RX, VN_CTRL_RX_PROMISC, 1},    /* a le16 where a u8 is due */
        {9, 0, 1},                                    /* no such class */
    };
    setup(FEATURES_ALL, true);
    mock.regs[VN_FW_RX_QUEUE_PAIRS / 4] = 2;
    for (uint16_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vq_pairs_cmd(0, bad[i].cls, bad[i].cmd, bad[i].pairs);
        post(0);
        drv_kick(MOCK_CTRLQ);
        CHECK(ack(0) == VN_CTRL_ERR, "case %u: ack %u", i, ack(0));
        check_used((uint16_t)(i + 1), i, 0);
        CHECK(mock_reg(VN_FW_RX_QUEUE_PAIRS) == 2, "case %u: RX_QUEUE_PAIRS unchanged", i);
    }
    CHECK_EQ(mock.msi_count, 5, "an interrupt each");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "errors are answers, not resets");
}

static void vq_pairs_set_without_mq(void)
{
    /* a driver that did not negotiate MQ (nor CTRL_VQ) but uses the queue anyway */
    setup(BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM), true);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_ERR, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 1, "RX_QUEUE_PAIRS unchanged");
}

static void one_descriptor_command(void)
{
    /* header and data in one readable descriptor, ack in the next */
    setup(FEATURES_ALL, true);
    uint8_t *b = mock_mem(buf(0), 4);
    b[0] = VN_CTRL_CLASS_MQ;
    b[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    b[2] = 2;
    b[3] = 0;
    set_desc(0, buf(0), 4, VN_DESC_F_NEXT, 1);
    set_desc(1, buf(1), 1, VN_DESC_F_WRITE, 0);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_mem(buf(1), 1)[0], VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "RX_QUEUE_PAIRS");
}

static void batch_and_no_interrupt(void)
{
    setup(FEATURES_ALL, true);
    mock_put16(AVAIL, VN_AVAIL_F_NO_INTERRUPT);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    vq_pairs_cmd(3, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 4);
    post(0);
    post(3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "first ack");
    CHECK_EQ(ack(3), VN_CTRL_OK, "second ack");
    check_used(2, 0, 0);
    check_used(2, 1, 3);
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 4, "the later command wins");
    CHECK_EQ(mock.msi_count, 0, "NO_INTERRUPT honoured");
}

static void no_vector_no_interrupt(void)
{
    avail_idx = 0;
    (void)drv_negotiate(FEATURES_ALL);
    drv_queue_setup(MOCK_CTRLQ, QSIZE, (uint16_t)VN_MSIX_NO_VECTOR, DESC, AVAIL, USED);
    drv_queue_enable(MOCK_CTRLQ);
    drv_status_add(VN_STATUS_DRIVER_OK);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack");
    CHECK_EQ(mock.msi_count, 0, "no interrupt without a vector");
}

static void served_at_driver_ok(void)
{
    setup(FEATURES_ALL, false);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), 0xee, "nothing consumed before DRIVER_OK");
    CHECK_EQ(mock_get16(USED + 2), 0, "used idx untouched");
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(ack(0), VN_CTRL_OK, "served at DRIVER_OK");
    check_used(1, 0, 0);
}

static void hostile(const char *what)
{
    drv_kick(MOCK_CTRLQ);
    CHECK(status() & VN_STATUS_NEEDS_RESET, "%s: NEEDS_RESET", what);
    CHECK(mock.cfg_irqs == 1, "%s: one config interrupt (%u)", what, mock.cfg_irqs);
    /* the queue is not served again until reset */
    unsigned cmds = mock.fdma_cmds;
    drv_kick(MOCK_CTRLQ);
    CHECK(mock.fdma_cmds == cmds, "%s: no more DMA", what);
}

static void hostile_chain_loop(void)
{
    setup(FEATURES_ALL, true);
    set_desc(0, buf(0), 2, VN_DESC_F_NEXT, 1);
    set_desc(1, buf(1), 2, VN_DESC_F_NEXT, 0);
    post(0);
    hostile("loop");
    CHECK_EQ(mock_get16(USED + 2), 0, "nothing used");
}

static void hostile_next_out_of_range(void)
{
    setup(FEATURES_ALL, true);
    set_desc(0, buf(0), 2, VN_DESC_F_NEXT, QSIZE);
    post(0);
    hostile("next >= size");
}

static void hostile_head_out_of_range(void)
{
    setup(FEATURES_ALL, true);
    post(QSIZE + 1);
    hostile("head >= size");
}

static void hostile_avail_jump(void)
{
    setup(FEATURES_ALL, true);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    mock_put16(AVAIL + 2, QSIZE + 1);
    hostile("avail idx ahead by more than the size");
    CHECK_EQ(ack(0), 0xee, "nothing executed");
}

static void hostile_no_ack(void)
{
    setup(FEATURES_ALL, true);
    mock_mem(buf(0), 2)[0] = VN_CTRL_CLASS_MQ;
    set_desc(0, buf(0), 2, 0, 0);
    post(0);
    hostile("no writable ack");
}

static void hostile_readable_after_writable(void)
{
    setup(FEATURES_ALL, true);
    set_desc(0, buf(0), 1, VN_DESC_F_WRITE | VN_DESC_F_NEXT, 1);
    set_desc(1, buf(1), 2, 0, 0);
    post(0);
    hostile("readable after writable");
}

static void hostile_indirect(void)
{
    setup(FEATURES_ALL & ~BIT(VN_F_INDIRECT_DESC), true);
    set_desc(0, buf(0), 32, VN_DESC_F_INDIRECT, 0);
    post(0);
    hostile("indirect without INDIRECT_DESC");
}

static void hostile_indirect_nested(void)
{
    setup(FEATURES_ALL, true);
    set_desc(0, buf(8), 32, VN_DESC_F_INDIRECT, 0);
    mock_put_desc(buf(8), 0, buf(9), 16, VN_DESC_F_INDIRECT, 0);
    post(0);
    hostile("indirect inside indirect");
}

static void hostile_indirect_bad_len(void)
{
    setup(FEATURES_ALL, true);
    set_desc(0, buf(8), 24, VN_DESC_F_INDIRECT, 0);
    post(0);
    hostile("indirect table of 24 bytes");
}

/* The command's three descriptors in an indirect table (Linux puts control commands there
 * when INDIRECT_DESC is negotiated), after a direct descriptor of the ring's own. */
static void indirect_command(void)
{
    setup(FEATURES_ALL, true);
    mock_mem(buf(0), 2)[0] = VN_CTRL_CLASS_MQ;
    mock_mem(buf(0), 2)[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    mock_put16(buf(1), 3);
    mock_mem(buf(2), 1)[0] = 0xee;
    set_desc(5, buf(8), 3 * 16, VN_DESC_F_INDIRECT, 0);
    mock_put_desc(buf(8), 0, buf(0), 2, VN_DESC_F_NEXT, 2);
    mock_put_desc(buf(8), 2, buf(1), 2, VN_DESC_F_NEXT, 1);
    mock_put_desc(buf(8), 1, buf(2), 1, VN_DESC_F_WRITE, 0);
    post(5);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_mem(buf(2), 1)[0], VN_CTRL_OK, "ack");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 3, "pairs set");
    check_used(1, 0, 5);
    CHECK(!(status() & VN_STATUS_NEEDS_RESET), "no error");
}

static void huge_lengths_answer_err(void)
{
    /* a readable descriptor claiming 4 GiB: a command too long to keep is not read */
    setup(FEATURES_ALL, true);
    mock_mem(buf(0), 2)[0] = VN_CTRL_CLASS_MQ;
    mock_mem(buf(0), 2)[1] = VN_CTRL_MQ_VQ_PAIRS_SET;
    set_desc(0, MOCK_MEM_BASE + MOCK_MEM_SIZE - 64, 0xffffffffu, VN_DESC_F_NEXT, 1);
    set_desc(1, buf(1), 1, VN_DESC_F_WRITE, 0);
    mock_mem(buf(1), 1)[0] = 0xee;
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_mem(buf(1), 1)[0], VN_CTRL_ERR, "ack");
    CHECK_EQ(mock.fdma_faults, 0, "nothing read of it");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "answered, not reset");
}

static void reset_restarts_ring(void)
{
    setup(FEATURES_ALL, true);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 3);
    post(0);
    drv_kick(MOCK_CTRLQ);
    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 1, "RX_QUEUE_PAIRS back to 1");
    for (uint32_t i = 0; i < 0x3000; i++) /* the driver clears its rings */
        mock_mem(DESC + i, 1)[0] = 0;
    setup(FEATURES_ALL, true);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    post(0);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "ack after reset");
    check_used(1, 0, 0);
}

/* EVENT_IDX: avail_event follows what was consumed (the driver kicks past it); the
 * NO_INTERRUPT flag is not the suppression then, so the message is sent */
static void event_idx_avail_event(void)
{
    setup(FEATURES_ALL | BIT(VN_F_EVENT_IDX), true);
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL) & VN_DEV_CTRL_EVENT_IDX, VN_DEV_CTRL_EVENT_IDX,
             "DEV_CTRL.EVENT_IDX");
    mock_put16(USED + 4 + 8u * QSIZE, 0xbeef);
    mock_put16(AVAIL, VN_AVAIL_F_NO_INTERRUPT);
    vq_pairs_cmd(0, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 2);
    vq_pairs_cmd(3, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, 3);
    post(0);
    post(3);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(ack(0), VN_CTRL_OK, "first ack");
    CHECK_EQ(ack(3), VN_CTRL_OK, "second ack");
    check_used(2, 1, 3);
    CHECK_EQ(mock_get16(USED + 4 + 8u * QSIZE), 2, "avail_event = the consumed index");
    CHECK_EQ(mock.msi_count, 1, "a message despite NO_INTERRUPT");
}

int main(void)
{
    t_run("vq_pairs_set_ok", vq_pairs_set_ok);
    t_run("vq_pairs_set_err", vq_pairs_set_err);
    t_run("vq_pairs_set_without_mq", vq_pairs_set_without_mq);
    t_run("one_descriptor_command", one_descriptor_command);
    t_run("batch_and_no_interrupt", batch_and_no_interrupt);
    t_run("no_vector_no_interrupt", no_vector_no_interrupt);
    t_run("served_at_driver_ok", served_at_driver_ok);
    t_run("hostile_chain_loop", hostile_chain_loop);
    t_run("hostile_next_out_of_range", hostile_next_out_of_range);
    t_run("hostile_head_out_of_range", hostile_head_out_of_range);
    t_run("hostile_avail_jump", hostile_avail_jump);
    t_run("hostile_no_ack", hostile_no_ack);
    t_run("hostile_readable_after_writable", hostile_readable_after_writable);
    t_run("hostile_indirect", hostile_indirect);
    t_run("hostile_indirect_nested", hostile_indirect_nested);
    t_run("hostile_indirect_bad_len", hostile_indirect_bad_len);
    t_run("indirect_command", indirect_command);
    t_run("huge_lengths_answer_err", huge_lengths_answer_err);
    t_run("reset_restarts_ring", reset_restarts_ring);
    t_run("event_idx_avail_event", event_idx_avail_event);
    return t_summary();
}
