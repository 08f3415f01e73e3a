/* vn_net: user-space virtio-net driver over vn_pci and vn_vq (virtio 1.2 sections 3.1
 * and 5.1). */
#include "vn_net.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_pci.h"
#include "vn_vq.h"

#define BIT64(n) (UINT64_C(1) << (n))

/* Everything this driver knows how to use; later features join here.  Not yet CSUM,
 * GUEST_CSUM or HASH_REPORT: they change the header and the checksum duties of the data
 * path, which still sends and expects the plain 12-byte header with flags 0. */
#define NET_KNOWN_FEATURES                                                                  \
    (BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) | BIT64(VN_F_MAC) |                 \
     BIT64(VN_F_STATUS) | BIT64(VN_F_MTU) | BIT64(VN_F_CTRL_VQ) | BIT64(VN_F_MQ) |             \
     BIT64(VN_F_RING_RESET) | BIT64(VN_F_MRG_RXBUF) | BIT64(VN_F_NOTF_COAL) |                  \
     BIT64(VN_F_VQ_NOTF_COAL) | BIT64(VN_F_INDIRECT_DESC) | BIT64(VN_F_SPEED_DUPLEX) |    \
     BIT64(VN_F_NOTIFICATION_DATA) | BIT64(VN_F_CSUM) | BIT64(VN_F_GUEST_CSUM) |             \
     BIT64(VN_F_HASH_REPORT) | BIT64(VN_F_CTRL_RX) | BIT64(VN_F_CTRL_RX_EXTRA) |     \
     BIT64(VN_F_CTRL_VLAN) | BIT64(VN_F_CTRL_MAC_ADDR) | BIT64(VN_F_GUEST_ANNOUNCE) |      \
     BIT64(VN_F_RSS) | BIT64(VN_F_CTRL_GUEST_OFFLOADS) | BIT64(VN_F_EVENT_IDX) |            \
     BIT64(VN_F_RING_PACKED))

/* Known but taken only when the caller's opts.features asks for them: packed rings are
 * new in the device, so split stays what a driver gets by default. */
#define NET_OPT_IN_FEATURES BIT64(VN_F_RING_PACKED)

/* Features that are only control-queue commands: nothing without CTRL_VQ (5.1.3.1). */
#define NET_NEEDS_CTRL_VQ                                                                   \
    (BIT64(VN_F_MQ) | BIT64(VN_F_NOTF_COAL) | BIT64(VN_F_VQ_NOTF_COAL) |                     \
     BIT64(VN_F_CTRL_RX) | BIT64(VN_F_CTRL_RX_EXTRA) | BIT64(VN_F_CTRL_VLAN) |               \
     BIT64(VN_F_CTRL_MAC_ADDR) | BIT64(VN_F_GUEST_ANNOUNCE) | BIT64(VN_F_RSS) |              \
     BIT64(VN_F_HASH_REPORT) | BIT64(VN_F_CTRL_GUEST_OFFLOADS))

/* The device drops frames above this (docs/architecture.md, vq_engines TX). */
#define TX_MAX_FRAME 2048u
#define TX_SLOT_LEN ((VN_NET_HDR_HASH_LEN + TX_MAX_FRAME + 63u) & ~63u)
#define RX_FRAME_DEFAULT 1514u /* the header + this: 1526 bytes (5.1.6.3), 1534 with HASH_REPORT */
#define RX_BUF_MAX 65562u    /* header + the largest GSO frame (5.1.6.3) */
#define CTRL_RING_SIZE 16u
/* Control command buffer: class, command and data first (an RSS_CONFIG with a 128-entry
 * table and a 40-byte key is 309 bytes, a MAC table of 100 addresses 610); the
 * device-writable part lives apart so that the device-readable and device-writable parts
 * never share a descriptor: a command's reply data, then the ack. */
#define CTRL_CMD_MAX 1024u
#define CTRL_REPLY_OFF CTRL_CMD_MAX
#define CTRL_REPLY_MAX 32u
#define CTRL_ACK_OFF (CTRL_REPLY_OFF + CTRL_REPLY_MAX)
#define CTRL_BUF_LEN (CTRL_ACK_OFF + 64u)

/* vn_tr_irq_wait reports vectors in a 64-bit mask: beyond that queues share vectors
 * (vector 0 stays the config vector's alone). */
#define NET_MAX_VECTORS 64u
static uint16_t queue_vector(unsigned i) { return (uint16_t)(1 + i % (NET_MAX_VECTORS - 1)); }

#define RESET_TIMEOUT_NS 10000000u /* 10 ms of device time */
#define CTRL_TIMEOUT_NS 10000000u
#define POLL_STEP_NS 1000u

struct net_q {
    struct vn_vq *vq;
    uint16_t index;
    uint16_t notify_off;
    uint16_t vector;
    struct vn_dma bufs; /* RX: one buffer per ring entry; TX: one slot per ring entry */
    unsigned slot_len;    /* stride between buffers */
    unsigned buf_len;     /* bytes the device may use in one */
    unsigned *free_slots; /* TX only: stack of unused slots */
    unsigned n_free_slots;
    uint32_t *tx_len;     /* TX only: length of the frame queued in each slot */
    unsigned max_size;    /* queue_size at bring-up: the largest ring the device takes */
    unsigned last_size;   /* ring size when the queue was last reset */
    bool reset;           /* reset by the driver and not re-enabled: out of use */
};

struct vn_net {
    struct vn_tr *tr;
    struct vn_pci pci;
    struct vn_net_opts opts;
    uint64_t dev_features, drv_features;
    unsigned hdr_len; /* the net header: 12 bytes, 20 with HASH_REPORT (5.1.6) */
    unsigned max_pairs, pairs;
    struct net_q *q; /* 2 * pairs data queues: even RX, odd TX */
    bool has_ctrl;
    struct net_q ctrl;
    struct vn_dma ctrl_buf;
    uint8_t mac[6];
    uint16_t mtu, link_status;
    bool enabled; /* BAR decoding on: the device can be reset */
    bool msix;
    struct vn_net_stats st;
};

static bool has(uint64_t features, unsigned bit)
{
    return (features >> bit) & 1;
}

static struct net_q *rxq(struct vn_net *n, unsigned qp) { return &n->q[2 * qp]; }
static struct net_q *txq(struct vn_net *n, unsigned qp) { return &n->q[2 * qp + 1]; }

/* ---- queues ------------------------------------------------------------------------- */

/* queue_size of a queue before it is enabled: the largest ring the device takes (it reads
 * the maximum at bring-up and again after a queue reset). */
static int queue_max(struct vn_net *n, uint16_t index, unsigned *max)
{
    uint16_t v;
    int rc;

    if ((rc = vn_pci_set_queue_select(&n->pci, index)) || (rc = vn_pci_get_queue_size(&n->pci, &v)))
        return rc;
    if (v == 0) {
        vn_log(VN_LOG_ERR, "net: queue %u does not exist (queue_size reads 0)", index);
        return -ENODEV;
    }
    *max = v;
    return 0;
}

/* Split rings need a power of two; packed ones any size up to the maximum (2.8). */
static int check_size(unsigned index, unsigned size, unsigned max, bool packed)
{
    if (size == 0 || size > max || (!packed && (size & (size - 1)))) {
        vn_log(VN_LOG_ERR, "net: queue %u: size %u (device maximum %u%s)", index, size, max,
               packed ? "" : ", power of two needed");
        return -EINVAL;
    }
    return 0;
}

/* Hand the device q's ring (4.1.5.1.3): size, addresses and vector, each read back where
 * the device may refuse it, then queue_enable last. */
