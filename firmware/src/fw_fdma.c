/* fw_fdma.c: the firmware DMA mailbox, the control queue's only way to host memory. */
#include "fw_internal.h"
#include "hal.h"

_Static_assert(VN_FDMA_MAX == 64, "FDMA_DATA0..15 hold one transfer");

/* The mailbox answers within a DMA round trip; a wedged one must not hang the firmware.
 * On the host model each poll is one cycle, so this is well beyond any modeled latency. */
#define FDMA_SPIN_LIMIT (1u << 21)

static int run(uint64_t addr, uint32_t len, uint32_t cmd)
{
    if (len == 0 || len > VN_FDMA_MAX)
        return -FW_EIO;
    hal_write32(VN_FW_FDMA_ADDR_LO, (uint32_t)addr);
    hal_write32(VN_FW_FDMA_ADDR_HI, (uint32_t)(addr >> 32));
    hal_write32(VN_FW_FDMA_LEN, len);
    hal_write32(VN_FW_FDMA_CMD, cmd);
    for (uint32_t i = 0; i < FDMA_SPIN_LIMIT; i++)
        if (!(hal_read32(VN_FW_FDMA_STATUS) & VN_FDMA_STATUS_BUSY))
            return 0;
    return -FW_ETIMEDOUT;
}

int fw_fdma_read(uint64_t addr, uint8_t *buf, uint32_t len)
{
    int r = run(addr, len, VN_FDMA_CMD_READ);
    if (r)
        return r;
    for (uint32_t w = 0; 4 * w < len; w++) {
        uint32_t v = hal_read32(VN_FW_FDMA_DATA0 + 4 * w);
        for (uint32_t b = 0; b < 4 && 4 * w + b < len; b++)
            buf[4 * w + b] = (uint8_t)(v >> (8 * b));
    }
    return 0;
}

int fw_fdma_write(uint64_t addr, const uint8_t *buf, uint32_t len)
{
    if (len == 0 || len > VN_FDMA_MAX)
        return -FW_EIO;
    for (uint32_t w = 0; 4 * w < len; w++) {
        uint32_t v = 0;
        for (uint32_t b = 0; b < 4 && 4 * w + b < len; b++)
            v |= (uint32_t)buf[4 * w + b] << (8 * b);
        hal_write32(VN_FW_FDMA_DATA0 + 4 * w, v);
    }
    return run(addr, len, VN_FDMA_CMD_WRITE);
}
