/* vn_net against a small virtio-net device written from the spec on top of the mock
 * transport: bring-up order, negotiation and its refusals, queue setup, TX/RX framing,
 * the control queue, teardown.  The real device is exercised by host_sim_bringup. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "mock_tr.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_net.h"
#include "vn_pci.h"
#include "vn_vq.h"

#define BIT64(n) (UINT64_C(1) << (n))
#define MAX_PAIRS 4u
#define NQ (2u * MAX_PAIRS + 1u)
#define CTRLQ (2u * MAX_PAIRS)
#define QMAX 256u
#define MSIX_ENTRIES (2u * MAX_PAIRS + 2u)

static struct mock_tr mock;
static unsigned log_errors;

struct mq {
    uint16_t size, vector, enable;
    uint64_t desc, driver, device;
    bool packed; /* RING_PACKED negotiated when it was enabled */
    struct mock_ring ring;
    struct mock_pring pring;
    uint8_t pnd[QMAX]; /* packed: ring descriptors of each buffer id taken */
    unsigned kicks;
    uint32_t notify; /* the last doorbell's value */
    unsigned reset_reads; /* queue_reset reads 1 for this many more reads */
};

static struct mdev {
    uint64_t offered;
    uint32_t drv_feat[2];
    uint8_t status;
    uint16_t cfg_vec;
    struct mq q[NQ];
    int refuse_features, refuse_enable, refuse_vector;
    int reset_hangs; /* queue_reset never completes */
    uint8_t ctrl_ack;
    unsigned ctrl_cmds;
    uint8_t last_ctrl[1024];
    unsigned last_ctrl_len, last_ctrl_segs; /* readable bytes and descriptors */
    uint8_t status_log[64];
    unsigned nstatus;
    unsigned kicks_before_driver_ok;
} dev;

static const uint8_t dev_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

static void count_log(void *ctx, enum vn_log_level level, const char *msg)
{
    (void)ctx;
    (void)msg;
    if (level == VN_LOG_ERR)
        log_errors++;
}

static uint32_t reg(uint32_t off, unsigned size) { return mock_get(mock.bar0, off, size); }
static uint16_t qsel(void) { return (uint16_t)reg(VN_COMMON_BASE + VN_COMMON_QUEUE_SELECT, 2); }

static void dev_reset(void)
{
    dev.status = 0;
    dev.cfg_vec = VN_MSIX_NO_VECTOR;
    dev.drv_feat[0] = dev.drv_feat[1] = 0;
    for (unsigned i = 0; i < NQ; i++)
        dev.q[i] = (struct mq){.size = QMAX, .vector = VN_MSIX_NO_VECTOR};
}

static void set_half(uint64_t *v, int hi, uint32_t x)
{
    *v = hi ? (*v & 0xffffffffu) | (uint64_t)x << 32 : (*v & ~UINT64_C(0xffffffff)) | x;
}

static int dev_read(struct mock_tr *m, uint64_t off, unsigned size, uint32_t *v)
{
    (void)m;
    (void)size;
    if (off >= VN_COMMON_BASE + VN_COMMON_LEN)
        return 0;
    uint32_t o = (uint32_t)(off - VN_COMMON_BASE);
    uint16_t s = qsel();
    struct mq *q = s < NQ ? &dev.q[s] : NULL;
    uint32_t fsel = reg(VN_COMMON_BASE + VN_COMMON_DEVICE_FEATURE_SELECT, 4);
    uint32_t dsel = reg(VN_COMMON_BASE + VN_COMMON_DRIVER_FEATURE_SELECT, 4);
    switch (o) {
    case VN_COMMON_DEVICE_FEATURE:
        *v = fsel < 2 ? (uint32_t)(dev.offered >> (32 * fsel)) : 0;
        return 1;
    case VN_COMMON_DRIVER_FEATURE: *v = dsel < 2 ? dev.drv_feat[dsel] : 0; return 1;
    case VN_COMMON_CONFIG_MSIX_VECTOR: *v = dev.cfg_vec; return 1;
    case VN_COMMON_NUM_QUEUES: *v = NQ; return 1;
    case VN_COMMON_DEVICE_STATUS: *v = dev.status; return 1;
    case VN_COMMON_QUEUE_SIZE: *v = q ? q->size : 0; return 1;
    case VN_COMMON_QUEUE_MSIX_VECTOR: *v = q ? q->vector : VN_MSIX_NO_VECTOR; return 1;
    case VN_COMMON_QUEUE_ENABLE: *v = q ? q->enable : 0; return 1;
    case VN_COMMON_QUEUE_NOTIFY_OFF: *v = s; return 1;
    case VN_COMMON_QUEUE_RESET:
        *v = q && q->reset_reads ? 1 : 0;
        if (q && q->reset_reads && --q->reset_reads == 0)
            *q = (struct mq){.size = QMAX, .vector = VN_MSIX_NO_VECTOR, .kicks = q->kicks};
        return 1;
    default: return 0;
    }
}

/* The ring in the layout negotiated; with RING_PACKED every queue is packed. */
static int mq_pop(struct mq *q, uint16_t *id, struct mock_seg *seg, unsigned *nseg)
{
    unsigned nd;
    if (!q->packed)
        return mock_ring_pop(&q->ring, id, seg, nseg);
    int rc = mock_pring_pop(&q->pring, id, seg, nseg, &nd);
    if (rc == 0 && *id < QMAX)
        q->pnd[*id] = (uint8_t)nd;
    return rc;
}

static void mq_push(struct mq *q, uint16_t id, uint32_t len)
{
    if (!q->packed)
        mock_ring_push(&q->ring, id, len);
    else
        mock_pring_push(&q->pring, id, len, id < QMAX ? q->pnd[id] : 1);
}

static void dev_ctrl(void)
{
    struct mq *q = &dev.q[CTRLQ];
    struct mock_seg seg[8];
    unsigned n;
    uint16_t head;

    while (mq_pop(q, &head, seg, &n) == 0) {
        unsigned got = 0;
        uint8_t *ack = NULL;
        dev.last_ctrl_segs = 0;
        for (unsigned i = 0; i < n; i++) {
            uint8_t *b = mock_iova_va(&mock, seg[i].addr, seg[i].len);
            if (!b)
                continue;
            if (seg[i].flags & VN_DESC_F_WRITE) {
                ack = b;
                continue;
            }
            dev.last_ctrl_segs++;
            for (unsigned k = 0; k < seg[i].len && got < sizeof dev.last_ctrl; k++)
                dev.last_ctrl[got++] = b[k];
        }
        dev.last_ctrl_len = got;
        dev.ctrl_cmds++;
        /* ANNOUNCE_ACK clears ANNOUNCE (5.1.6.5.4) */
        if (got == 2 && dev.last_ctrl[0] == VN_CTRL_CLASS_ANNOUNCE && dev.ctrl_ack == VN_CTRL_OK) {
            uint32_t st = mock_get(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2);
            mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2, st & ~VN_NET_S_ANNOUNCE);
        }
        if (ack)
            *ack = dev.ctrl_ack;
        mq_push(q, head, ack ? 1 : 0);
    }
}

