/* The split ring layout (virtio 1.2 section 2.7): descriptor table, avail ring, used
 * ring. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"
#include "vq_internal.h"

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
struct vq_used_elem {
    uint32_t id;
    uint32_t len;
};
_Static_assert(sizeof(struct vq_desc) == VQ_DESC_BYTES, "virtq_desc is 16 bytes");
_Static_assert(sizeof(struct vq_used_elem) == 8, "virtq_used_elem is 8 bytes");

/* Alignment of the avail and used rings (2.7, table "Virtqueue Part Alignment"). */
#define AVAIL_ALIGN 2u
#define USED_ALIGN 4u
_Static_assert(AVAIL_ALIGN <= VQ_DESC_ALIGN && USED_ALIGN <= VQ_DESC_ALIGN, "areas nest");
/* avail: flags, idx, ring[N], used_event.  used: flags, idx, ring[N], avail_event. */
#define AVAIL_HDR 4u
#define USED_HDR 4u

static int split_check_size(unsigned n)
{
    if (n == 0 || n > VN_VQ_MAX_SIZE || (n & (n - 1))) {
        vn_log(VN_LOG_ERR, "vq: size %u is not a power of two in 1..%u", n, VN_VQ_MAX_SIZE);
        return -EINVAL;
    }
    return 0;
}

static size_t avail_off(unsigned n)
{
    return (size_t)sizeof(struct vq_desc) * n;
}

static size_t used_off(unsigned n)
{
    size_t end = avail_off(n) + AVAIL_HDR + 2u * n + 2u;
    return (end + USED_ALIGN - 1) & ~(size_t)(USED_ALIGN - 1);
}

static size_t split_mem_size(unsigned n)
{
    return used_off(n) + USED_HDR + sizeof(struct vq_used_elem) * n + 2u;
}

static void split_map(struct vn_vq *vq)
{
    struct vq_split_ring *s = &vq->s;
    unsigned char *base = vq->mem.va;
    unsigned n = vq->size;

    s->desc = (volatile struct vq_desc *)base;
    volatile uint16_t *avail = (volatile uint16_t *)(base + avail_off(n));
    s->avail_flags = &avail[0];
    s->avail_idx = &avail[1];
    s->avail_ring = &avail[2];
    s->used_event = &avail[2 + n];
    volatile uint16_t *used = (volatile uint16_t *)(base + used_off(n));
    s->used_flags = &used[0];
    s->used_idx = &used[1];
    s->used_ring = (volatile struct vq_used_elem *)&used[2];
    s->avail_event =
        (volatile uint16_t *)(base + used_off(n) + USED_HDR + sizeof(struct vq_used_elem) * n);
    s->mask = (uint16_t)(n - 1);
}

static void split_init(struct vn_vq *vq, bool keep_cb)
{
    struct vq_split_ring *s = &vq->s;
    uint16_t flags = keep_cb ? s->avail_flags_shadow : 0;

    memset(vq->mem.va, 0, split_mem_size(vq->size));
    vq_chains_init(vq);
    for (unsigned i = 0; i < vq->size; i++)
        vq->next[i] = (uint16_t)((i + 1) & s->mask);
    vq->free_head = 0;
    s->avail_shadow = s->kicked = s->last_used = 0;
    s->avail_flags_shadow = flags;
    if (!vq->event_idx)
        *s->avail_flags = flags;
}

static void publish(struct vn_vq *vq, uint16_t h, uint16_t *head)
{
    struct vq_split_ring *s = &vq->s;

    s->avail_ring[s->avail_shadow & s->mask] = h;
    /* The device may read the entry and descriptors as soon as it sees the new idx. */
    atomic_thread_fence(memory_order_release);
    s->avail_shadow++;
    *s->avail_idx = s->avail_shadow;
    if (head)
        *head = h;
}

/* The chain in the head slot's own table, one ring descriptor pointing at it. */
static void add_indirect(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                         const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head)
{
    unsigned n = n_out + n_in;
    uint16_t h = vq->free_head;
    volatile struct vq_desc *t = vq_ind_table(vq, h);

    for (unsigned i = 0; i < n; i++) {
        const struct vn_vq_seg *sg = vq_seg(out, n_out, in, i);
        uint16_t flags = i + 1 < n ? VN_DESC_F_NEXT : 0;
        if (i >= n_out)
            flags |= VN_DESC_F_WRITE;
        t[i].addr = sg->iova;
        t[i].len = sg->len;
        t[i].flags = flags;
        t[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
    }
    volatile struct vq_desc *d = &vq->s.desc[h];
    d->addr = vq_ind_iova(vq, h);
    d->len = (uint32_t)(n * sizeof(struct vq_desc));
    d->flags = VN_DESC_F_INDIRECT;
    d->next = 0;
    vq->free_head = vq->next[h];
    vq_chain_start(vq, h, 1, vq_in_bytes(in, n_in), cookie);
    publish(vq, h, head);
}

static void split_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                      const struct vn_vq_seg *in, unsigned n_in, bool indirect, void *cookie,
                      uint16_t *head)
{
    unsigned n = n_out + n_in;

    if (indirect) {
        add_indirect(vq, out, n_out, in, n_in, cookie, head);
        return;
    }
    uint16_t h = vq->free_head, d = h, last = h;
    for (unsigned i = 0; i < n; i++) {
        const struct vn_vq_seg *sg = vq_seg(out, n_out, in, i);
        uint16_t flags = 0;
        if (i >= n_out)
            flags |= VN_DESC_F_WRITE;
        if (i + 1 < n)
            flags |= VN_DESC_F_NEXT;
        vq->s.desc[d].addr = sg->iova;
        vq->s.desc[d].len = sg->len;
        vq->s.desc[d].flags = flags;
        vq->s.desc[d].next = (i + 1 < n) ? vq->next[d] : 0;
        last = d;
        d = vq->next[d];
    }
    vq->free_head = vq->next[last];
    vq_chain_start(vq, h, n, vq_in_bytes(in, n_in), cookie);
    publish(vq, h, head);
}

