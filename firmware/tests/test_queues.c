/* test_queues.c: vectors, per-queue setup validation and queue enable, in both ring
 * layouts. */
#include "fw.h"
#include "fw_test.h"

#define DESC (MOCK_MEM_BASE + 0x1000)
#define DRV (MOCK_MEM_BASE + 0x2000)
#define DEV (MOCK_MEM_BASE + 0x3000)

static uint32_t qread(uint32_t q, uint32_t off)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    return drv_read(off, off == VN_COMMON_QUEUE_DESC_LO ? 4 : 2);
}

static void qwrite(uint32_t q, uint32_t off, uint32_t v)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    drv_write(off, 2, v);
}

static uint8_t status(void)
{
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

static void config_vector(void)
{
    drv_write(VN_COMMON_CONFIG_MSIX_VECTOR, 2, MOCK_VECTORS - 1);
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), MOCK_VECTORS - 1, "last vector");
    drv_write(VN_COMMON_CONFIG_MSIX_VECTOR, 2, MOCK_VECTORS);
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "vector >= table");
    drv_write(VN_COMMON_CONFIG_MSIX_VECTOR, 2, 0x7ff);
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), VN_MSIX_NO_VECTOR, "0x7ff");
    drv_write(VN_COMMON_CONFIG_MSIX_VECTOR, 2, 0);
    CHECK_EQ(drv_read(VN_COMMON_CONFIG_MSIX_VECTOR, 2), 0, "vector 0");
}

static void queue_vectors(void)
{
    qwrite(2, VN_COMMON_QUEUE_MSIX_VECTOR, 3);
    CHECK_EQ(qread(2, VN_COMMON_QUEUE_MSIX_VECTOR), 3, "in range");
    qwrite(2, VN_COMMON_QUEUE_MSIX_VECTOR, MOCK_VECTORS);
    CHECK_EQ(qread(2, VN_COMMON_QUEUE_MSIX_VECTOR), VN_MSIX_NO_VECTOR, "out of range");
    qwrite(MOCK_CTRLQ, VN_COMMON_QUEUE_MSIX_VECTOR, MOCK_VECTORS - 1);
    CHECK_EQ(qread(MOCK_CTRLQ, VN_COMMON_QUEUE_MSIX_VECTOR), MOCK_VECTORS - 1, "control queue");
    qwrite(MOCK_QUEUES, VN_COMMON_QUEUE_MSIX_VECTOR, 1);
    CHECK_EQ(qread(MOCK_QUEUES, VN_COMMON_QUEUE_MSIX_VECTOR), 0, "no such queue reads 0");
}

static void bad_sizes_ignored(void)
{
    qwrite(0, VN_COMMON_QUEUE_SIZE, 256);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "256 accepted");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "0 ignored");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 3);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "3 ignored");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 2048);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "2048 above the maximum ignored");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 1);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 1, "1 accepted");
    qwrite(0, VN_COMMON_QUEUE_SIZE, VN_MAX_QUEUE_SIZE);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), VN_MAX_QUEUE_SIZE, "maximum accepted");
}

static void setup_on_enabled_queue_ignored(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    drv_queue_setup(1, 128, 2, DESC, DRV, DEV);
    drv_queue_enable(1);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 1, "enabled");
    qwrite(1, VN_COMMON_QUEUE_SIZE, 64);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_SIZE), 128, "size on an enabled queue ignored");
    qwrite(1, VN_COMMON_QUEUE_MSIX_VECTOR, 4);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_MSIX_VECTOR), 2, "vector on an enabled queue ignored");
    drv_write(VN_COMMON_QUEUE_DESC_LO, 4, (uint32_t)DESC + 0x100);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_DESC_LO), (uint32_t)DESC, "address ignored");
    qwrite(1, VN_COMMON_QUEUE_ENABLE, 0);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 1, "enable = 0 ignored");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "none of that needs a reset");
    CHECK_EQ(mock.qc[1].starts, 1, "engine started once");
}

static void enable_before_features_ok(void)
{
    drv_status_add(VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_DRIVER);
    drv_write_features(FEATURES_ALL);
    drv_queue_setup(0, 256, 0, DESC, DRV, DEV);
    drv_queue_enable(0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_ENABLE), 0, "not enabled");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
    CHECK_EQ(mock.qc[0].starts, 0, "engine not started");
}

static void enable_missing_queue(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    drv_queue_enable(MOCK_QUEUES);
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
}

