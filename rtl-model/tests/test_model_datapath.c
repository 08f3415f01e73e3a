/* The whole device through vn_model: queue contexts programmed over the firmware bus,
 * split rings in the fake host memory, a doorbell, frames out of the MAC callback and
 * into vn_model_mac_rx, used rings and MSI-X messages.  Exercises the wrapper's DMA
 * latency model (several reads in flight, a small read limit), TX frame assembly and
 * RX beats with multi-beat frames. */
#include "model_test.h"

#define QSIZE 8u
/* ring layout inside the fake host memory (offsets from T_MEM_BASE) */
#define TXQ 1u
#define RXQ 0u
#define TX_DESC 0x0000u
#define TX_AVAIL 0x0200u
#define TX_USED 0x0400u
#define RX_DESC 0x0800u
#define RX_AVAIL 0x0a00u
#define RX_USED 0x0c00u
#define TX_BUF 0x1000u
#define RX_BUF 0x4000u

struct tx_log {
    unsigned n;
    uint32_t len[8];
    uint8_t frame[8][2048];
};

static void on_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct tx_log *l = ctx;
    if (l->n < 8) {
        l->len[l->n] = len;
        memcpy(l->frame[l->n], frame, len < 2048 ? len : 2048);
    }
    l->n++;
}

static void put16(struct t_host *h, uint32_t off, uint16_t v) { memcpy(h->mem + off, &v, 2); }
static void put32(struct t_host *h, uint32_t off, uint32_t v) { memcpy(h->mem + off, &v, 4); }
static void put64(struct t_host *h, uint32_t off, uint64_t v) { memcpy(h->mem + off, &v, 8); }
static uint16_t get16(struct t_host *h, uint32_t off)
{
    uint16_t v;
    memcpy(&v, h->mem + off, 2);
    return v;
}
static uint32_t get32(struct t_host *h, uint32_t off)
{
    uint32_t v;
    memcpy(&v, h->mem + off, 4);
    return v;
}

static void desc(struct t_host *h, uint32_t table, unsigned i, uint32_t buf, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    uint32_t d = table + 16 * i;
    put64(h, d, T_MEM_BASE + buf);
    put32(h, d + 8, len);
    put16(h, d + 12, flags);
    put16(h, d + 14, next);
}

static void start_queue(vn_model *m, unsigned q, uint32_t d, uint32_t a, uint32_t u, unsigned vector)
{
    fw_wr(m, VN_FW_QC_SEL, q);
    fw_wr(m, VN_FW_QC_SIZE, QSIZE);
    fw_wr(m, VN_FW_QC_MSIX_VECTOR, vector);
    fw_wr(m, VN_FW_QC_DESC_LO, (uint32_t)(T_MEM_BASE + d));
    fw_wr(m, VN_FW_QC_DESC_HI, (uint32_t)((T_MEM_BASE + d) >> 32));
    fw_wr(m, VN_FW_QC_DRIVER_LO, (uint32_t)(T_MEM_BASE + a));
    fw_wr(m, VN_FW_QC_DRIVER_HI, (uint32_t)((T_MEM_BASE + a) >> 32));
    fw_wr(m, VN_FW_QC_DEVICE_LO, (uint32_t)(T_MEM_BASE + u));
    fw_wr(m, VN_FW_QC_DEVICE_HI, (uint32_t)((T_MEM_BASE + u) >> 32));
    fw_wr(m, VN_FW_QC_CMD, VN_QC_CMD_START);
    vn_model_step(m, 4);
    CHECK_EQ(fw_rd(m, VN_FW_QC_STATE) & 7, VN_QSTATE_RUNNING);
}

/* step until cond or the budget runs out */
#define STEP_UNTIL(m, cond, budget)                                   \
    do {                                                              \
        for (unsigned s_ = 0; s_ < (budget) && !(cond); s_ += 10)     \
            vn_model_step(m, 10);                                     \
    } while (0)

