/* test_coal.c: control-queue replies (reply data at the start of the writable part, the
 * ack in its last byte, used len = reply + 1) and notification coalescing (NOTF_COAL,
 * VQ_NOTF_COAL): what reaches the queue engines through QC_SEL, QC_COAL and QC_CMD. */
#include "fw.h"
#include "fw_test.h"

#define QSIZE 16u
#define DESC (MOCK_MEM_BASE + 0x1000)
#define AVAIL (MOCK_MEM_BASE + 0x2000)
#define USED (MOCK_MEM_BASE + 0x3000)
#define BUF (MOCK_MEM_BASE + 0x4000)             /* 0x100 a descriptor */
#define RING(q) (MOCK_MEM_BASE + 0x8000u + 0x800u * (q)) /* a data queue's rings */
#define DQSIZE 256u
#define FILL 0xeeu
#define NO_COAL (FEATURES_ALL & ~BIT(VN_F_NOTF_COAL))
#define NO_VQ_COAL (FEATURES_ALL & ~BIT(VN_F_VQ_NOTF_COAL))
#define TX_SET VN_CTRL_NOTF_COAL_TX_SET
#define RX_SET VN_CTRL_NOTF_COAL_RX_SET
#define VQ_SET VN_CTRL_NOTF_COAL_VQ_SET
#define VQ_GET VN_CTRL_NOTF_COAL_VQ_GET
#define W(pkts, usecs) ((uint32_t)(pkts) | (uint32_t)(usecs) << 16) /* a QC_COAL word */

static uint16_t avail_idx;

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static uint64_t buf(uint16_t i)
{
    return BUF + 0x100u * i;
}

static void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    mock_put_desc(DESC, i, addr, len, flags, next);
}

/* Negotiated, the data queues in mask set up and enabled, the control queue, DRIVER_OK. */
static void live_mask(uint64_t features, uint32_t mask)
{
    avail_idx = 0;
    CHECK(drv_negotiate(features) & VN_STATUS_FEATURES_OK, "FEATURES_OK");
    for (uint32_t q = 0; q < MOCK_CTRLQ; q++) {
        if (!(mask & (1u << q)))
            continue;
        drv_queue_setup(q, DQSIZE, (uint16_t)(q + 1), RING(q), RING(q) + 0x200,
                        RING(q) + 0x400);
        drv_queue_enable(q);
    }
    drv_queue_setup(MOCK_CTRLQ, QSIZE, 0, DESC, AVAIL, USED);
    drv_queue_enable(MOCK_CTRLQ);
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(status(), LIVE_STATUS, "live");
}

static void live(uint64_t features)
{
    live_mask(features, (1u << MOCK_CTRLQ) - 1);
}

static void enable_data_queue(uint32_t q)
{
    drv_queue_setup(q, DQSIZE, (uint16_t)(q + 1), RING(q), RING(q) + 0x200, RING(q) + 0x400);
    drv_queue_enable(q);
}

/* ---- commands ---- */

/* A command at descriptor 0: class, command and data in one readable descriptor, then nw
 * writable descriptors 1..nw of lengths wl[] (0x100 bytes of FILL behind each).  Posted,
 * not kicked. */
static void build(uint8_t cls, uint8_t cmd, const uint8_t *data, uint32_t dlen,
                  const uint32_t *wl, unsigned nw)
{
    uint8_t *b = mock_mem(buf(0), 2 + dlen);
    b[0] = cls;
    b[1] = cmd;
    for (uint32_t i = 0; i < dlen; i++)
        b[2 + i] = data[i];
    set_desc(0, buf(0), 2 + dlen, nw ? VN_DESC_F_NEXT : 0, 1);
    for (unsigned i = 0; i < nw; i++) {
        uint16_t d = (uint16_t)(1 + i);
        uint8_t *w = mock_mem(buf(d), 0x100);
        for (unsigned k = 0; k < 0x100; k++)
            w[k] = FILL;
        set_desc(d, buf(d), wl[i],
                 (uint16_t)(VN_DESC_F_WRITE | (i + 1 < nw ? VN_DESC_F_NEXT : 0)),
                 (uint16_t)(d + 1));
    }
    mock_put16(AVAIL + 4 + 2u * (avail_idx % QSIZE), 0);
    avail_idx++;
    mock_put16(AVAIL + 2, avail_idx);
}

