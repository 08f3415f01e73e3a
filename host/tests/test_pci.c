/* virtio-pci layer tests against a fake config space and BAR: the capability walk on a
 * good layout and on malformed lists, and the width/order of every kind of access. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "mock_tr.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_pci.h"

static struct mock_tr mock;
static unsigned log_errors;

static void count_log(void *ctx, enum vn_log_level level, const char *msg)
{
    (void)ctx;
    (void)msg;
    if (level == VN_LOG_ERR)
        log_errors++;
}

static void put_vcap(uint8_t pos, uint8_t next, uint8_t len, uint8_t type, uint8_t bar,
                     uint32_t off, uint32_t length)
{
    uint8_t *c = mock.cfg;
    c[pos + VN_VCAP_VNDR] = VN_PCI_CAP_ID_VNDR;
    c[pos + VN_VCAP_NEXT] = next;
    c[pos + VN_VCAP_LEN] = len;
    c[pos + VN_VCAP_CFG_TYPE] = type;
    c[pos + VN_VCAP_BAR] = bar;
    mock_put(c, pos + VN_VCAP_OFFSET, 4, off);
    mock_put(c, pos + VN_VCAP_LENGTH, 4, length);
}

/* The layout vionic presents (regmap CAP_* offsets). */
static void good_layout(void)
{
    uint8_t *c = mock.cfg;

    mock_tr_init(&mock);
    mock_put(c, VN_CFG_VENDOR_ID, 2, VN_PCI_VENDOR_ID);
    mock_put(c, VN_CFG_DEVICE_ID, 2, VN_PCI_DEVICE_ID);
    mock_put(c, VN_CFG_STATUS, 2, VN_PCI_STATUS_CAPLIST);
    c[VN_CFG_CAP_PTR] = VN_CAP_COMMON;
    put_vcap(VN_CAP_COMMON, VN_CAP_NOTIFY, 16, VN_VIRTIO_PCI_CAP_COMMON_CFG, 0, VN_COMMON_BASE,
             VN_COMMON_LEN);
    put_vcap(VN_CAP_NOTIFY, VN_CAP_ISR, 20, VN_VIRTIO_PCI_CAP_NOTIFY_CFG, 0, VN_NOTIFY_BASE,
             VN_NOTIFY_SIZE);
    mock_put(c, VN_CAP_NOTIFY + VN_VCAP_NOTIFY_MULT, 4, VN_NOTIFY_MULT);
    put_vcap(VN_CAP_ISR, VN_CAP_DEVICE, 16, VN_VIRTIO_PCI_CAP_ISR_CFG, 0, VN_ISR_BASE, VN_ISR_SIZE);
    put_vcap(VN_CAP_DEVICE, VN_CAP_PCICFG, 16, VN_VIRTIO_PCI_CAP_DEVICE_CFG, 0, VN_DEVICE_BASE,
             VN_DEVICE_LEN);
    put_vcap(VN_CAP_PCICFG, VN_CAP_MSIX, 20, VN_VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0);
    c[VN_CAP_MSIX] = VN_PCI_CAP_ID_MSIX;
    c[VN_CAP_MSIX + 1] = VN_CAP_VENDOR;
    mock_put(c, VN_CAP_MSIX + VN_MSIX_CAP_CTRL, 2, 10 - 1);
    mock_put(c, VN_CAP_MSIX + VN_MSIX_CAP_TABLE, 4, VN_MSIX_TABLE_BASE);
    mock_put(c, VN_CAP_MSIX + VN_MSIX_CAP_PBA, 4, VN_MSIX_PBA_BASE);
    put_vcap(VN_CAP_VENDOR, 0, 16, VN_VIRTIO_PCI_CAP_VENDOR_CFG, 0, VN_VENDOR_BASE,
             VN_VENDOR_SIZE);
}

static int probe(struct vn_pci *p)
{
    log_errors = 0;
    return vn_pci_probe(&mock.tr, p);
}

