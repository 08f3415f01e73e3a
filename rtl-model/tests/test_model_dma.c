/* The DMA port through the FDMA mailbox: read latency, data placement, short
 * transfers, writes, faults, and BUS_MASTER gating (requests dropped and counted). */
#include "model_test.h"

#define LATENCY 100 /* t_new's dma_latency */

static void fdma(vn_model *m, uint32_t cmd, uint64_t addr, uint32_t len)
{
    fw_wr(m, VN_FW_FDMA_ADDR_LO, (uint32_t)addr);
    fw_wr(m, VN_FW_FDMA_ADDR_HI, (uint32_t)(addr >> 32));
    fw_wr(m, VN_FW_FDMA_LEN, len);
    fw_wr(m, VN_FW_FDMA_CMD, cmd);
}

/* cycles until FDMA_STATUS shows idle, or ~0 */
static uint64_t fdma_wait(vn_model *m)
{
    uint64_t t0 = vn_model_cycles(m);
    while (fw_rd(m, VN_FW_FDMA_STATUS) & VN_FDMA_STATUS_BUSY) {
        if (vn_model_cycles(m) - t0 > 100000)
            return ~0ull;
    }
    return vn_model_cycles(m) - t0;
}

int main(void)
{
    static struct t_host h;
    vn_model *m = t_new(&h);
    for (unsigned i = 0; i < T_MEM_SIZE; i++)
        h.mem[i] = (uint8_t)(i * 7 + 3);
    t_enable(m, 1);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_STATUS), 0);

    /* a 64-byte read arrives after the modeled latency, byte 0 in the low byte of word 0 */
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE + 0x100, 64);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_STATUS), VN_FDMA_STATUS_BUSY);
    uint64_t took = fdma_wait(m);
    CHECK(took >= LATENCY - 2 && took < LATENCY + 20);
    for (unsigned w = 0; w < 16; w++) {
        uint32_t want;
        memcpy(&want, h.mem + 0x100 + 4 * w, 4);
        CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0 + 4 * w), want);
    }
    CHECK_EQ(fw_rd(m, VN_FW_DEV_IDLE), VN_DEV_IDLE_IDLE);

    /* a short read: the bytes past the length are zero */
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE + 0x203, 5);
    CHECK(fdma_wait(m) != ~0ull);
    uint32_t w0, w1;
    memcpy(&w0, h.mem + 0x203, 4);
    w1 = h.mem[0x207];
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0), w0);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0 + 4), w1);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0 + 8), 0);

    /* a write puts exactly len bytes in host memory */
    for (unsigned w = 0; w < 16; w++)
        fw_wr(m, VN_FW_FDMA_DATA0 + 4 * w, 0xa0a0a0a0u + w);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0 + 4), 0xa0a0a0a1u);
    uint8_t before = h.mem[0x40a];
    fdma(m, VN_FDMA_CMD_WRITE, T_MEM_BASE + 0x400, 10);
    CHECK(fdma_wait(m) < 10);
    uint32_t got;
    memcpy(&got, h.mem + 0x404, 4);
    CHECK_EQ(got, 0xa0a0a0a1u);
    CHECK_EQ(h.mem[0x408], 0xa2);
    CHECK_EQ(h.mem[0x409], 0xa0);
    CHECK_EQ(h.mem[0x40a], before);

    /* bad lengths are refused without a transfer */
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE, 0);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_STATUS), 0);
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE, VN_FDMA_MAX + 1);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_STATUS), 0);

    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.dma_reads, 2);
    CHECK_EQ(st.dma_read_bytes, 69);
    CHECK_EQ(st.dma_writes, 1);
    CHECK_EQ(st.dma_write_bytes, 10);
    CHECK_EQ(st.dma_faults, 0);
    CHECK_EQ(st.dma_reads_max_inflight, 1);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_RD), 2);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_WR), 1);

    /* an unmapped address: the read completes with zeros and counts as a fault */
    fdma(m, VN_FDMA_CMD_READ, 0x7000000000ull, 64);
    CHECK(fdma_wait(m) != ~0ull);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0), 0);
    fdma(m, VN_FDMA_CMD_WRITE, 0x7000000000ull, 64);
    CHECK(fdma_wait(m) != ~0ull);
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.dma_faults, 2);

    /* bus mastering off: nothing reaches the host, the mailbox still finishes */
    t_enable(m, 0);
    for (unsigned w = 0; w < 16; w++)
        fw_wr(m, VN_FW_FDMA_DATA0 + 4 * w, 0x5555aaaau);
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE, 64);
    CHECK(fdma_wait(m) < 10);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0), 0);
    before = h.mem[0x800];
    fdma(m, VN_FDMA_CMD_WRITE, T_MEM_BASE + 0x800, 64);
    CHECK(fdma_wait(m) < 10);
    CHECK_EQ(h.mem[0x800], before);
    struct vn_model_stats st2;
    vn_model_get_stats(m, &st2);
    CHECK_EQ(st2.dma_reads, st.dma_reads);
    CHECK_EQ(st2.dma_writes, st.dma_writes);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_DROPS), 2);
    CHECK_EQ(fw_rd(m, VN_FW_DEV_IDLE), VN_DEV_IDLE_IDLE);

    /* and back on */
    t_enable(m, 1);
    fdma(m, VN_FDMA_CMD_READ, T_MEM_BASE + 0x100, 4);
    CHECK(fdma_wait(m) != ~0ull);
    memcpy(&got, h.mem + 0x100, 4);
    CHECK_EQ(fw_rd(m, VN_FW_FDMA_DATA0), got);

    vn_model_free(m);
    return t_finish("test_model_dma");
}