static int run(uint32_t latency, uint32_t max_reads)
{
    static struct t_host h;
    static struct tx_log tx;
    memset(&tx, 0, sizeof(tx));
    struct vn_model_cfg cfg = { .dma_latency = latency, .dma_max_reads = max_reads };
    vn_model *m = vn_model_new(&cfg);
    if (!m)
        return 1;
    memset(&h, 0, sizeof(h));
    h.m = m;
    struct vn_model_host host = { .ctx = &h, .dma_read = t_dma_read, .dma_write = t_dma_write };
    vn_model_set_host(m, &host);
    struct vn_model_mac mac = { .ctx = &tx, .tx_frame = on_tx };
    vn_model_set_mac(m, &mac);

    t_enable(m, 1);
    for (unsigned v = 0; v < 2; v++) {
        uint32_t e = VN_MSIX_TABLE_BASE + v * VN_MSIX_ENTRY_SIZE;
        bar_wr(m, e + VN_MSIX_ENT_ADDR_LO, 4, VN_DMA_MSI_BASE + 4 * v);
        bar_wr(m, e + VN_MSIX_ENT_ADDR_HI, 4, 0);
        bar_wr(m, e + VN_MSIX_ENT_DATA, 4, 0x40 + v);
        bar_wr(m, e + VN_MSIX_ENT_CTRL, 4, 0);
    }
    cfg_wr(m, VN_CAP_MSIX + VN_MSIX_CAP_CTRL, 2, VN_MSIX_CTRL_ENABLE);
    STEP_UNTIL(m, fw_rd(m, VN_FW_DEV_IDLE) == VN_DEV_IDLE_IDLE, 10000);
    fw_wr(m, VN_FW_RX_QUEUE_PAIRS, 1);
    start_queue(m, TXQ, TX_DESC, TX_AVAIL, TX_USED, 1);
    start_queue(m, RXQ, RX_DESC, RX_AVAIL, RX_USED, 0);
    fw_wr(m, VN_FW_DEV_CTRL, VN_DEV_CTRL_DATAPATH_EN);

    /* TX: two frames, the second split over three descriptors */
    const uint32_t len0 = 60, len1 = 300;
    for (uint32_t i = 0; i < VN_NET_HDR_LEN + len0; i++)
        h.mem[TX_BUF + i] = i < VN_NET_HDR_LEN ? 0xee : (uint8_t)(i * 3);
    desc(&h, TX_DESC, 0, TX_BUF, VN_NET_HDR_LEN + len0, 0, 0);
    for (uint32_t i = 0; i < VN_NET_HDR_LEN + len1; i++)
        h.mem[TX_BUF + 0x800 + i] = i < VN_NET_HDR_LEN ? 0xee : (uint8_t)(i * 5 + 1);
    desc(&h, TX_DESC, 1, TX_BUF + 0x800, VN_NET_HDR_LEN, VN_DESC_F_NEXT, 2);
    desc(&h, TX_DESC, 2, TX_BUF + 0x800 + VN_NET_HDR_LEN, 100, VN_DESC_F_NEXT, 3);
    desc(&h, TX_DESC, 3, TX_BUF + 0x800 + VN_NET_HDR_LEN + 100, len1 - 100, 0, 0);
    put16(&h, TX_AVAIL + 4, 0);
    put16(&h, TX_AVAIL + 6, 1);
    put16(&h, TX_AVAIL + 2, 2);
    bar_wr(m, VN_NOTIFY_BASE + TXQ * VN_NOTIFY_MULT, 2, TXQ);
    STEP_UNTIL(m, tx.n == 2 && get16(&h, TX_USED + 2) == 2 && h.nmsi >= 1, 50000);
    CHECK_EQ(tx.n, 2);
    CHECK_EQ(tx.len[0], len0);
    CHECK_EQ(tx.len[1], len1);
    CHECK(memcmp(tx.frame[0], h.mem + TX_BUF + VN_NET_HDR_LEN, len0) == 0);
    CHECK(memcmp(tx.frame[1], h.mem + TX_BUF + 0x800 + VN_NET_HDR_LEN, len1) == 0);
    CHECK_EQ(get16(&h, TX_USED + 2), 2);
    CHECK_EQ(get32(&h, TX_USED + 4), 0);
    CHECK_EQ(get32(&h, TX_USED + 12), 1);
    CHECK(h.nmsi >= 1);
    if (h.nmsi) {
        CHECK_EQ(h.msi_addr[h.nmsi - 1], VN_DMA_MSI_BASE + 4);
        CHECK_EQ(h.msi_data[h.nmsi - 1], 0x41);
    }
    unsigned msi_after_tx = h.nmsi;

    /* RX: a buffer, then a 200-byte frame (four beats) */
    desc(&h, RX_DESC, 0, RX_BUF, 2048, VN_DESC_F_WRITE, 0);
    put16(&h, RX_AVAIL + 4, 0);
    put16(&h, RX_AVAIL + 2, 1);
    bar_wr(m, VN_NOTIFY_BASE + RXQ * VN_NOTIFY_MULT, 2, RXQ);
    uint8_t frame[200];
    for (unsigned i = 0; i < sizeof(frame); i++)
        frame[i] = (uint8_t)(i ^ 0x5a);
    frame[12] = 0x88; /* not IPv4: steered to pair 0 */
    frame[13] = 0xb5;
    CHECK_EQ(vn_model_mac_rx(m, frame, sizeof(frame)), 0);
    CHECK_EQ(vn_model_mac_rx_pending(m), 1);
    STEP_UNTIL(m, get16(&h, RX_USED + 2) == 1 && h.nmsi > msi_after_tx, 50000);
    CHECK_EQ(vn_model_mac_rx_pending(m), 0);
    CHECK_EQ(get16(&h, RX_USED + 2), 1);
    CHECK_EQ(get32(&h, RX_USED + 4), 0);
    CHECK_EQ(get32(&h, RX_USED + 8), VN_NET_HDR_LEN + sizeof(frame));
    CHECK_EQ(get16(&h, RX_BUF + 10), 1); /* num_buffers */
    CHECK(memcmp(h.mem + RX_BUF + VN_NET_HDR_LEN, frame, sizeof(frame)) == 0);
    CHECK(h.nmsi > msi_after_tx);
    if (h.nmsi > msi_after_tx)
        CHECK_EQ(h.msi_data[h.nmsi - 1], 0x40);

    /* a frame with no buffer left is dropped and counted */
    CHECK_EQ(vn_model_mac_rx(m, frame, 64), 0);
    STEP_UNTIL(m, vn_model_mac_rx_pending(m) == 0 && fw_rd(m, VN_FW_CNT_RX_DROPS) == 1, 50000);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_RX_DROPS), 1);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_TX_PKTS), 2);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_RX_PKTS), 1);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_TX_PKTS, 4), 2);

    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.mac_tx_frames, 2);
    CHECK_EQ(st.mac_rx_frames, 2);
    CHECK_EQ(st.dma_faults, 0);
    CHECK(st.dma_reads_max_inflight >= 1);
    CHECK(st.dma_reads_max_inflight <= (max_reads ? max_reads : 256));
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_RD), st.dma_reads);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_WR), st.dma_writes);
    printf("latency %u, max reads %u: %llu cycles, %llu reads (max %u in flight), %llu writes\n", latency,
           max_reads, (unsigned long long)st.cycles, (unsigned long long)st.dma_reads,
           st.dma_reads_max_inflight, (unsigned long long)st.dma_writes);

    /* queue reset drains to idle */
    fw_wr(m, VN_FW_QC_SEL, TXQ);
    fw_wr(m, VN_FW_QC_CMD, VN_QC_CMD_RESET);
    STEP_UNTIL(m, (fw_rd(m, VN_FW_QC_STATE) & 7) == VN_QSTATE_IDLE, 50000);
    CHECK_EQ(fw_rd(m, VN_FW_QC_STATE) & 7, VN_QSTATE_IDLE);
    vn_model_free(m);
    return 0;
}

int main(void)
{
    run(250, 0);
    run(40, 2);
    return t_finish("test_model_datapath");
}
