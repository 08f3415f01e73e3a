/* Config space: IDs, BAR sizing, COMMAND gating, the capability list as a driver walks
 * it, and the PCI_CFG window. */
#include "model_test.h"

struct vcap {
    int found;
    uint32_t at, len, bar, offset, length;
};

static void walk_caps(vn_model *m, unsigned qp)
{
    struct vcap caps[10] = { 0 };
    int msix_found = 0, ncaps = 0;
    uint32_t at = cfg_rd(m, VN_CFG_CAP_PTR, 1);
    CHECK_EQ(at, VN_CAP_COMMON);
    while (at && ncaps < 48) {
        ncaps++;
        CHECK(at >= 0x40 && at <= 0xfc && at % 4 == 0);
        uint32_t id = cfg_rd(m, at, 1);
        uint32_t next = cfg_rd(m, at + VN_VCAP_NEXT, 1);
        if (id == VN_PCI_CAP_ID_VNDR) {
            uint32_t len = cfg_rd(m, at + VN_VCAP_LEN, 1);
            uint32_t type = cfg_rd(m, at + VN_VCAP_CFG_TYPE, 1);
            CHECK(len >= VN_VCAP_LENGTH + 4);
            CHECK(type < 10);
            if (type >= 10)
                break;
            CHECK(!caps[type].found); /* one of each */
            caps[type].found = 1;
            caps[type].at = at;
            caps[type].len = len;
            caps[type].bar = cfg_rd(m, at + VN_VCAP_BAR, 1);
            caps[type].offset = cfg_rd(m, at + VN_VCAP_OFFSET, 4);
            caps[type].length = cfg_rd(m, at + VN_VCAP_LENGTH, 4);
            CHECK_EQ(caps[type].bar, 0);
            CHECK(caps[type].offset + caps[type].length <= VN_BAR0_SIZE);
            CHECK_EQ(cfg_rd(m, at + VN_VCAP_ID, 1), 0);
        } else if (id == VN_PCI_CAP_ID_MSIX) {
            msix_found++;
            CHECK_EQ(at, VN_CAP_MSIX);
            uint32_t ctrl = cfg_rd(m, at + VN_MSIX_CAP_CTRL, 2);
            CHECK_EQ((ctrl & VN_MSIX_CTRL_TSIZE_MASK) + 1, 2 * qp + 2);
            CHECK_EQ(ctrl & (VN_MSIX_CTRL_ENABLE | VN_MSIX_CTRL_MASKALL), 0);
            uint32_t tbl = cfg_rd(m, at + VN_MSIX_CAP_TABLE, 4);
            uint32_t pba = cfg_rd(m, at + VN_MSIX_CAP_PBA, 4);
            CHECK_EQ(tbl & VN_MSIX_BIR_MASK, 0);
            CHECK_EQ(tbl & ~VN_MSIX_BIR_MASK, VN_MSIX_TABLE_BASE);
            CHECK_EQ(pba & VN_MSIX_BIR_MASK, 0);
            CHECK_EQ(pba & ~VN_MSIX_BIR_MASK, VN_MSIX_PBA_BASE);
        } else {
            CHECK(!"unknown capability");
        }
        at = next;
    }
    CHECK(ncaps < 48); /* no loop */
    CHECK_EQ(msix_found, 1);

    CHECK(caps[VN_VIRTIO_PCI_CAP_COMMON_CFG].found);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_COMMON_CFG].at, VN_CAP_COMMON);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_COMMON_CFG].offset, VN_COMMON_BASE);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_COMMON_CFG].length, VN_COMMON_LEN);

    struct vcap *n = &caps[VN_VIRTIO_PCI_CAP_NOTIFY_CFG];
    CHECK(n->found);
    CHECK(n->len >= VN_VCAP_NOTIFY_MULT + 4);
    CHECK_EQ(n->offset, VN_NOTIFY_BASE);
    uint32_t mult = cfg_rd(m, n->at + VN_VCAP_NOTIFY_MULT, 4);
    CHECK_EQ(mult, VN_NOTIFY_MULT);
    /* every queue, control queue included, has its doorbell inside the structure */
    CHECK(n->length >= 2 * qp * mult + 2);

    CHECK(caps[VN_VIRTIO_PCI_CAP_ISR_CFG].found);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_ISR_CFG].offset, VN_ISR_BASE);
    CHECK(caps[VN_VIRTIO_PCI_CAP_ISR_CFG].length >= 1);
    CHECK(caps[VN_VIRTIO_PCI_CAP_DEVICE_CFG].found);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_DEVICE_CFG].offset, VN_DEVICE_BASE);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_DEVICE_CFG].length, VN_DEVICE_LEN);
    CHECK(caps[VN_VIRTIO_PCI_CAP_PCI_CFG].found);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_PCI_CFG].at, VN_CAP_PCICFG);
    CHECK(caps[VN_VIRTIO_PCI_CAP_PCI_CFG].len >= VN_VCAP_PCICFG_DATA + 4);
    CHECK(caps[VN_VIRTIO_PCI_CAP_VENDOR_CFG].found);
    CHECK_EQ(caps[VN_VIRTIO_PCI_CAP_VENDOR_CFG].offset, VN_VENDOR_BASE);
}