static int dev_write(struct mock_tr *m, uint64_t off, unsigned size, uint32_t v)
{
    (void)m;
    (void)size;
    if (off >= VN_NOTIFY_BASE && off < VN_NOTIFY_BASE + VN_NOTIFY_SIZE) {
        unsigned qi = (unsigned)(off - VN_NOTIFY_BASE) / VN_NOTIFY_MULT;
        if (!(dev.status & VN_STATUS_DRIVER_OK))
            dev.kicks_before_driver_ok++;
        if (qi < NQ) {
            dev.q[qi].kicks++;
            dev.q[qi].notify = v;
            if (qi == CTRLQ && dev.q[qi].enable)
                dev_ctrl();
        }
        return 1;
    }
    if (off >= VN_COMMON_BASE + VN_COMMON_LEN)
        return 0;
    uint32_t o = (uint32_t)(off - VN_COMMON_BASE);
    uint16_t s = qsel();
    struct mq *q = s < NQ ? &dev.q[s] : NULL;
    uint32_t dsel = reg(VN_COMMON_BASE + VN_COMMON_DRIVER_FEATURE_SELECT, 4);
    switch (o) {
    case VN_COMMON_DEVICE_FEATURE_SELECT:
    case VN_COMMON_DRIVER_FEATURE_SELECT:
    case VN_COMMON_QUEUE_SELECT:
        return 0; /* plain storage */
    case VN_COMMON_DRIVER_FEATURE:
        if (dsel < 2 && !(dev.status & VN_STATUS_FEATURES_OK))
            dev.drv_feat[dsel] = v;
        return 1;
    case VN_COMMON_CONFIG_MSIX_VECTOR:
        dev.cfg_vec = v < MSIX_ENTRIES ? (uint16_t)v : VN_MSIX_NO_VECTOR;
        return 1;
    case VN_COMMON_DEVICE_STATUS:
        if (dev.nstatus < sizeof dev.status_log)
            dev.status_log[dev.nstatus++] = (uint8_t)v;
        if (v == 0) {
            dev_reset();
            return 1;
        }
        if ((v & VN_STATUS_FEATURES_OK) && !(dev.status & VN_STATUS_FEATURES_OK)) {
            uint64_t f = (uint64_t)dev.drv_feat[1] << 32 | dev.drv_feat[0];
            if (dev.refuse_features || (f & ~dev.offered) || !(f & BIT64(VN_F_VERSION_1)))
                v &= ~VN_STATUS_FEATURES_OK;
        }
        dev.status = (uint8_t)v;
        return 1;
    default:
        break;
    }
    if (!q)
        return 1;
    switch (o) {
    case VN_COMMON_QUEUE_SIZE:
        if (v && v <= QMAX && !(v & (v - 1)))
            q->size = (uint16_t)v;
        break;
    case VN_COMMON_QUEUE_MSIX_VECTOR:
        q->vector = (dev.refuse_vector || v >= MSIX_ENTRIES) ? VN_MSIX_NO_VECTOR : (uint16_t)v;
        break;
    case VN_COMMON_QUEUE_ENABLE:
        if (v == 1 && !dev.refuse_enable) {
            q->enable = 1;
            q->packed = dev.drv_feat[1] & (1u << (VN_F_RING_PACKED - 32));
            if (q->packed)
                mock_pring_attach_iova(&q->pring, &mock, q->size, q->desc, q->driver,
                                       q->device);
            else
                mock_ring_attach_iova(&q->ring, &mock, q->size, q->desc, q->driver,
                                      q->device);
        }
        break;
    case VN_COMMON_QUEUE_RESET:
        /* in progress for two reads, then back to defaults (2.6.1, 4.1.4.3.1) */
        if (v == 1 && q->enable && (dev.drv_feat[1] & (1u << (VN_F_RING_RESET - 32))))
            q->reset_reads = dev.reset_hangs ? 0x7fffffffu : 2;
        break;
    case VN_COMMON_QUEUE_DESC_LO: set_half(&q->desc, 0, v); break;
    case VN_COMMON_QUEUE_DESC_HI: set_half(&q->desc, 1, v); break;
    case VN_COMMON_QUEUE_DRIVER_LO: set_half(&q->driver, 0, v); break;
    case VN_COMMON_QUEUE_DRIVER_HI: set_half(&q->driver, 1, v); break;
    case VN_COMMON_QUEUE_DEVICE_LO: set_half(&q->device, 0, v); break;
    case VN_COMMON_QUEUE_DEVICE_HI: set_half(&q->device, 1, v); break;
    default: break;
    }
    return 1;
}

static void put_vcap(uint8_t pos, uint8_t next, uint8_t len, uint8_t type, uint32_t off,
                     uint32_t length)
{
    uint8_t *c = mock.cfg;
    c[pos + VN_VCAP_VNDR] = VN_PCI_CAP_ID_VNDR;
    c[pos + VN_VCAP_NEXT] = next;
    c[pos + VN_VCAP_LEN] = len;
    c[pos + VN_VCAP_CFG_TYPE] = type;
    mock_put(c, pos + VN_VCAP_OFFSET, 4, off);
    mock_put(c, pos + VN_VCAP_LENGTH, 4, length);
}

static void dev_init(void)
{
    uint8_t *c = mock.cfg;

    mock_tr_init(&mock);
    memset(&dev, 0, sizeof dev);
    dev_reset();
    /* RING_PACKED offered: a driver opened with features 0 declines it, one whose mask is
     * "all but X" takes it, so those tests run on packed rings */
    dev.offered = BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) | BIT64(VN_F_MAC) |
                  BIT64(VN_F_STATUS) | BIT64(VN_F_MTU) | BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ) |
                  BIT64(VN_F_RING_PACKED) | BIT64(VN_F_INDIRECT_DESC) | BIT64(VN_F_RING_RESET);
    dev.ctrl_ack = VN_CTRL_OK;
    mock_put(c, VN_CFG_VENDOR_ID, 2, VN_PCI_VENDOR_ID);
    mock_put(c, VN_CFG_DEVICE_ID, 2, VN_PCI_DEVICE_ID);
    mock_put(c, VN_CFG_STATUS, 2, VN_PCI_STATUS_CAPLIST);
    c[VN_CFG_CAP_PTR] = VN_CAP_COMMON;
    put_vcap(VN_CAP_COMMON, VN_CAP_NOTIFY, 16, VN_VIRTIO_PCI_CAP_COMMON_CFG, VN_COMMON_BASE,
             VN_COMMON_LEN);
    put_vcap(VN_CAP_NOTIFY, VN_CAP_ISR, 20, VN_VIRTIO_PCI_CAP_NOTIFY_CFG, VN_NOTIFY_BASE,
             VN_NOTIFY_SIZE);
    mock_put(c, VN_CAP_NOTIFY + VN_VCAP_NOTIFY_MULT, 4, VN_NOTIFY_MULT);
    put_vcap(VN_CAP_ISR, VN_CAP_DEVICE, 16, VN_VIRTIO_PCI_CAP_ISR_CFG, VN_ISR_BASE, VN_ISR_SIZE);
    put_vcap(VN_CAP_DEVICE, VN_CAP_PCICFG, 16, VN_VIRTIO_PCI_CAP_DEVICE_CFG, VN_DEVICE_BASE,
             VN_DEVICE_LEN);
    put_vcap(VN_CAP_PCICFG, 0, 20, VN_VIRTIO_PCI_CAP_PCI_CFG, 0, 0);
    memcpy(mock.bar0 + VN_DEVICE_BASE + VN_DEVICE_NET_MAC, dev_mac, sizeof dev_mac);
    mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2, VN_NET_S_LINK_UP);
    mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS, 2, MAX_PAIRS);
    mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_MTU, 2, 1500);
    mock.bar_read_hook = dev_read;
    mock.bar_write_hook = dev_write;
    log_errors = 0;
}

/* The device transmits one frame from TX pair qp: the chain's bytes after the header. */
static int dev_tx(unsigned qp, uint8_t *frame, unsigned *len, unsigned *nseg, uint8_t hdr[12])
{
    struct mq *q = &dev.q[2 * qp + 1];
    struct mock_seg seg[QMAX];
    uint16_t head;
    unsigned total = 0;

    if (mq_pop(q, &head, seg, nseg))
        return -1;
    for (unsigned i = 0; i < *nseg; i++) {
        uint8_t *b = mock_iova_va(&mock, seg[i].addr, seg[i].len);
        if (!b || (seg[i].flags & VN_DESC_F_WRITE))
            return -2;
        for (unsigned k = 0; k < seg[i].len; k++, total++) {
            if (total < VN_NET_HDR_LEN)
                hdr[total] = b[k];
            else
                frame[total - VN_NET_HDR_LEN] = b[k];
        }
    }
    *len = total - VN_NET_HDR_LEN;
    mq_push(q, head, 0);
    return 0;
}