/* The used element of the command just served (checked to be there); its len. */
static uint32_t used_len(void)
{
    uint16_t slot = (uint16_t)((avail_idx - 1u) % QSIZE);
    CHECK_EQ(mock_get16(USED + 2), avail_idx, "used idx");
    CHECK_EQ(mock_get32(USED + 4 + 8u * slot), 0, "used id");
    return mock_get32(USED + 8 + 8u * slot);
}

/* The last byte of writable descriptor n (1-based) of lengths wl[]. */
static uint8_t last_byte(const uint32_t *wl, unsigned n)
{
    return mock_mem(buf((uint16_t)n) + wl[n - 1] - 1, 1)[0];
}

/* A command without reply, a 1-byte ack: the ack (used len checked to be 1). */
static uint8_t run(uint8_t cls, uint8_t cmd, const uint8_t *data, uint32_t dlen)
{
    static const uint32_t one = 1;
    build(cls, cmd, data, dlen, &one, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(used_len(), 1, "used len of a command without reply");
    return mock_mem(buf(1), 1)[0];
}

static void put_coal(uint8_t *p, uint32_t pkts, uint32_t usecs)
{
    for (unsigned i = 0; i < 4; i++) {
        p[i] = (uint8_t)(pkts >> (8 * i));
        p[4 + i] = (uint8_t)(usecs >> (8 * i));
    }
}

static uint8_t coal_set(uint8_t cmd, uint32_t pkts, uint32_t usecs)
{
    uint8_t d[8];
    put_coal(d, pkts, usecs);
    return run(VN_CTRL_CLASS_NOTF_COAL, cmd, d, sizeof d);
}

static uint8_t vq_set(uint16_t vqn, uint32_t pkts, uint32_t usecs)
{
    uint8_t d[12] = {(uint8_t)vqn, (uint8_t)(vqn >> 8), 0xaa, 0x55}; /* reserved ignored */
    put_coal(d + 4, pkts, usecs);
    return run(VN_CTRL_CLASS_NOTF_COAL, VQ_SET, d, sizeof d);
}

/* VQ_GET with an 8-byte reply descriptor and a 1-byte ack; *pkts, *usecs on OK. */
static uint8_t vq_get(uint16_t vqn, uint32_t *pkts, uint32_t *usecs)
{
    static const uint32_t wl[2] = {8, 1};
    uint8_t d[4] = {(uint8_t)vqn, (uint8_t)(vqn >> 8), 0, 0};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, sizeof d, wl, 2);
    drv_kick(MOCK_CTRLQ);
    uint8_t ack = mock_mem(buf(2), 1)[0];
    uint32_t len = used_len();
    if (ack == VN_CTRL_OK) {
        CHECK_EQ(len, 9, "VQ_GET used len");
        *pkts = mock_get32(buf(1));
        *usecs = mock_get32(buf(1) + 4);
    } else {
        CHECK_EQ(len, 1, "used len of an error");
        CHECK_EQ(mock_get32(buf(1)), 0xeeeeeeeeu, "no reply with an error");
    }
    return ack;
}

static void check_get(uint16_t vqn, uint32_t pkts, uint32_t usecs)
{
    uint32_t p = ~0u, u = ~0u;
    CHECK(vq_get(vqn, &p, &u) == VN_CTRL_OK, "VQ_GET %u OK", vqn);
    CHECK(p == pkts && u == usecs, "VQ_GET %u: %u/%u, want %u/%u", vqn, p, u, pkts, usecs);
}

/* ---- what reached the engines ---- */

struct qc_op {
    uint32_t q, cmd, coal;
    bool coal_fresh; /* QC_COAL written after QC_SEL and since the previous QC_CMD */
};

/* The QC_CMD writes at or after log index mark, each with the QC_SEL and QC_COAL then in
 * effect. */