static void test_good(void)
{
    struct vn_pci p;

    good_layout();
    CHECK_EQ(probe(&p), 0);
    CHECK_EQ(log_errors, 0);
    CHECK(p.common.present && p.notify.present && p.isr.present && p.device.present);
    CHECK_EQ(p.common.bar, 0);
    CHECK_EQ(p.common.off, VN_COMMON_BASE);
    CHECK_EQ(p.common.len, VN_COMMON_LEN);
    CHECK_EQ(p.notify.off, VN_NOTIFY_BASE);
    CHECK_EQ(p.notify_mult, VN_NOTIFY_MULT);
    CHECK_EQ(p.isr.off, VN_ISR_BASE);
    CHECK_EQ(p.device.off, VN_DEVICE_BASE);
    CHECK_EQ(p.device.len, VN_DEVICE_LEN);
    CHECK_EQ(p.pcicfg_cap, VN_CAP_PCICFG);
    CHECK_EQ(p.msix_cap, VN_CAP_MSIX);
    CHECK_EQ(p.msix_entries, 10);

    CHECK_EQ(vn_pci_enable(&p), 0);
    uint32_t cmd = mock_get(mock.cfg, VN_CFG_COMMAND, 2);
    CHECK_EQ(cmd & (VN_PCI_CMD_MEM | VN_PCI_CMD_MASTER), VN_PCI_CMD_MEM | VN_PCI_CMD_MASTER);
    CHECK_EQ(vn_pci_disable(&p), 0);
    CHECK_EQ(mock_get(mock.cfg, VN_CFG_COMMAND, 2), VN_PCI_CMD_MEM);
}

static void test_ignored_caps(void)
{
    struct vn_pci p;

    /* Ahead of the real list: a common cap naming bar 6, and a reserved cfg_type. */
    good_layout();
    mock.cfg[VN_CFG_CAP_PTR] = 0xc0;
    put_vcap(0xc0, 0xd0, 16, VN_VIRTIO_PCI_CAP_COMMON_CFG, 6, 0x7000, VN_COMMON_LEN);
    put_vcap(0xd0, 0xe0, 16, 7, 0, 0x7000, 0x10);
    /* An unknown PCI capability id is stepped over. */
    mock.cfg[0xe0] = 0x05;
    mock.cfg[0xe1] = VN_CAP_COMMON;
    /* A second common cap after the first: the first is the device's preference. */
    mock.cfg[VN_CAP_VENDOR + VN_VCAP_NEXT] = 0xf0;
    put_vcap(0xf0, 0, 16, VN_VIRTIO_PCI_CAP_COMMON_CFG, 0, 0x800, VN_COMMON_LEN);
    CHECK_EQ(probe(&p), 0);
    CHECK_EQ(p.common.off, VN_COMMON_BASE);
    CHECK_EQ(p.common.cap, VN_CAP_COMMON);
}