static void enable_misaligned(void)
{
    static const struct { uint64_t desc, drv, dev; } bad[] = {
        {DESC + 8, DRV, DEV}, {DESC, DRV + 1, DEV}, {DESC, DRV, DEV + 2}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mock_power_on();
        fw_init();
        (void)drv_negotiate(FEATURES_ALL);
        drv_queue_setup(0, 256, 0, bad[i].desc, bad[i].drv, bad[i].dev);
        drv_queue_enable(0);
        CHECK(qread(0, VN_COMMON_QUEUE_ENABLE) == 0, "case %u: not enabled", i);
        CHECK(status() & VN_STATUS_NEEDS_RESET, "case %u: NEEDS_RESET", i);
        CHECK(mock.qc[0].starts == 0, "case %u: engine not started", i);
    }
}

static void enable_programs_engine(void)
{
    (void)drv_negotiate(FEATURES_ALL);
    for (uint32_t q = 0; q < 2 * MOCK_PAIRS; q++) {
        uint64_t off = (uint64_t)q * 0x1000;
        drv_queue_setup(q, (uint16_t)(64u << (q % 4)), (uint16_t)(q + 1), DESC + off,
                        DRV + off + 0x200, DEV + off + 0x400);
        drv_queue_enable(q);
    }
    for (uint32_t q = 0; q < 2 * MOCK_PAIRS; q++) {
        uint64_t off = (uint64_t)q * 0x1000;
        const struct mock_qc *c = &mock.qc[q];
        CHECK(c->starts == 1, "queue %u started once (%u)", q, c->starts);
        CHECK(c->state == VN_QSTATE_RUNNING, "queue %u running", q);
        CHECK(c->size == 64u << (q % 4), "queue %u size %u", q, c->size);
        CHECK(c->vector == q + 1, "queue %u vector %u", q, c->vector);
        CHECK(c->desc == DESC + off, "queue %u desc 0x%llx", q, (unsigned long long)c->desc);
        CHECK(c->driver == DRV + off + 0x200, "queue %u driver", q);
        CHECK(c->device == DEV + off + 0x400, "queue %u device", q);
        CHECK(qread(q, VN_COMMON_QUEUE_ENABLE) == 1, "queue %u reads enabled", q);
    }
    /* the control queue is firmware's: enabled, no engine context */
    drv_queue_setup(MOCK_CTRLQ, 16, 0, DESC + 0x9000, DRV, DEV);
    drv_queue_enable(MOCK_CTRLQ);
    CHECK_EQ(qread(MOCK_CTRLQ, VN_COMMON_QUEUE_ENABLE), 1, "control queue enabled");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "no NEEDS_RESET");
    CHECK_EQ(mock_reg(VN_FW_DEV_CTRL), 0, "datapath still off before DRIVER_OK");
}

#define PACKED (FEATURES_ALL | BIT(VN_F_RING_PACKED))

/* A vDPA restore of queue q's indices (VND_QUEUE_BASE with q selected). */
static void restore_base(uint32_t q, uint32_t v)
{
    mock_push(VN_EVT_KIND_VENDOR, VN_VENDOR_VND_QUEUE_BASE, 4, v, q);
    fw_settle();
}

/* Split rings need a power of two (2.7); packed ones any size up to the maximum (2.8). */
static void packed_sizes(void)
{
    (void)drv_negotiate(PACKED);
    qwrite(0, VN_COMMON_QUEUE_SIZE, 3);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 3, "3 accepted");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 1);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 1, "1 accepted");
    qwrite(0, VN_COMMON_QUEUE_SIZE, VN_MAX_QUEUE_SIZE - 1);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), VN_MAX_QUEUE_SIZE - 1, "maximum - 1 accepted");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), VN_MAX_QUEUE_SIZE - 1, "0 ignored");
    qwrite(0, VN_COMMON_QUEUE_SIZE, VN_MAX_QUEUE_SIZE + 1);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), VN_MAX_QUEUE_SIZE - 1, "above the maximum ignored");
    drv_queue_setup(1, 100, 2, DESC, DRV, DEV);
    drv_queue_enable(1);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_ENABLE), 1, "enabled with 100 entries");
    CHECK_EQ(mock.qc[1].size, 100, "engine size");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "no NEEDS_RESET");

    /* the same driver without RING_PACKED */
    mock_power_on();
    fw_init();
    (void)drv_negotiate(FEATURES_ALL);
    qwrite(0, VN_COMMON_QUEUE_SIZE, 256);
    qwrite(0, VN_COMMON_QUEUE_SIZE, 100);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "100 ignored for a split ring");
    qwrite(0, VN_COMMON_QUEUE_SIZE, 3);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_SIZE), 256, "3 ignored for a split ring");
}

