/* vdpa_dev.c: bring-up, per-queue start/stop and the control queue of a vionic function
 * whose data rings belong to someone else.  See vdpa_dev.h. */
#include "vdpa_dev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_pci.h"
#include "vn_vq.h"

#define BIT64(b) (UINT64_C(1) << (b))
#define RESET_TIMEOUT_NS 10000000u /* device time */
#define CTRL_TIMEOUT_NS 10000000u
#define CTRL_POLL_NS 100u
#define CTRL_RING 16u
#define CTRL_BUF_LEN 64u
#define CTRL_ACK_OFF 32u
#define MAX_VECTORS 64u

struct vdpa_dev {
    struct vn_tr *tr;
    struct vn_pci pci;
    uint64_t dev_features, front_features, negotiated;
    unsigned max_pairs, num_queues, pairs;
    uint8_t mac[6];
    bool up, msix;
    struct vn_vq *ctrl;
    uint16_t ctrl_index;
    struct vn_dma ctrl_buf;
    struct {
        bool live;
        struct vdpa_qcfg cfg;
    } q[VDPA_MAX_QUEUES];
    uint64_t irq_pending;
};

static bool has(uint64_t f, unsigned bit) { return (f >> bit) & 1u; }

uint64_t vdpa_dev_device_features(const struct vdpa_dev *d) { return d->dev_features; }
unsigned vdpa_dev_max_pairs(const struct vdpa_dev *d) { return d->max_pairs; }
bool vdpa_dev_is_up(const struct vdpa_dev *d) { return d->up; }
int vdpa_dev_status(struct vdpa_dev *d, uint8_t *st) { return vn_pci_get_device_status(&d->pci, st); }
void vdpa_dev_mac(const struct vdpa_dev *d, uint8_t mac[6]) { memcpy(mac, d->mac, 6); }
void vdpa_dev_set_features(struct vdpa_dev *d, uint64_t f) { d->front_features = f; }

bool vdpa_dev_queue_live(const struct vdpa_dev *d, unsigned q)
{
    return q < VDPA_MAX_QUEUES && d->q[q].live;
}

unsigned vdpa_dev_ring_max(const struct vdpa_dev *d, unsigned q)
{
    uint16_t v = 0;
    struct vn_pci *p = (struct vn_pci *)&d->pci;
    if (vn_pci_set_queue_select(p, (uint16_t)q) || vn_pci_get_queue_size(p, &v))
        return 0;
    return v;
}

int vdpa_dev_link_status(struct vdpa_dev *d, uint16_t *status)
{
    uint32_t v;
    int rc = vn_pci_device_read(&d->pci, VN_DEVICE_NET_STATUS, VN_DEVICE_NET_STATUS_SIZE, &v);
    if (!rc)
        *status = (uint16_t)v;
    return rc;
}

static void free_ctrl(struct vdpa_dev *d)
{
    if (d->ctrl)
        vn_vq_destroy(d->ctrl);
    d->ctrl = NULL;
    if (d->ctrl_buf.va)
        vn_tr_dma_free(d->tr, &d->ctrl_buf);
    d->ctrl_buf.va = NULL;
}

int vdpa_dev_reset(struct vdpa_dev *d)
{
    int rc = vn_pci_reset(&d->pci, RESET_TIMEOUT_NS);
    for (unsigned i = 0; i < VDPA_MAX_QUEUES; i++)
        d->q[i].live = false;
    free_ctrl(d);
    d->up = false;
    d->pairs = 0;
    d->irq_pending = 0;
    if (rc)
        vn_log(VN_LOG_ERR, "vdpa: device reset failed: %d", rc);
    return rc;
}

int vdpa_dev_open(struct vn_tr *tr, struct vdpa_dev **out)
{
    struct vdpa_dev *d = calloc(1, sizeof *d);
    uint16_t nq;
    uint32_t v;
    int rc;

    *out = NULL;
    if (!d)
        return -ENOMEM;
    d->tr = tr;
    if ((rc = vn_pci_probe(tr, &d->pci))) {
        vn_log(VN_LOG_ERR, "vdpa: not a modern virtio device: %d", rc);
        goto fail;
    }
    d->pci.poll_ns = 40;
    if ((rc = vn_pci_enable(&d->pci)) || (rc = vn_pci_reset(&d->pci, RESET_TIMEOUT_NS)) ||
        (rc = vn_pci_add_status(&d->pci, VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER)) ||
        (rc = vn_pci_read_device_features(&d->pci, &d->dev_features)) ||
        (rc = vn_pci_get_num_queues(&d->pci, &nq)))
        goto fail;
    if (!has(d->dev_features, VN_F_VERSION_1)) {
        vn_log(VN_LOG_ERR, "vdpa: device does not offer VERSION_1");
        rc = -ENOTSUP;
        goto fail;
    }
    d->max_pairs = 1;
    if (has(d->dev_features, VN_F_MQ)) {
        if ((rc = vn_pci_device_read(&d->pci, VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS,
                                     VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE, &v)))
            goto fail;
        d->max_pairs = v ? v : 1;
    }
    if (2 * d->max_pairs > VDPA_MAX_QUEUES || nq < 2 * d->max_pairs) {
        vn_log(VN_LOG_ERR, "vdpa: %u pairs but %u queues", d->max_pairs, nq);
        rc = -ENOTSUP;
        goto fail;
    }
    d->num_queues = nq;
    if (has(d->dev_features, VN_F_MAC) &&
        (rc = vn_pci_device_read_bytes(&d->pci, VN_DEVICE_NET_MAC, d->mac, 6)))
        goto fail;
    if ((rc = vn_pci_reset(&d->pci, RESET_TIMEOUT_NS)))
        goto fail;
    *out = d;
    return 0;
fail:
    free(d);
    return rc;
}