static bool split_kick_prepare(struct vn_vq *vq)
{
    struct vq_split_ring *s = &vq->s;
    uint16_t old = s->kicked, now = s->avail_shadow;

    /* The avail idx store must be visible before we read the device's suppression
     * state, or both sides could decide the other will act (2.7.13.4). */
    atomic_thread_fence(memory_order_seq_cst);
    s->kicked = now;
    if (old == now)
        return false;
    if (vq->event_idx)
        return vn_vq_need_event(*s->avail_event, now, old);
    return !(*s->used_flags & VN_USED_F_NO_NOTIFY);
}

static unsigned split_used_pending(const struct vn_vq *vq)
{
    uint16_t n = (uint16_t)(*vq->s.used_idx - vq->s.last_used);
    return n > vq->inflight ? 0 : n;
}

static int split_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id)
{
    struct vq_split_ring *s = &vq->s;
    uint16_t used = *s->used_idx;
    uint16_t pending = (uint16_t)(used - s->last_used);
    int rc;

    if (pending == 0)
        return -EAGAIN;
    if (pending > vq->inflight) {
        vn_log(VN_LOG_ERR, "vq: used idx %u is %u ahead of %u with %u chains outstanding", used,
               pending, s->last_used, vq->inflight);
        vq->broken = true;
        return -EIO;
    }
    /* Read the element only after seeing the idx that published it. */
    atomic_thread_fence(memory_order_acquire);
    volatile struct vq_used_elem *e = &s->used_ring[s->last_used & s->mask];
    uint32_t eid = e->id, elen = e->len;
    if ((rc = vq_chain_check(vq, eid, elen)))
        return rc;
    s->last_used++;

    uint16_t tail = (uint16_t)eid;
    for (unsigned i = 1; i < vq->chain_n[eid]; i++)
        tail = vq->next[tail];
    vq->next[tail] = vq->free_head;
    vq->free_head = (uint16_t)eid;
    void *c = vq_chain_end(vq, eid);
    if (cookie)
        *cookie = c;
    if (len)
        *len = elen;
    if (id)
        *id = (uint16_t)eid;

    if (vq->event_idx && !(s->avail_flags_shadow & VN_AVAIL_F_NO_INTERRUPT)) {
        /* Interrupt me for the next element on. */
        *s->used_event = s->last_used;
        atomic_thread_fence(memory_order_seq_cst);
    }
    return 0;
}

static void split_disable_cb(struct vn_vq *vq)
{
    struct vq_split_ring *s = &vq->s;

    if (s->avail_flags_shadow & VN_AVAIL_F_NO_INTERRUPT)
        return;
    s->avail_flags_shadow |= VN_AVAIL_F_NO_INTERRUPT;
    /* With event_idx the flag is ignored by the device; leaving used_event where it is
     * allows at most one more interrupt, as Linux does. */
    if (!vq->event_idx)
        *s->avail_flags = s->avail_flags_shadow;
}

static bool split_enable_cb(struct vn_vq *vq)
{
    struct vq_split_ring *s = &vq->s;

    s->avail_flags_shadow &= (uint16_t)~VN_AVAIL_F_NO_INTERRUPT;
    if (vq->event_idx)
        *s->used_event = s->last_used;
    else
        *s->avail_flags = s->avail_flags_shadow;
    /* Publish before re-checking, or an element arriving in between is missed. */
    atomic_thread_fence(memory_order_seq_cst);
    return *s->used_idx != s->last_used;
}

static uint16_t split_avail_idx(const struct vn_vq *vq) { return vq->s.avail_shadow; }
static uint16_t split_avail_event(const struct vn_vq *vq) { return *vq->s.avail_event; }
static uint16_t split_last_used(const struct vn_vq *vq) { return vq->s.last_used; }

static void split_set_used_event(struct vn_vq *vq, uint16_t v)
{
    *vq->s.used_event = v;
    atomic_thread_fence(memory_order_seq_cst);
}

static uint16_t split_pos_advance(const struct vn_vq *vq, uint16_t pos, unsigned n)
{
    (void)vq;
    return (uint16_t)(pos + n);
}

static size_t split_driver_off(unsigned n) { return avail_off(n); }

const struct vq_layout vq_split_layout = {
    .packed = false,
    .check_size = split_check_size,
    .mem_size = split_mem_size,
    .driver_off = split_driver_off,
    .device_off = used_off,
    .map = split_map,
    .init = split_init,
    .add = split_add,
    .kick_prepare = split_kick_prepare,
    .get_used = split_get_used,
    .used_pending = split_used_pending,
    .disable_cb = split_disable_cb,
    .enable_cb = split_enable_cb,
    .avail_idx = split_avail_idx,
    .avail_event = split_avail_event,
    .last_used = split_last_used,
    .set_used_event = split_set_used_event,
    .pos_advance = split_pos_advance,
};