static void test_malformed(void)
{
    struct vn_pci p;

    /* loops: to itself and back to the start */
    good_layout();
    mock.cfg[VN_CAP_COMMON + VN_VCAP_NEXT] = VN_CAP_COMMON;
    CHECK_EQ(probe(&p), -ELOOP);
    CHECK(log_errors > 0);
    good_layout();
    mock.cfg[VN_CAP_VENDOR + VN_VCAP_NEXT] = VN_CAP_COMMON;
    CHECK_EQ(probe(&p), -ELOOP);

    /* pointers out of range */
    good_layout();
    mock.cfg[VN_CFG_CAP_PTR] = 0x10;
    CHECK_EQ(probe(&p), -ERANGE);
    good_layout();
    mock.cfg[VN_CAP_ISR + VN_VCAP_NEXT] = 0x3c;
    CHECK_EQ(probe(&p), -ERANGE);
    good_layout();
    mock.cfg[VN_CAP_ISR + VN_VCAP_NEXT] = 0xfe; /* also misaligned */
    CHECK(probe(&p) < 0);
    good_layout();
    mock.cfg[VN_CAP_ISR + VN_VCAP_NEXT] = 0x42;
    CHECK_EQ(probe(&p), -EINVAL);
    /* the last dword starts a capability whose cap_len runs off the end */
    good_layout();
    mock.cfg[VN_CAP_VENDOR + VN_VCAP_NEXT] = 0xfc;
    mock.cfg[0xfc] = VN_PCI_CAP_ID_VNDR;
    mock.cfg[0xfd] = 0;
    mock.cfg[0xfe] = 16;
    CHECK_EQ(probe(&p), -ERANGE);

    /* cap_len too short for the type */
    good_layout();
    mock.cfg[VN_CAP_COMMON + VN_VCAP_LEN] = 8;
    CHECK_EQ(probe(&p), -EINVAL);
    good_layout();
    mock.cfg[VN_CAP_NOTIFY + VN_VCAP_LEN] = 16;
    CHECK_EQ(probe(&p), -EINVAL);
    good_layout();
    mock.cfg[VN_CAP_PCICFG + VN_VCAP_LEN] = 16;
    CHECK_EQ(probe(&p), -EINVAL);

    /* structure offsets and lengths */
    good_layout();
    mock_put(mock.cfg, VN_CAP_COMMON + VN_VCAP_OFFSET, 4, 2);
    CHECK_EQ(probe(&p), -EINVAL);
    good_layout();
    mock_put(mock.cfg, VN_CAP_COMMON + VN_VCAP_LENGTH, 4, 0x20);
    CHECK_EQ(probe(&p), -EINVAL);
    good_layout();
    mock_put(mock.cfg, VN_CAP_DEVICE + VN_VCAP_OFFSET, 4, 0xfffffff0u);
    mock_put(mock.cfg, VN_CAP_DEVICE + VN_VCAP_LENGTH, 4, 0x20);
    CHECK_EQ(probe(&p), -EINVAL);

    /* not a (modern) virtio device, or missing structures */
    good_layout();
    mock_put(mock.cfg, VN_CFG_STATUS, 2, 0);
    CHECK_EQ(probe(&p), -ENODEV);
    good_layout();
    mock_put(mock.cfg, VN_CFG_VENDOR_ID, 2, 0x8086);
    CHECK_EQ(probe(&p), -ENODEV);
    good_layout();
    mock_put(mock.cfg, VN_CFG_DEVICE_ID, 2, 0x1000); /* transitional */
    CHECK_EQ(probe(&p), -ENODEV);
    good_layout();
    mock.cfg[VN_CAP_NOTIFY + VN_VCAP_CFG_TYPE] = 6;
    CHECK_EQ(probe(&p), -ENODEV);
    good_layout();
    mock.cfg[VN_CAP_ISR + VN_VCAP_BAR] = 6;
    CHECK_EQ(probe(&p), -ENODEV);
    good_layout();
    mock.cfg[VN_CFG_CAP_PTR] = 0;
    CHECK_EQ(probe(&p), -ENODEV);
}

static const struct mock_access *nth_bar_write(unsigned n)
{
    for (unsigned i = 0; i < mock.nlog; i++)
        if (!mock.log[i].cfg && mock.log[i].write && n-- == 0)
            return &mock.log[i];
    return NULL;
}

static int features_read_hook(struct mock_tr *m, uint64_t off, unsigned size, uint32_t *v)
{
    (void)size;
    if (off != VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE)
        return 0;
    uint32_t sel = mock_get(m->bar0, VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT, 4);
    *v = sel == 0 ? 0x00030020u : sel == 1 ? 0x00000003u : 0;
    return 1;
}

static unsigned status_reads_left;
static int status_read_hook(struct mock_tr *m, uint64_t off, unsigned size, uint32_t *v)
{
    (void)m;
    (void)size;
    if (off != VN_COMMON_BASE + VN_COMMON_DEVICE_STATUS)
        return 0;
    *v = status_reads_left ? 0x0f : 0;
    if (status_reads_left && status_reads_left != ~0u)
        status_reads_left--;
    return 1;
}

static unsigned gen_reads;
static int gen_read_hook(struct mock_tr *m, uint64_t off, unsigned size, uint32_t *v)
{
    (void)m;
    (void)size;
    if (off != VN_COMMON_BASE + VN_COMMON_CONFIG_GENERATION)
        return 0;
    /* Changes under the first read pass, then holds still. */
    *v = gen_reads < 3 ? gen_reads : 2;
    gen_reads++;
    return 1;
}