static unsigned qc_ops(unsigned mark, struct qc_op *ops, unsigned max)
{
    uint32_t sel = 0, coal = 0;
    bool fresh = false;
    unsigned n = 0;
    CHECK(mock.log_len <= MOCK_LOG_MAX, "write log overflow");
    for (unsigned i = 0; i < mock.log_len && i < MOCK_LOG_MAX; i++) {
        const struct mock_write *w = &mock.log[i];
        if (w->addr == VN_FW_QC_SEL) {
            sel = w->val;
            fresh = false;
        } else if (w->addr == VN_FW_QC_COAL) {
            coal = w->val;
            fresh = true;
        } else if (w->addr == VN_FW_QC_CMD) {
            if (i >= mark && n < max)
                ops[n++] = (struct qc_op){sel, w->val, coal, fresh};
            fresh = false;
        }
    }
    return n;
}

/* Since mark, exactly the queues in mask got QC_CMD_COAL, once each, with word w, and
 * nothing else went to QC_CMD. */
static void check_coal_cmds(unsigned mark, uint32_t mask, uint32_t w, const char *what)
{
    struct qc_op ops[32];
    unsigned n = qc_ops(mark, ops, 32);
    uint32_t seen = 0;
    for (unsigned i = 0; i < n; i++) {
        CHECK(ops[i].cmd == VN_QC_CMD_COAL, "%s: op %u is QC_CMD %u", what, i, ops[i].cmd);
        CHECK(ops[i].coal_fresh, "%s: QC_SEL %u, QC_COAL, QC_CMD in order", what, ops[i].q);
        CHECK(ops[i].coal == w, "%s: queue %u QC_COAL 0x%x, want 0x%x", what, ops[i].q,
              ops[i].coal, w);
        CHECK(ops[i].q < MOCK_CTRLQ && !(seen & (1u << ops[i].q)), "%s: queue %u again",
              what, ops[i].q);
        seen |= 1u << ops[i].q;
    }
    CHECK(seen == mask, "%s: queues 0x%x got QC_CMD_COAL, want 0x%x", what, seen, mask);
}

/* Since mark, queue q was started once with QC_COAL w written before the start. */
static void check_start(unsigned mark, uint32_t q, uint32_t w)
{
    struct qc_op ops[32];
    unsigned n = qc_ops(mark, ops, 32), starts = 0;
    for (unsigned i = 0; i < n; i++) {
        if (ops[i].q != q || ops[i].cmd != VN_QC_CMD_START)
            continue;
        starts++;
        CHECK(ops[i].coal_fresh, "queue %u: QC_COAL written before QC_CMD_START", q);
        CHECK(ops[i].coal == w, "queue %u started with QC_COAL 0x%x, want 0x%x", q,
              ops[i].coal, w);
    }
    CHECK(starts == 1, "queue %u started %u times", q, starts);
    CHECK(mock.qc[q].coal == w, "queue %u engine coal 0x%x, want 0x%x", q, mock.qc[q].coal, w);
}

static void qreset(uint32_t q)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    drv_write(VN_COMMON_QUEUE_RESET, 2, 1);
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_RESET, 2), 0, "queue reset complete");
    CHECK_EQ(drv_read(VN_COMMON_QUEUE_ENABLE, 2), 0, "queue disabled");
}

/* ---- tests ---- */

static void offered(void)
{
    uint64_t f = drv_read_device_features();
    CHECK(f & BIT(VN_F_NOTF_COAL), "NOTF_COAL offered");
    CHECK(f & BIT(VN_F_VQ_NOTF_COAL), "VQ_NOTF_COAL offered");
    CHECK_EQ(drv_negotiate(FEATURES_ALL) & VN_STATUS_FEATURES_OK, VN_STATUS_FEATURES_OK,
             "accepted");
    CHECK_EQ(drv_read_driver_features(), FEATURES_ALL, "read back");
}

static void refused_without_ctrl_vq(void)
{
    /* 5.1.3.1: both need CTRL_VQ */
    static const uint64_t bad[] = {
        BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM) | BIT(VN_F_NOTF_COAL),
        BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM) | BIT(VN_F_VQ_NOTF_COAL),
    };
    for (unsigned i = 0; i < 2; i++) {
        mock_power_on();
        fw_init();
        CHECK(!(drv_negotiate(bad[i]) & VN_STATUS_FEATURES_OK), "case %u: refused", i);
    }
}