static void test_window(vn_model *m)
{
    const uint32_t data = VN_CAP_PCICFG + VN_VCAP_PCICFG_DATA;
    /* read the vendor magic through the window, whole and by halves */
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_BAR, 1, 0);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_OFFSET, 4, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4, 4);
    CHECK_EQ(cfg_rd(m, VN_CAP_PCICFG + VN_VCAP_OFFSET, 4), VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC);
    CHECK_EQ(cfg_rd(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4), 4);
    CHECK_EQ(cfg_rd(m, data, 4), VN_FW_ID_MAGIC);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_OFFSET, 4, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC + 2);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4, 2);
    CHECK_EQ(cfg_rd(m, data, 2), VN_FW_ID_MAGIC >> 16);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_OFFSET, 4, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC + 1);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4, 1);
    CHECK_EQ(cfg_rd(m, data, 1), (VN_FW_ID_MAGIC >> 8) & 0xff);

    /* a write through the window is the BAR write: it moves device_feature_select */
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_OFFSET, 4, VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4, 4);
    cfg_wr(m, data, 4, 1);
    CHECK_EQ(bar_rd(m, VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT, 4), 1);
    CHECK_EQ(cfg_rd(m, data, 4), 1);
    bar_wr(m, VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT, 4, 0);

    /* a window on another BAR or with a bad length reads all-ones */
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_BAR, 1, 2);
    CHECK_EQ(cfg_rd(m, VN_CAP_PCICFG + VN_VCAP_BAR, 1), 2);
    CHECK_EQ(cfg_rd(m, data, 4), 0xffffffffu);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_BAR, 1, 0);
    cfg_wr(m, VN_CAP_PCICFG + VN_VCAP_LENGTH, 4, 3);
    CHECK_EQ(cfg_rd(m, data, 4), 0xffffffffu);
}

