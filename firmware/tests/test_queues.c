/* test_queues.c: vectors, per-queue setup validation and queue enable. */
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
    return t_summary();
}
