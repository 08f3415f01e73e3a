/* The driver against the real device: the Verilated model with the host-mode firmware.
 *   test_sim_bringup           open, negotiate, check features and MAC, close
 *   test_sim_bringup loopback  the same, then frames TX -> MAC loopback -> RX, 1 and 2 pairs */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_model.h"
#include "vn_net.h"
#include "vn_pci.h"
#include "vn_transport.h"

#define BIT64(n) (UINT64_C(1) << (n))

/* Offered by the firmware (docs/architecture.md, "Offered features"); all known to the
 * driver, which therefore accepts every one of them. */
static const uint64_t required = BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) |
                                BIT64(VN_F_MAC) | BIT64(VN_F_STATUS) | BIT64(VN_F_MTU) |
                                BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ);
/* firmware/src/fw_internal.h FW_MAC0..5: locally administered, "VNIC", 1 */
static const uint8_t fw_mac[6] = {0x02, 0x56, 0x4e, 0x49, 0x43, 0x01};

static void print_log(void *ctx, enum vn_log_level level, const char *msg)
{
    (void)ctx;
    if (level <= VN_LOG_INFO)
        fprintf(stderr, "vionic[%d]: %s\n", level, msg);
}

static void loop_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct vn_model *m = ctx;
    CHECK_EQ(vn_model_mac_rx(m, frame, len), 0);
}

static void bringup(void)
{
    struct vn_tr *tr;
    struct vn_net *n = NULL;
    struct vn_net_opts o = {.queue_pairs = 1, .ring_size = 64};

    CHECK_EQ(vn_tr_sim_open(NULL, &tr), 0);
    if (!tr)
        return;
    CHECK(vn_tr_sim_model(tr) != NULL);
    CHECK_EQ(vn_net_open(tr, &o, &n), 0);
    if (n) {
        uint64_t dev = vn_net_device_features(n), drv = vn_net_driver_features(n);
        CHECK_EQ(dev & required, required);
        CHECK_EQ(drv & required, required);
        CHECK_EQ(drv & ~dev, 0);
        uint8_t mac[6];
        vn_net_mac(n, mac);
        CHECK(memcmp(mac, fw_mac, sizeof mac) == 0);
        CHECK_EQ(vn_net_queue_pairs(n), 1);
        CHECK_EQ(vn_net_ring_size(n, 0), 64);
        CHECK_EQ(vn_net_mtu(n), VN_NET_MTU_DEFAULT);
        CHECK_EQ(vn_net_link_status(n) & VN_NET_S_LINK_UP, VN_NET_S_LINK_UP);

        struct vn_pci *p = vn_net_pci(n);
        CHECK(p->pcicfg_cap != 0);
        CHECK_EQ(p->msix_entries, 2 * VIONIC_QUEUE_PAIRS + 2);
        CHECK_EQ(p->notify_mult, VN_NOTIFY_MULT);
        uint8_t st = 0;
        CHECK_EQ(vn_pci_get_device_status(p, &st), 0);
        CHECK_EQ(st, VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK |
                         VN_STATUS_DRIVER_OK);
        uint16_t nq = 0;
        CHECK_EQ(vn_pci_get_num_queues(p, &nq), 0);
        CHECK_EQ(nq, 2 * VIONIC_QUEUE_PAIRS + 1);
        uint32_t v = 0;
        CHECK_EQ(vn_pci_device_read(p, VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, 2, &v), 0);
        CHECK_EQ(v, VIONIC_QUEUE_PAIRS);
        /* the vendor region through the BAR and through the PCI_CFG window agree */
        uint32_t magic = 0, magic2 = 0;
        CHECK_EQ(vn_tr_bar_read(tr, 0, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4, &magic), 0);
        CHECK_EQ(magic, VN_FW_ID_MAGIC);
        CHECK_EQ(vn_pci_cfgwin_read(p, 0, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4, &magic2), 0);
        CHECK_EQ(magic2, VN_FW_ID_MAGIC);
        /* a vector readback for the control queue */
        uint16_t vec = 0;
        CHECK_EQ(vn_pci_set_queue_select(p, 2 * VIONIC_QUEUE_PAIRS), 0);
        CHECK_EQ(vn_pci_get_queue_msix_vector(p, &vec), 0);
        CHECK_EQ(vec, 3);
        /* ethtool -G: per-queue reset and a new ring, when the device offers RING_RESET */
        if (drv & BIT64(VN_F_RING_RESET)) {
            CHECK_EQ(vn_net_queue_resize(n, 0, 16), 0);
            CHECK_EQ(vn_net_ring_size(n, 0), 16);
            CHECK_EQ(vn_net_queue_resize(n, 1, 128), 0);
            CHECK_EQ(vn_net_ring_size(n, 1), 128);
            uint16_t sz = 0, en = 0;
            CHECK_EQ(vn_pci_set_queue_select(p, 1), 0);
            CHECK_EQ(vn_pci_get_queue_size(p, &sz), 0);
            CHECK_EQ(vn_pci_get_queue_enable(p, &en), 0);
            CHECK_EQ(sz, 128);
            CHECK_EQ(en, 1);
            CHECK_EQ(vn_pci_get_device_status(p, &st), 0);
            CHECK_EQ(st & VN_STATUS_NEEDS_RESET, 0);
        }
        vn_net_close(n);
    }
    vn_tr_close(tr);
}