/* The device receives a frame into RX pair qp; drop (len 0) when it does not fit. */
static int dev_rx(unsigned qp, const uint8_t *frame, unsigned len)
{
    struct mq *q = &dev.q[2 * qp];
    struct mock_seg seg[QMAX];
    uint16_t head;
    unsigned n;

    if (mq_pop(q, &head, seg, &n))
        return -1;
    if (n != 1 || !(seg[0].flags & VN_DESC_F_WRITE))
        return -2;
    uint8_t *b = mock_iova_va(&mock, seg[0].addr, seg[0].len);
    if (!b)
        return -3;
    if (seg[0].len < VN_NET_HDR_LEN + len) {
        mq_push(q, head, 0);
        return 1;
    }
    memset(b, 0, VN_NET_HDR_LEN);
    b[10] = 1; /* num_buffers */
    memcpy(b + VN_NET_HDR_LEN, frame, len);
    mq_push(q, head, VN_NET_HDR_LEN + len);
    return 0;
}

/* The device receives a frame across as many buffers as it takes (MRG_RXBUF), publishing
 * only `publish` of them; num_buffers in the first header says how many it used. */
static int dev_rx_mrg(unsigned qp, const uint8_t *frame, unsigned len, unsigned publish)
{
    struct mq *q = &dev.q[2 * qp];
    struct mock_seg seg[QMAX];
    uint16_t heads[16];
    unsigned lens[16], nb = 0, n, off = 0, total = VN_NET_HDR_LEN + len;
    uint8_t *first_hdr = NULL;

    while (off < total && nb < 16) {
        if (mq_pop(q, &heads[nb], seg, &n) || n != 1)
            return -1;
        uint8_t *b = mock_iova_va(&mock, seg[0].addr, seg[0].len);
        if (!b)
            return -3;
        unsigned c = 0;
        for (; c < seg[0].len && off < total; c++, off++)
            b[c] = off < VN_NET_HDR_LEN ? 0 : frame[off - VN_NET_HDR_LEN];
        if (nb == 0)
            first_hdr = b;
        lens[nb++] = c;
    }
    if (!first_hdr)
        return -4;
    first_hdr[10] = (uint8_t)nb;
    for (unsigned i = 0; i < nb && i < publish; i++)
        mq_push(q, heads[i], lens[i]);
    return (int)nb;
}

