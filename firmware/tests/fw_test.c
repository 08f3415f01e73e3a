/* fw_test.c: the harness and the driver-side model declared in fw_test.h. */
#include "fw_test.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"

static unsigned passed, failed;
static bool cur_failed;
static const char *cur_name;

/* Driver-side selects: held in RTL, never events. */
static uint32_t dev_feat_sel, drv_feat_sel, queue_sel;
/* drv_ctrl's ring: the driver's avail idx */
static uint16_t cq_avail_idx;

void t_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "FAIL %s (%s:%d): %s: ", cur_name, file, line, expr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cur_failed = true;
}

void t_run(const char *name, void (*fn)(void))
{
    cur_name = name;
    cur_failed = false;
    dev_feat_sel = drv_feat_sel = queue_sel = 0;
    cq_avail_idx = 0;
    mock_power_on();
    fw_init();
    fn();
    CHECK_EQ(mock.bad_pops, 0, "EVT_POP with an empty FIFO");
    CHECK_EQ(mock.bad_writes, 0, "writes to read-only FW registers");
    CHECK_EQ(mock.bad_qc, 0, "QC_CMD for a queue without an engine, or START not from IDLE");
    CHECK_EQ(mock.bad_qs_order, 0, "queue_reset and queue_enable in an order Linux rejects");
    if (cur_failed) {
        failed++;
        printf("not ok %s\n", name);
    } else {
        passed++;
        printf("ok %s\n", name);
    }
}

int t_summary(void)
{
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}

void fw_settle(void)
{
    for (int i = 0; i < 1000; i++)
        if (fw_poll() == 0 && mock.fifo_count == 0)
            return;
    t_fail(__FILE__, __LINE__, "fw_settle", "firmware still busy after 1000 polls");
}

void drv_write(uint32_t off, uint32_t size, uint32_t val)
{
    switch (off) {
    case VN_COMMON_DEVICE_FEATURE_SELECT: dev_feat_sel = val; return;
    case VN_COMMON_DRIVER_FEATURE_SELECT: drv_feat_sel = val; return;
    case VN_COMMON_QUEUE_SELECT: queue_sel = val & 0xffff; return;
    case VN_COMMON_DEVICE_FEATURE:
    case VN_COMMON_NUM_QUEUES:
    case VN_COMMON_CONFIG_GENERATION:
    case VN_COMMON_QUEUE_NOTIFY_OFF:
    case VN_COMMON_QUEUE_NOTIF_CONFIG_DATA:
        return; /* read-only: dropped by the RTL */
    case VN_COMMON_DRIVER_FEATURE:
        mock_push(VN_EVT_KIND_COMMON, off, size, val, drv_feat_sel);
        break;
    default:
        mock_push(VN_EVT_KIND_COMMON, off, size, val, queue_sel);
        break;
    }
    fw_settle();
}

static uint32_t by_select(uint32_t sel, uint32_t reg0, uint32_t reg1)
{
    return sel == 0 ? mock_reg(reg0) : sel == 1 ? mock_reg(reg1) : 0;
}

uint32_t drv_read(uint32_t off, uint32_t size)
{
    fw_settle();
    return drv_read_now(off, size);
}