/* A fresh packed ring starts at slot 0 with both wrap counters 1 (2.8.1); split at 0. */
static void packed_fresh_base(void)
{
    (void)drv_negotiate(PACKED);
    drv_queue_setup(0, 100, 1, DESC, DRV, DEV);
    drv_queue_enable(0);
    CHECK_EQ(mock.qc[0].starts, 1, "started");
    CHECK_EQ(mock.qc[0].base, VN_PACKED_BASE_START, "QC_BASE");
    CHECK_EQ(mock_reg(VN_FW_QC_BASE), 0x8000, "0x8000 as the contract says");

    mock_power_on();
    fw_init();
    (void)drv_negotiate(FEATURES_ALL);
    mock.regs[VN_FW_QC_BASE / 4] = 0x1234; /* whatever was there */
    drv_queue_setup(0, 128, 1, DESC, DRV, DEV);
    drv_queue_enable(0);
    CHECK_EQ(mock.qc[0].base, 0, "split: QC_BASE 0");
}

/* A restored position is what the queue starts at, 0 included; a queue reset forgets it. */
static void packed_restored_base(void)
{
    (void)drv_negotiate(PACKED);
    restore_base(0, 5);             /* slot 5, wrap counters 0 */
    restore_base(1, 0);             /* slot 0, wrap counters 0 */
    restore_base(2, 0x8000u | 99u); /* the last slot of 100, wrap counters 1 */
    for (uint32_t q = 0; q < 3; q++) {
        drv_queue_setup(q, 100, 1, DESC + 0x1000u * q, DRV, DEV);
        drv_queue_enable(q);
    }
    CHECK_EQ(mock.qc[0].base, 5, "queue 0");
    CHECK_EQ(mock.qc[1].base, 0, "queue 1: a restored 0 is not the fresh start");
    CHECK_EQ(mock.qc[2].base, 0x8000u | 99u, "queue 2");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, 0, "no NEEDS_RESET");

    /* RING_RESET: the queue starts fresh again unless restored again */
    drv_status_add(VN_STATUS_DRIVER_OK);
    qwrite(1, VN_COMMON_QUEUE_RESET, 1);
    CHECK_EQ(qread(1, VN_COMMON_QUEUE_RESET), 0, "reset done");
    drv_queue_setup(1, 100, 1, DESC + 0x1000u, DRV, DEV);
    drv_queue_enable(1);
    CHECK_EQ(mock.qc[1].starts, 2, "started again");
    CHECK_EQ(mock.qc[1].base, VN_PACKED_BASE_START, "fresh after the reset");
}

/* A restored slot outside the ring would have the engine index past it. */
static void packed_base_outside_ring(void)
{
    (void)drv_negotiate(PACKED);
    restore_base(0, 0x8000u | 100u);
    drv_queue_setup(0, 100, 1, DESC, DRV, DEV);
    drv_queue_enable(0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_ENABLE), 0, "not enabled");
    CHECK_EQ(mock.qc[0].starts, 0, "engine not started");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, VN_STATUS_NEEDS_RESET, "NEEDS_RESET");
}

/* Both event suppression areas are 4-aligned (2.8.10.1), the split avail ring 2. */
static void packed_alignment(void)
{
    (void)drv_negotiate(PACKED);
    drv_queue_setup(0, 100, 1, DESC, DRV + 2, DEV);
    drv_queue_enable(0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_ENABLE), 0, "driver area at 2 mod 4 refused");
    CHECK_EQ(status() & VN_STATUS_NEEDS_RESET, VN_STATUS_NEEDS_RESET, "NEEDS_RESET");

    mock_power_on();
    fw_init();
    (void)drv_negotiate(FEATURES_ALL);
    drv_queue_setup(0, 128, 1, DESC, DRV + 2, DEV);
    drv_queue_enable(0);
    CHECK_EQ(qread(0, VN_COMMON_QUEUE_ENABLE), 1, "split avail ring at 2 mod 4 taken");
}

int main(void)
{
    t_run("config_vector", config_vector);
    t_run("queue_vectors", queue_vectors);
    t_run("bad_sizes_ignored", bad_sizes_ignored);
    t_run("setup_on_enabled_queue_ignored", setup_on_enabled_queue_ignored);
    t_run("enable_before_features_ok", enable_before_features_ok);
    t_run("enable_missing_queue", enable_missing_queue);
    t_run("enable_misaligned", enable_misaligned);
    t_run("enable_programs_engine", enable_programs_engine);
    t_run("packed_sizes", packed_sizes);
    t_run("packed_fresh_base", packed_fresh_base);
    t_run("packed_restored_base", packed_restored_base);
    t_run("packed_base_outside_ring", packed_base_outside_ring);
    t_run("packed_alignment", packed_alignment);
    return t_summary();
}