static void test_mrg(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16, .rx_buf_len = VN_NET_HDR_LEN + 64};
    uint8_t frame[1514], got[2048];
    size_t rlen;

    dev_init();
    dev.offered |= BIT64(VN_F_MRG_RXBUF);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK(vn_net_driver_features(n) & BIT64(VN_F_MRG_RXBUF));
    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 13 + 5);
    /* 200 bytes: 64 in the first buffer after the header, 76 and 60 in the next two */
    CHECK_EQ(dev_rx_mrg(0, frame, 200, 16), 3);
    CHECK_EQ(dev_rx_mrg(0, frame + 3, 60, 16), 1);
    uint16_t before = mock_ring_avail_idx(&dev.q[0].ring);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, 200);
    CHECK(memcmp(got, frame, 200) == 0);
    CHECK_EQ((uint16_t)(mock_ring_avail_idx(&dev.q[0].ring) - before), 3);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, 60);
    CHECK(memcmp(got, frame + 3, 60) == 0);
    /* a frame too big for the caller: all its buffers go back, the length is reported */
    CHECK_EQ(dev_rx_mrg(0, frame, 1000, 16), 14);
    CHECK_EQ(vn_net_rx(n, 0, got, 100, &rlen), -EMSGSIZE);
    CHECK_EQ(rlen, 1000);
    CHECK(memcmp(got, frame, 100) == 0);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -EAGAIN);
    /* a device that publishes fewer buffers than num_buffers says is an error */
    int errs = log_errors;
    CHECK_EQ(dev_rx_mrg(0, frame, 300, 2), 5);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -EIO);
    CHECK_EQ(log_errors, errs + 1);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_bringup(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 64, .queue_pairs = 1};

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK_EQ(log_errors, 0);
    /* 3.1.1 order: reset, ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK */
    enum { A = VN_STATUS_ACKNOWLEDGE, D = VN_STATUS_DRIVER, F = VN_STATUS_FEATURES_OK };
    static const uint8_t want[] = {0, A, A | D, A | D | F, A | D | F | VN_STATUS_DRIVER_OK};
    CHECK_EQ(dev.nstatus, sizeof want);
    CHECK(memcmp(dev.status_log, want, sizeof want) == 0);
    uint64_t known = BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) | BIT64(VN_F_MAC) |
                     BIT64(VN_F_STATUS) | BIT64(VN_F_MTU) | BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ) |
                     BIT64(VN_F_RING_RESET) | BIT64(VN_F_INDIRECT_DESC);
    CHECK_EQ(vn_net_device_features(n), dev.offered);
    CHECK_EQ(vn_net_driver_features(n), known);
    CHECK_EQ((uint64_t)dev.drv_feat[1] << 32 | dev.drv_feat[0], known);
    uint8_t mac[6];
    vn_net_mac(n, mac);
    CHECK(memcmp(mac, dev_mac, 6) == 0);
    CHECK_EQ(vn_net_mtu(n), 1500);
    CHECK_EQ(vn_net_link_status(n), VN_NET_S_LINK_UP);
    CHECK_EQ(vn_net_queue_pairs(n), 1);
    /* MSI-X: config 0, queue q -> 1 + q, control queue after the data queues */
    CHECK_EQ(mock.irq_nvec, 4);
    CHECK_EQ(dev.cfg_vec, 0);
    CHECK_EQ(dev.q[0].vector, 1);
    CHECK_EQ(dev.q[1].vector, 2);
    CHECK_EQ(dev.q[CTRLQ].vector, 3);
    CHECK(dev.q[0].enable && dev.q[1].enable && dev.q[CTRLQ].enable);
    CHECK(!dev.q[2].enable);
    CHECK_EQ(dev.q[0].size, 64);
    CHECK_EQ(vn_net_ring_size(n, 0), 64);
    CHECK_EQ(vn_net_ring_size(n, CTRLQ), 16);
    CHECK_EQ(vn_net_ring_size(n, 2), 0);
    /* RX full before DRIVER_OK, kicked only after it; no MQ command for one pair */
    CHECK_EQ(mock_ring_avail_idx(&dev.q[0].ring), 64);
    CHECK_EQ(dev.kicks_before_driver_ok, 0);
    CHECK_EQ(dev.q[0].kicks, 1);
    CHECK_EQ(dev.ctrl_cmds, 0);
    /* ring addresses are IOVAs, not pointers */
    CHECK(dev.q[0].desc != 0 && mock_iova_va(&mock, dev.q[0].desc, 1) != NULL);
    CHECK(dev.q[0].desc != (uint64_t)(uintptr_t)mock_iova_va(&mock, dev.q[0].desc, 1));
    CHECK_EQ(mock_get(mock.cfg, VN_CFG_COMMAND, 2) & VN_PCI_CMD_MASTER, VN_PCI_CMD_MASTER);

    vn_net_close(n);
    CHECK_EQ(dev.status, 0);
    CHECK_EQ(dev.status_log[dev.nstatus - 1], 0);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_get(mock.cfg, VN_CFG_COMMAND, 2) & VN_PCI_CMD_MASTER, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_datapath(int split)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 8, .tx_split_hdr = split, .use_irq = 1};
    uint8_t frame[1514], got[2048], hdr[12];
    unsigned len, nseg;
    size_t rlen;

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 7 + split);

    /* TX: header of zeros, then the frame, in one or two descriptors */
    CHECK_EQ(vn_net_tx(n, 0, frame, 60), 0);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 1);
    CHECK_EQ(dev.q[1].kicks, 1);
    memset(hdr, 0xaa, sizeof hdr);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(len, 60);
    CHECK_EQ(nseg, split ? 2 : 1);
    CHECK(memcmp(got, frame, 60) == 0);
    static const uint8_t zero[12];
    CHECK(memcmp(hdr, zero, 12) == 0);
    CHECK_EQ(vn_net_poll(n), 0);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 0);

    /* TX ring full, then freed by completions */
    unsigned sent = 0;
    while (vn_net_tx(n, 0, frame, 100) == 0)
        sent++;
    CHECK_EQ(sent, split ? 4 : 8);
    CHECK_EQ(vn_net_tx(n, 0, frame, 100), -EAGAIN);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(vn_net_tx(n, 0, frame, 100), 0); /* tx reaps on its own when full */
    CHECK_EQ(vn_net_tx(n, 0, frame, 2049), -EMSGSIZE);
    CHECK_EQ(vn_net_tx(n, 1, frame, 100), -EINVAL);
    while (dev_tx(0, got, &len, &nseg, hdr) == 0)
        ;
    CHECK_EQ(vn_net_poll(n), 0);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 0);

    /* RX: header stripped, buffer straight back to the device */
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -EAGAIN);
    CHECK_EQ(dev_rx(0, frame, 1514), 0);
    CHECK_EQ(dev_rx(0, frame + 1, 64), 0);
    uint16_t before = mock_ring_avail_idx(&dev.q[0].ring);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, 1514);
    CHECK(memcmp(got, frame, 1514) == 0);
    CHECK_EQ((uint16_t)(mock_ring_avail_idx(&dev.q[0].ring) - before), 1);
    CHECK_EQ(vn_net_rx(n, 0, got, 10, &rlen), -EMSGSIZE); /* truncated, length reported */
    CHECK_EQ(rlen, 64);
    CHECK(memcmp(got, frame + 1, 10) == 0);
    /* A chain handed back with len 0 (frame did not fit) is recycled silently. */
    uint8_t big[1600] = {0};
    CHECK_EQ(dev_rx(0, big, sizeof big), 1);
    CHECK_EQ(dev_rx(0, frame, 42), 0);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, 42);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -EAGAIN);
    /* the ring stays full however many frames pass */
    for (unsigned i = 0; i < 100; i++) {
        CHECK_EQ(dev_rx(0, frame, 60 + i), 0);
        CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
        CHECK_EQ(rlen, 60 + i);
    }

    struct vn_net_stats st;
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.rx_frames, 103);
    CHECK_EQ(st.tx_frames, split ? 6 : 10);

    /* interrupts: poll collects them; a config interrupt with NEEDS_RESET is an error */
    mock.irq_pending = 0x6;
    CHECK_EQ(vn_net_wait(n, 1000), 0);
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.irqs, 2);
    dev.status |= VN_STATUS_NEEDS_RESET;
    mock.irq_pending = 0x1;
    CHECK_EQ(vn_net_poll(n), -EIO);

    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_mq(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16, .queue_pairs = 3};

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_queue_pairs(n), 3);
        CHECK_EQ(dev.ctrl_cmds, 1);
        CHECK_EQ(dev.last_ctrl[0], VN_CTRL_CLASS_MQ);
        CHECK_EQ(dev.last_ctrl[1], VN_CTRL_MQ_VQ_PAIRS_SET);
        CHECK_EQ(mock_get(dev.last_ctrl, 2, 2), 3);
        CHECK(dev.q[5].enable && !dev.q[6].enable && dev.q[CTRLQ].enable);
        CHECK_EQ(dev.q[CTRLQ].vector, 7);
        CHECK_EQ(mock.irq_nvec, 8);
        /* steering to pair 2 reaches its own ring */
        uint8_t f[60] = {1, 2, 3}, got[64];
        size_t len;
        CHECK_EQ(dev_rx(2, f, sizeof f), 0);
        CHECK_EQ(vn_net_rx(n, 1, got, sizeof got, &len), -EAGAIN);
        CHECK_EQ(vn_net_rx(n, 2, got, sizeof got, &len), 0);
        CHECK_EQ(vn_net_rx(n, 3, got, sizeof got, &len), -EINVAL);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* the device answers ERR */
    dev_init();
    dev.ctrl_ack = VN_CTRL_ERR;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EIO);
    CHECK(n == NULL);
    CHECK(log_errors > 0);
    CHECK_EQ(dev.status, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* more pairs than the device has, or MQ masked out */
    dev_init();
    o.queue_pairs = MAX_PAIRS + 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EINVAL);
    CHECK_EQ(mock_tr_fini(&mock), 0);
    dev_init();
    o.queue_pairs = 2;
    o.features = ~BIT64(VN_F_MQ);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EINVAL);
    /* without MQ, on a multi-pair device, the control queue (index 2) is given up too */
    o.queue_pairs = 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_driver_features(n) & (BIT64(VN_F_MQ) | BIT64(VN_F_CTRL_VQ)), 0);
        CHECK(!dev.q[2].enable);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);
    /* MQ without CTRL_VQ is not accepted: one pair, no control queue */
    dev_init();
    o.queue_pairs = 1;
    o.features = ~BIT64(VN_F_CTRL_VQ);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_driver_features(n) & (BIT64(VN_F_MQ) | BIT64(VN_F_CTRL_VQ)), 0);
        CHECK(!dev.q[2].enable);
        CHECK(!dev.q[CTRLQ].enable);
        CHECK_EQ(mock.irq_nvec, 3);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_refusals(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16};

    /* no VERSION_1 offered */
    dev_init();
    dev.offered &= ~BIT64(VN_F_VERSION_1);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -ENOTSUP);
    CHECK(n == NULL);
    CHECK(log_errors > 0);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* FEATURES_OK not latched: FAILED is set, then the device is reset */
    dev_init();
    dev.refuse_features = 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -ENOTSUP);
    int saw_failed = 0;
    for (unsigned i = 0; i < dev.nstatus; i++)
        saw_failed |= !!(dev.status_log[i] & VN_STATUS_FAILED);
    CHECK(saw_failed);
    CHECK_EQ(dev.status, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* a queue the device will not enable; a vector it will not take */
    dev_init();
    dev.refuse_enable = 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EIO);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
    dev_init();
    dev.refuse_vector = 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EBUSY);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* a ring size the device cannot do */
    dev_init();
    o.ring_size = 24;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EINVAL);
    o.ring_size = 2 * QMAX;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -EINVAL);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* without MSI-X a polling driver still comes up, with no vectors */
    dev_init();
    o.ring_size = 16;
    mock.irq_setup_rc = -ENOTSUP;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(dev.q[0].vector, VN_MSIX_NO_VECTOR);
        vn_net_close(n);
    }
    o.use_irq = 1;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), -ENOTSUP);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_resize(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 64};
    uint8_t frame[100] = {9, 8, 7}, got[2048], hdr[12];
    unsigned len, nseg;
    size_t rlen;

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    uint64_t old_desc = dev.q[0].desc;
    unsigned kicks = dev.q[0].kicks;
    CHECK_EQ(vn_net_queue_resize(n, 0, 16), 0);
    CHECK_EQ(dev.q[0].size, 16);
    CHECK_EQ(dev.q[0].enable, 1);
    CHECK_EQ(dev.q[0].vector, 1);
    CHECK(dev.q[0].desc != old_desc);
    CHECK_EQ(vn_net_ring_size(n, 0), 16);
    CHECK_EQ(mock_ring_avail_idx(&dev.q[0].ring), 16); /* full again, from index 0 */
    CHECK_EQ(dev.q[0].kicks, kicks + 1);
    CHECK_EQ(dev_rx(0, frame, sizeof frame), 0);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, sizeof frame);

    /* TX with frames in flight: they are dropped with the old ring */
    CHECK_EQ(vn_net_tx(n, 0, frame, sizeof frame), 0);
    CHECK_EQ(vn_net_queue_resize(n, 1, 0), 0);
    CHECK_EQ(dev.q[1].size, QMAX);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 0);
    CHECK_EQ(vn_net_tx(n, 0, frame, sizeof frame), 0);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(len, sizeof frame);
    CHECK_EQ(vn_net_poll(n), 0);

    CHECK_EQ(vn_net_queue_resize(n, 2, 16), -EINVAL); /* pair 1 is not in use */
    CHECK_EQ(vn_net_queue_resize(n, 0, 24), -EINVAL);
    /* a size above the device maximum is refused before anything is reset */
    CHECK_EQ(vn_net_queue_resize(n, 0, 2 * QMAX), -EINVAL);
    CHECK_EQ(vn_net_ring_size(n, 0), 16);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -EAGAIN);
    /* a queue left reset is brought back by a later resize */
    CHECK_EQ(vn_net_queue_reset(n, 0, NULL, NULL), 0);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -ENODEV);
    CHECK_EQ(vn_net_ring_size(n, 0), 0);
    CHECK_EQ(vn_net_queue_resize(n, 0, 32), 0);
    CHECK_EQ(vn_net_ring_size(n, 0), 32);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* without RING_RESET */
    dev_init();
    o.features = ~BIT64(VN_F_RING_RESET);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_queue_resize(n, 0, 16), -ENOTSUP);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