uint32_t drv_read_now(uint32_t off, uint32_t size)
{
    (void)size;
    CHECK(mock.fifo_count == 0, "a driver read with %u events queued would stall",
          mock.fifo_count);
    const struct mock_qs *s = queue_sel < MOCK_QUEUES ? &mock.qs[queue_sel] : NULL;
    switch (off) {
    case VN_COMMON_DEVICE_FEATURE_SELECT: return dev_feat_sel;
    case VN_COMMON_DEVICE_FEATURE:
        return by_select(dev_feat_sel, VN_FW_CC_DEVICE_FEATURE0, VN_FW_CC_DEVICE_FEATURE1);
    case VN_COMMON_DRIVER_FEATURE_SELECT: return drv_feat_sel;
    case VN_COMMON_DRIVER_FEATURE:
        return by_select(drv_feat_sel, VN_FW_CC_DRIVER_FEATURE0, VN_FW_CC_DRIVER_FEATURE1);
    case VN_COMMON_CONFIG_MSIX_VECTOR: return mock_reg(VN_FW_CC_CONFIG_MSIX_VECTOR) & 0xffff;
    case VN_COMMON_NUM_QUEUES: return mock_reg(VN_FW_CC_NUM_QUEUES) & 0xffff;
    case VN_COMMON_DEVICE_STATUS: return mock_reg(VN_FW_CC_DEVICE_STATUS) & 0xff;
    case VN_COMMON_CONFIG_GENERATION: return mock_reg(VN_FW_CC_CONFIG_GENERATION) & 0xff;
    case VN_COMMON_QUEUE_SELECT: return queue_sel;
    case VN_COMMON_QUEUE_NOTIFY_OFF: return s ? queue_sel : 0;
    case VN_COMMON_QUEUE_SIZE: return s ? s->size & 0xffff : 0;
    case VN_COMMON_QUEUE_MSIX_VECTOR: return s ? s->vector & 0xffff : 0;
    case VN_COMMON_QUEUE_ENABLE: return s ? s->enable & 0xffff : 0;
    case VN_COMMON_QUEUE_RESET: return s ? s->reset & 0xffff : 0;
    case VN_COMMON_QUEUE_DESC_LO: return s ? s->desc_lo : 0;
    case VN_COMMON_QUEUE_DESC_HI: return s ? s->desc_hi : 0;
    case VN_COMMON_QUEUE_DRIVER_LO: return s ? s->driver_lo : 0;
    case VN_COMMON_QUEUE_DRIVER_HI: return s ? s->driver_hi : 0;
    case VN_COMMON_QUEUE_DEVICE_LO: return s ? s->device_lo : 0;
    case VN_COMMON_QUEUE_DEVICE_HI: return s ? s->device_hi : 0;
    default: return 0;
    }
}

uint32_t drv_devcfg_read(uint32_t off, uint32_t size)
{
    fw_settle();
    uint32_t v = 0;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t b = off + i;
        uint32_t w = mock_reg(VN_FW_DEVCFG0 + (b & ~3u));
        v |= ((w >> (8 * (b & 3))) & 0xff) << (8 * i);
    }
    return v;
}

void drv_kick(uint32_t q)
{
    if (q == MOCK_CTRLQ)
        mock_push(VN_EVT_KIND_KICK, 4 * q, 2, q, q);
    fw_settle();
}

void hw_qerr(uint32_t q, uint32_t reason)
{
    mock_push(VN_EVT_KIND_QERR, 0, 4, reason, q);
    fw_settle();
}

uint64_t drv_read_device_features(void)
{
    drv_write(VN_COMMON_DEVICE_FEATURE_SELECT, 4, 0);
    uint64_t lo = drv_read(VN_COMMON_DEVICE_FEATURE, 4);
    drv_write(VN_COMMON_DEVICE_FEATURE_SELECT, 4, 1);
    return lo | ((uint64_t)drv_read(VN_COMMON_DEVICE_FEATURE, 4) << 32);
}

uint64_t drv_read_driver_features(void)
{
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 0);
    uint64_t lo = drv_read(VN_COMMON_DRIVER_FEATURE, 4);
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 1);
    return lo | ((uint64_t)drv_read(VN_COMMON_DRIVER_FEATURE, 4) << 32);
}

void drv_write_features(uint64_t f)
{
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 0);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, (uint32_t)f);
    drv_write(VN_COMMON_DRIVER_FEATURE_SELECT, 4, 1);
    drv_write(VN_COMMON_DRIVER_FEATURE, 4, (uint32_t)(f >> 32));
}

void drv_status_add(uint8_t bits)
{
    uint8_t s = (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
    drv_write(VN_COMMON_DEVICE_STATUS, 1, s | bits);
}

uint8_t drv_negotiate(uint64_t f)
{
    drv_status_add(VN_STATUS_ACKNOWLEDGE);
    drv_status_add(VN_STATUS_DRIVER);
    (void)drv_read_device_features();
    drv_write_features(f);
    drv_status_add(VN_STATUS_FEATURES_OK);
    return (uint8_t)drv_read(VN_COMMON_DEVICE_STATUS, 1);
}

void drv_queue_setup(uint32_t q, uint16_t size, uint16_t vector, uint64_t desc,
                     uint64_t driver, uint64_t device)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    drv_write(VN_COMMON_QUEUE_SIZE, 2, size);
    drv_write(VN_COMMON_QUEUE_MSIX_VECTOR, 2, vector);
    drv_write(VN_COMMON_QUEUE_DESC_LO, 4, (uint32_t)desc);
    drv_write(VN_COMMON_QUEUE_DESC_HI, 4, (uint32_t)(desc >> 32));
    drv_write(VN_COMMON_QUEUE_DRIVER_LO, 4, (uint32_t)driver);
    drv_write(VN_COMMON_QUEUE_DRIVER_HI, 4, (uint32_t)(driver >> 32));
    drv_write(VN_COMMON_QUEUE_DEVICE_LO, 4, (uint32_t)device);
    drv_write(VN_COMMON_QUEUE_DEVICE_HI, 4, (uint32_t)(device >> 32));
}

