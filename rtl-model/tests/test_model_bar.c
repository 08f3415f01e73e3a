/* BAR0 as the driver sees it, with the test playing firmware through vn_model_fw_*:
 * selects held in RTL, shadows, per-queue shadows, events and the read stall, the event
 * FIFO back-pressure, device cfg, notify, ISR and the vendor region. */
#include "model_test.h"

#define COMMON(f) (VN_COMMON_BASE + VN_COMMON_##f)

static unsigned qp, nq;

/* A firmware that answers each event after `delay` cycles: it records what it saw,
 * publishes `answer` as device_status for a status write, then pops. */
struct slow_fw {
    vn_model *m;
    uint64_t delay, hold_until;
    uint64_t seen_cycle, pop_cycle;
    uint32_t info, data, qsel, first_data;
    unsigned events;
    int waiting;
};

static int slow_poll(void *ctx)
{
    struct slow_fw *f = ctx;
    if (!f->waiting) {
        uint32_t info = vn_model_fw_read(f->m, VN_FW_EVT_INFO);
        if (!(info & VN_EVT_INFO_VALID))
            return 0;
        f->info = info;
        f->data = vn_model_fw_read(f->m, VN_FW_EVT_DATA);
        f->qsel = vn_model_fw_read(f->m, VN_FW_EVT_QSEL);
        if (!f->events)
            f->first_data = f->data;
        f->seen_cycle = vn_model_cycles(f->m);
        f->hold_until = f->seen_cycle + f->delay;
        f->waiting = 1;
    }
    if (vn_model_cycles(f->m) < f->hold_until) {
        vn_model_fw_read(f->m, VN_FW_FW_CYCLE_LO); /* spend a cycle, as real firmware would */
        return 1;
    }
    if ((f->info >> VN_EVT_INFO_KIND_SHIFT & VN_EVT_INFO_KIND_MASK) == VN_EVT_KIND_COMMON &&
        (f->info & VN_EVT_INFO_OFF_MASK) == VN_COMMON_DEVICE_STATUS)
        vn_model_fw_write(f->m, VN_FW_CC_DEVICE_STATUS, f->data | VN_STATUS_FAILED);
    vn_model_fw_write(f->m, VN_FW_EVT_POP, 1);
    f->pop_cycle = vn_model_cycles(f->m);
    f->events++;
    f->waiting = 0;
    return 1; /* look again: another event may be queued */
}

static uint32_t info_of(uint32_t kind, uint32_t log2size, uint32_t off)
{
    return VN_EVT_INFO_VALID | kind << VN_EVT_INFO_KIND_SHIFT | log2size << VN_EVT_INFO_SIZE_SHIFT | off;
}

/* pop the head event (no firmware attached) after checking it */
static void expect_event(vn_model *m, uint32_t info, uint32_t data, uint32_t qsel)
{
    CHECK_EQ(vn_model_fw_irq(m), 1);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), info);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_DATA), data);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_QSEL), qsel);
    fw_wr(m, VN_FW_EVT_POP, 1);
}

static void test_selects(vn_model *m)
{
    fw_wr(m, VN_FW_CC_DEVICE_FEATURE0, 0x11111111);
    fw_wr(m, VN_FW_CC_DEVICE_FEATURE1, 0x22222222);
    fw_wr(m, VN_FW_CC_DRIVER_FEATURE0, 0x33333333);
    fw_wr(m, VN_FW_CC_DRIVER_FEATURE1, 0x44444444);
    CHECK_EQ(bar_rd(m, COMMON(DEVICE_FEATURE), 4), 0x11111111);
    bar_wr(m, COMMON(DEVICE_FEATURE_SELECT), 4, 1);
    CHECK_EQ(bar_rd(m, COMMON(DEVICE_FEATURE_SELECT), 4), 1);
    CHECK_EQ(bar_rd(m, COMMON(DEVICE_FEATURE), 4), 0x22222222);
    bar_wr(m, COMMON(DEVICE_FEATURE_SELECT), 4, 2);
    CHECK_EQ(bar_rd(m, COMMON(DEVICE_FEATURE), 4), 0);
    CHECK_EQ(bar_rd(m, COMMON(DRIVER_FEATURE), 4), 0x33333333);
    bar_wr(m, COMMON(DRIVER_FEATURE_SELECT), 4, 1);
    CHECK_EQ(bar_rd(m, COMMON(DRIVER_FEATURE_SELECT), 4), 1);
    CHECK_EQ(bar_rd(m, COMMON(DRIVER_FEATURE), 4), 0x44444444);
    CHECK_EQ(bar_rd(m, COMMON(DRIVER_FEATURE), 2), 0x4444);
    bar_wr(m, COMMON(QUEUE_SELECT), 2, 3);
    CHECK_EQ(bar_rd(m, COMMON(QUEUE_SELECT), 2), 3);
    /* selects and read-only fields raise no event */
    bar_wr(m, COMMON(NUM_QUEUES), 2, 77);
    bar_wr(m, COMMON(DEVICE_FEATURE), 4, 77);
    bar_wr(m, COMMON(QUEUE_NOTIFY_OFF), 2, 77);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    CHECK_EQ(bar_rd(m, COMMON(NUM_QUEUES), 2), nq);
    fw_wr(m, VN_FW_CC_NUM_QUEUES, 5);
    CHECK_EQ(bar_rd(m, COMMON(NUM_QUEUES), 2), 5);
    fw_wr(m, VN_FW_CC_NUM_QUEUES, nq);
    fw_wr(m, VN_FW_CC_CONFIG_GENERATION, 9);
    CHECK_EQ(bar_rd(m, COMMON(CONFIG_GENERATION), 1), 9);
    fw_wr(m, VN_FW_CC_CONFIG_MSIX_VECTOR, 0x1234);
    CHECK_EQ(bar_rd(m, COMMON(CONFIG_MSIX_VECTOR), 2), 0x1234);
    bar_wr(m, COMMON(DEVICE_FEATURE_SELECT), 4, 0);
    bar_wr(m, COMMON(DRIVER_FEATURE_SELECT), 4, 0);
}