static void enable_starts_at_zero(void)
{
    unsigned mark = mock.log_len;
    live(FEATURES_ALL);
    for (uint32_t q = 0; q < MOCK_CTRLQ; q++)
        check_start(mark, q, 0);
    CHECK_EQ(mock.regs[VN_FW_QC_COAL / 4], 0, "QC_COAL 0");
}

static void reply_placement(void)
{
    live(FEATURES_ALL);
    CHECK_EQ(vq_set(3, 0x1234, 0x567), VN_CTRL_OK, "VQ_SET");
    uint8_t d[4] = {3, 0, 0, 0};

    /* one descriptor of 9: reply in 0..7, ack in 8 */
    static const uint32_t nine[1] = {9};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, 4, nine, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(nine, 1), VN_CTRL_OK, "9: ack in byte 8");
    CHECK_EQ(mock_get32(buf(1)), 0x1234, "9: max_packets");
    CHECK_EQ(mock_get32(buf(1) + 4), 0x567, "9: max_usecs");
    CHECK_EQ(used_len(), 9, "9: used len");

    /* a larger area: the reply at its start, the ack in its last byte, between untouched */
    static const uint32_t big[1] = {20};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, 4, big, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(big, 1), VN_CTRL_OK, "20: ack in byte 19");
    CHECK_EQ(mock_get32(buf(1)), 0x1234, "20: max_packets");
    CHECK_EQ(mock_get32(buf(1) + 4), 0x567, "20: max_usecs");
    for (unsigned i = 8; i < 19; i++)
        CHECK(mock_mem(buf(1) + i, 1)[0] == FILL, "20: byte %u untouched", i);
    CHECK_EQ(used_len(), 9, "20: used len is reply + ack");

    /* the reply split over descriptors, with an empty one between; the ack alone */
    static const uint32_t split[5] = {3, 0, 2, 4, 1};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, 4, split, 5);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(split, 5), VN_CTRL_OK, "split: ack");
    uint8_t want[8] = {0x34, 0x12, 0, 0, 0x67, 0x05, 0, 0};
    const uint8_t *p1 = mock_mem(buf(1), 3), *p3 = mock_mem(buf(3), 2),
                  *p4 = mock_mem(buf(4), 4);
    for (unsigned i = 0; i < 3; i++)
        CHECK(p1[i] == want[i], "split: byte %u", i);
    CHECK(mock_mem(buf(2), 1)[0] == FILL, "split: empty descriptor untouched");
    for (unsigned i = 0; i < 2; i++)
        CHECK(p3[i] == want[3 + i], "split: byte %u", 3 + i);
    for (unsigned i = 0; i < 3; i++)
        CHECK(p4[i] == want[5 + i], "split: byte %u", 5 + i);
    CHECK_EQ(p4[3], FILL, "split: the last byte of a reply descriptor not used is untouched");
    CHECK_EQ(used_len(), 9, "split: used len");

    /* the reply does not fit before the ack: ERR, nothing else written */
    static const uint32_t small[2] = {7, 1};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, 4, small, 2);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(small, 2), VN_CTRL_ERR, "7+1: ERR");
    for (unsigned i = 0; i < 7; i++)
        CHECK(mock_mem(buf(1) + i, 1)[0] == FILL, "7+1: byte %u untouched", i);
    CHECK_EQ(used_len(), 1, "7+1: used len");
    static const uint32_t eight[1] = {8};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, d, 4, eight, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(eight, 1), VN_CTRL_ERR, "8: ERR");
    CHECK_EQ(mock_get32(buf(1)), 0xeeeeeeeeu, "8: no reply");
    CHECK_EQ(used_len(), 1, "8: used len");

    /* a command without reply and a larger writable area: only the last byte written */
    static const uint32_t two[2] = {4, 2};
    uint8_t pairs[2] = {2, 0};
    build(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, pairs, 2, two, 2);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(last_byte(two, 2), VN_CTRL_OK, "VQ_PAIRS_SET: ack in the last byte");
    CHECK_EQ(mock_mem(buf(2), 1)[0], FILL, "VQ_PAIRS_SET: the byte before untouched");
    CHECK_EQ(mock_get32(buf(1)), 0xeeeeeeeeu, "VQ_PAIRS_SET: nothing in the first");
    CHECK_EQ(used_len(), 1, "VQ_PAIRS_SET: used len");
    CHECK_EQ(mock_reg(VN_FW_RX_QUEUE_PAIRS), 2, "VQ_PAIRS_SET done");

    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
    CHECK_EQ(mock.fdma_faults, 0, "FDMA stayed inside host memory");
}