void drv_queue_enable(uint32_t q)
{
    drv_write(VN_COMMON_QUEUE_SELECT, 2, q);
    drv_write(VN_COMMON_QUEUE_ENABLE, 2, 1);
}

void drv_live(uint64_t features)
{
    /* a fresh ring, as a driver sets one up: nothing available, nothing used */
    cq_avail_idx = 0;
    memset(mock_mem(DRV_CQ_DESC, DRV_CQ_CMD - DRV_CQ_DESC), 0, DRV_CQ_CMD - DRV_CQ_DESC);
    CHECK(drv_negotiate(features) & VN_STATUS_FEATURES_OK, "FEATURES_OK for 0x%llx",
          (unsigned long long)features);
    drv_queue_setup(MOCK_CTRLQ, DRV_CQ_SIZE, 0, DRV_CQ_DESC, DRV_CQ_AVAIL, DRV_CQ_USED);
    drv_queue_enable(MOCK_CTRLQ);
    drv_status_add(VN_STATUS_DRIVER_OK);
    CHECK_EQ(drv_read(VN_COMMON_DEVICE_STATUS, 1), LIVE_STATUS, "live");
}

uint8_t drv_ctrl_split(uint8_t cls, uint8_t cmd, const void *data, uint32_t len,
                       uint32_t piece)
{
    CHECK(2 + len <= DRV_CQ_CMD_MAX, "command of %u bytes fits the test buffer", 2 + len);
    uint8_t *b = mock_mem(DRV_CQ_CMD, 2 + len);
    b[0] = cls;
    b[1] = cmd;
    if (len)
        memcpy(b + 2, data, len);
    *mock_mem(DRV_CQ_ACK, 1) = DRV_CQ_UNUSED;

    uint16_t d = 0;
    if (!piece) {
        mock_put_desc(DRV_CQ_DESC, d, DRV_CQ_CMD, 2 + len, VN_DESC_F_NEXT, (uint16_t)(d + 1));
        d++;
    } else {
        mock_put_desc(DRV_CQ_DESC, d, DRV_CQ_CMD, 2, VN_DESC_F_NEXT, (uint16_t)(d + 1));
        d++;
        for (uint32_t off = 0; off < len; off += piece, d++) {
            uint32_t n = len - off < piece ? len - off : piece;
            CHECK(d + 1u < DRV_CQ_SIZE, "chain of %u pieces fits the ring", d + 2u);
            mock_put_desc(DRV_CQ_DESC, d, DRV_CQ_CMD + 2 + off, n, VN_DESC_F_NEXT,
                          (uint16_t)(d + 1));
        }
    }
    mock_put_desc(DRV_CQ_DESC, d, DRV_CQ_ACK, 1, VN_DESC_F_WRITE, 0);

    mock_put16(DRV_CQ_AVAIL + 4 + 2u * (cq_avail_idx % DRV_CQ_SIZE), 0);
    cq_avail_idx++;
    mock_put16(DRV_CQ_AVAIL + 2, cq_avail_idx);
    drv_kick(MOCK_CTRLQ);

    uint8_t ack = *mock_mem(DRV_CQ_ACK, 1);
    if (mock_get16(DRV_CQ_USED + 2) != cq_avail_idx)
        return DRV_CQ_UNUSED;
    uint64_t e = DRV_CQ_USED + 4 + 8u * ((cq_avail_idx - 1u) % DRV_CQ_SIZE);
    CHECK_EQ(mock_get32(e), 0, "used id: the head");
    CHECK_EQ(mock_get32(e + 4), 1, "used len: the ack byte");
    return ack;
}

uint8_t drv_ctrl(uint8_t cls, uint8_t cmd, const void *data, uint32_t len)
{
    return drv_ctrl_split(cls, cmd, data, len, 0);
}