static void test_queue_shadows(vn_model *m)
{
    for (unsigned q = 0; q < nq; q++) {
        fw_wr(m, VN_FW_QS_SEL, q);
        fw_wr(m, VN_FW_QS_SIZE, 16u << (q % 4));
        fw_wr(m, VN_FW_QS_MSIX_VECTOR, q + 1);
        fw_wr(m, VN_FW_QS_ENABLE, q & 1);
        fw_wr(m, VN_FW_QS_RESET, 0);
        fw_wr(m, VN_FW_QS_DESC_LO, 0x1000 * q);
        fw_wr(m, VN_FW_QS_DESC_HI, q);
        fw_wr(m, VN_FW_QS_DRIVER_LO, 0x2000 * q);
        fw_wr(m, VN_FW_QS_DRIVER_HI, q + 0x100);
        fw_wr(m, VN_FW_QS_DEVICE_LO, 0x3000 * q);
        fw_wr(m, VN_FW_QS_DEVICE_HI, q + 0x200);
    }
    fw_wr(m, VN_FW_QS_SEL, 1);
    CHECK_EQ(fw_rd(m, VN_FW_QS_DRIVER_HI), 0x101);
    for (unsigned q = 0; q < nq; q++) {
        bar_wr(m, COMMON(QUEUE_SELECT), 2, q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_SIZE), 2), 16u << (q % 4));
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_MSIX_VECTOR), 2), q + 1);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_ENABLE), 2), q & 1);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_NOTIFY_OFF), 2), q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DESC_LO), 4), 0x1000 * q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DESC_HI), 4), q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DRIVER_LO), 4), 0x2000 * q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DRIVER_HI), 4), q + 0x100);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DEVICE_LO), 4), 0x3000 * q);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_DEVICE_HI), 4), q + 0x200);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_RESET), 2), 0);
        CHECK_EQ(bar_rd(m, COMMON(QUEUE_NOTIF_CONFIG_DATA), 2), 0);
    }
    /* a queue that does not exist reads as zeros: size 0 tells the driver */
    bar_wr(m, COMMON(QUEUE_SELECT), 2, nq);
    CHECK_EQ(bar_rd(m, COMMON(QUEUE_SIZE), 2), 0);
    CHECK_EQ(bar_rd(m, COMMON(QUEUE_DESC_LO), 4), 0);
    CHECK_EQ(bar_rd(m, COMMON(QUEUE_MSIX_VECTOR), 2), 0);
    bar_wr(m, COMMON(QUEUE_SELECT), 2, 0xffff);
    CHECK_EQ(bar_rd(m, COMMON(QUEUE_SIZE), 2), 0);
    /* and the firmware cannot write one either */
    fw_wr(m, VN_FW_QS_SEL, nq);
    fw_wr(m, VN_FW_QS_SIZE, 64);
    CHECK_EQ(fw_rd(m, VN_FW_QS_SIZE), 0);
}