void vdpa_dev_close(struct vdpa_dev *d)
{
    if (!d)
        return;
    if (vdpa_dev_reset(d) || vn_pci_disable(&d->pci))
        vn_log(VN_LOG_WARN, "vdpa: device did not close cleanly");
    free(d);
}

/* ---- bring-up ------------------------------------------------------------------------- */

static int ctrl_cmd(struct vdpa_dev *d, uint8_t cls, uint8_t cmd, const void *data, unsigned len)
{
    unsigned char *b = d->ctrl_buf.va;
    uint32_t used_len;
    int rc;

    if (!d->ctrl)
        return -ENOTSUP;
    b[0] = cls;
    b[1] = cmd;
    memcpy(b + 2, data, len);
    b[CTRL_ACK_OFF] = 0xff;
    struct vn_vq_seg out = {d->ctrl_buf.iova, 2 + len};
    struct vn_vq_seg in = {d->ctrl_buf.iova + CTRL_ACK_OFF, 1};
    if ((rc = vn_vq_add(d->ctrl, &out, 1, &in, 1, b, NULL)) ||
        (rc = vn_pci_notify(&d->pci, d->ctrl_index, d->ctrl_index)))
        return rc;
    for (uint64_t t = 0; t < CTRL_TIMEOUT_NS; t += CTRL_POLL_NS) {
        rc = vn_vq_get_used(d->ctrl, &used_len, NULL, NULL);
        if (rc != -EAGAIN)
            break;
        vn_tr_delay(d->tr, CTRL_POLL_NS);
    }
    if (rc)
        return rc == -EAGAIN ? -ETIMEDOUT : rc;
    return b[CTRL_ACK_OFF] == VN_CTRL_OK ? 0 : -EIO;
}

static int program_queue(struct vdpa_dev *d, unsigned q, const struct vdpa_qcfg *c, uint16_t vec)
{
    struct vn_pci *p = &d->pci;
    uint16_t rb;
    int rc;

    if ((rc = vn_pci_set_queue_select(p, (uint16_t)q)) ||
        (rc = vn_pci_set_queue_size(p, (uint16_t)c->size)) ||
        (rc = vn_pci_set_queue_desc(p, c->desc)) || (rc = vn_pci_set_queue_driver(p, c->avail)) ||
        (rc = vn_pci_set_queue_device(p, c->used)))
        return rc;
    if (d->msix) {
        if ((rc = vn_pci_set_queue_msix_vector(p, vec)) || (rc = vn_pci_get_queue_msix_vector(p, &rb)))
            return rc;
        if (rb != vec)
            vn_log(VN_LOG_WARN, "vdpa: queue %u refused vector %u", q, vec);
    }
    /* vionic's set_vq_state: the ring's indices start where the front-end says (a vhost
     * restart after GET_VRING_BASE).  queue_select is still q. */
    if (c->base && (rc = vn_tr_bar_write(d->tr, 0, VN_VENDOR_BASE + VN_VENDOR_VND_QUEUE_BASE, 4,
                                         c->base)))
        return rc;
    if ((rc = vn_pci_set_queue_enable(p, 1)) || (rc = vn_pci_get_queue_enable(p, &rb)))
        return rc;
    return rb == 1 ? 0 : -EIO;
}

static int setup_ctrl(struct vdpa_dev *d)
{
    int rc;

    d->ctrl_index = (uint16_t)(2 * d->max_pairs);
    /* in the layout the data queues have: the device takes one for all */
    if ((rc = vn_vq_create_ex(d->tr, CTRL_RING,
                              has(d->negotiated, VN_F_RING_PACKED) ? VN_VQ_PACKED : 0,
                              &d->ctrl)))
        return rc;
    if ((rc = vn_tr_dma_alloc(d->tr, CTRL_BUF_LEN, &d->ctrl_buf))) {
        d->ctrl_buf.va = NULL;
        return rc;
    }
    /* The bridge polls the control queue: it wants no interrupt from it. */
    vn_vq_disable_cb(d->ctrl);
    struct vdpa_qcfg c = {CTRL_RING, vn_vq_desc_iova(d->ctrl), vn_vq_driver_iova(d->ctrl),
                          vn_vq_device_iova(d->ctrl), 0};
    return program_queue(d, d->ctrl_index, &c, VN_MSIX_NO_VECTOR);
}