static int program_queue(struct vn_net *n, struct net_q *q)
{
    struct vn_pci *p = &n->pci;
    unsigned size = vn_vq_size(q->vq);
    uint16_t v;
    int rc;

    if ((rc = vn_pci_set_queue_select(p, q->index)) ||
        (rc = vn_pci_set_queue_size(p, (uint16_t)size)) || (rc = vn_pci_get_queue_size(p, &v)))
        return rc;
    if (v != size) {
        vn_log(VN_LOG_ERR, "net: queue %u: wrote queue_size %u, reads %u", q->index, size, v);
        return -EIO;
    }
    if ((rc = vn_pci_set_queue_desc(p, vn_vq_desc_iova(q->vq))) ||
        (rc = vn_pci_set_queue_driver(p, vn_vq_driver_iova(q->vq))) ||
        (rc = vn_pci_set_queue_device(p, vn_vq_device_iova(q->vq))) ||
        (rc = vn_pci_set_queue_msix_vector(p, q->vector)) ||
        (rc = vn_pci_get_queue_msix_vector(p, &v)))
        return rc;
    if (v != q->vector) {
        vn_log(VN_LOG_ERR, "net: queue %u: vector %u not accepted (reads 0x%x)", q->index,
               q->vector, v);
        return -EBUSY;
    }
    if ((rc = vn_pci_get_queue_notify_off(p, &q->notify_off)) ||
        (rc = vn_pci_notify_check(p, q->notify_off)))
        return rc;
    if ((rc = vn_pci_set_queue_enable(p, 1)) || (rc = vn_pci_get_queue_enable(p, &v)))
        return rc;
    if (v != 1) {
        vn_log(VN_LOG_ERR, "net: queue %u: device did not enable it", q->index);
        return -EIO;
    }
    return 0;
}

static int alloc_bufs(struct vn_net *n, struct net_q *q, unsigned buf_len, bool tx)
{
    unsigned size = vn_vq_size(q->vq);
    int rc;

    /* Cache-line strides: the device writes 64-byte beats, so aligned buffers cost it
     * no partial writes at their start. */
    q->buf_len = buf_len;
    q->slot_len = (buf_len + 63u) & ~63u;
    if ((rc = vn_tr_dma_alloc(n->tr, (size_t)size * q->slot_len, &q->bufs))) {
        q->bufs.va = NULL;
        vn_log(VN_LOG_ERR, "net: queue %u: no DMA memory for %u buffers: %d", q->index, size, rc);
        return rc;
    }
    if (tx) {
        q->free_slots = malloc(sizeof *q->free_slots * size);
        q->tx_len = calloc(size, sizeof *q->tx_len);
        if (!q->free_slots || !q->tx_len)
            return -ENOMEM;
        for (unsigned i = 0; i < size; i++)
            q->free_slots[i] = size - 1 - i;
        q->n_free_slots = size;
    }
    return 0;
}

static void free_queue(struct vn_net *n, struct net_q *q)
{
    vn_vq_destroy(q->vq);
    q->vq = NULL;
    if (q->bufs.va)
        vn_tr_dma_free(n->tr, &q->bufs);
    q->bufs.va = NULL;
    free(q->free_slots);
    q->free_slots = NULL;
    free(q->tx_len);
    q->tx_len = NULL;
    q->n_free_slots = 0;
}

/* Every queue in the layout the features say: the device takes one for all (2.8). */
static unsigned vq_flags(const struct vn_net *n)
{
    return (has(n->drv_features, VN_F_EVENT_IDX) ? VN_VQ_EVENT_IDX : 0) |
           (has(n->drv_features, VN_F_RING_PACKED) ? VN_VQ_PACKED : 0);
}

static int kick(struct vn_net *n, struct net_q *q)
{
    if (!vn_vq_kick_prepare(q->vq))
        return 0;
    if (has(n->drv_features, VN_F_NOTIFICATION_DATA))
        /* next_off | next_wrap << 15 (4.1.5.2): the avail idx of a split ring, the next
         * slot and wrap counter of a packed one -- vn_vq_avail_idx gives either */
        return vn_pci_notify_data(&n->pci, q->notify_off,
                                  q->index | (uint32_t)vn_vq_avail_idx(q->vq) << 16);
    return vn_pci_notify(&n->pci, q->notify_off, q->index);
}

static unsigned slot_of(const struct net_q *q, const void *cookie)
{
    return (unsigned)(((const unsigned char *)cookie - (const unsigned char *)q->bufs.va) /
                      q->slot_len);
}

/* Every chain of the queue in an indirect table, when asked for and negotiated. */
static int use_indirect(const struct vn_net *n, struct net_q *q)
{
    if (!n->opts.indirect || !has(n->drv_features, VN_F_INDIRECT_DESC))
        return 0;
    return vn_vq_set_indirect(q->vq, 4);
}

static int rx_post(struct net_q *q, unsigned slot)
{
    struct vn_vq_seg s = {q->bufs.iova + (uint64_t)slot * q->slot_len, q->buf_len};
    void *va = (unsigned char *)q->bufs.va + (size_t)slot * q->slot_len;
    return vn_vq_add(q->vq, NULL, 0, &s, 1, va, NULL);
}

static int tx_reap(struct net_q *q)
{
    void *cookie;
    int rc;

    while ((rc = vn_vq_get_used(q->vq, NULL, &cookie, NULL)) == 0)
        q->free_slots[q->n_free_slots++] = slot_of(q, cookie);
    return rc == -EAGAIN ? 0 : rc;
}

/* ---- control queue ------------------------------------------------------------------ */

/* A command with rlen bytes of reply (5.1.6.5: the reply comes before the ack byte). */
static int ctrl_cmd_reply(struct vn_net *n, uint8_t cls, uint8_t cmd, const void *data,
                          unsigned len, void *reply, unsigned rlen)
{
    unsigned char *b = n->ctrl_buf.va;
    uint32_t used_len;
    int rc;

    if (!n->has_ctrl)
        return -ENOTSUP;
    if (2 + (size_t)len > CTRL_CMD_MAX || rlen > CTRL_REPLY_MAX)
        return -EINVAL;
    b[0] = cls;
    b[1] = cmd;
    if (len)
        memcpy(b + 2, data, len);
    b[CTRL_ACK_OFF] = 0xff; /* neither OK nor ERR: shows whether the device wrote it */
    memset(b + CTRL_REPLY_OFF, 0, rlen);
    struct vn_vq_seg out = {n->ctrl_buf.iova, 2 + len};
    struct vn_vq_seg in[2] = {{n->ctrl_buf.iova + CTRL_REPLY_OFF, rlen},
                              {n->ctrl_buf.iova + CTRL_ACK_OFF, 1}};
    if ((rc = vn_vq_add(n->ctrl.vq, &out, 1, rlen ? in : in + 1, rlen ? 2 : 1, b, NULL)) ||
        (rc = kick(n, &n->ctrl)))
        return rc;
    for (uint64_t waited = 0;; waited += POLL_STEP_NS) {
        rc = vn_vq_get_used(n->ctrl.vq, &used_len, NULL, NULL);
        if (rc != -EAGAIN)
            break;
        if (waited >= CTRL_TIMEOUT_NS) {
            vn_log(VN_LOG_ERR, "net: control command %u.%u: no answer after %u ns", cls, cmd,
                   CTRL_TIMEOUT_NS);
            return -ETIMEDOUT;
        }
        vn_tr_delay(n->tr, POLL_STEP_NS);
    }
    if (rc)
        return rc;
    if (used_len < 1 || b[CTRL_ACK_OFF] != VN_CTRL_OK) {
        vn_log(VN_LOG_ERR, "net: control command %u.%u: ack 0x%02x (used len %u)", cls, cmd,
               b[CTRL_ACK_OFF], used_len);
        return -EIO;
    }
    if (rlen && used_len != rlen + 1) {
        vn_log(VN_LOG_ERR, "net: control command %u.%u: used len %u, want %u reply bytes + ack",
               cls, cmd, used_len, rlen);
        return -EIO;
    }
    if (rlen)
        memcpy(reply, b + CTRL_REPLY_OFF, rlen);
    return 0;
}