/* ---- per-queue reset with reclaim ----------------------------------------------------- */

#define REC_MAX 600u
struct rec_e {
    unsigned vq;
    size_t len;
    int used;
    uint8_t b0, b1;
};
struct rec {
    unsigned n;
    int saw_unused, order_bad;
    struct rec_e e[REC_MAX];
};

static void on_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct rec *r = ctx;
    const uint8_t *f = frame;

    /* per queue, completions come first */
    if (r->n && r->e[r->n - 1].vq != vq)
        r->saw_unused = 0;
    if (used && r->saw_unused)
        r->order_bad++;
    r->saw_unused |= !used;
    if (r->n < REC_MAX)
        r->e[r->n++] = (struct rec_e){vq, len, used, len ? f[0] : 0, len > 1 ? f[1] : 0};
}

struct ranges {
    unsigned n;
    uint64_t iova[4], len[4];
};

static void on_range(void *ctx, uint64_t iova, uint64_t len)
{
    struct ranges *r = ctx;
    if (r->n < 4) {
        r->iova[r->n] = iova;
        r->len[r->n] = len;
    }
    r->n++;
}

static int covers(const struct ranges *r, uint64_t iova, uint64_t len)
{
    for (unsigned i = 0; i < r->n && i < 4; i++)
        if (iova >= r->iova[i] && iova + len <= r->iova[i] + r->len[i])
            return 1;
    return 0;
}

static void test_qreset_tx(void)
{
    static struct rec r;
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16};
    uint8_t frame[200], got[2048], hdr[12];
    unsigned len, nseg;
    struct vn_net_stats st;

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK_EQ(vn_net_ring_max(n, 1), QMAX);
    for (unsigned i = 0; i < 10; i++) {
        memset(frame, (int)i, sizeof frame);
        frame[1] = (uint8_t)(0x80 | i);
        CHECK_EQ(vn_net_tx(n, 0, frame, 60 + i), 0);
    }
    /* the device sends four; they are completed but not yet reaped by the driver */
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    uint64_t old_desc = dev.q[1].desc;
    unsigned kicks = dev.q[1].kicks;
    memset(&r, 0, sizeof r);
    CHECK_EQ(vn_net_queue_reset(n, 1, on_reclaim, &r), 0);
    CHECK_EQ(r.n, 10);
    CHECK_EQ(r.order_bad, 0);
    unsigned seen = 0;
    for (unsigned i = 0; i < r.n; i++) {
        unsigned id = r.e[i].b0;
        CHECK_EQ(r.e[i].vq, 1);
        CHECK_EQ(r.e[i].used, id < 4); /* sent ones say so; the rest come back as queued */
        CHECK_EQ(r.e[i].len, 60 + id); /* without the virtio header */
        CHECK_EQ(r.e[i].b1, 0x80 | id);
        if (id < 10)
            seen |= 1u << id;
    }
    CHECK_EQ(seen, 0x3ff); /* each exactly once */
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.reclaimed, 10);
    CHECK_EQ(st.queue_resets, 1);
    CHECK_EQ(st.reset_dropped, 0);
    CHECK_EQ(dev.q[1].enable, 0);

    /* out of use until re-enabled */
    CHECK(vn_net_queue_is_reset(n, 1));
    CHECK_EQ(vn_net_tx(n, 0, frame, 60), -ENODEV);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 0);
    CHECK_EQ(vn_net_ring_size(n, 1), 0);
    struct ranges rg = {0};
    vn_net_queue_memory(n, 1, on_range, &rg);
    CHECK_EQ(rg.n, 0);
    CHECK_EQ(vn_net_poll(n), 0);
    CHECK_EQ(vn_net_queue_reset(n, 1, on_reclaim, &r), -EALREADY);
    CHECK_EQ(r.n, 10);
    CHECK_EQ(vn_net_queue_enable(n, 1, 24), -EINVAL);
    CHECK_EQ(vn_net_queue_enable(n, 1, 2 * QMAX), -EINVAL);
    CHECK_EQ(vn_net_queue_enable(n, 3, 16), -EINVAL); /* pair 1 not in use */
    CHECK(vn_net_queue_is_reset(n, 1));
    CHECK_EQ(vn_net_queue_enable(n, 0, 16), -EBUSY);  /* RX is running */

    /* an enable the device refuses leaves the queue reset, ready for another try */
    dev.refuse_enable = 1;
    CHECK_EQ(vn_net_queue_enable(n, 1, 32), -EIO);
    CHECK(vn_net_queue_is_reset(n, 1));
    CHECK_EQ(vn_net_tx(n, 0, frame, 60), -ENODEV);
    CHECK_EQ(mock.dma_live, 4); /* RX ring and buffers, control ring and buffer: no TX left */
    dev.refuse_enable = 0;
    /* back at the size it had, with its vector, on a new ring; TX needs no doorbell */
    CHECK_EQ(vn_net_queue_enable(n, 1, 0), 0);
    CHECK(!vn_net_queue_is_reset(n, 1));
    CHECK_EQ(dev.q[1].enable, 1);
    CHECK_EQ(dev.q[1].size, 16);
    CHECK_EQ(dev.q[1].vector, 2);
    CHECK(dev.q[1].desc != old_desc);
    CHECK_EQ(dev.q[1].kicks, kicks);
    CHECK_EQ(vn_net_ring_size(n, 1), 16);
    vn_net_queue_memory(n, 1, on_range, &rg);
    CHECK_EQ(rg.n, 2);
    CHECK(covers(&rg, dev.q[1].desc, 16u * 16));
    CHECK(covers(&rg, dev.q[1].device, 6u + 8u * 16));
    frame[0] = 42;
    CHECK_EQ(vn_net_tx(n, 0, frame, 100), 0);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(len, 100);
    CHECK_EQ(got[0], 42);

    /* without a callback the frames are dropped and counted */
    for (unsigned i = 0; i < 5; i++)
        CHECK_EQ(vn_net_tx(n, 0, frame, 100), 0);
    CHECK_EQ(vn_net_queue_reset(n, 1, NULL, NULL), 0);
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.reset_dropped, 6); /* five queued and one sent but not reaped */
    CHECK_EQ(st.reclaimed, 10);
    CHECK_EQ(st.queue_resets, 2);
    CHECK_EQ(vn_net_queue_enable(n, 1, 64), 0);
    CHECK_EQ(dev.q[1].size, 64);

    /* a reset the device never finishes: nothing reclaimed or freed, the queue stays */
    dev.reset_hangs = 1;
    CHECK_EQ(vn_net_tx(n, 0, frame, 100), 0);
    memset(&r, 0, sizeof r);
    CHECK_EQ(vn_net_queue_reset(n, 1, on_reclaim, &r), -ETIMEDOUT);
    CHECK_EQ(r.n, 0);
    CHECK(!vn_net_queue_is_reset(n, 1));
    CHECK_EQ(vn_net_tx_inflight(n, 0), 1);
    dev.reset_hangs = 0;
    dev.q[1].reset_reads = 0;
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_qreset_rx(void)
{
    static struct rec r;
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16};
    uint8_t a[80], b[90], big[1600] = {0}, got[2048];
    size_t rlen;
    struct vn_net_stats st;

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    memset(a, 0xa1, sizeof a);
    memset(b, 0xb2, sizeof b);
    struct ranges rg = {0};
    vn_net_queue_memory(n, 0, on_range, &rg);
    CHECK_EQ(rg.n, 2);
    CHECK(covers(&rg, dev.q[0].desc, 16u * 16));
    CHECK(covers(&rg, dev.q[0].driver, 6u + 2u * 16));
    CHECK(covers(&rg, dev.q[0].device, 6u + 8u * 16));
    rg.n = 0;
    vn_net_queue_memory(n, CTRLQ, on_range, &rg);
    CHECK_EQ(rg.n, 2); /* ring and command buffer */
    CHECK(covers(&rg, dev.q[CTRLQ].desc, 16u * 16));

    /* two frames received (and one chain handed back empty) that the driver has not taken */
    CHECK_EQ(dev_rx(0, a, sizeof a), 0);
    CHECK_EQ(dev_rx(0, big, sizeof big), 1);
    CHECK_EQ(dev_rx(0, b, sizeof b), 0);
    memset(&r, 0, sizeof r);
    unsigned kicks = dev.q[0].kicks;
    CHECK_EQ(vn_net_queue_reset(n, 0, on_reclaim, &r), 0);
    CHECK_EQ(r.n, 16);
    CHECK_EQ(r.order_bad, 0);
    CHECK(r.e[0].used && r.e[0].len == sizeof a && r.e[0].b0 == 0xa1);
    CHECK(r.e[1].used && r.e[1].len == sizeof b && r.e[1].b0 == 0xb2);
    unsigned empty = 0;
    for (unsigned i = 2; i < r.n; i++)
        empty += !r.e[i].used && r.e[i].len == 0 && r.e[i].vq == 0;
    CHECK_EQ(empty, 14);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), -ENODEV);
    rg.n = 0;
    vn_net_queue_memory(n, 0, on_range, &rg);
    CHECK_EQ(rg.n, 0);

    /* refilled and kicked at the new size */
    CHECK_EQ(vn_net_queue_enable(n, 0, 64), 0);
    CHECK_EQ(dev.q[0].size, 64);
    CHECK_EQ(dev.q[0].vector, 1);
    CHECK_EQ(mock_ring_avail_idx(&dev.q[0].ring), 64);
    CHECK_EQ(dev.q[0].kicks, kicks + 1);
    CHECK_EQ(dev_rx(0, a, sizeof a), 0);
    CHECK_EQ(vn_net_rx(n, 0, got, sizeof got, &rlen), 0);
    CHECK_EQ(rlen, sizeof a);

    /* no callback: a received frame is dropped (counted), empty buffers are just freed */
    CHECK_EQ(dev_rx(0, b, sizeof b), 0);
    CHECK_EQ(vn_net_queue_resize(n, 0, 32), 0);
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.reset_dropped, 1);
    CHECK_EQ(st.reclaimed, 16);
    CHECK_EQ(st.queue_resets, 2);
    CHECK_EQ(vn_net_ring_size(n, 0), 32);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