static void tx_rx_set_enabled_queues(void)
{
    /* queues 0..5 enabled, 6 and 7 not yet */
    live_mask(FEATURES_ALL, 0x3f);
    unsigned mark = mock.log_len;
    CHECK_EQ(coal_set(TX_SET, 10, 100), VN_CTRL_OK, "TX_SET");
    check_coal_cmds(mark, 0x2a, W(10, 100), "TX_SET");
    for (uint32_t q = 0; q < 6; q++)
        CHECK(mock.qc[q].coal == (q & 1 ? W(10, 100) : 0), "queue %u engine coal 0x%x", q,
              mock.qc[q].coal);

    mark = mock.log_len;
    CHECK_EQ(coal_set(RX_SET, 20, 200), VN_CTRL_OK, "RX_SET");
    check_coal_cmds(mark, 0x15, W(20, 200), "RX_SET");
    for (uint32_t q = 0; q < 6; q++)
        CHECK(mock.qc[q].coal == (q & 1 ? W(10, 100) : W(20, 200)), "queue %u after RX_SET",
              q);
    CHECK_EQ(mock.qc[6].coal_loads + mock.qc[7].coal_loads, 0, "disabled queues untouched");

    /* enabled later (RING_RESET allows it while live): the last TX_SET / RX_SET */
    mark = mock.log_len;
    enable_data_queue(6);
    enable_data_queue(7);
    check_start(mark, 6, W(20, 200));
    check_start(mark, 7, W(10, 100));
    check_get(6, 20, 200);
    check_get(7, 10, 100);
    check_get(0, 20, 200);
    check_get(5, 10, 100);

    /* a later TX_SET reaches them too; the newest wins */
    mark = mock.log_len;
    CHECK_EQ(coal_set(TX_SET, 0, 0), VN_CTRL_OK, "TX_SET 0");
    check_coal_cmds(mark, 0xaa, 0, "TX_SET 0");
    check_get(7, 0, 0);
    check_get(6, 20, 200);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void values_capped(void)
{
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    CHECK_EQ(coal_set(RX_SET, 0x10000, 0xffffffffu), VN_CTRL_OK, "RX_SET");
    check_coal_cmds(mark, 0x55, W(0xffff, VN_COAL_MAX_USECS), "RX_SET capped");
    /* VQ_GET reports what the queue runs with: the capped values */
    check_get(2, 0xffff, VN_COAL_MAX_USECS);
    mark = mock.log_len;
    CHECK_EQ(vq_set(1, 0xffff, VN_COAL_MAX_USECS + 1), VN_CTRL_OK, "VQ_SET");
    check_coal_cmds(mark, 0x2, W(0xffff, VN_COAL_MAX_USECS), "VQ_SET capped");
    check_get(1, 0xffff, VN_COAL_MAX_USECS);
    CHECK_EQ(vq_set(1, 1, VN_COAL_MAX_USECS), VN_CTRL_OK, "VQ_SET at the limit");
    check_get(1, 1, VN_COAL_MAX_USECS);
}

static void vq_set_get_round_trip(void)
{
    live(FEATURES_ALL);
    check_get(2, 0, 0);
    unsigned mark = mock.log_len;
    CHECK_EQ(vq_set(2, 7, 50), VN_CTRL_OK, "VQ_SET 2");
    check_coal_cmds(mark, 1u << 2, W(7, 50), "VQ_SET 2");
    CHECK_EQ(mock.qc[2].coal, W(7, 50), "engine of queue 2");
    check_get(2, 7, 50);
    check_get(0, 0, 0);
    check_get(3, 0, 0);

    /* the most recent command wins for each queue */
    CHECK_EQ(vq_set(3, 1, 2), VN_CTRL_OK, "VQ_SET 3");
    CHECK_EQ(coal_set(TX_SET, 30, 300), VN_CTRL_OK, "TX_SET after VQ_SET");
    check_get(3, 30, 300);
    check_get(2, 7, 50); /* RX untouched by TX_SET */
    mark = mock.log_len;
    CHECK_EQ(vq_set(3, 4, 5), VN_CTRL_OK, "VQ_SET after TX_SET");
    check_coal_cmds(mark, 1u << 3, W(4, 5), "VQ_SET 3");
    check_get(3, 4, 5);
    check_get(1, 30, 300);
    CHECK_EQ(coal_set(RX_SET, 8, 9), VN_CTRL_OK, "RX_SET after VQ_SET");
    check_get(2, 8, 9);
    /* the highest data queue */
    CHECK_EQ(vq_set(MOCK_CTRLQ - 1, 11, 12), VN_CTRL_OK, "VQ_SET last data queue");
    check_get(MOCK_CTRLQ - 1, 11, 12);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void err_not_negotiated(void)
{
    uint32_t p, u;
    live(NO_COAL);
    unsigned mark = mock.log_len;
    CHECK_EQ(coal_set(TX_SET, 1, 1), VN_CTRL_ERR, "TX_SET without NOTF_COAL");
    CHECK_EQ(coal_set(RX_SET, 1, 1), VN_CTRL_ERR, "RX_SET without NOTF_COAL");
    check_coal_cmds(mark, 0, 0, "nothing applied");
    /* VQ_NOTF_COAL alone still has its commands */
    CHECK_EQ(vq_set(0, 2, 3), VN_CTRL_OK, "VQ_SET with VQ_NOTF_COAL only");
    check_get(0, 2, 3);
    /* and a re-enabled queue has no *_SET to fall back to */
    qreset(1);
    enable_data_queue(1);
    check_get(1, 0, 0);

    mock_power_on();
    fw_init();
    live(NO_VQ_COAL);
    mark = mock.log_len;
    CHECK_EQ(vq_set(0, 1, 1), VN_CTRL_ERR, "VQ_SET without VQ_NOTF_COAL");
    CHECK_EQ(vq_get(0, &p, &u), VN_CTRL_ERR, "VQ_GET without VQ_NOTF_COAL");
    check_coal_cmds(mark, 0, 0, "nothing applied");
    CHECK_EQ(coal_set(TX_SET, 1, 1), VN_CTRL_OK, "TX_SET with NOTF_COAL only");
    CHECK_EQ(mock.qc[1].coal, W(1, 1), "TX_SET applied");

    /* the control queue without either feature */
    mock_power_on();
    fw_init();
    live(FEATURES_ALL & ~BIT(VN_F_NOTF_COAL) & ~BIT(VN_F_VQ_NOTF_COAL));
    mark = mock.log_len;
    CHECK_EQ(coal_set(TX_SET, 1, 1), VN_CTRL_ERR, "TX_SET");
    CHECK_EQ(vq_set(1, 1, 1), VN_CTRL_ERR, "VQ_SET");
    check_coal_cmds(mark, 0, 0, "nothing applied");
    CHECK_EQ(status(), LIVE_STATUS, "errors are answers, not resets");
}

static void err_lengths(void)
{
    uint8_t d[16] = {1, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0};
    static const struct { uint8_t cmd; uint32_t len; } bad[] = {
        {TX_SET, 0}, {TX_SET, 7}, {TX_SET, 9}, {RX_SET, 4}, {RX_SET, 12},
        {VQ_SET, 8}, {VQ_SET, 11}, {VQ_SET, 13}, {VQ_GET, 0}, {VQ_GET, 2},
        {VQ_GET, 3}, {VQ_GET, 5}, {VQ_GET, 12}, {4, 8}, {0xff, 0},
    };
    live(FEATURES_ALL);
    unsigned mark = mock.log_len;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(run(VN_CTRL_CLASS_NOTF_COAL, bad[i].cmd, d, bad[i].len) == VN_CTRL_ERR,
              "case %u: command %u with %u bytes answered ERR", i, bad[i].cmd, bad[i].len);
    check_coal_cmds(mark, 0, 0, "nothing applied");
    check_get(1, 0, 0);
    /* the same data spread over two readable descriptors is still one command */
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_SET, d, 4, (const uint32_t[]){1}, 1);
    set_desc(0, buf(0), 6, VN_DESC_F_NEXT, 4); /* hdr + vqn, reserved */
    uint8_t *c = mock_mem(buf(4), 8);
    put_coal(c, 9, 10);
    set_desc(4, buf(4), 8, VN_DESC_F_NEXT, 1);
    drv_kick(MOCK_CTRLQ);
    CHECK_EQ(mock_mem(buf(1), 1)[0], VN_CTRL_OK, "VQ_SET over two descriptors");
    check_get(1, 9, 10);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void err_bad_queues(void)
{
    uint32_t p, u;
    live_mask(FEATURES_ALL, 0xff & ~(1u << 4));
    unsigned mark = mock.log_len;
    static const uint16_t bad[] = {MOCK_CTRLQ, MOCK_QUEUES, 4 /* disabled */, 0x7fff, 0xffff};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(vq_set(bad[i], 1, 1) == VN_CTRL_ERR, "VQ_SET %u: ERR", bad[i]);
        CHECK(vq_get(bad[i], &p, &u) == VN_CTRL_ERR, "VQ_GET %u: ERR", bad[i]);
    }
    check_coal_cmds(mark, 0, 0, "nothing applied");
    /* TX_SET and RX_SET skip the disabled queue, which takes RX_SET when enabled */
    CHECK_EQ(coal_set(RX_SET, 3, 4), VN_CTRL_OK, "RX_SET");
    check_coal_cmds(mark, 0x45, W(3, 4), "RX_SET without queue 4");
    mark = mock.log_len;
    enable_data_queue(4);
    check_start(mark, 4, W(3, 4));
    check_get(4, 3, 4);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

/* The driver's kick while a queue reset waits for its engine: fw_poll keeps reporting
 * work, so the firmware is polled a few times by hand. */
static void kick_during_reset(void)
{
    mock_push(VN_EVT_KIND_KICK, 4 * MOCK_CTRLQ, 2, MOCK_CTRLQ, MOCK_CTRLQ);
    for (int i = 0; i < 4; i++)
        (void)fw_poll();
    CHECK_EQ(mock.fifo_count, 0, "kick consumed");
}

static void err_queue_in_reset(void)
{
    live(FEATURES_ALL);
    CHECK_EQ(coal_set(TX_SET, 5, 6), VN_CTRL_OK, "TX_SET");
    mock.qc[3].hold = true; /* its reset cannot complete */
    mock_push(VN_EVT_KIND_COMMON, VN_COMMON_QUEUE_RESET, 2, 1, 3);
    CHECK(fw_poll() != 0, "reset in progress");
    CHECK_EQ(mock.qs[3].reset, 1, "queue_reset reads 1");
    CHECK_EQ(mock.qs[3].enable, 1, "queue_enable still 1");

    unsigned mark = mock.log_len;
    static const uint32_t one = 1, get[2] = {8, 1};
    uint8_t sd[12] = {3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_SET, sd, sizeof sd, &one, 1);
    kick_during_reset();
    CHECK_EQ(mock_mem(buf(1), 1)[0], VN_CTRL_ERR, "VQ_SET on a queue in reset");
    CHECK_EQ(used_len(), 1, "VQ_SET used len");
    build(VN_CTRL_CLASS_NOTF_COAL, VQ_GET, sd, 4, get, 2);
    kick_during_reset();
    CHECK_EQ(mock_mem(buf(2), 1)[0], VN_CTRL_ERR, "VQ_GET on a queue in reset");
    CHECK_EQ(used_len(), 1, "VQ_GET used len");
    /* TX_SET leaves it out; it takes the value when enabled again */
    uint8_t cd[8];
    put_coal(cd, 7, 8);
    build(VN_CTRL_CLASS_NOTF_COAL, TX_SET, cd, sizeof cd, &one, 1);
    kick_during_reset();
    CHECK_EQ(mock_mem(buf(1), 1)[0], VN_CTRL_OK, "TX_SET during the reset");
    check_coal_cmds(mark, 0xa2, W(7, 8), "TX_SET without the queue in reset");

    mock.qc[3].hold = false;
    fw_settle();
    CHECK_EQ(mock.qs[3].reset, 0, "reset complete");
    mark = mock.log_len;
    enable_data_queue(3);
    check_start(mark, 3, W(7, 8));
    check_get(3, 7, 8);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void reenable_falls_back(void)
{
    live(FEATURES_ALL);
    CHECK_EQ(coal_set(TX_SET, 40, 400), VN_CTRL_OK, "TX_SET");
    CHECK_EQ(vq_set(1, 41, 401), VN_CTRL_OK, "VQ_SET 1");
    CHECK_EQ(vq_set(0, 42, 402), VN_CTRL_OK, "VQ_SET 0 (no RX_SET ever)");
    check_get(1, 41, 401);
    check_get(0, 42, 402);

    qreset(1);
    qreset(0);
    uint32_t p, u;
    CHECK_EQ(vq_get(1, &p, &u), VN_CTRL_ERR, "VQ_GET on a reset (disabled) queue");
    CHECK_EQ(vq_set(0, 1, 1), VN_CTRL_ERR, "VQ_SET on a reset (disabled) queue");

    unsigned mark = mock.log_len;
    enable_data_queue(1);
    enable_data_queue(0);
    check_start(mark, 1, W(40, 400)); /* the last TX_SET, not the VQ_SET */
    check_start(mark, 0, 0);          /* no RX_SET: 0 */
    check_get(1, 40, 400);
    check_get(0, 0, 0);
    check_get(3, 40, 400); /* others as they were */

    /* a later RX_SET is what the next re-enable takes */
    CHECK_EQ(coal_set(RX_SET, 43, 403), VN_CTRL_OK, "RX_SET");
    CHECK_EQ(vq_set(0, 44, 404), VN_CTRL_OK, "VQ_SET 0");
    qreset(0);
    mark = mock.log_len;
    enable_data_queue(0);
    check_start(mark, 0, W(43, 403));
    check_get(0, 43, 403);
    CHECK_EQ(status(), LIVE_STATUS, "no NEEDS_RESET");
}

static void device_reset_zeroes(void)
{
    live(FEATURES_ALL);
    CHECK_EQ(coal_set(TX_SET, 50, 500), VN_CTRL_OK, "TX_SET");
    CHECK_EQ(coal_set(RX_SET, 51, 501), VN_CTRL_OK, "RX_SET");
    CHECK_EQ(vq_set(2, 52, 502), VN_CTRL_OK, "VQ_SET");

    drv_write(VN_COMMON_DEVICE_STATUS, 1, 0);
    CHECK_EQ(status(), 0, "reset");
    for (uint32_t i = 0; i < 0x3000; i++) /* the driver clears its rings */
        mock_mem(DESC + i, 1)[0] = 0;
    unsigned mark = mock.log_len;
    live(FEATURES_ALL);
    for (uint32_t q = 0; q < MOCK_CTRLQ; q++)
        check_start(mark, q, 0);
    check_get(0, 0, 0);
    check_get(1, 0, 0);
    check_get(2, 0, 0);
    /* and a queue reset after it falls back to 0 too */
    qreset(5);
    mark = mock.log_len;
    enable_data_queue(5);
    check_start(mark, 5, 0);
}

int main(void)
{
    t_run("offered", offered);
    t_run("refused_without_ctrl_vq", refused_without_ctrl_vq);
    t_run("enable_starts_at_zero", enable_starts_at_zero);
    t_run("reply_placement", reply_placement);
    t_run("tx_rx_set_enabled_queues", tx_rx_set_enabled_queues);
    t_run("values_capped", values_capped);
    t_run("vq_set_get_round_trip", vq_set_get_round_trip);
    t_run("err_not_negotiated", err_not_negotiated);
    t_run("err_lengths", err_lengths);
    t_run("err_bad_queues", err_bad_queues);
    t_run("err_queue_in_reset", err_queue_in_reset);
    t_run("reenable_falls_back", reenable_falls_back);
    t_run("device_reset_zeroes", device_reset_zeroes);
    return t_summary();
}