static int bring_up(struct vdpa_dev *d)
{
    struct vn_pci *p = &d->pci;
    uint8_t st;
    int rc;

    uint64_t want = d->front_features & d->dev_features;
    want &= ~BIT64(30); /* VHOST_USER_F_PROTOCOL_FEATURES is the front-end's, not virtio's */
    want |= d->dev_features & (BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) |
                               BIT64(VN_F_RING_RESET));
    if (has(d->dev_features, VN_F_CTRL_VQ) && has(d->dev_features, VN_F_MQ))
        want |= BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ);
    else
        want &= ~(BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ));
    if ((rc = vn_pci_reset(p, RESET_TIMEOUT_NS)) ||
        (rc = vn_pci_add_status(p, VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER)) ||
        (rc = vn_pci_write_driver_features(p, want)) ||
        (rc = vn_pci_add_status(p, VN_STATUS_FEATURES_OK)) || (rc = vn_pci_get_device_status(p, &st)))
        return rc;
    if (!(st & VN_STATUS_FEATURES_OK)) {
        vn_log(VN_LOG_ERR, "vdpa: device refused features 0x%016llx", (unsigned long long)want);
        return -ENOTSUP;
    }
    d->negotiated = want;
    unsigned nvec = 1 + 2 * d->max_pairs;
    if (nvec > MAX_VECTORS)
        nvec = MAX_VECTORS;
    d->msix = vn_tr_irq_setup(d->tr, nvec) == 0;
    if (d->msix && (rc = vn_pci_set_config_msix_vector(p, VDPA_CONFIG_VECTOR)))
        return rc;
    if (has(want, VN_F_CTRL_VQ) && (rc = setup_ctrl(d)))
        return rc;
    if ((rc = vn_pci_add_status(p, VN_STATUS_DRIVER_OK)))
        return rc;
    d->up = true;
    d->pairs = 1;
    vn_log(VN_LOG_INFO, "vdpa: device up, features 0x%016llx, %u pairs max",
           (unsigned long long)want, d->max_pairs);
    return 0;
}

/* ---- queues ----------------------------------------------------------------------------- */

int vdpa_dev_queue_start(struct vdpa_dev *d, unsigned q, const struct vdpa_qcfg *cfg)
{
    int rc;

    if (q >= 2 * d->max_pairs)
        return -EINVAL;
    if (cfg->size == 0 || (cfg->size & (cfg->size - 1)) || cfg->size > vdpa_dev_ring_max(d, q))
        return -EINVAL;
    if (d->q[q].live)
        return 0;
    if (!d->up && (rc = bring_up(d))) {
        if (vdpa_dev_reset(d))
            vn_log(VN_LOG_ERR, "vdpa: reset after a failed bring-up failed too");
        return rc;
    }
    uint16_t vec = (uint16_t)vdpa_dev_queue_vector(q);
    if (!d->msix || vec >= MAX_VECTORS)
        vec = VN_MSIX_NO_VECTOR;
    if ((rc = program_queue(d, q, cfg, vec))) {
        vn_log(VN_LOG_ERR, "vdpa: queue %u did not start: %d", q, rc);
        return rc;
    }
    d->q[q].cfg = *cfg;
    d->q[q].live = true;
    /* Buffers made available before the start get no doorbell of their own. */
    return vn_pci_notify(&d->pci, (uint16_t)q, (uint16_t)q);
}

int vdpa_dev_queue_stop(struct vdpa_dev *d, unsigned q)
{
    int rc;

    if (q >= VDPA_MAX_QUEUES || !d->q[q].live)
        return -EALREADY;
    if (has(d->negotiated, VN_F_RING_RESET)) {
        rc = vn_pci_queue_reset(&d->pci, (uint16_t)q, RESET_TIMEOUT_NS);
    } else {
        rc = vdpa_dev_reset(d); /* the only way to stop one queue without the feature */
    }
    d->q[q].live = false;
    return rc;
}

int vdpa_dev_kick(struct vdpa_dev *d, unsigned q)
{
    if (q >= VDPA_MAX_QUEUES || !d->q[q].live)
        return -ENODEV;
    return vn_pci_notify(&d->pci, (uint16_t)q, (uint16_t)q);
}

int vdpa_dev_set_pairs(struct vdpa_dev *d, unsigned n)
{
    if (!d->up || n == d->pairs || n == 0 || n > d->max_pairs)
        return 0;
    uint8_t v[2] = {(uint8_t)n, (uint8_t)(n >> 8)};
    int rc = ctrl_cmd(d, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, v, sizeof v);
    if (rc) {
        vn_log(VN_LOG_ERR, "vdpa: VQ_PAIRS_SET %u failed: %d", n, rc);
        return rc;
    }
    d->pairs = n;
    vn_log(VN_LOG_INFO, "vdpa: RX steering over %u pairs", n);
    return 0;
}

uint64_t vdpa_dev_take_irqs(struct vdpa_dev *d)
{
    uint64_t fired = 0;
    if (d->msix && vn_tr_irq_wait(d->tr, 0, &fired))
        fired = 0;
    return fired;
}
