/* MSI-X: table, message delivery on the DMA port, entry and function masking with the
 * PBA, NO_VECTOR, MSI-X disabled, BUS_MASTER gating, and CFG_IRQ's config vector. */
#include "model_test.h"

static unsigned nv;

static uint32_t entry(unsigned v, uint32_t field) { return VN_MSIX_TABLE_BASE + v * VN_MSIX_ENTRY_SIZE + field; }

static void set_mask(vn_model *m, unsigned v, int masked)
{
    bar_wr(m, entry(v, VN_MSIX_ENT_CTRL), 4, masked ? VN_MSIX_ENT_CTRL_MASK : 0);
}

static void msix_ctrl(vn_model *m, uint32_t bits) { cfg_wr(m, VN_CAP_MSIX + VN_MSIX_CAP_CTRL, 2, bits); }

static uint32_t pba(vn_model *m) { return bar_rd(m, VN_MSIX_PBA_BASE, 4); }

/* send vector v from firmware and let the message travel */
static void send(vn_model *m, uint32_t v)
{
    fw_wr(m, VN_FW_MSI_SEND, v);
    vn_model_step(m, 20);
}

int main(void)
{
    static struct t_host h;
    vn_model *m = t_new(&h);
    nv = (fw_rd(m, VN_FW_FW_HWCFG) >> VN_HWCFG_VECTORS_SHIFT) & VN_HWCFG_VECTORS_MASK;
    CHECK(nv >= 4);
    t_enable(m, 1);

    /* after reset every entry is masked; the table is plain memory otherwise */
    for (unsigned v = 0; v < nv; v++) {
        CHECK_EQ(bar_rd(m, entry(v, VN_MSIX_ENT_CTRL), 4), VN_MSIX_ENT_CTRL_MASK);
        bar_wr(m, entry(v, VN_MSIX_ENT_ADDR_LO), 4, VN_DMA_MSI_BASE + 4 * v);
        bar_wr(m, entry(v, VN_MSIX_ENT_ADDR_HI), 4, 0);
        bar_wr(m, entry(v, VN_MSIX_ENT_DATA), 4, 0x100 + v);
    }
    CHECK_EQ(bar_rd(m, entry(1, VN_MSIX_ENT_ADDR_LO), 4), VN_DMA_MSI_BASE + 4);
    CHECK_EQ(bar_rd(m, entry(nv - 1, VN_MSIX_ENT_DATA), 4), 0x100 + nv - 1);
    bar_wr(m, entry(2, VN_MSIX_ENT_DATA) + 2, 2, 0xabcd); /* byte enables */
    CHECK_EQ(bar_rd(m, entry(2, VN_MSIX_ENT_DATA), 4), 0xabcd0102);
    CHECK_EQ(bar_rd(m, entry(2, VN_MSIX_ENT_DATA), 1), 0x02);
    bar_wr(m, entry(2, VN_MSIX_ENT_DATA), 4, 0x102);
    CHECK_EQ(bar_rd(m, entry(nv, VN_MSIX_ENT_DATA), 4), 0xffffffffu); /* past the table */

    /* MSI-X disabled: nothing is sent and nothing becomes pending, the ISR still moves */
    set_mask(m, 2, 0);
    send(m, 2);
    CHECK_EQ(h.nmsi, 0);
    CHECK_EQ(pba(m), 0);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), VN_ISR_QUEUE);

    /* enabled and unmasked: one 4-byte write of the entry's data to its address */
    msix_ctrl(m, VN_MSIX_CTRL_ENABLE);
    uint64_t t0 = vn_model_cycles(m);
    send(m, 2);
    CHECK_EQ(h.nmsi, 1);
    CHECK_EQ(h.msi_addr[0], VN_DMA_MSI_BASE + 8);
    CHECK_EQ(h.msi_data[0], 0x102);
    CHECK(h.msi_cycle[0] - t0 < 10);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), VN_ISR_QUEUE);

    /* masked entry: pending, visible in the PBA, sent on unmask */
    send(m, 3);
    CHECK_EQ(h.nmsi, 1);
    CHECK_EQ(pba(m), 1u << 3);
    set_mask(m, 3, 0);
    vn_model_step(m, 20);
    CHECK_EQ(h.nmsi, 2);
    CHECK_EQ(h.msi_data[1], 0x103);
    CHECK_EQ(pba(m), 0);

    /* function mask: every vector pends; clearing it sends them, lowest first */
    for (unsigned v = 0; v < nv; v++)
        set_mask(m, v, 0);
    msix_ctrl(m, VN_MSIX_CTRL_ENABLE | VN_MSIX_CTRL_MASKALL);
    send(m, nv - 1);
    send(m, 0);
    send(m, 0); /* a second request while pending is the same interrupt */
    CHECK_EQ(h.nmsi, 2);
    CHECK_EQ(pba(m), (nv - 1 < 32 ? 1u << (nv - 1) : 0) | 1u);
    msix_ctrl(m, VN_MSIX_CTRL_ENABLE);
    vn_model_step(m, 20);
    CHECK_EQ(h.nmsi, 4);
    CHECK_EQ(h.msi_data[2], 0x100);
    CHECK_EQ(h.msi_data[3], 0x100 + nv - 1);
    CHECK_EQ(pba(m), 0);

    /* NO_VECTOR and vectors past the table: nothing */
    send(m, VN_MSIX_NO_VECTOR);
    send(m, nv);
    CHECK_EQ(h.nmsi, 4);
    CHECK_EQ(pba(m), 0);

    /* bus mastering off: no message, nothing pending for later */
    t_enable(m, 0);
    send(m, 1);
    CHECK_EQ(h.nmsi, 4);
    CHECK_EQ(bar_rd(m, VN_MSIX_PBA_BASE, 4), 0);
    t_enable(m, 1);
    vn_model_step(m, 20);
    CHECK_EQ(h.nmsi, 4);

    /* CFG_IRQ: ISR bit 1, then the config vector's message */
    bar_rd(m, VN_ISR_BASE, 1);
    fw_wr(m, VN_FW_CC_CONFIG_MSIX_VECTOR, 1);
    fw_wr(m, VN_FW_CFG_IRQ, 1);
    vn_model_step(m, 20);
    CHECK_EQ(h.nmsi, 5);
    CHECK_EQ(h.msi_addr[4], VN_DMA_MSI_BASE + 4);
    CHECK_EQ(h.msi_data[4], 0x101);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), VN_ISR_CONFIG);
    fw_wr(m, VN_FW_CC_CONFIG_MSIX_VECTOR, VN_MSIX_NO_VECTOR);
    fw_wr(m, VN_FW_CFG_IRQ, 1);
    vn_model_step(m, 20);
    CHECK_EQ(h.nmsi, 5);
    CHECK_EQ(bar_rd(m, VN_ISR_BASE, 1), VN_ISR_CONFIG);

    /* a 64-bit message address */
    bar_wr(m, entry(0, VN_MSIX_ENT_ADDR_HI), 4, 1);
    send(m, 0);
    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    CHECK_EQ(st.dma_faults, 1); /* 0x1_fee00000 is not mapped by this host */
    CHECK_EQ(st.dma_writes, 6);
    CHECK_EQ(st.dma_write_bytes, 24);
    CHECK_EQ(fw_rd(m, VN_FW_CNT_DMA_WR), 6);

    vn_model_free(m);
    return t_finish("test_model_msix");
}