static void test_set_ring_sizes(void)
{
    static struct rec r;
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16, .queue_pairs = 2};
    uint8_t frame[64] = {7};
    struct vn_net_stats st;

    dev_init();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK_EQ(vn_net_tx(n, 0, frame, sizeof frame), 0);
    CHECK_EQ(vn_net_tx(n, 1, frame, sizeof frame), 0);
    /* bad sizes change nothing */
    CHECK_EQ(vn_net_set_ring_sizes(n, 24, 0, on_reclaim, &r), -EINVAL);
    CHECK_EQ(vn_net_set_ring_sizes(n, 0, 2 * QMAX, on_reclaim, &r), -EINVAL);
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.queue_resets, 0);

    memset(&r, 0, sizeof r);
    CHECK_EQ(vn_net_set_ring_sizes(n, 32, 64, on_reclaim, &r), 0);
    CHECK_EQ(r.order_bad, 0);
    /* pair by pair, TX then RX: 1 frame, 16 buffers, 1 frame, 16 buffers */
    CHECK_EQ(r.n, 34);
    CHECK(r.e[0].vq == 1 && !r.e[0].used && r.e[0].len == sizeof frame);
    CHECK(r.e[1].vq == 0 && r.e[16].vq == 0);
    CHECK(r.e[17].vq == 3 && r.e[18].vq == 2 && r.e[33].vq == 2);
    for (unsigned vq = 0; vq < 4; vq++) {
        CHECK_EQ(vn_net_ring_size(n, vq), vq & 1 ? 64 : 32);
        CHECK_EQ(dev.q[vq].size, vq & 1 ? 64 : 32);
        CHECK_EQ(dev.q[vq].enable, 1);
        CHECK_EQ(dev.q[vq].vector, 1 + vq);
    }
    CHECK_EQ(mock_ring_avail_idx(&dev.q[2].ring), 32);
    /* one direction only; a queue already reset is just re-enabled */
    CHECK_EQ(vn_net_queue_reset(n, 3, NULL, NULL), 0);
    CHECK_EQ(vn_net_set_ring_sizes(n, 0, 128, NULL, NULL), 0);
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.queue_resets, 4 + 2);
    CHECK_EQ(vn_net_ring_size(n, 0), 32);
    CHECK_EQ(vn_net_ring_size(n, 1), 128);
    CHECK_EQ(vn_net_ring_size(n, 3), 128);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* without RING_RESET */
    dev_init();
    o.features = ~BIT64(VN_F_RING_RESET);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_queue_reset(n, 0, NULL, NULL), -ENOTSUP);
        CHECK_EQ(vn_net_queue_enable(n, 0, 16), -ENOTSUP);
        CHECK_EQ(vn_net_set_ring_sizes(n, 16, 16, NULL, NULL), -ENOTSUP);
        CHECK_EQ(vn_net_ring_size(n, 0), 16);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

#define NEW_CTRL_FEATURES                                                                  \
    (BIT64(VN_F_CTRL_RX) | BIT64(VN_F_CTRL_RX_EXTRA) | BIT64(VN_F_CTRL_VLAN) |               \
     BIT64(VN_F_CTRL_MAC_ADDR) | BIT64(VN_F_GUEST_ANNOUNCE) | BIT64(VN_F_RSS) |              \
     BIT64(VN_F_CTRL_GUEST_OFFLOADS))
#define DATAPATH_FEATURES (BIT64(VN_F_CSUM) | BIT64(VN_F_GUEST_CSUM) | BIT64(VN_F_HASH_REPORT))

/* The command the device saw last: class, command, data. */
static void check_last(uint8_t cls, uint8_t cmd, const uint8_t *data, unsigned len)
{
    CHECK_EQ(dev.last_ctrl_len, 2 + len);
    CHECK_EQ(dev.last_ctrl[0], cls);
    CHECK_EQ(dev.last_ctrl[1], cmd);
    CHECK(len == 0 || memcmp(dev.last_ctrl + 2, data, len) == 0);
}

