/* vdpa_bridge.c: vhost-user messages -> vdpa_dev operations.  See vdpa_bridge.h. */
#define _DEFAULT_SOURCE
#include "vdpa_bridge.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vionic_regs.h"
#include "vn_log.h"

#define BIT64(b) (UINT64_C(1) << (b))
#define NET_HDR_LEN 12u /* virtio_net_hdr with VERSION_1 */
/* The per-queue reset this bridge does on a ring stop is its own business: QEMU 7.2 would
 * offer RING_RESET to its guest and never forward the guest's resets (see
 * docs/vdpa-bridge.md), so the front-end never sees it.  Coalescing is set through the
 * control queue, which the front-end serves itself: nothing of it would reach the device.
 * Kicks are eventfds here: NOTIFICATION_DATA has nothing to carry it. */
/* The control queue's receive filter, RSS, announce and offload commands would stay in
 * the front-end the same way; HASH_REPORT's 20-byte header and the checksum offloads are
 * not run with front-ends yet.  EVENT_IDX is passed on: the device reads used_event and
 * writes avail_event in the front-end's rings itself (the Linux guest negotiates it). */
#define FRONT_HIDDEN                                                                          \
    (BIT64(VN_F_RING_RESET) | BIT64(VN_F_NOTF_COAL) | BIT64(VN_F_VQ_NOTF_COAL) |              \
     BIT64(VN_F_NOTIFICATION_DATA) | BIT64(VN_F_CTRL_RX) | BIT64(VN_F_CTRL_RX_EXTRA) |         \
     BIT64(VN_F_CTRL_VLAN) | BIT64(VN_F_CTRL_MAC_ADDR) | BIT64(VN_F_GUEST_ANNOUNCE) |          \
     BIT64(VN_F_RSS) | BIT64(VN_F_HASH_REPORT) | BIT64(VN_F_CTRL_GUEST_OFFLOADS) |             \
     BIT64(VN_F_CSUM) | BIT64(VN_F_GUEST_CSUM))