static void test_events(vn_model *m)
{
    /* one event per kind, popped by the test */
    bar_wr(m, COMMON(QUEUE_SELECT), 2, 2);
    bar_wr(m, COMMON(QUEUE_SIZE), 2, 256);
    expect_event(m, info_of(VN_EVT_KIND_COMMON, 1, VN_COMMON_QUEUE_SIZE), 256, 2);
    bar_wr(m, COMMON(QUEUE_DESC_HI), 4, 0xdeadbeef);
    expect_event(m, info_of(VN_EVT_KIND_COMMON, 2, VN_COMMON_QUEUE_DESC_HI), 0xdeadbeef, 2);
    bar_wr(m, COMMON(DRIVER_FEATURE_SELECT), 4, 1);
    bar_wr(m, COMMON(DRIVER_FEATURE), 4, 0x3);
    expect_event(m, info_of(VN_EVT_KIND_COMMON, 2, VN_COMMON_DRIVER_FEATURE), 3, 1);
    bar_wr(m, COMMON(DRIVER_FEATURE_SELECT), 4, 0);
    bar_wr(m, COMMON(QUEUE_RESET), 2, 1);
    expect_event(m, info_of(VN_EVT_KIND_COMMON, 1, VN_COMMON_QUEUE_RESET), 1, 2);
    bar_wr(m, VN_DEVICE_BASE + VN_DEVICE_NET_MTU, 2, 9000);
    expect_event(m, info_of(VN_EVT_KIND_DEVICE, 1, VN_DEVICE_NET_MTU), 9000, 2);
    /* the control queue's doorbell goes to firmware; data queues' do not */
    bar_wr(m, VN_NOTIFY_BASE + 2 * qp * VN_NOTIFY_MULT, 2, 2 * qp);
    expect_event(m, info_of(VN_EVT_KIND_KICK, 1, 2 * qp * VN_NOTIFY_MULT), 2 * qp, 2 * qp);
    bar_wr(m, VN_NOTIFY_BASE, 2, 0);
    bar_wr(m, VN_NOTIFY_BASE + (2 * qp - 1) * VN_NOTIFY_MULT, 2, 0);
    bar_wr(m, VN_NOTIFY_BASE + (2 * qp + 1) * VN_NOTIFY_MULT, 2, 0);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), 0);
    fw_wr(m, VN_FW_EVT_POP, 1); /* popping an empty FIFO is harmless */
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), 0);

    /* a pop takes effect with its own cycle: the very next read shows the next event */
    bar_wr(m, COMMON(QUEUE_SIZE), 2, 8);
    bar_wr(m, COMMON(QUEUE_MSIX_VECTOR), 2, 16);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_DATA), 8);
    fw_wr(m, VN_FW_EVT_POP, 1);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), info_of(VN_EVT_KIND_COMMON, 1, VN_COMMON_QUEUE_MSIX_VECTOR));
    CHECK_EQ(fw_rd(m, VN_FW_EVT_DATA), 16);
    fw_wr(m, VN_FW_EVT_POP, 1);
    CHECK_EQ(fw_rd(m, VN_FW_EVT_INFO), 0);
    CHECK_EQ(vn_model_fw_irq(m), 0);

    /* a status write, then a read: the read waits for the firmware's answer */
    struct slow_fw f = { .m = m, .delay = 500 };
    struct vn_model_fw fw = { .ctx = &f, .poll = slow_poll };
    fw_wr(m, VN_FW_CC_DEVICE_STATUS, 0);
    vn_model_set_fw(m, &fw);
    bar_wr(m, COMMON(DEVICE_STATUS), 1, VN_STATUS_ACKNOWLEDGE);
    uint32_t st = bar_rd(m, COMMON(DEVICE_STATUS), 1);
    uint64_t done = vn_model_cycles(m);
    CHECK_EQ(f.events, 1);
    CHECK_EQ(f.info, info_of(VN_EVT_KIND_COMMON, 0, VN_COMMON_DEVICE_STATUS));
    CHECK_EQ(f.data, VN_STATUS_ACKNOWLEDGE);
    CHECK_EQ(st, VN_STATUS_ACKNOWLEDGE | VN_STATUS_FAILED);
    CHECK(done > f.pop_cycle);
    CHECK(f.pop_cycle >= f.seen_cycle + f.delay);
    /* device cfg reads wait too; the vendor region does not */
    bar_wr(m, COMMON(DEVICE_STATUS), 1, 0);
    uint64_t t0 = vn_model_cycles(m);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4), VN_FW_ID_MAGIC);
    CHECK(vn_model_cycles(m) - t0 < 20);
    bar_rd(m, VN_DEVICE_BASE, 4);
    CHECK(vn_model_cycles(m) >= t0 + f.delay);
    CHECK_EQ(f.events, 2);
    vn_model_set_fw(m, NULL);

    /* a full FIFO holds the next write until firmware makes room */
    for (unsigned i = 0; i < VN_EVT_FIFO_DEPTH; i++)
        bar_wr(m, COMMON(QUEUE_ENABLE), 2, i);
    f = (struct slow_fw){ .m = m, .delay = 300 };
    vn_model_set_fw(m, &fw);
    t0 = vn_model_cycles(m);
    bar_wr(m, COMMON(QUEUE_ENABLE), 2, 99);
    CHECK(vn_model_cycles(m) >= t0 + f.delay);
    CHECK_EQ(f.events, 1);
    CHECK_EQ(f.first_data, 0);
    vn_model_step(m, (VN_EVT_FIFO_DEPTH + 1) * (f.delay + 20));
    CHECK_EQ(f.events, VN_EVT_FIFO_DEPTH + 1);
    CHECK_EQ(f.data, 99);
    CHECK_EQ(vn_model_fw_irq(m), 0);
    vn_model_set_fw(m, NULL);
}