static void test_ctrl_commands(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16, .queue_pairs = 2, .use_irq = 1};

    dev_init();
    dev.offered |= NEW_CTRL_FEATURES | DATAPATH_FEATURES;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    /* all it knows: the control-queue features and those that change the header */
    CHECK_EQ(vn_net_driver_features(n) & NEW_CTRL_FEATURES, NEW_CTRL_FEATURES);
    CHECK_EQ(vn_net_driver_features(n) & DATAPATH_FEATURES, DATAPATH_FEATURES);
    CHECK_EQ(vn_net_hdr_len(n), VN_NET_HDR_HASH_LEN);
    unsigned cmds = dev.ctrl_cmds; /* VQ_PAIRS_SET at open */

    static const uint8_t on[1] = {1}, off[1] = {0};
    CHECK_EQ(vn_net_set_rx_mode(n, VN_CTRL_RX_PROMISC, 0), 0);
    check_last(VN_CTRL_CLASS_RX, VN_CTRL_RX_PROMISC, off, 1);
    CHECK_EQ(vn_net_set_rx_mode(n, VN_CTRL_RX_NOBCAST, 5), 0);
    check_last(VN_CTRL_CLASS_RX, VN_CTRL_RX_NOBCAST, on, 1);
    CHECK_EQ(vn_net_set_rx_mode(n, 42, 1), 0); /* sent: the device judges (this one says OK) */
    check_last(VN_CTRL_CLASS_RX, 42, on, 1);
    CHECK_EQ(vn_net_set_rx_mode(n, 0x100, 1), -EINVAL);

    static const uint8_t uni[2][6] = {{2, 1, 2, 3, 4, 5}, {2, 6, 7, 8, 9, 10}};
    static const uint8_t multi[1][6] = {{1, 0, 0x5e, 0, 0, 1}};
    uint8_t want[400];
    CHECK_EQ(vn_net_set_mac_table(n, uni, 2, multi, 1), 0);
    memset(want, 0, sizeof want);
    want[0] = 2;
    memcpy(want + 4, uni, 12);
    want[16] = 1;
    memcpy(want + 20, multi, 6);
    check_last(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, want, 26);
    CHECK_EQ(vn_net_set_mac_table(n, NULL, 0, NULL, 0), 0);
    memset(want, 0, 8);
    check_last(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, want, 8);
    CHECK_EQ(vn_net_set_mac_table(n, uni, 200, NULL, 0), -EINVAL); /* beyond the buffer */
    CHECK_EQ(vn_net_set_mac_table(n, NULL, 1, NULL, 0), -EINVAL);

    static const uint8_t mac[6] = {2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    uint8_t got[6];
    CHECK_EQ(vn_net_set_mac_addr(n, mac), 0);
    check_last(VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6);
    vn_net_mac(n, got);
    CHECK(memcmp(got, mac, 6) == 0);

    static const uint8_t v100[2] = {100, 0}, v4095[2] = {0xff, 0x0f};
    CHECK_EQ(vn_net_vlan(n, 1, 100), 0);
    check_last(VN_CTRL_CLASS_VLAN, VN_CTRL_VLAN_ADD, v100, 2);
    CHECK_EQ(vn_net_vlan(n, 0, 4095), 0);
    check_last(VN_CTRL_CLASS_VLAN, VN_CTRL_VLAN_DEL, v4095, 2);

    /* the largest RSS_CONFIG the device takes: 307 bytes of data */
    uint16_t table[128];
    uint8_t key[40];
    for (unsigned i = 0; i < 128; i++)
        table[i] = (uint16_t)(i & 1);
    for (unsigned i = 0; i < 40; i++)
        key[i] = (uint8_t)(0x40 + i);
    CHECK_EQ(vn_net_set_rss(n, 0x3f, table, 128, 1, key, 40), 0);
    memset(want, 0, sizeof want);
    want[0] = 0x3f;
    want[4] = 127;
    want[6] = 1;
    for (unsigned i = 0; i < 128; i++)
        want[8 + 2 * i] = (uint8_t)(i & 1);
    want[8 + 256] = 2; /* max_tx_vq: the pairs in use */
    want[8 + 258] = 40;
    memcpy(want + 8 + 259, key, 40);
    check_last(VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, want, 307);
    CHECK_EQ(vn_net_set_rss(n, 0x3f, table, 0, 0, key, 40), -EINVAL);
    CHECK_EQ(vn_net_set_rss(n, 0x3f, table, 1, 0, key, 256), -EINVAL);
    CHECK_EQ(vn_net_set_rss(n, 0x3f, table, 1, 0, NULL, 0), 0); /* no key */
    CHECK_EQ(dev.last_ctrl_len, 2 + 8 + 2 + 3);
    /* HASH_CONFIG: hash_types, 4 reserved le16, key length, key */
    CHECK_EQ(vn_net_set_hash_config(n, 0x3f, key, 40), 0);
    CHECK_EQ(dev.last_ctrl_len, 2 + 4 + 8 + 1 + 40);

    static const uint8_t zero8[8];
    CHECK_EQ(vn_net_set_guest_offloads(n, 0), 0);
    check_last(VN_CTRL_CLASS_GUEST_OFFLOADS, VN_CTRL_GUEST_OFFLOADS_SET, zero8, 8);
    CHECK_EQ(vn_net_announce_ack(n), 0);
    check_last(VN_CTRL_CLASS_ANNOUNCE, VN_CTRL_ANNOUNCE_ACK, NULL, 0);

    /* the device says ERR */
    dev.ctrl_ack = VN_CTRL_ERR;
    int errs = log_errors;
    CHECK_EQ(vn_net_vlan(n, 1, 4096), -EIO);
    CHECK_EQ(vn_net_set_rx_mode(n, VN_CTRL_RX_ALLUNI, 1), -EIO);
    CHECK_EQ(vn_net_set_mac_addr(n, uni[0]), -EIO);
    vn_net_mac(n, got);
    CHECK(memcmp(got, mac, 6) == 0); /* kept: the device did not take the new one */
    CHECK_EQ(log_errors, errs + 3);
    dev.ctrl_ack = VN_CTRL_OK;
    CHECK_EQ(dev.ctrl_cmds, cmds + 16);

    /* a config interrupt with ANNOUNCE is acknowledged; one without is not */
    mock_put(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2,
             VN_NET_S_LINK_UP | VN_NET_S_ANNOUNCE);
    mock.irq_pending = 0x1;
    CHECK_EQ(vn_net_poll(n), 0);
    check_last(VN_CTRL_CLASS_ANNOUNCE, VN_CTRL_ANNOUNCE_ACK, NULL, 0);
    CHECK_EQ(mock_get(mock.bar0, VN_DEVICE_BASE + VN_DEVICE_NET_STATUS, 2), VN_NET_S_LINK_UP);
    struct vn_net_stats st;
    vn_net_get_stats(n, &st);
    CHECK_EQ(st.announces, 1);
    mock.irq_pending = 0x1;
    CHECK_EQ(vn_net_poll(n), 0);
    CHECK_EQ(dev.ctrl_cmds, cmds + 17);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);

    /* not negotiated: -ENOTSUP, nothing sent */
    dev_init();
    o.features = ~NEW_CTRL_FEATURES;
    dev.offered |= NEW_CTRL_FEATURES;
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        cmds = dev.ctrl_cmds;
        CHECK_EQ(vn_net_set_rx_mode(n, VN_CTRL_RX_PROMISC, 0), -ENOTSUP);
        CHECK_EQ(vn_net_set_rx_mode(n, VN_CTRL_RX_NOUNI, 0), -ENOTSUP);
        CHECK_EQ(vn_net_set_mac_table(n, uni, 2, NULL, 0), -ENOTSUP);
        CHECK_EQ(vn_net_set_mac_addr(n, mac), -ENOTSUP);
        CHECK_EQ(vn_net_vlan(n, 1, 1), -ENOTSUP);
        CHECK_EQ(vn_net_announce_ack(n), -ENOTSUP);
        CHECK_EQ(vn_net_set_rss(n, 1, table, 1, 0, key, 40), -ENOTSUP);
        CHECK_EQ(vn_net_set_guest_offloads(n, 0), -ENOTSUP);
        CHECK_EQ(dev.ctrl_cmds, cmds);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