static void test_accessors(void)
{
    struct vn_pci p;
    const struct mock_access *a;

    good_layout();
    CHECK_EQ(probe(&p), 0);

    /* 64-bit: two dwords, low first (4.1.3.1) */
    mock.nlog = 0;
    CHECK_EQ(vn_pci_set_queue_desc(&p, UINT64_C(0x1122334455667788)), 0);
    CHECK((a = nth_bar_write(0)) != NULL);
    if (a) {
        CHECK_EQ(a->off, VN_COMMON_BASE + VN_COMMON_QUEUE_DESC_LO);
        CHECK_EQ(a->size, 4);
        CHECK_EQ(a->val, 0x55667788u);
    }
    CHECK((a = nth_bar_write(1)) != NULL);
    if (a) {
        CHECK_EQ(a->off, VN_COMMON_BASE + VN_COMMON_QUEUE_DESC_HI);
        CHECK_EQ(a->val, 0x11223344u);
    }
    uint64_t q64 = 0;
    CHECK_EQ(vn_pci_set_queue_driver(&p, UINT64_C(0xa00000100)), 0);
    CHECK_EQ(vn_pci_get_queue_driver(&p, &q64), 0);
    CHECK_EQ(q64, UINT64_C(0xa00000100));
    CHECK_EQ(vn_pci_set_queue_device(&p, UINT64_C(0xb00000200)), 0);
    CHECK_EQ(vn_pci_get_queue_device(&p, &q64), 0);
    CHECK_EQ(q64, UINT64_C(0xb00000200));

    /* each field with its own width */
    mock.nlog = 0;
    CHECK_EQ(vn_pci_set_queue_select(&p, 5), 0);
    CHECK_EQ(vn_pci_set_device_status(&p, 3), 0);
    CHECK_EQ(vn_pci_set_device_feature_select(&p, 1), 0);
    CHECK_EQ(vn_pci_set_queue_msix_vector(&p, 7), 0);
    CHECK_EQ(nth_bar_write(0)->size, 2);
    CHECK_EQ(nth_bar_write(0)->off, VN_COMMON_QUEUE_SELECT);
    CHECK_EQ(nth_bar_write(1)->size, 1);
    CHECK_EQ(nth_bar_write(1)->off, VN_COMMON_DEVICE_STATUS);
    CHECK_EQ(nth_bar_write(2)->size, 4);
    CHECK_EQ(nth_bar_write(3)->size, 2);
    CHECK_EQ(nth_bar_write(3)->off, VN_COMMON_QUEUE_MSIX_VECTOR);
    mock_put(mock.bar0, VN_COMMON_NUM_QUEUES, 2, 9);
    uint16_t u16;
    uint8_t u8;
    mock.nlog = 0;
    CHECK_EQ(vn_pci_get_num_queues(&p, &u16), 0);
    CHECK_EQ(u16, 9);
    CHECK_EQ(mock.log[0].size, 2);
    CHECK_EQ(vn_pci_get_config_generation(&p, &u8), 0);
    CHECK_EQ(mock.log[1].size, 1);
    CHECK_EQ(mock.log[1].off, VN_COMMON_CONFIG_GENERATION);

    /* feature words through the select registers */
    mock.bar_read_hook = features_read_hook;
    uint64_t f = 0;
    CHECK_EQ(vn_pci_read_device_features(&p, &f), 0);
    CHECK_EQ(f, UINT64_C(0x0000000300030020));
    mock.bar_read_hook = NULL;
    mock.nlog = 0;
    CHECK_EQ(vn_pci_write_driver_features(&p, UINT64_C(0x0000000100010020)), 0);
    CHECK_EQ(nth_bar_write(0)->off, VN_COMMON_DRIVER_FEATURE_SELECT);
    CHECK_EQ(nth_bar_write(0)->val, 0);
    CHECK_EQ(nth_bar_write(1)->off, VN_COMMON_DRIVER_FEATURE);
    CHECK_EQ(nth_bar_write(1)->val, 0x00010020u);
    CHECK_EQ(nth_bar_write(2)->val, 1);
    CHECK_EQ(nth_bar_write(3)->val, 0x00000001u);

    /* reset: polls until 0, waiting between reads; gives up after its timeout */
    mock.bar_read_hook = status_read_hook;
    status_reads_left = 3;
    mock.delayed_ns = 0;
    CHECK_EQ(vn_pci_reset(&p, 1000000), 0);
    CHECK(mock.delayed_ns > 0);
    status_reads_left = ~0u;
    mock.delayed_ns = 0;
    CHECK_EQ(vn_pci_reset(&p, 50000), -ETIMEDOUT);
    CHECK(mock.delayed_ns >= 50000 && mock.delayed_ns < 100000);
    mock.bar_read_hook = NULL;

    /* doorbell: 16-bit queue index at notify + off * multiplier */
    mock.nlog = 0;
    CHECK_EQ(vn_pci_notify(&p, 3, 3), 0);
    CHECK_EQ(nth_bar_write(0)->off, VN_NOTIFY_BASE + 3 * VN_NOTIFY_MULT);
    CHECK_EQ(nth_bar_write(0)->size, 2);
    CHECK_EQ(nth_bar_write(0)->val, 3);
    CHECK_EQ(vn_pci_notify_check(&p, VN_NOTIFY_SIZE / VN_NOTIFY_MULT - 1), 0);
    CHECK_EQ(vn_pci_notify_check(&p, VN_NOTIFY_SIZE / VN_NOTIFY_MULT), -ERANGE);
    CHECK_EQ(vn_pci_notify(&p, VN_NOTIFY_SIZE / VN_NOTIFY_MULT, 0), -ERANGE);

    /* ISR: one byte */
    mock.bar0[VN_ISR_BASE] = VN_ISR_QUEUE | VN_ISR_CONFIG;
    mock.nlog = 0;
    CHECK_EQ(vn_pci_isr_read(&p, &u8), 0);
    CHECK_EQ(u8, VN_ISR_QUEUE | VN_ISR_CONFIG);
    CHECK_EQ(mock.log[0].size, 1);
    CHECK_EQ(mock.log[0].off, VN_ISR_BASE);

    /* device cfg: bounded, aligned */
    uint32_t v;
    mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_MTU, 2, 1500);
    CHECK_EQ(vn_pci_device_read(&p, VN_DEVICE_NET_MTU, 2, &v), 0);
    CHECK_EQ(v, 1500);
    CHECK_EQ(vn_pci_device_read(&p, VN_DEVICE_LEN, 1, &v), -EINVAL);
    CHECK_EQ(vn_pci_device_read(&p, VN_DEVICE_LEN - 2, 4, &v), -EINVAL);
    CHECK_EQ(vn_pci_device_read(&p, 1, 2, &v), -EINVAL);
    CHECK_EQ(vn_pci_device_read(&p, 0, 3, &v), -EINVAL);

    /* multi-byte device cfg re-read while config_generation moves */
    static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    memcpy(mock.bar0 + VN_DEVICE_BASE + VN_DEVICE_NET_MAC, mac, sizeof mac);
    uint8_t got[6] = {0};
    gen_reads = 0;
    mock.bar_read_hook = gen_read_hook;
    CHECK_EQ(vn_pci_device_read_bytes(&p, VN_DEVICE_NET_MAC, got, sizeof got), 0);
    CHECK(memcmp(got, mac, sizeof mac) == 0);
    CHECK_EQ(gen_reads, 4);
    mock.bar_read_hook = NULL;

    /* PCI_CFG window: bar, offset, length, then data */
    mock.nlog = 0;
    mock_put(mock.cfg, VN_CAP_PCICFG + VN_VCAP_PCICFG_DATA, 4, 0xabcd);
    CHECK_EQ(vn_pci_cfgwin_read(&p, 0, VN_ISR_BASE, 2, &v), 0);
    CHECK_EQ(mock.log[0].off, VN_CAP_PCICFG + VN_VCAP_BAR);
    CHECK_EQ(mock.log[1].off, VN_CAP_PCICFG + VN_VCAP_OFFSET);
    CHECK_EQ(mock.log[1].val, VN_ISR_BASE);
    CHECK_EQ(mock.log[2].off, VN_CAP_PCICFG + VN_VCAP_LENGTH);
    CHECK_EQ(mock.log[2].val, 2);
    CHECK_EQ(mock.log[3].off, VN_CAP_PCICFG + VN_VCAP_PCICFG_DATA);
    CHECK_EQ(mock.log[3].size, 2);
    CHECK_EQ(v, 0xabcd);
    CHECK_EQ(vn_pci_cfgwin_read(&p, 6, 0, 4, &v), -EINVAL);
    CHECK_EQ(vn_pci_cfgwin_read(&p, 0, 2, 4, &v), -EINVAL);
}

int main(void)
{
    vn_log_set(count_log, NULL);
    test_good();
    test_ignored_caps();
    test_malformed();
    test_accessors();
    CHECK_EQ(mock_tr_fini(&mock), 0);
    return check_report();
}