static void test_device_cfg(vn_model *m)
{
    for (unsigned i = 0; i < 8; i++)
        fw_wr(m, VN_FW_DEVCFG0 + 4 * i, 0x03020100u + 0x04040404u * i);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + VN_DEVICE_NET_MAC, 1), 0x00);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + VN_DEVICE_NET_MAC + 5, 1), 0x05);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2), 0x0706);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + VN_DEVICE_NET_SPEED, 4), 0x0f0e0d0c);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + 28, 4), 0x1f1e1d1c);
    CHECK_EQ(bar_rd(m, VN_DEVICE_BASE + VN_DEVICE_LEN, 4), 0);
}

static void test_isr_vendor(vn_model *m)
{
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), 0);
    fw_wr(m, VN_FW_MSI_SEND, VN_MSIX_NO_VECTOR); /* no message, but the ISR bit */
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), VN_ISR_QUEUE);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), 0);
    fw_wr(m, VN_FW_CFG_IRQ, 1);
    fw_wr(m, VN_FW_MSI_SEND, 0);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 4), VN_ISR_QUEUE | VN_ISR_CONFIG);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), 0);
    fw_wr(m, VN_FW_CFG_IRQ, 1);
    fw_wr(m, VN_FW_DEV_RESET, 1); /* device reset clears it */
    vn_model_step(m, 2);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), 0);
    bar_wr(m, VN_ISR_BASE, 1, 0xff);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), 0);

    fw_wr(m, VN_FW_FW_VERSION, 0x00010203);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4), VN_FW_ID_MAGIC);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_FW_VERSION, 4), 0x00010203);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_HWCFG, 4), fw_rd(m, VN_FW_FW_HWCFG));
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_TX_PKTS, 4), 0);
    bar_wr(m, VN_VENDOR_BASE + VN_VENDOR_VND_FW_VERSION, 4, 0);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_FW_VERSION, 4), 0x00010203);
    CHECK_EQ(vn_model_fw_irq(m), 0);
}

int main(void)
{
    vn_model *m = t_new(NULL);
    uint32_t hw = fw_rd(m, VN_FW_FW_HWCFG);
    qp = hw >> VN_HWCFG_PAIRS_SHIFT & VN_HWCFG_PAIRS_MASK;
    nq = 2 * qp + 1;
    CHECK_EQ(fw_rd(m, VN_FW_FW_ID), VN_FW_ID_MAGIC);
    CHECK_EQ(hw >> VN_HWCFG_VECTORS_SHIFT & VN_HWCFG_VECTORS_MASK, 2 * qp + 2);
    CHECK_EQ(1u << (hw >> VN_HWCFG_QSIZE_LOG2_SHIFT & VN_HWCFG_QSIZE_LOG2_MASK), VN_MAX_QUEUE_SIZE);
    CHECK_EQ(fw_rd(m, VN_FW_RX_QUEUE_PAIRS), 1);
    /* the engines may sweep their context RAMs after reset before they call it idle */
    for (int i = 0; i < 10000 && fw_rd(m, VN_FW_DEV_IDLE) != VN_DEV_IDLE_IDLE; i++)
        ;
    CHECK_EQ(fw_rd(m, VN_FW_DEV_IDLE), VN_DEV_IDLE_IDLE);
    t_enable(m, 0);

    test_selects(m);
    test_queue_shadows(m);
    test_events(m);
    test_device_cfg(m);
    test_isr_vendor(m);

    vn_model_free(m);
    return t_finish("test_model_bar");
}