/* RING_PACKED: only when the caller's mask has it; then every queue, control included,
 * is packed, the data path and queue reset work as on split rings, and a
 * NOTIFICATION_DATA doorbell carries the packed next_off / next_wrap. */
static void test_packed(void)
{
    static struct rec r;
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 8, .use_irq = 1};
    uint8_t frame[200], got[2048], hdr[12];
    unsigned len, nseg;
    size_t rlen;

    /* all it knows, by default: split even when the device offers packed */
    dev_init();
    dev.offered |= BIT64(VN_F_NOTIFICATION_DATA);
    CHECK(vn_net_known_features() & BIT64(VN_F_RING_PACKED));
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (n) {
        CHECK_EQ(vn_net_driver_features(n) & BIT64(VN_F_RING_PACKED), 0);
        CHECK(!vn_vq_is_packed(vn_net_vq(n, 0)));
        CHECK(!dev.q[0].packed);
        vn_net_close(n);
    }
    CHECK_EQ(mock_tr_fini(&mock), 0);

    dev_init();
    dev.offered |= BIT64(VN_F_NOTIFICATION_DATA);
    o.features = vn_net_known_features();
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK(vn_net_driver_features(n) & BIT64(VN_F_RING_PACKED));
    CHECK(vn_vq_is_packed(vn_net_vq(n, 0)));
    CHECK(vn_vq_is_packed(vn_net_vq(n, 1)));
    CHECK(dev.q[0].packed && dev.q[1].packed && dev.q[CTRLQ].packed);
    CHECK_EQ(dev.q[1].device - dev.q[1].driver, 4);
    /* RX ring full, its doorbell after a whole lap: slot 0, wrap counter 0 */
    CHECK_EQ(mock_pring_pending(&dev.q[0].pring), 8);
    CHECK_EQ(dev.q[0].kicks, 1);
    CHECK_EQ(dev.q[0].notify, 0);
    /* the control queue: a command and its ack */
    unsigned cmds = dev.ctrl_cmds;
    CHECK_EQ(vn_net_set_queue_pairs(n, 1), 0);
    CHECK_EQ(dev.ctrl_cmds, cmds + 1);
    CHECK_EQ(dev.last_ctrl[1], VN_CTRL_MQ_VQ_PAIRS_SET);

    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 3 + 1);
    /* TX: vq 1 | next_off 1 << 16 | wrap 1 << 31 */
    CHECK_EQ(vn_net_tx(n, 0, frame, 60), 0);
    CHECK_EQ(dev.q[1].notify, 1u | 1u << 16 | 1u << 31);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(len, 60);
    CHECK(memcmp(got, frame, 60) == 0);
    /* laps of both rings, so the wrap counters flip */
    unsigned bad = 0;
    for (unsigned i = 1; i < 20; i++) {
        frame[0] = (uint8_t)i;
        if (vn_net_tx(n, 0, frame, 60 + i) || dev_tx(0, got, &len, &nseg, hdr) ||
            len != 60 + i || memcmp(got, frame, len))
            bad++;
        if (dev_rx(0, frame, 100 + i) || vn_net_rx(n, 0, got, sizeof got, &rlen) ||
            rlen != 100 + i || memcmp(got, frame, rlen))
            bad++;
    }
    CHECK_EQ(bad, 0);
    /* 20 descriptors through an 8-slot ring: slot 4, two flips back to wrap 1 */
    CHECK_EQ(dev.q[1].notify, 1u | 4u << 16 | 1u << 31);
    CHECK_EQ(vn_net_poll(n), 0);
    CHECK_EQ(vn_net_tx_inflight(n, 0), 0);
    CHECK_EQ(mock_pring_pending(&dev.q[0].pring), 8);

    /* queue reset: one frame sent, two never; the new ring starts from wrap 1 again */
    for (unsigned i = 0; i < 3; i++) {
        frame[0] = (uint8_t)(0xa0 + i);
        CHECK_EQ(vn_net_tx(n, 0, frame, 50), 0);
    }
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(vn_net_queue_reset(n, 1, on_reclaim, &r), 0);
    CHECK_EQ(r.n, 3);
    CHECK_EQ(r.order_bad, 0);
    /* the sent one first; the others in no particular order */
    unsigned seen = 0;
    for (unsigned i = 0; i < r.n && i < 3; i++) {
        CHECK_EQ(r.e[i].used, i == 0);
        CHECK_EQ(r.e[i].len, 50);
        if (r.e[i].b0 >= 0xa0 && r.e[i].b0 < 0xa3)
            seen |= 1u << (r.e[i].b0 - 0xa0);
    }
    CHECK_EQ(r.e[0].b0, 0xa0);
    CHECK_EQ(seen, 0x7);
    struct ranges rg = {0};
    CHECK_EQ(vn_net_queue_enable(n, 1, 16), 0);
    CHECK(dev.q[1].packed);
    vn_net_queue_memory(n, 1, on_range, &rg);
    CHECK(covers(&rg, dev.q[1].desc, 16u * 16));
    CHECK(covers(&rg, dev.q[1].device, 4));
    CHECK_EQ(rg.len[0], 16u * 16 + 8);
    CHECK_EQ(vn_net_tx(n, 0, frame, 70), 0);
    CHECK_EQ(dev.q[1].notify, 1u | 1u << 16 | 1u << 31);
    CHECK_EQ(dev_tx(0, got, &len, &nseg, hdr), 0);
    CHECK_EQ(len, 70);
    vn_net_close(n);
    CHECK_EQ(mock.dma_live, 0);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

/* RSS without MQ: the control queue is still at 2 * max_virtqueue_pairs (5.1.2), the
 * pairs are set up, and no VQ_PAIRS_SET is sent; RSS_CONFIG spreads the frames. */
static void test_rss_without_mq(void)
{
    struct vn_net *n;
    struct vn_net_opts o = {.ring_size = 16, .queue_pairs = 3, .features = ~BIT64(VN_F_MQ)};

    dev_init();
    dev.offered |= BIT64(VN_F_RSS);
    CHECK_EQ(vn_net_open(&mock.tr, &o, &n), 0);
    if (!n)
        return;
    CHECK_EQ(vn_net_driver_features(n) & (BIT64(VN_F_MQ) | BIT64(VN_F_RSS) | BIT64(VN_F_CTRL_VQ)),
             BIT64(VN_F_RSS) | BIT64(VN_F_CTRL_VQ));
    CHECK_EQ(vn_net_queue_pairs(n), 3);
    CHECK(dev.q[CTRLQ].enable && dev.q[5].enable && !dev.q[2 * 3].enable);
    CHECK_EQ(dev.ctrl_cmds, 0);
    static const uint16_t table[4] = {0, 1, 2, 0};
    CHECK_EQ(vn_net_set_rss(n, 0x3, table, 4, 0, NULL, 0), 0);
    CHECK_EQ(dev.last_ctrl[0], VN_CTRL_CLASS_MQ);
    CHECK_EQ(dev.last_ctrl[1], VN_CTRL_MQ_RSS_CONFIG);
    CHECK_EQ(mock_get(dev.last_ctrl, 2 + 8 + 8, 2), 3); /* max_tx_vq */
    vn_net_close(n);
    CHECK_EQ(mock_tr_fini(&mock), 0);
}

int main(void)
{
    vn_log_set(count_log, NULL);
    test_bringup();
    test_datapath(0);
    test_datapath(1);
    test_mq();
    test_refusals();
    test_resize();
    test_qreset_tx();
    test_qreset_rx();
    test_set_ring_sizes();
    test_mrg();
    test_ctrl_commands();
    test_rss_without_mq();
    test_packed();
    return check_report();
}