uint64_t bridge_protocol_features(void)
{
    return BIT64(VU_PF_MQ) | BIT64(VU_PF_REPLY_ACK) | BIT64(VU_PF_SLAVE_REQ) |
           BIT64(VU_PF_RESET_DEVICE) | BIT64(VU_PF_STATUS);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void vring_clear(struct vring *v)
{
    close_fd(&v->kick_fd);
    close_fd(&v->call_fd);
    close_fd(&v->err_fd);
    uint64_t pkts = v->pkts, bytes = v->bytes;
    *v = (struct vring){.kick_fd = -1, .call_fd = -1, .err_fd = -1, .pkts = pkts, .bytes = bytes};
}

void bridge_init(struct bridge *b, struct vn_tr *tr, struct vdpa_dev *dev, bool verbose)
{
    memset(b, 0, sizeof *b);
    b->tr = tr;
    b->dev = dev;
    b->sock = b->slave_fd = b->log_fd = -1;
    b->verbose = verbose;
    b->link = -1;
    b->nq = 2 * vdpa_dev_max_pairs(dev);
    vu_mem_init(&b->mem);
    for (unsigned i = 0; i < VDPA_MAX_QUEUES; i++)
        vring_clear(&b->vr[i]);
    b->offered = (vdpa_dev_device_features(dev) & ~FRONT_HIDDEN) | BIT64(VU_F_PROTOCOL_FEATURES);
}

void bridge_attach(struct bridge *b, int sock)
{
    b->sock = sock;
    b->acked = b->pf_acked = 0;
    b->pf_negotiated = b->owner = false;
    b->status = 0;
}

/* ---- device side -------------------------------------------------------------------- */

static void unmap_all(struct bridge *b)
{
    for (unsigned i = 0; i < b->mem.n; i++)
        if (vn_tr_dma_unmap(b->tr, b->mem.r[i].gpa, b->mem.r[i].size))
            b->errors++;
}

static int map_all(struct bridge *b)
{
    for (unsigned i = 0; i < b->mem.n; i++) {
        int rc = vn_tr_dma_map(b->tr, b->mem.r[i].host, b->mem.r[i].gpa, b->mem.r[i].size);
        if (rc) {
            vn_log(VN_LOG_ERR, "vdpa: mapping gpa 0x%llx+0x%llx for the device failed: %d",
                   (unsigned long long)b->mem.r[i].gpa, (unsigned long long)b->mem.r[i].size, rc);
            for (unsigned j = 0; j < i; j++)
                if (vn_tr_dma_unmap(b->tr, b->mem.r[j].gpa, b->mem.r[j].size))
                    b->errors++;
            return rc;
        }
    }
    return 0;
}

static bool packed(const struct bridge *b)
{
    return (b->acked >> VN_F_RING_PACKED) & 1u;
}

static uint16_t used_idx(const struct bridge *b, const struct vring *v)
{
    const volatile uint16_t *p = vu_mem_gpa(&b->mem, v->used_gpa + 2, 2);
    return p ? *p : v->seen_used;
}

/* Packed rings have no used idx: count the used descriptors from seen_used ({wrap,
 * index}) on.  The bridge does not see the avail side, so it cannot tell how many slots a
 * used chain took: it steps one slot a descriptor and stops at the first slot that is not
 * used.  That is exact for one-slot chains (testpmd's: the header rides in the mbuf
 * headroom, receive buffers are one slot each) and stops early for longer ones, which then
 * count as one packet and leave the restart base short. */
static void account_packed(struct bridge *b, unsigned q)
{
    struct vring *v = &b->vr[q];
    for (unsigned n = 0; n < v->num; n++) {
        uint16_t idx = v->seen_used & VN_PACKED_POS_IDX_MASK, wrap = v->seen_used >> VN_PACKED_POS_WRAP_SHIFT;
        const uint8_t *d = vu_mem_gpa(&b->mem, v->desc_gpa + 16ull * idx, 16);
        if (!d)
            return;
        uint16_t flags;
        uint32_t len;
        memcpy(&flags, d + VN_PDESC_FLAGS_OFF, 2);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (!(flags & VN_PDESC_F_AVAIL) != !wrap || !(flags & VN_PDESC_F_USED) != !wrap)
            return;
        memcpy(&len, d + 8, 4);
        if (!(q % 2))
            v->bytes += len > NET_HDR_LEN ? len - NET_HDR_LEN : 0;
        v->pkts++;
        idx++;
        v->seen_used = idx == v->num ? (uint16_t)(!wrap << VN_PACKED_POS_WRAP_SHIFT)
                                     : (uint16_t)(wrap << VN_PACKED_POS_WRAP_SHIFT | idx);
    }
}

/* Sum the descriptor lengths of chain `id` (TX: the bytes the driver queued). */
static uint64_t chain_len(const struct bridge *b, const struct vring *v, uint32_t id)
{
    uint64_t total = 0;
    for (unsigned n = 0; n < v->num && id < v->num; n++) {
        const uint8_t *d = vu_mem_gpa(&b->mem, v->desc_gpa + 16ull * id, 16);
        if (!d)
            break;
        uint32_t len;
        uint16_t flags, next;
        memcpy(&len, d + 8, 4);
        memcpy(&flags, d + 12, 2);
        memcpy(&next, d + 14, 2);
        total += len;
        if (!(flags & VN_DESC_F_NEXT))
            break;
        id = next;
    }
    return total;
}

static void account_ring(struct bridge *b, unsigned q)
{
    struct vring *v = &b->vr[q];
    if (packed(b)) {
        account_packed(b, q);
        return;
    }
    uint16_t now = used_idx(b, v);

    while (v->seen_used != now) {
        const uint8_t *e = vu_mem_gpa(&b->mem, v->used_gpa + 4 + 8ull * (v->seen_used % v->num), 8);
        if (e) {
            uint32_t id, len;
            memcpy(&id, e, 4);
            memcpy(&len, e + 4, 4);
            uint64_t bytes = (q % 2) ? chain_len(b, v, id) : len;
            v->bytes += bytes > NET_HDR_LEN ? bytes - NET_HDR_LEN : 0;
        }
        v->pkts++;
        v->seen_used++;
    }
}

void bridge_account(struct bridge *b)
{
    for (unsigned q = 0; q < b->nq; q++)
        if (vdpa_dev_queue_live(b->dev, q))
            account_ring(b, q);
}

static unsigned enabled_pairs(const struct bridge *b)
{
    unsigned n = 0;
    for (unsigned p = 0; 2 * p + 1 < b->nq; p++)
        if (b->vr[2 * p].enabled && vdpa_dev_queue_live(b->dev, 2 * p))
            n = p + 1;
    return n;
}

/* Make the device's view of ring q what the front-end's allows. */
static int reconcile(struct bridge *b, unsigned q)
{
    struct vring *v = &b->vr[q];
    bool want = v->started && v->addr_set && !v->failed && b->mem.n > 0;
    int rc = 0;

    if (want && !vdpa_dev_queue_live(b->dev, q)) {
        vdpa_dev_set_features(b->dev, b->acked);
        struct vdpa_qcfg c = {v->num, v->desc_gpa, v->avail_gpa, v->used_gpa, v->base};
        rc = vdpa_dev_queue_start(b->dev, q, &c);
        if (rc) {
            vn_log(VN_LOG_ERR, "vdpa: ring %u: the device refused it: %d", q, rc);
            v->failed = true;
            b->errors++;
            return rc;
        }
        v->seen_used = v->base;
    }
    unsigned pairs = enabled_pairs(b);
    if (pairs && (rc = vdpa_dev_set_pairs(b->dev, pairs)))
        b->errors++;
    return rc;
}

static void stop_ring(struct bridge *b, unsigned q)
{
    struct vring *v = &b->vr[q];

    if (vdpa_dev_queue_live(b->dev, q)) {
        int rc = vdpa_dev_queue_stop(b->dev, q);
        if (rc)
            vn_log(VN_LOG_ERR, "vdpa: ring %u: reset failed: %d", q, rc);
        account_ring(b, q);
        v->base = packed(b) ? v->seen_used : used_idx(b, v);
    }
    v->started = false;
    close_fd(&v->kick_fd);
}

void bridge_detach(struct bridge *b)
{
    if (vdpa_dev_is_up(b->dev)) {
        bridge_account(b);
        if (vdpa_dev_reset(b->dev))
            b->errors++;
    }
    for (unsigned i = 0; i < VDPA_MAX_QUEUES; i++)
        vring_clear(&b->vr[i]);
    unmap_all(b);
    vu_mem_clear(&b->mem);
    close_fd(&b->slave_fd);
    close_fd(&b->log_fd);
    close_fd(&b->sock);
}

void bridge_signal(struct bridge *b, uint64_t fired)
{
    static const uint64_t one = 1;
    for (unsigned q = 0; q < b->nq && fired; q++) {
        unsigned vec = vdpa_dev_queue_vector(q);
        if (vec < 64 && (fired >> vec) & 1u && b->vr[q].call_fd >= 0)
            if (write(b->vr[q].call_fd, &one, sizeof one) < 0 && errno != EAGAIN)
                vn_log(VN_LOG_WARN, "vdpa: ring %u: call signal failed: %s", q, strerror(errno));
    }
    if (fired & (UINT64_C(1) << VDPA_CONFIG_VECTOR)) {
        uint16_t st = 0;
        if (!vdpa_dev_link_status(b->dev, &st)) {
            int up = (st & VN_NET_S_LINK_UP) != 0;
            vn_log(VN_LOG_INFO, "vdpa: config change: link %s", up ? "up" : "down");
            if (up != b->link && b->on_link)
                b->on_link(b->link_ctx, up);
            b->link = up;
        }
    }
}

/* Packed: a slot is available while its AVAIL and USED bits differ (2.8.1), whatever the lap. */
static int pdesc_available(const uint8_t *d)
{
    uint16_t flags;
    memcpy(&flags, d + VN_PDESC_FLAGS_OFF, 2);
    return !(flags & VN_PDESC_F_AVAIL) != !(flags & VN_PDESC_F_USED);
}

/* Descriptors the front-end has made available that the device has not given back: what a
 * stalled ring is stuck on, read from the ring itself (-1: the ring is not mapped). */
static long ring_outstanding(const struct bridge *b, const struct vring *v)
{
    if (!v->addr_set || v->num == 0)
        return -1;
    if (!packed(b)) {
        const volatile uint16_t *a = vu_mem_gpa(&b->mem, v->avail_gpa + 2, 2);
        return a ? (uint16_t)(*a - used_idx(b, v)) : -1;
    }
    long n = 0;
    for (unsigned i = 0; i < v->num; i++) {
        const uint8_t *d = vu_mem_gpa(&b->mem, v->desc_gpa + 16ull * i, 16);
        if (!d)
            return -1;
        n += pdesc_available(d);
    }
    return n;
}

/* Packed: the device event area's flags, which decide whether the front-end kicks at all
 * (the device leaves them ENABLE; -1: not mapped or split). */
static long ring_device_flags(const struct bridge *b, const struct vring *v)
{
    if (!packed(b) || !v->addr_set)
        return -1;
    const volatile uint16_t *f = vu_mem_gpa(&b->mem, v->used_gpa + 2, 2);
    return f ? (long)*f : -1;
}

/* Packed, partly available: the first slots that are not, whole.  A used descriptor the
 * front-end never refilled still holds the device's write (addr 0, the frame's len). */
static void ring_print_unavailable(const struct bridge *b, const struct vring *v, unsigned q,
                                   FILE *out)
{
    if (!packed(b) || !v->addr_set)
        return;
    unsigned shown = 0;
    for (unsigned i = 0; i < v->num && shown < 8; i++) {
        const uint8_t *d = vu_mem_gpa(&b->mem, v->desc_gpa + 16ull * i, 16);
        if (!d)
            return;
        uint64_t addr;
        uint32_t len;
        uint16_t id, flags;
        if (pdesc_available(d))
            continue;
        memcpy(&addr, d, 8);
        memcpy(&len, d + 8, 4);
        memcpy(&id, d + VN_PDESC_ID_OFF, 2);
        memcpy(&flags, d + VN_PDESC_FLAGS_OFF, 2);
        fprintf(out, "vdpa-stats: q%u slot %u not available: addr 0x%llx len %u id %u flags 0x%04x\n",
                q, i, (unsigned long long)addr, len, id, flags);
        shown++;
    }
}

void bridge_print_stats(const struct bridge *b, FILE *out)
{
    for (unsigned q = 0; q < b->nq; q++) {
        const struct vring *v = &b->vr[q];
        long n = ring_outstanding(b, v);
        fprintf(out, "vdpa-stats: q%u %s pkts %llu bytes %llu outstanding %ld", q, q % 2 ? "tx" : "rx",
                (unsigned long long)v->pkts, (unsigned long long)v->bytes, n);
        long f = ring_device_flags(b, v);
        if (f >= 0)
            fprintf(out, " device-event-flags %ld", f);
        fputc('\n', out);
        if (n > 0 && (unsigned long)n < v->num)
            ring_print_unavailable(b, v, q, out);
    }
    fflush(out);
}

/* ---- messages -------------------------------------------------------------------------- */

static int ring_index(const struct bridge *b, uint32_t idx, const char *what)
{
    if (idx >= b->nq) {
        vn_log(VN_LOG_ERR, "vdpa: %s for ring %u: the device has %u", what, idx, b->nq);
        return -1;
    }
    return (int)idx;
}

static int take_fd(struct vu_msg *m)
{
    if (m->nfds == 0)
        return -1;
    int fd = m->fds[0];
    m->fds[0] = -1;
    return fd;
}

static int set_mem_table(struct bridge *b, struct vu_msg *m)
{
    struct vu_mem old = b->mem;
    int rc;

    unmap_all(b);
    rc = vu_mem_set(&b->mem, &m->p.mem, m->fds, m->nfds);
    for (unsigned i = 0; i < m->nfds; i++)
        m->fds[i] = -1; /* vu_mem_set closed them */
    if (rc) {
        vn_log(VN_LOG_ERR, "vdpa: memory table refused: %d", rc);
        b->mem = old;
        if (map_all(b))
            b->errors++;
        return rc;
    }
    if ((rc = map_all(b))) {
        vu_mem_clear(&b->mem);
        return rc;
    }
    for (unsigned i = 0; i < b->mem.n; i++)
        if (b->verbose)
            vn_log(VN_LOG_INFO, "vdpa:   region %u gpa 0x%llx size 0x%llx uva 0x%llx off 0x%llx", i,
                   (unsigned long long)b->mem.r[i].gpa, (unsigned long long)b->mem.r[i].size,
                   (unsigned long long)b->mem.r[i].uva, (unsigned long long)b->mem.r[i].mmap_offset);
    return 0;
}

static int set_vring_addr(struct bridge *b, const struct vu_vring_addr *a)
{
    int q = ring_index(b, a->index, "SET_VRING_ADDR");
    if (q < 0)
        return -EINVAL;
    struct vring *v = &b->vr[q];
    unsigned n = v->num;
    if (n == 0) {
        vn_log(VN_LOG_ERR, "vdpa: ring %d: SET_VRING_ADDR before SET_VRING_NUM", q);
        v->failed = true;
        return -EINVAL;
    }
    /* packed: the driver and device areas are 4-byte event suppression structures */
    bool pk = packed(b);
    if (vu_mem_uva_to_gpa(&b->mem, a->desc, 16ull * n, &v->desc_gpa) ||
        vu_mem_uva_to_gpa(&b->mem, a->avail, pk ? 4 : 6ull + 2ull * n, &v->avail_gpa) ||
        vu_mem_uva_to_gpa(&b->mem, a->used, pk ? 4 : 6ull + 8ull * n, &v->used_gpa)) {
        vn_log(VN_LOG_ERR, "vdpa: ring %d: addresses desc 0x%llx avail 0x%llx used 0x%llx are not "
               "inside the memory table", q, (unsigned long long)a->desc,
               (unsigned long long)a->avail, (unsigned long long)a->used);
        v->failed = true;
        v->addr_set = false;
        return -EFAULT;
    }
    v->desc_uva = a->desc;
    v->avail_uva = a->avail;
    v->used_uva = a->used;
    v->addr_set = true;
    v->failed = false;
    return reconcile(b, (unsigned)q);
}

static int vring_fd(struct bridge *b, struct vu_msg *m, const char *what)
{
    int q = ring_index(b, (uint32_t)(m->p.u64 & VU_VRING_IDX_MASK), what);
    if (q < 0)
        return -EINVAL;
    struct vring *v = &b->vr[q];
    int fd = (m->p.u64 & VU_VRING_NOFD) ? -1 : take_fd(m);
    switch (m->hdr.request) {
    case VU_SET_VRING_KICK:
        close_fd(&v->kick_fd);
        v->kick_fd = fd;
        v->started = true; /* a ring starts with its kick fd (or polling without one) */
        if (!b->pf_negotiated)
            v->enabled = true;
        return reconcile(b, (unsigned)q);
    case VU_SET_VRING_CALL:
        close_fd(&v->call_fd);
        v->call_fd = fd;
        return 0;
    default:
        close_fd(&v->err_fd);
        v->err_fd = fd;
        return 0;
    }
}

/* Returns 0 or a negative errno for REPLY_ACK; *reply_sent when the message had its own. */
static int dispatch(struct bridge *b, struct vu_msg *m, bool *reply_sent)
{
    uint32_t req = m->hdr.request;
    int q, rc;

    switch (req) {
    case VU_GET_FEATURES:
        *reply_sent = true;
        return vu_reply_u64(b->sock, req, b->offered);
    case VU_SET_FEATURES:
        if (m->p.u64 & ~b->offered) {
            vn_log(VN_LOG_ERR, "vdpa: SET_FEATURES 0x%llx has bits never offered (0x%llx)",
                   (unsigned long long)m->p.u64, (unsigned long long)(m->p.u64 & ~b->offered));
            return -EINVAL;
        }
        b->acked = m->p.u64;
        b->pf_negotiated = (b->acked >> VU_F_PROTOCOL_FEATURES) & 1u;
        if (vdpa_dev_is_up(b->dev))
            vn_log(VN_LOG_INFO, "vdpa: features changed while running: kept until the next start");
        return 0;
    case VU_GET_PROTOCOL_FEATURES:
        *reply_sent = true;
        return vu_reply_u64(b->sock, req, bridge_protocol_features());
    case VU_SET_PROTOCOL_FEATURES:
        if (m->p.u64 & ~bridge_protocol_features())
            return -EINVAL;
        b->pf_acked = m->p.u64;
        return 0;
    case VU_SET_OWNER:
        b->owner = true;
        return 0;
    case VU_RESET_OWNER:
    case VU_RESET_DEVICE:
        bridge_account(b);
        rc = vdpa_dev_is_up(b->dev) ? vdpa_dev_reset(b->dev) : 0;
        for (unsigned i = 0; i < VDPA_MAX_QUEUES; i++)
            vring_clear(&b->vr[i]);
        b->status = 0;
        return rc;
    case VU_GET_QUEUE_NUM:
        *reply_sent = true;
        return vu_reply_u64(b->sock, req, b->nq / 2);
    case VU_SET_MEM_TABLE:
        return set_mem_table(b, m);
    case VU_SET_VRING_NUM:
        if ((q = ring_index(b, m->p.state.index, "SET_VRING_NUM")) < 0)
            return -EINVAL;
        {
            unsigned n = m->p.state.num, max = vdpa_dev_ring_max(b->dev, (unsigned)q);
            if (n == 0 || (n & (n - 1)) || n > max) {
                vn_log(VN_LOG_ERR, "vdpa: ring %d: size %u refused (a power of two up to %u)", q, n, max);
                b->vr[q].failed = true;
                b->vr[q].num = 0;
                return -EINVAL;
            }
            b->vr[q].num = n;
            b->vr[q].failed = false;
        }
        return 0;
    case VU_SET_VRING_ADDR:
        return set_vring_addr(b, &m->p.addr);
    case VU_SET_VRING_BASE:
        if ((q = ring_index(b, m->p.state.index, "SET_VRING_BASE")) < 0)
            return -EINVAL;
        b->vr[q].base = (uint16_t)m->p.state.num;
        return 0;
    case VU_GET_VRING_BASE: {
        if ((q = ring_index(b, m->p.state.index, "GET_VRING_BASE")) < 0) {
            *reply_sent = true; /* nothing sensible to answer: the connection is closed */
            return -EPROTO;
        }
        stop_ring(b, (unsigned)q);
        struct vu_vring_state st = {(uint32_t)q, b->vr[q].base};
        *reply_sent = true;
        return vu_send_reply(b->sock, req, &st, sizeof st);
    }
    case VU_SET_VRING_KICK:
    case VU_SET_VRING_CALL:
    case VU_SET_VRING_ERR:
        return vring_fd(b, m, req == VU_SET_VRING_KICK ? "SET_VRING_KICK"
                              : req == VU_SET_VRING_CALL ? "SET_VRING_CALL" : "SET_VRING_ERR");
    case VU_SET_VRING_ENABLE:
        if ((q = ring_index(b, m->p.state.index, "SET_VRING_ENABLE")) < 0)
            return -EINVAL;
        b->vr[q].enabled = m->p.state.num != 0;
        return reconcile(b, (unsigned)q);
    case VU_SET_SLAVE_REQ_FD:
        close_fd(&b->slave_fd);
        b->slave_fd = take_fd(m);
        return 0;
    case VU_SET_LOG_FD:
        close_fd(&b->log_fd);
        b->log_fd = take_fd(m);
        return 0;
    case VU_SET_STATUS:
        b->status = (uint8_t)m->p.u64;
        if (b->status == 0 && vdpa_dev_is_up(b->dev)) {
            /* QEMU resets the device before it asks for the ring bases (a link going down
             * stops vhost that way): stop each ring first, so GET_VRING_BASE answers where
             * the device really was and not the base the ring was started at. */
            for (unsigned i = 0; i < b->nq; i++)
                stop_ring(b, i);
            bridge_account(b);
            rc = vdpa_dev_reset(b->dev);
            for (unsigned i = 0; i < b->nq; i++)
                b->vr[i].started = false;
            return rc;
        }
        return 0;
    case VU_GET_STATUS:
        *reply_sent = true;
        return vu_reply_u64(b->sock, req, b->status);
    case VU_NET_SET_MTU:
    case VU_SET_VRING_ENDIAN:
        return 0;
    default: {
        char nb[32];
        vn_log(VN_LOG_WARN, "vdpa: %s not supported", vu_req_name(req, nb, sizeof nb));
        return -ENOTSUP;
    }
    }
}

static void log_msg(const struct bridge *b, const struct vu_msg *m)
{
    char nb[32];
    const char *name = vu_req_name(m->hdr.request, nb, sizeof nb);
    switch (m->hdr.request) {
    case VU_SET_FEATURES: case VU_SET_PROTOCOL_FEATURES: case VU_SET_STATUS:
        vn_log(VN_LOG_INFO, "vhost: %s 0x%llx", name, (unsigned long long)m->p.u64);
        break;
    case VU_SET_VRING_NUM: case VU_SET_VRING_BASE: case VU_GET_VRING_BASE: case VU_SET_VRING_ENABLE:
        vn_log(VN_LOG_INFO, "vhost: %s ring %u num %u", name, m->p.state.index, m->p.state.num);
        break;
    case VU_SET_VRING_ADDR:
        vn_log(VN_LOG_INFO, "vhost: %s ring %u desc 0x%llx avail 0x%llx used 0x%llx", name,
               m->p.addr.index, (unsigned long long)m->p.addr.desc,
               (unsigned long long)m->p.addr.avail, (unsigned long long)m->p.addr.used);
        break;
    case VU_SET_VRING_KICK: case VU_SET_VRING_CALL: case VU_SET_VRING_ERR:
        vn_log(VN_LOG_INFO, "vhost: %s ring %llu%s", name,
               (unsigned long long)(m->p.u64 & VU_VRING_IDX_MASK),
               (m->p.u64 & VU_VRING_NOFD) ? " (no fd: polling)" : "");
        break;
    case VU_SET_MEM_TABLE:
        vn_log(VN_LOG_INFO, "vhost: %s %u regions", name, m->p.mem.nregions);
        break;
    default:
        vn_log(VN_LOG_INFO, "vhost: %s%s", name, (m->hdr.flags & VU_FLAG_NEED_REPLY) ? " (reply)" : "");
    }
    (void)b;
}

int bridge_handle(struct bridge *b, struct vu_msg *m)
{
    bool reply_sent = false;

    b->msgs++;
    if (b->verbose)
        log_msg(b, m);
    int rc = dispatch(b, m, &reply_sent);
    vu_msg_close_fds(m);
    if (reply_sent)
        return rc;
    if (rc) {
        b->errors++;
        if (b->verbose)
            vn_log(VN_LOG_INFO, "vhost:   -> failed: %s", strerror(-rc));
    }
    if ((m->hdr.flags & VU_FLAG_NEED_REPLY) && (b->pf_acked >> VU_PF_REPLY_ACK) & 1u)
        return vu_reply_ack(b->sock, m->hdr.request, rc != 0);
    return 0;
}