static void loopback(unsigned pairs)
{
    struct vn_tr *tr;
    struct vn_net *n = NULL;
    struct vn_net_opts o = {.queue_pairs = pairs, .ring_size = 32, .use_irq = 1};
    uint8_t frame[1514], got[2048];
    size_t len;

    CHECK_EQ(vn_tr_sim_open(NULL, &tr), 0);
    if (!tr)
        return;
    struct vn_model *m = vn_tr_sim_model(tr);
    struct vn_model_mac mac = {m, loop_tx};
    vn_model_set_mac(m, &mac);
    CHECK_EQ(vn_net_open(tr, &o, &n), 0);
    if (!n) {
        vn_tr_close(tr);
        return;
    }
    CHECK_EQ(vn_net_queue_pairs(n), pairs);
    /* Non-IP frames steer to pair 0 (h = 0); send them from every pair. */
    unsigned sent = 0, received = 0, bad = 0;
    const unsigned total = 40;
    for (unsigned i = 0; i < total; i++) {
        memset(frame, 0, sizeof frame);
        memset(frame, 0xff, 6);
        memcpy(frame + 6, fw_mac, 6);
        frame[12] = 0x88;
        frame[13] = 0xb5; /* local experimental ethertype */
        unsigned flen = 60 + (i * 97) % 1400;
        for (unsigned k = 14; k < flen; k++)
            frame[k] = (uint8_t)(i + k);
        int rc;
        while ((rc = vn_net_tx(n, i % pairs, frame, flen)) == -EAGAIN) {
            CHECK_EQ(vn_net_wait(n, 10000), 0);
            CHECK_EQ(vn_net_poll(n), 0);
        }
        CHECK_EQ(rc, 0);
        sent++;
        /* Keep frames in order per pair 0 by draining as we go. */
        for (unsigned spin = 0; spin < 200 && received < sent; spin++) {
            CHECK_EQ(vn_net_wait(n, 2000), 0);
            CHECK_EQ(vn_net_poll(n), 0);
            while (vn_net_rx(n, 0, got, sizeof got, &len) == 0) {
                unsigned j = received++;
                unsigned want = 60 + (j * 97) % 1400;
                if (len != want || got[14] != (uint8_t)(j + 14) ||
                    got[want - 1] != (uint8_t)(j + want - 1))
                    bad++;
            }
        }
    }
    CHECK_EQ(received, total);
    CHECK_EQ(bad, 0);
    for (unsigned p = 0; p < pairs; p++) {
        for (unsigned spin = 0; spin < 100 && vn_net_tx_inflight(n, p); spin++) {
            CHECK_EQ(vn_net_wait(n, 1000), 0);
            CHECK_EQ(vn_net_poll(n), 0);
        }
        CHECK_EQ(vn_net_tx_inflight(n, p), 0);
    }
    struct vn_net_stats st;
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.tx_frames, total);
    CHECK_EQ(st.rx_frames, total);
    CHECK(st.irqs > 0);
    struct vn_model_stats ms;
    vn_model_get_stats(m, &ms);
    CHECK_EQ(ms.dma_faults, 0);
    CHECK_EQ(ms.mac_tx_frames, total);
    vn_net_close(n);
    vn_tr_close(tr);
}

int main(int argc, char **argv)
{
    vn_log_set(print_log, NULL);
    bringup();
    if (argc > 1 && strcmp(argv[1], "loopback") == 0) {
        loopback(1);
        loopback(2);
    }
    return check_report();
}