static int ctrl_cmd(struct vn_net *n, uint8_t cls, uint8_t cmd, const void *data, unsigned len)
{
    return ctrl_cmd_reply(n, cls, cmd, data, len, NULL, 0);
}

static void put_le16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_le64(unsigned char *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int vn_net_set_coalesce(struct vn_net *n, int rx, uint32_t max_packets, uint32_t max_usecs)
{
    unsigned char c[8];

    if (!has(n->drv_features, VN_F_NOTF_COAL))
        return -ENOTSUP;
    put_le32(c, max_packets);
    put_le32(c + 4, max_usecs);
    return ctrl_cmd(n, VN_CTRL_CLASS_NOTF_COAL,
                    rx ? VN_CTRL_NOTF_COAL_RX_SET : VN_CTRL_NOTF_COAL_TX_SET, c, sizeof c);
}

int vn_net_set_queue_coalesce(struct vn_net *n, unsigned vq, uint32_t max_packets,
                              uint32_t max_usecs)
{
    unsigned char c[12] = {(unsigned char)vq, (unsigned char)(vq >> 8), 0, 0};

    if (!has(n->drv_features, VN_F_VQ_NOTF_COAL))
        return -ENOTSUP;
    put_le32(c + 4, max_packets);
    put_le32(c + 8, max_usecs);
    return ctrl_cmd(n, VN_CTRL_CLASS_NOTF_COAL, VN_CTRL_NOTF_COAL_VQ_SET, c, sizeof c);
}

int vn_net_get_queue_coalesce(struct vn_net *n, unsigned vq, uint32_t *max_packets,
                              uint32_t *max_usecs)
{
    unsigned char c[4] = {(unsigned char)vq, (unsigned char)(vq >> 8), 0, 0}, r[8];
    int rc;

    if (!has(n->drv_features, VN_F_VQ_NOTF_COAL))
        return -ENOTSUP;
    if ((rc = ctrl_cmd_reply(n, VN_CTRL_CLASS_NOTF_COAL, VN_CTRL_NOTF_COAL_VQ_GET, c, sizeof c,
                             r, sizeof r)))
        return rc;
    *max_packets = get_le32(r);
    *max_usecs = get_le32(r + 4);
    return 0;
}

/* ---- receive filter, RSS, receive offloads (5.1.6.5.1 to 5.1.6.5.7) -----------------
 * Values are passed on as given: whether they are acceptable is the device's to say
 * (-EIO), which is what a test driver needs.  Only what cannot be encoded is -EINVAL. */

int vn_net_set_rx_mode(struct vn_net *n, unsigned cmd, int on)
{
    unsigned char v = on ? 1 : 0;
    /* ALLUNI..NOBCAST came with CTRL_RX_EXTRA; the class, and a command the driver does
     * not know (sent all the same: the device answers it), with CTRL_RX */
    bool extra = cmd >= VN_CTRL_RX_ALLUNI && cmd <= VN_CTRL_RX_NOBCAST;

    if (cmd > 0xffu)
        return -EINVAL;
    if (!has(n->drv_features, extra ? VN_F_CTRL_RX_EXTRA : VN_F_CTRL_RX))
        return -ENOTSUP;
    return ctrl_cmd(n, VN_CTRL_CLASS_RX, (uint8_t)cmd, &v, 1);
}

int vn_net_set_mac_table(struct vn_net *n, const uint8_t (*uni)[6], unsigned nuni,
                         const uint8_t (*multi)[6], unsigned nmulti)
{
    unsigned char b[CTRL_CMD_MAX];
    size_t len = 8 + 6 * ((size_t)nuni + nmulti);

    if (!has(n->drv_features, VN_F_CTRL_RX))
        return -ENOTSUP;
    if (2 + len > CTRL_CMD_MAX || (nuni && !uni) || (nmulti && !multi))
        return -EINVAL;
    /* le32 entries and the unicast addresses, then the same for multicast (5.1.6.5.2) */
    put_le32(b, nuni);
    if (nuni)
        memcpy(b + 4, uni, 6 * (size_t)nuni);
    put_le32(b + 4 + 6 * (size_t)nuni, nmulti);
    if (nmulti)
        memcpy(b + 8 + 6 * (size_t)nuni, multi, 6 * (size_t)nmulti);
    return ctrl_cmd(n, VN_CTRL_CLASS_MAC, VN_CTRL_MAC_TABLE_SET, b, (unsigned)len);
}

int vn_net_set_mac_addr(struct vn_net *n, const uint8_t mac[6])
{
    int rc;

    if (!has(n->drv_features, VN_F_CTRL_MAC_ADDR))
        return -ENOTSUP;
    if ((rc = ctrl_cmd(n, VN_CTRL_CLASS_MAC, VN_CTRL_MAC_ADDR_SET, mac, 6)))
        return rc;
    /* the device's config mac field holds it too now (5.1.6.5.2.1) */
    memcpy(n->mac, mac, sizeof n->mac);
    return 0;
}

int vn_net_vlan(struct vn_net *n, int add, uint16_t vid)
{
    unsigned char d[2];

    if (!has(n->drv_features, VN_F_CTRL_VLAN))
        return -ENOTSUP;
    put_le16(d, vid);
    return ctrl_cmd(n, VN_CTRL_CLASS_VLAN, add ? VN_CTRL_VLAN_ADD : VN_CTRL_VLAN_DEL, d,
                    sizeof d);
}

int vn_net_announce_ack(struct vn_net *n)
{
    if (!has(n->drv_features, VN_F_GUEST_ANNOUNCE))
        return -ENOTSUP;
    return ctrl_cmd(n, VN_CTRL_CLASS_ANNOUNCE, VN_CTRL_ANNOUNCE_ACK, NULL, 0);
}

int vn_net_set_rss(struct vn_net *n, uint32_t hash_types, const uint16_t *table,
                   unsigned entries, uint16_t unclassified, const uint8_t *key,
                   unsigned key_len)
{
    unsigned char b[CTRL_CMD_MAX];

    if (!has(n->drv_features, VN_F_RSS))
        return -ENOTSUP;
    /* the mask is entries - 1 in a le16, the key length a u8 */
    if (entries == 0 || entries > 0x10000u || !table || key_len > 0xffu || (key_len && !key) ||
        2 + 8 + 2 * (size_t)entries + 3 + key_len > CTRL_CMD_MAX)
        return -EINVAL;
    /* virtio_net_rss_config (5.1.6.5.7.1) */
    put_le32(b, hash_types);
    put_le16(b + 4, (uint16_t)(entries - 1));
    put_le16(b + 6, unclassified);
    for (unsigned i = 0; i < entries; i++)
        put_le16(b + 8 + 2 * i, table[i]);
    unsigned char *tail = b + 8 + 2 * entries;
    put_le16(tail, (uint16_t)n->pairs); /* max_tx_vq: the transmit queues in use */
    tail[2] = (unsigned char)key_len;
    if (key_len)
        memcpy(tail + 3, key, key_len);
    return ctrl_cmd(n, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_RSS_CONFIG, b,
                    (unsigned)(tail + 3 + key_len - b));
}

int vn_net_set_hash_config(struct vn_net *n, uint32_t hash_types, const uint8_t *key,
                           unsigned key_len)
{
    unsigned char b[13 + 0xff] = {0};

    if (!has(n->drv_features, VN_F_HASH_REPORT))
        return -ENOTSUP;
    if (key_len > 0xffu || (key_len && !key))
        return -EINVAL;
    /* virtio_net_hash_config: le32 hash_types, le16 reserved[4] (0), u8 hash_key_length */
    put_le32(b, hash_types);
    b[12] = (unsigned char)key_len;
    if (key_len)
        memcpy(b + 13, key, key_len);
    return ctrl_cmd(n, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_HASH_CONFIG, b, 13 + key_len);
}

int vn_net_set_guest_offloads(struct vn_net *n, uint64_t mask)
{
    unsigned char d[8];

    if (!has(n->drv_features, VN_F_CTRL_GUEST_OFFLOADS))
        return -ENOTSUP;
    put_le64(d, mask);
    return ctrl_cmd(n, VN_CTRL_CLASS_GUEST_OFFLOADS, VN_CTRL_GUEST_OFFLOADS_SET, d, sizeof d);
}

/* ---- bring-up ----------------------------------------------------------------------- */

static int negotiate(struct vn_net *n)
{
    struct vn_pci *p = &n->pci;
    uint64_t want = n->opts.features ? n->opts.features & NET_KNOWN_FEATURES
                                     : NET_KNOWN_FEATURES & ~NET_OPT_IN_FEATURES;
    uint64_t readback;
    uint8_t st;
    int rc;

    if ((rc = vn_pci_read_device_features(p, &n->dev_features)))
        return rc;
    n->drv_features = n->dev_features & want;
    if (!has(n->drv_features, VN_F_VERSION_1)) {
        vn_log(VN_LOG_ERR, "net: VERSION_1 not %s (device features 0x%016llx)",
               has(n->dev_features, VN_F_VERSION_1) ? "accepted" : "offered",
               (unsigned long long)n->dev_features);
        return -ENOTSUP;
    }
    if (!has(n->drv_features, VN_F_CTRL_VQ))
        n->drv_features &= ~NET_NEEDS_CTRL_VQ; /* they depend on CTRL_VQ (5.1.3.1) */
    n->hdr_len = has(n->drv_features, VN_F_HASH_REPORT) ? VN_NET_HDR_HASH_LEN : VN_NET_HDR_LEN;
    if (!n->opts.rx_buf_len)
        n->opts.rx_buf_len = n->hdr_len + RX_FRAME_DEFAULT;
    if (n->opts.rx_buf_len <= n->hdr_len) {
        vn_log(VN_LOG_ERR, "net: rx_buf_len %u does not exceed the %u-byte header",
               n->opts.rx_buf_len, n->hdr_len);
        return -EINVAL;
    }
    if (has(n->drv_features, VN_F_CTRL_VQ) && !has(n->drv_features, VN_F_MQ) &&
        !has(n->drv_features, VN_F_RSS) &&
        (has(n->dev_features, VN_F_MQ) || has(n->dev_features, VN_F_RSS))) {
        /* Without MQ or RSS the control queue is index 2, which on a device with more
         * pairs is a data queue: vionic refuses that set (docs/architecture.md), so do
         * without the control queue.  Device config is readable before FEATURES_OK
         * (2.5.2). */
        uint32_t max;
        if ((rc = vn_pci_device_read(p, VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS,
                                     VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE, &max)))
            return rc;
        if (max > 1) {
            vn_log(VN_LOG_INFO, "net: CTRL_VQ dropped with MQ and RSS (device has %u pairs)",
                   max);
            n->drv_features &= ~(BIT64(VN_F_CTRL_VQ) | NET_NEEDS_CTRL_VQ);
        }
    }
    if ((rc = vn_pci_write_driver_features(p, n->drv_features)) ||
        (rc = vn_pci_add_status(p, VN_STATUS_FEATURES_OK)) ||
        (rc = vn_pci_get_device_status(p, &st)))
        return rc;
    if (!(st & VN_STATUS_FEATURES_OK)) {
        vn_log(VN_LOG_ERR, "net: device refused features 0x%016llx (status 0x%02x)",
               (unsigned long long)n->drv_features, st);
        return -ENOTSUP;
    }
    if ((rc = vn_pci_read_driver_features(p, &readback)))
        return rc;
    if (readback != n->drv_features)
        vn_log(VN_LOG_WARN, "net: driver_feature reads 0x%016llx, wrote 0x%016llx",
               (unsigned long long)readback, (unsigned long long)n->drv_features);
    return 0;
}

static int read_config(struct vn_net *n)
{
    struct vn_pci *p = &n->pci;
    uint32_t v;
    int rc;

    n->max_pairs = 1;
    /* the control queue is at 2 * max_virtqueue_pairs with either (5.1.2) */
    if (has(n->drv_features, VN_F_MQ) || has(n->drv_features, VN_F_RSS)) {
        if ((rc = vn_pci_device_read(p, VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS,
                                     VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE, &v)))
            return rc;
        if (v == 0) {
            vn_log(VN_LOG_ERR, "net: max_virtqueue_pairs reads 0");
            return -EIO;
        }
        n->max_pairs = v;
    }
    n->mtu = VN_NET_MTU_DEFAULT;
    if (has(n->drv_features, VN_F_MTU)) {
        if ((rc = vn_pci_device_read(p, VN_DEVICE_NET_MTU, VN_DEVICE_NET_MTU_SIZE, &v)))
            return rc;
        n->mtu = (uint16_t)v;
    }
    n->link_status = VN_NET_S_LINK_UP; /* without STATUS the link is assumed up (5.1.4) */
    if (has(n->drv_features, VN_F_STATUS)) {
        if ((rc = vn_pci_device_read(p, VN_DEVICE_NET_STATUS, VN_DEVICE_NET_STATUS_SIZE, &v)))
            return rc;
        n->link_status = (uint16_t)v;
    }
    if (has(n->drv_features, VN_F_MAC)) {
        _Static_assert(VN_DEVICE_NET_MAC_SIZE == sizeof n->mac, "mac is 6 bytes");
        if ((rc = vn_pci_device_read_bytes(p, VN_DEVICE_NET_MAC, n->mac, sizeof n->mac)))
            return rc;
    }
    return 0;
}

/* Data queue i: ring and buffers, for RX every buffer posted (5.1.5 step 7), then the
 * device gets the ring.  Buffers first, so that a failure leaves the device nothing to
 * release.  size 0: the device maximum. */
static int setup_data_queue(struct vn_net *n, unsigned i, unsigned size)
{
    struct net_q *q = &n->q[i];
    bool tx = i & 1;
    int rc;

    q->index = (uint16_t)i;
    q->vector = n->msix ? queue_vector(i) : (uint16_t)VN_MSIX_NO_VECTOR;
    if (!size)
        size = q->max_size;
    if ((rc = check_size(i, size, q->max_size, vq_flags(n) & VN_VQ_PACKED)) ||
        (rc = vn_vq_create_ex(n->tr, size, vq_flags(n), &q->vq)) ||
        (rc = use_indirect(n, q)) ||
        (rc = alloc_bufs(n, q, tx ? TX_SLOT_LEN : n->opts.rx_buf_len, tx)))
        return rc;
    if (!n->opts.use_irq)
        vn_vq_disable_cb(q->vq); /* polling: spare the device the MSI-X writes */
    if (!tx)
        for (unsigned s = 0; s < size; s++)
            if ((rc = rx_post(q, s)))
                return rc;
    return program_queue(n, q);
}

static int setup_irqs(struct vn_net *n, unsigned nvec)
{
    uint16_t v;
    int rc = vn_tr_irq_setup(n->tr, nvec);

    if (rc) {
        vn_log(n->opts.use_irq ? VN_LOG_ERR : VN_LOG_WARN,
               "net: MSI-X setup for %u vectors failed: %d", nvec, rc);
        return n->opts.use_irq ? rc : 0;
    }
    if ((rc = vn_pci_set_config_msix_vector(&n->pci, 0)) ||
        (rc = vn_pci_get_config_msix_vector(&n->pci, &v)))
        return rc;
    if (v != 0) {
        vn_log(VN_LOG_ERR, "net: config vector 0 not accepted (reads 0x%x)", v);
        return -EBUSY;
    }
    n->msix = true;
    return 0;
}

static int setup_queues(struct vn_net *n)
{
    unsigned nq = 2 * n->pairs;
    uint16_t num_queues;
    int rc;

    if ((rc = vn_pci_get_num_queues(&n->pci, &num_queues)))
        return rc;
    unsigned ctrl_index = 2 * n->max_pairs;
    if (num_queues < ctrl_index + (n->has_ctrl ? 1u : 0u)) {
        vn_log(VN_LOG_ERR, "net: num_queues %u < %u needed for %u pairs%s", num_queues,
               ctrl_index + (n->has_ctrl ? 1u : 0u), n->max_pairs, n->has_ctrl ? " + control" : "");
        return -EIO;
    }
    n->q = calloc(nq, sizeof *n->q);
    if (!n->q)
        return -ENOMEM;
    for (unsigned i = 0; i < nq; i++)
        if ((rc = queue_max(n, (uint16_t)i, &n->q[i].max_size)) ||
            (rc = setup_data_queue(n, i, n->opts.ring_size)))
            return rc;
    if (n->has_ctrl) {
        struct net_q *q = &n->ctrl;
        q->index = (uint16_t)ctrl_index;
        q->vector = n->msix ? queue_vector(nq) : (uint16_t)VN_MSIX_NO_VECTOR;
        if ((rc = queue_max(n, q->index, &q->max_size)) ||
            (rc = vn_vq_create_ex(n->tr,
                                  q->max_size < CTRL_RING_SIZE ? q->max_size : CTRL_RING_SIZE,
                                  vq_flags(n), &q->vq)) ||
            (rc = use_indirect(n, q)))
            return rc;
        vn_vq_disable_cb(q->vq); /* the driver polls for control answers */
        if ((rc = program_queue(n, q)))
            return rc;
        if ((rc = vn_tr_dma_alloc(n->tr, CTRL_BUF_LEN, &n->ctrl_buf))) {
            n->ctrl_buf.va = NULL;
            return rc;
        }
    }
    return 0;
}

static void teardown(struct vn_net *n)
{
    /* Reset first: after it the device no longer touches the memory freed below. */
    if (n->enabled) {
        if (vn_pci_reset(&n->pci, RESET_TIMEOUT_NS))
            vn_log(VN_LOG_WARN, "net: device reset at close did not complete");
        if (vn_pci_disable(&n->pci))
            vn_log(VN_LOG_WARN, "net: could not clear bus master");
    }
    if (n->q)
        for (unsigned i = 0; i < 2 * n->pairs; i++)
            free_queue(n, &n->q[i]);
    free(n->q);
    free_queue(n, &n->ctrl);
    if (n->ctrl_buf.va)
        vn_tr_dma_free(n->tr, &n->ctrl_buf);
    free(n);
}

int vn_net_open(struct vn_tr *tr, const struct vn_net_opts *opts, struct vn_net **out)
{
    static const struct vn_net_opts defaults;
    struct vn_net *n;
    int rc;

    if (!tr || !out)
        return -EINVAL;
    *out = NULL;
    n = calloc(1, sizeof *n);
    if (!n)
        return -ENOMEM;
    n->tr = tr;
    n->opts = opts ? *opts : defaults;
    if (n->opts.rx_buf_len && (n->opts.rx_buf_len <= VN_NET_HDR_LEN || n->opts.rx_buf_len > RX_BUF_MAX)) {
        vn_log(VN_LOG_ERR, "net: rx_buf_len %u outside %u..%u", n->opts.rx_buf_len,
               VN_NET_HDR_LEN + 1, RX_BUF_MAX);
        free(n);
        return -EINVAL;
    }

    struct vn_pci *p = &n->pci;
    if ((rc = vn_pci_probe(tr, p)))
        goto fail_early;
    if (!p->device.present) {
        vn_log(VN_LOG_ERR, "net: no device-specific config structure");
        rc = -ENODEV;
        goto fail_early;
    }
    /* Spec 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, setup, DRIVER_OK. */
    if ((rc = vn_pci_enable(p)))
        goto fail_early;
    n->enabled = true;
    if ((rc = vn_pci_reset(p, RESET_TIMEOUT_NS)) ||
        (rc = vn_pci_add_status(p, VN_STATUS_ACKNOWLEDGE)) ||
        (rc = vn_pci_add_status(p, VN_STATUS_DRIVER)) || (rc = negotiate(n)) ||
        (rc = read_config(n)))
        goto fail;
    n->has_ctrl = has(n->drv_features, VN_F_CTRL_VQ);
    n->pairs = n->opts.queue_pairs == VN_NET_ALL_PAIRS ? n->max_pairs
              : n->opts.queue_pairs ? n->opts.queue_pairs : 1;
    if (n->pairs > n->max_pairs) {
        vn_log(VN_LOG_ERR, "net: %u queue pairs asked, device allows %u%s", n->pairs,
               n->max_pairs,
               has(n->drv_features, VN_F_MQ) || has(n->drv_features, VN_F_RSS)
                   ? ""
                   : " (MQ and RSS not negotiated)");
        rc = -EINVAL;
        n->pairs = 0;
        goto fail;
    }
    unsigned nvec = 1 + 2 * n->pairs + (n->has_ctrl ? 1 : 0);
    if ((rc = setup_irqs(n, nvec < NET_MAX_VECTORS ? nvec : NET_MAX_VECTORS)) ||
        (rc = setup_queues(n)) || (rc = vn_pci_add_status(p, VN_STATUS_DRIVER_OK)))
        goto fail;
    uint8_t st;
    if ((rc = vn_pci_get_device_status(p, &st)))
        goto fail;
    if (!(st & VN_STATUS_DRIVER_OK) || (st & VN_STATUS_NEEDS_RESET)) {
        vn_log(VN_LOG_ERR, "net: device status 0x%02x after DRIVER_OK", st);
        rc = -EIO;
        goto fail;
    }
    /* Doorbells only now: none may precede DRIVER_OK (3.1.1). */
    for (unsigned qp = 0; qp < n->pairs; qp++)
        if ((rc = kick(n, rxq(n, qp))))
            goto fail;
    /* With RSS alone there is no VQ_PAIRS_SET: receiveq1 only until the caller gives a
     * table (vn_net_set_rss; 5.1.2). */
    if (n->pairs > 1 && has(n->drv_features, VN_F_MQ)) {
        uint8_t d[2] = {(uint8_t)n->pairs, (uint8_t)(n->pairs >> 8)}; /* le16 */
        if ((rc = ctrl_cmd(n, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, d, sizeof d)))
            goto fail;
    }
    *out = n;
    return 0;

fail:
    /* Tell the device we gave up (2.1), then let teardown reset it. */
    if (vn_pci_add_status(p, VN_STATUS_FAILED))
        vn_log(VN_LOG_WARN, "net: could not set FAILED");
fail_early:
    vn_log(VN_LOG_ERR, "net: bring-up failed: %d", rc);
    teardown(n);
    return rc;
}

/* ---- per-queue reset ---------------------------------------------------------------- */

static int data_queue(struct vn_net *n, unsigned vq, struct net_q **q)
{
    if (!has(n->drv_features, VN_F_RING_RESET))
        return -ENOTSUP;
    if (vq >= 2 * n->pairs) {
        vn_log(VN_LOG_ERR, "net: queue %u is not a data queue in use (%u pairs)", vq, n->pairs);
        return -EINVAL;
    }
    *q = &n->q[vq];
    return 0;
}

/* num_buffers of a received header: how many used elements the frame occupies. */
static unsigned rx_nbufs(const struct vn_net *n, const void *cookie)
{
    const unsigned char *h = cookie;
    unsigned nb = (unsigned)h[VN_NET_HDR_NUM_BUFFERS_OFF] |
                  (unsigned)h[VN_NET_HDR_NUM_BUFFERS_OFF + 1] << 8;

    return has(n->drv_features, VN_F_MRG_RXBUF) && nb > 1 ? nb : 1;
}

struct reclaim {
    struct vn_net *n;
    struct net_q *q;
    vn_net_reclaim_fn fn;
    void *ctx;
};

/* One buffer back to its owner.  ulen is the used length the device wrote when used. */
static void reclaim_one(struct reclaim *r, void *cookie, uint32_t ulen, int used)
{
    struct net_q *q = r->q;
    const unsigned hl = r->n->hdr_len;
    const unsigned char *frame = (const unsigned char *)cookie + hl;
    size_t len = 0;
    bool data = true;

    if (q->index & 1)
        len = q->tx_len[slot_of(q, cookie)];
    else if (used && ulen > hl)
        len = ulen - hl;
    else { /* handed back empty: to its owner it never held a frame */
        used = 0;
        data = false;
    }
    if (r->fn) {
        r->fn(r->ctx, q->index, frame, len, used);
        r->n->st.reclaimed++;
    } else if (data) {
        r->n->st.reset_dropped++;
    }
}

/* A merged frame completed before the reset: its buffers joined into one, as vn_net_rx
 * would have; its continuation buffers need no reclaiming of their own. */
static void reclaim_merged(struct reclaim *r, void *cookie, uint32_t ulen, unsigned nb)
{
    const unsigned hl = r->n->hdr_len;
    size_t cap = RX_BUF_MAX, flen = ulen - hl;
    unsigned char *tmp = malloc(cap);
    int rc = 0;

    if (tmp) {
        memcpy(tmp, (unsigned char *)cookie + hl, flen < cap ? flen : cap);
        for (unsigned i = 1; i < nb && !rc; i++) {
            if ((rc = vn_vq_get_used(r->q->vq, &ulen, &cookie, NULL)) == 0) {
                if (flen < cap)
                    memcpy(tmp + flen, cookie, cap - flen < ulen ? cap - flen : ulen);
                flen += ulen;
            }
        }
    }
    if (!tmp || rc || flen > cap || !r->fn) {
        if (tmp && rc)
            vn_log(VN_LOG_WARN, "net: queue %u: a merged frame lacks buffers after reset",
                   r->q->index);
        r->n->st.reset_dropped++;
    } else {
        r->fn(r->ctx, r->q->index, tmp, flen, 1);
        r->n->st.reclaimed++;
    }
    free(tmp);
}

static void reclaim_unused(void *ctx, void *cookie)
{
    reclaim_one(ctx, cookie, 0, 0);
}

static void reclaim_all(struct reclaim *r)
{
    unsigned size = vn_vq_size(r->q->vq), nempty = 0;
    void **empty = calloc(size, sizeof *empty);
    uint32_t ulen;
    void *cookie;
    int rc;

    /* Completions first: the device wrote them before it acknowledged the reset, and a
     * buffer it completed must never come back as unused as well.  RX chains it handed
     * back empty join the unused ones after them (without memory for the list, in ring
     * order). */
    while ((rc = vn_vq_get_used(r->q->vq, &ulen, &cookie, NULL)) == 0) {
        unsigned nb = 1;
        if (empty && !(r->q->index & 1) && ulen <= r->n->hdr_len && nempty < size)
            empty[nempty++] = cookie;
        else if (!(r->q->index & 1) && ulen > r->n->hdr_len &&
                 (nb = rx_nbufs(r->n, cookie)) > 1)
            reclaim_merged(r, cookie, ulen, nb);
        else
            reclaim_one(r, cookie, ulen, 1);
    }
    if (rc != -EAGAIN)
        vn_log(VN_LOG_WARN, "net: queue %u: used ring unreadable after reset (%d); the rest "
               "comes back as unused", r->q->index, rc);
    for (unsigned i = 0; i < nempty; i++)
        reclaim_one(r, empty[i], 0, 0);
    free(empty);
    vn_vq_detach_all(r->q->vq, reclaim_unused, r);
}

/* Make the device let go of a ring it may have been given by an enable that failed half
 * way (a queue it never enabled completes the reset at once), then free it.  Memory the
 * device may still hold is kept when it does not answer. */
static int release_queue(struct vn_net *n, struct net_q *q)
{
    int rc = vn_pci_queue_reset(&n->pci, q->index, RESET_TIMEOUT_NS);

    if (rc) {
        vn_log(VN_LOG_ERR, "net: queue %u: device did not release a half-enabled ring (%d); "
               "its memory is kept until close", q->index, rc);
        return rc;
    }
    free_queue(n, q);
    return 0;
}

int vn_net_queue_reset(struct vn_net *n, unsigned vq, vn_net_reclaim_fn fn, void *ctx)
{
    struct net_q *q;
    int rc = data_queue(n, vq, &q);

    if (rc)
        return rc;
    if (q->reset)
        return -EALREADY;
    if ((rc = vn_pci_queue_reset(&n->pci, (uint16_t)vq, RESET_TIMEOUT_NS))) {
        vn_log(VN_LOG_ERR, "net: queue %u: reset did not complete: %d", vq, rc);
        return rc;
    }
    /* Only now may buffers go back and rings go: the device is done with them
     * (2.6.1.1.1).  Marked first so that a callback using this queue gets -ENODEV. */
    n->st.queue_resets++;
    q->reset = true;
    q->last_size = vn_vq_size(q->vq);
    struct reclaim r = {n, q, fn, ctx};
    reclaim_all(&r);
    free_queue(n, q);
    return 0;
}

int vn_net_queue_enable(struct vn_net *n, unsigned vq, unsigned size)
{
    struct net_q *q;
    int rc = data_queue(n, vq, &q);

    if (rc)
        return rc;
    if (!q->reset)
        return -EBUSY;
    if (!size)
        size = q->last_size;
    if ((rc = check_size(vq, size, q->max_size, vq_flags(n) & VN_VQ_PACKED)))
        return rc;
    if (q->vq && (rc = release_queue(n, q)))
        return rc;
    if ((rc = setup_data_queue(n, vq, size))) {
        vn_log(VN_LOG_ERR, "net: queue %u: re-enable at size %u failed: %d", vq, size, rc);
        if (release_queue(n, q))
            vn_log(VN_LOG_WARN, "net: queue %u: its ring stays allocated", vq);
        return rc;
    }
    q->reset = false;
    return kick(n, q); /* RX: the buffers just posted; TX: nothing to say yet */
}

int vn_net_queue_resize(struct vn_net *n, unsigned vq, unsigned size)
{
    struct net_q *q;
    int rc = data_queue(n, vq, &q);

    if (rc)
        return rc;
    if (!size)
        size = q->max_size;
    if ((rc = check_size(vq, size, q->max_size, vq_flags(n) & VN_VQ_PACKED)))
        return rc;
    if (!q->reset && (rc = vn_net_queue_reset(n, vq, NULL, NULL)))
        return rc;
    return vn_net_queue_enable(n, vq, size);
}

int vn_net_set_ring_sizes(struct vn_net *n, unsigned rx, unsigned tx, vn_net_reclaim_fn fn,
                          void *ctx)
{
    int rc;

    if (!has(n->drv_features, VN_F_RING_RESET))
        return -ENOTSUP;
    /* Every size checked before the first reset: bad input changes nothing. */
    for (unsigned i = 0; i < 2 * n->pairs; i++) {
        unsigned size = i & 1 ? tx : rx;
        if (size && (rc = check_size(i, size, n->q[i].max_size, vq_flags(n) & VN_VQ_PACKED)))
            return rc;
    }
    for (unsigned qp = 0; qp < n->pairs; qp++) {
        const unsigned order[2] = {2 * qp + 1, 2 * qp}; /* TX first, as Linux does */
        for (unsigned k = 0; k < 2; k++) {
            unsigned vq = order[k], size = vq & 1 ? tx : rx;
            if (!size)
                continue;
            if (!n->q[vq].reset && (rc = vn_net_queue_reset(n, vq, fn, ctx)))
                return rc;
            if ((rc = vn_net_queue_enable(n, vq, size)))
                return rc;
        }
    }
    return 0;
}

void vn_net_queue_memory(const struct vn_net *n, unsigned vq,
                         void (*fn)(void *ctx, uint64_t iova, uint64_t len), void *ctx)
{
    const struct net_q *q = vq < 2 * n->pairs ? &n->q[vq]
                            : n->has_ctrl && vq == n->ctrl.index ? &n->ctrl
                                                                  : NULL;

    if (!q || !q->vq)
        return;
    fn(ctx, vn_vq_desc_iova(q->vq), vn_vq_mem_len(q->vq));
    if (q->bufs.va)
        fn(ctx, q->bufs.iova, q->bufs.len);
    if (q == &n->ctrl && n->ctrl_buf.va)
        fn(ctx, n->ctrl_buf.iova, n->ctrl_buf.len);
}

unsigned vn_net_ring_max(const struct vn_net *n, unsigned vq)
{
    return vq < 2 * n->pairs ? n->q[vq].max_size : 0;
}

int vn_net_queue_is_reset(const struct vn_net *n, unsigned vq)
{
    return vq < 2 * n->pairs && n->q[vq].reset;
}

void vn_net_close(struct vn_net *n)
{
    if (n)
        teardown(n);
}

/* ---- data path ---------------------------------------------------------------------- */

uint64_t vn_net_device_features(const struct vn_net *n) { return n->dev_features; }
uint64_t vn_net_driver_features(const struct vn_net *n) { return n->drv_features; }
unsigned vn_net_queue_pairs(const struct vn_net *n) { return n->pairs; }
void vn_net_mac(const struct vn_net *n, uint8_t mac[6]) { memcpy(mac, n->mac, sizeof n->mac); }
uint16_t vn_net_mtu(const struct vn_net *n) { return n->mtu; }

int vn_net_speed(struct vn_net *n, uint32_t *mbps, uint8_t *duplex)
{
    uint32_t s, d;
    int rc;

    *mbps = VN_NET_SPEED_UNKNOWN;
    *duplex = (uint8_t)VN_NET_DUPLEX_UNKNOWN;
    if (!has(n->drv_features, VN_F_SPEED_DUPLEX))
        return 0;
    if ((rc = vn_pci_device_read(&n->pci, VN_DEVICE_NET_SPEED, VN_DEVICE_NET_SPEED_SIZE, &s)) ||
        (rc = vn_pci_device_read(&n->pci, VN_DEVICE_NET_DUPLEX, VN_DEVICE_NET_DUPLEX_SIZE, &d)))
        return rc;
    *mbps = s;
    *duplex = (uint8_t)d;
    return 0;
}
uint16_t vn_net_link_status(const struct vn_net *n) { return n->link_status; }
struct vn_pci *vn_net_pci(struct vn_net *n) { return &n->pci; }
struct vn_vq *vn_net_vq(struct vn_net *n, unsigned vq)
{
    return vq < 2 * n->pairs && !n->q[vq].reset ? n->q[vq].vq : NULL;
}
void vn_net_get_stats(const struct vn_net *n, struct vn_net_stats *st) { *st = n->st; }

unsigned vn_net_ring_size(const struct vn_net *n, unsigned vq)
{
    if (vq < 2 * n->pairs)
        return n->q[vq].vq && !n->q[vq].reset ? vn_vq_size(n->q[vq].vq) : 0;
    if (n->has_ctrl && vq == n->ctrl.index)
        return vn_vq_size(n->ctrl.vq);
    return 0;
}

unsigned vn_net_tx_inflight(const struct vn_net *n, unsigned qp)
{
    if (qp >= n->pairs)
        return 0;
    const struct net_q *q = &n->q[2 * qp + 1];
    return q->vq && !q->reset ? vn_vq_inflight(q->vq) : 0;
}

int vn_net_tx(struct vn_net *n, unsigned qp, const void *frame, size_t len)
{
    return vn_net_tx_ex(n, qp, frame, len, NULL);
}

int vn_net_tx_ex(struct vn_net *n, unsigned qp, const void *frame, size_t len,
                 const struct vn_net_txo *o)
{
    int rc;

    if (qp >= n->pairs || !frame || len == 0)
        return -EINVAL;
    if (len > TX_MAX_FRAME)
        return -EMSGSIZE;
    if (o && o->needs_csum) {
        /* 5.1.6.2: only with CSUM, and the checksum field inside the frame */
        if (!has(n->drv_features, VN_F_CSUM))
            return -ENOTSUP;
        if ((size_t)o->csum_start + o->csum_offset + 2 > len)
            return -EINVAL;
    }
    struct net_q *q = txq(n, qp);
    if (q->reset)
        return -ENODEV;
    if (!q->vq)
        return -EIO;
    unsigned ndesc = n->opts.tx_split_hdr ? 2 : 1;
    if (!q->n_free_slots || vn_vq_num_free(q->vq) < ndesc) {
        if ((rc = tx_reap(q)))
            return rc;
        if (!q->n_free_slots || vn_vq_num_free(q->vq) < ndesc)
            return -EAGAIN;
    }
    unsigned slot = q->free_slots[--q->n_free_slots];
    unsigned char *b = (unsigned char *)q->bufs.va + (size_t)slot * q->slot_len;
    uint64_t iova = q->bufs.iova + (uint64_t)slot * q->slot_len;
    const unsigned hl = n->hdr_len;
    /* GSO_NONE; NEEDS_CSUM with its start and offset when asked; num_buffers and the
     * hash fields are unused on TX */
    memset(b, 0, hl);
    if (o && o->needs_csum) {
        b[VN_NET_HDR_FLAGS_OFF] = VN_NET_HDR_F_NEEDS_CSUM;
        b[VN_NET_HDR_CSUM_START_OFF] = (unsigned char)o->csum_start;
        b[VN_NET_HDR_CSUM_START_OFF + 1] = (unsigned char)(o->csum_start >> 8);
        b[VN_NET_HDR_CSUM_OFFSET_OFF] = (unsigned char)o->csum_offset;
        b[VN_NET_HDR_CSUM_OFFSET_OFF + 1] = (unsigned char)(o->csum_offset >> 8);
    }
    memcpy(b + hl, frame, len);
    struct vn_vq_seg seg[2];
    if (ndesc == 1) {
        seg[0] = (struct vn_vq_seg){iova, (uint32_t)(hl + len)};
    } else {
        seg[0] = (struct vn_vq_seg){iova, hl};
        seg[1] = (struct vn_vq_seg){iova + hl, (uint32_t)len};
    }
    if ((rc = vn_vq_add(q->vq, seg, ndesc, NULL, 0, b, NULL))) {
        q->free_slots[q->n_free_slots++] = slot;
        return rc;
    }
    q->tx_len[slot] = (uint32_t)len;
    n->st.tx_frames++;
    n->st.tx_bytes += len;
    return kick(n, q);
}

/* The rest of a merged frame (5.1.6.4.2): nb - 1 further used elements, all of which the
 * device published together with the first; each holds frame bytes only.  Bytes beyond
 * cap are counted, not copied.  Every buffer goes back to the ring. */
static int rx_gather(struct net_q *q, unsigned nb, unsigned char *buf,
                     size_t cap, size_t *flen)
{
    uint32_t ulen;
    void *cookie;
    int rc;

    for (unsigned i = 1; i < nb; i++) {
        if ((rc = vn_vq_get_used(q->vq, &ulen, &cookie, NULL))) {
            vn_log(VN_LOG_ERR, "net: queue %u: a frame of %u buffers, only %u used (%d)",
                   q->index, nb, i, rc);
            return rc == -EAGAIN ? -EIO : rc;
        }
        if (*flen < cap)
            memcpy(buf + *flen, cookie, cap - *flen < ulen ? cap - *flen : ulen);
        *flen += ulen;
        if ((rc = rx_post(q, slot_of(q, cookie))))
            return rc;
    }
    return 0;
}

int vn_net_rx(struct vn_net *n, unsigned qp, void *buf, size_t cap, size_t *len)
{
    return vn_net_rx_ex(n, qp, buf, cap, len, NULL);
}

int vn_net_rx_ex(struct vn_net *n, unsigned qp, void *buf, size_t cap, size_t *len,
                 struct vn_net_rxi *info)
{
    uint32_t ulen;
    void *cookie;
    int rc;

    if (qp >= n->pairs || (!buf && cap) || !len)
        return -EINVAL;
    struct net_q *q = rxq(n, qp);
    if (q->reset)
        return -ENODEV;
    if (!q->vq)
        return -EIO;
    const unsigned hl = n->hdr_len;
    for (;;) {
        if ((rc = vn_vq_get_used(q->vq, &ulen, &cookie, NULL)))
            return rc;
        unsigned slot = slot_of(q, cookie);
        if (ulen <= hl) {
            /* A chain handed back unused (frame too big for it): recycle and go on. */
            if ((rc = rx_post(q, slot)) || (rc = kick(n, q)))
                return rc;
            continue;
        }
        const unsigned char *h = cookie;
        if (info) {
            info->flags = h[VN_NET_HDR_FLAGS_OFF];
            info->hash_value = 0;
            info->hash_report = 0;
            if (hl == VN_NET_HDR_HASH_LEN) {
                const unsigned char *hv = h + VN_NET_HDR_HASH_VALUE_OFF;
                const unsigned char *hr = h + VN_NET_HDR_HASH_REPORT_OFF;
                info->hash_value = (uint32_t)hv[0] | (uint32_t)hv[1] << 8 |
                                   (uint32_t)hv[2] << 16 | (uint32_t)hv[3] << 24;
                info->hash_report = (uint16_t)(hr[0] | hr[1] << 8);
            }
        }
        size_t flen = ulen - hl;
        unsigned nb = rx_nbufs(n, cookie);
        memcpy(buf, (unsigned char *)cookie + hl, flen < cap ? flen : cap);
        if ((rc = rx_post(q, slot)))
            return rc;
        if (nb > 1 && (rc = rx_gather(q, nb, buf, cap, &flen)))
            return rc;
        *len = flen;
        n->st.rx_frames++;
        n->st.rx_bytes += flen;
        if ((rc = kick(n, q)))
            return rc;
        return flen > cap ? -EMSGSIZE : 0;
    }
}

unsigned vn_net_hdr_len(const struct vn_net *n) { return n->hdr_len; }
uint64_t vn_net_known_features(void) { return NET_KNOWN_FEATURES; }

int vn_net_set_queue_pairs(struct vn_net *n, unsigned pairs)
{
    uint8_t d[2] = {(uint8_t)pairs, (uint8_t)(pairs >> 8)};

    if (!has(n->drv_features, VN_F_MQ))
        return -ENOTSUP;
    if (pairs < 1 || pairs > n->pairs)
        return -EINVAL;
    return ctrl_cmd(n, VN_CTRL_CLASS_MQ, VN_CTRL_MQ_VQ_PAIRS_SET, d, sizeof d);
}

/* GUEST_ANNOUNCE (5.1.6.5.4): a config change with ANNOUNCE set asks the driver to
 * announce itself; this driver has nothing to announce and just acknowledges, which
 * clears the bit. */
static int check_announce(struct vn_net *n)
{
    uint32_t v;
    int rc;

    if (!has(n->drv_features, VN_F_GUEST_ANNOUNCE) || !has(n->drv_features, VN_F_STATUS))
        return 0;
    if ((rc = vn_pci_device_read(&n->pci, VN_DEVICE_NET_STATUS, VN_DEVICE_NET_STATUS_SIZE, &v)))
        return rc;
    if (!(v & VN_NET_S_ANNOUNCE))
        return 0;
    n->st.announces++;
    return vn_net_announce_ack(n);
}

static int check_config_irq(struct vn_net *n, uint64_t fired)
{
    uint8_t st;
    int rc;

    n->st.irqs += (uint64_t)__builtin_popcountll(fired);
    if (!(fired & 1))
        return 0;
    if ((rc = vn_pci_get_device_status(&n->pci, &st)))
        return rc;
    if (st & VN_STATUS_NEEDS_RESET) {
        vn_log(VN_LOG_ERR, "net: device needs reset (status 0x%02x)", st);
        return -EIO;
    }
    return check_announce(n);
}

int vn_net_poll(struct vn_net *n)
{
    int rc;

    for (unsigned qp = 0; qp < n->pairs; qp++)
        if (!txq(n, qp)->reset && txq(n, qp)->vq && (rc = tx_reap(txq(n, qp))))
            return rc;
    if (n->msix) {
        uint64_t fired = 0;
        if ((rc = vn_tr_irq_wait(n->tr, 0, &fired)))
            return rc;
        return check_config_irq(n, fired);
    }
    return 0;
}

static bool work_pending(const struct vn_net *n)
{
    for (unsigned i = 0; i < 2 * n->pairs; i++)
        if (!n->q[i].reset && n->q[i].vq && vn_vq_used_pending(n->q[i].vq))
            return true;
    return false;
}

int vn_net_wait(struct vn_net *n, uint64_t timeout_ns)
{
    /* Work already there: an interrupt for it may have been consumed by an earlier poll. */
    if (work_pending(n))
        return 0;
    if (n->opts.use_irq && n->msix) {
        uint64_t fired = 0;
        int rc = vn_tr_irq_wait(n->tr, timeout_ns, &fired);
        return rc ? rc : check_config_irq(n, fired);
    }
    for (uint64_t waited = 0; waited < timeout_ns && !work_pending(n);) {
        uint64_t step = timeout_ns - waited < POLL_STEP_NS ? timeout_ns - waited : POLL_STEP_NS;
        vn_tr_delay(n->tr, step);
        waited += step;
    }
    return 0;
}