int main(void)
{
    vn_model *m = t_new(NULL);
    uint32_t qp = vn_model_fw_read(m, VN_FW_FW_HWCFG) >> VN_HWCFG_PAIRS_SHIFT & VN_HWCFG_PAIRS_MASK;
    CHECK(qp >= 1);

    /* identity */
    CHECK_EQ(cfg_rd(m, VN_CFG_VENDOR_ID, 2), VN_PCI_VENDOR_ID);
    CHECK_EQ(cfg_rd(m, VN_CFG_DEVICE_ID, 2), VN_PCI_DEVICE_ID);
    CHECK_EQ(cfg_rd(m, VN_CFG_VENDOR_ID, 4), VN_PCI_DEVICE_ID << 16 | VN_PCI_VENDOR_ID);
    CHECK_EQ(cfg_rd(m, VN_CFG_REVISION_CLASS, 4), VN_PCI_CLASS_CODE << 8 | VN_PCI_REVISION);
    CHECK(cfg_rd(m, VN_CFG_REVISION_CLASS, 1) >= 1);
    CHECK_EQ(cfg_rd(m, VN_CFG_HEADER_TYPE, 1), 0);
    CHECK_EQ(cfg_rd(m, VN_CFG_SUBSYS_VENDOR_ID, 2), VN_PCI_SUBSYS_VENDOR_ID);
    CHECK_EQ(cfg_rd(m, VN_CFG_SUBSYS_ID, 2), VN_PCI_SUBSYS_ID);
    CHECK(cfg_rd(m, VN_CFG_STATUS, 2) & VN_PCI_STATUS_CAPLIST);
    CHECK_EQ(cfg_rd(m, VN_CFG_INTERRUPT_PIN, 1), 1);
    cfg_wr(m, VN_CFG_INTERRUPT_LINE, 1, 0x0b);
    CHECK_EQ(cfg_rd(m, VN_CFG_INTERRUPT_LINE, 1), 0x0b);
    CHECK_EQ(cfg_rd(m, 0x100, 4), 0); /* no extended capabilities */

    /* BAR0 sizing: 32-bit memory BAR of BAR0_SIZE; the other BARs are not implemented */
    CHECK_EQ(cfg_rd(m, VN_CFG_BAR0, 4), 0);
    cfg_wr(m, VN_CFG_BAR0, 4, 0xffffffffu);
    CHECK_EQ(cfg_rd(m, VN_CFG_BAR0, 4), ~(VN_BAR0_SIZE - 1u));
    cfg_wr(m, VN_CFG_BAR0, 4, 0xfebc1234u);
    CHECK_EQ(cfg_rd(m, VN_CFG_BAR0, 4), 0xfebc1234u & ~(VN_BAR0_SIZE - 1u));
    for (uint32_t b = VN_CFG_BAR0 + 4; b <= VN_CFG_BAR0 + 20; b += 4) {
        cfg_wr(m, b, 4, 0xffffffffu);
        CHECK_EQ(cfg_rd(m, b, 4), 0);
    }

    /* COMMAND: only MEM, MASTER and INTx disable stick; MEM gates BAR0 */
    CHECK_EQ(cfg_rd(m, VN_CFG_COMMAND, 2), 0);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4), 0xffffffffu);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 2), 0xffff);
    bar_wr(m, VN_COMMON_BASE + VN_COMMON_DEVICE_STATUS, 1, 1); /* dropped: no event */
    CHECK_EQ(vn_model_fw_irq(m), 0);
    cfg_wr(m, VN_CFG_COMMAND, 2, 0xffff);
    CHECK_EQ(cfg_rd(m, VN_CFG_COMMAND, 2), VN_PCI_CMD_MEM | VN_PCI_CMD_MASTER | VN_PCI_CMD_INTX_DISABLE);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4), VN_FW_ID_MAGIC);
    CHECK_EQ(bar_rd(m, VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT, 4), 0);

    /* unused BARs and offsets read all-ones */
    uint32_t v = 0;
    CHECK_EQ(vn_model_bar_read(m, 1, 0, 4, &v), 0);
    CHECK_EQ(v, 0xffffffffu);
    CHECK_EQ(bar_rd(m, VN_COMMON_BASE + VN_COMMON_LEN, 4), 0xffffffffu);
    CHECK_EQ(bar_rd(m, VN_BAR0_SIZE, 4), 0xffffffffu);
    CHECK_EQ(bar_rd(m, VN_BAR0_SIZE + 1, 1), 0xff);

    /* bad accesses never reach the device */
    CHECK_EQ(vn_model_cfg_read(m, 1, 2, &v), -EINVAL);
    CHECK_EQ(vn_model_cfg_read(m, 0, 3, &v), -EINVAL);
    CHECK_EQ(vn_model_bar_read(m, 6, 0, 4, &v), -EINVAL);
    CHECK_EQ(vn_model_bar_write(m, 0, 2, 4, 0), -EINVAL);

    walk_caps(m, qp);
    test_window(m);

    /* MSI-X enable and function mask are the writable bits of message control */
    cfg_wr(m, VN_CAP_MSIX + VN_MSIX_CAP_CTRL, 2, 0xffff);
    CHECK_EQ(cfg_rd(m, VN_CAP_MSIX + VN_MSIX_CAP_CTRL, 2),
             VN_MSIX_CTRL_ENABLE | VN_MSIX_CTRL_MASKALL | (2 * qp + 1));
    CHECK_EQ(cfg_rd(m, VN_CAP_MSIX, 1), VN_PCI_CAP_ID_MSIX);

    vn_model_free(m);
    return t_finish("test_model_cfg");
}
