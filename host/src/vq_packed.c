/* The packed ring layout (virtio 1.2 section 2.8): one descriptor ring both sides write,
 * told apart by wrap counters, and two event suppression areas.
 *
 * Positions with a wrap counter travel as one le16, off | wrap << 15, the encoding of
 * off_wrap and of a NOTIFICATION_DATA doorbell's next_off/next_wrap. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"
#include "vq_internal.h"

struct vq_pdesc {
    uint64_t addr;
    uint32_t len;
    uint16_t id;
    uint16_t flags;
};
_Static_assert(sizeof(struct vq_pdesc) == VQ_DESC_BYTES, "pvirtq_desc is 16 bytes");
_Static_assert(offsetof(struct vq_pdesc, id) == VN_PDESC_ID_OFF, "pvirtq_desc.id");
_Static_assert(offsetof(struct vq_pdesc, flags) == VN_PDESC_FLAGS_OFF, "pvirtq_desc.flags");

/* Driver and device event suppression areas: 4 bytes each, 4-byte aligned, after the
 * ring (whose 16 * N bytes keep them aligned). */
#define EVENT_BYTES 4u
#define WRAP_BIT VN_PACKED_POS_WRAP_SHIFT
#define OFF_MASK VN_PACKED_POS_IDX_MASK
#define EVENT_FLAGS_MASK 0x3u

static int packed_check_size(unsigned n)
{
    if (n == 0 || n > VN_VQ_MAX_SIZE) {
        vn_log(VN_LOG_ERR, "vq: packed size %u outside 1..%u", n, VN_VQ_MAX_SIZE);
        return -EINVAL;
    }
    return 0;
}

static size_t packed_driver_off(unsigned n) { return (size_t)VQ_DESC_BYTES * n; }
static size_t packed_device_off(unsigned n) { return packed_driver_off(n) + EVENT_BYTES; }
static size_t packed_mem_size(unsigned n) { return packed_device_off(n) + EVENT_BYTES; }

static uint16_t pos_wrap(uint16_t off, bool wrap)
{
    return (uint16_t)(off | (unsigned)wrap << WRAP_BIT);
}

/* AVAIL = the driver's wrap counter, USED = its inverse (2.8.1). */
static uint16_t avail_bits(bool wrap)
{
    return wrap ? VN_PDESC_F_AVAIL : VN_PDESC_F_USED;
}

static bool is_used(uint16_t flags, bool used_wrap)
{
    bool avail = flags & VN_PDESC_F_AVAIL, used = flags & VN_PDESC_F_USED;
    return avail == used && used == used_wrap;
}

/* Flags of the descriptor at off, read before anything else in it: the acquire keeps
 * the id and len reads after the flags that say they are the device's. */
static uint16_t desc_flags(const struct vn_vq *vq, uint16_t off)
{
    return __atomic_load_n(&vq->p.desc[off].flags, __ATOMIC_ACQUIRE);
}

static void advance(const struct vn_vq *vq, uint16_t *off, bool *wrap, unsigned n)
{
    unsigned o = *off + n;
    while (o >= vq->size) {
        o -= vq->size;
        *wrap = !*wrap;
    }
    *off = (uint16_t)o;
}

static void packed_map(struct vn_vq *vq)
{
    struct vq_packed_ring *p = &vq->p;
    unsigned char *base = vq->mem.va;

    p->desc = (volatile struct vq_pdesc *)base;
    volatile uint16_t *drv = (volatile uint16_t *)(base + packed_driver_off(vq->size));
    p->drv_off_wrap = &drv[0];
    p->drv_flags = &drv[1];
    p->dev_event = (volatile uint32_t *)(base + packed_device_off(vq->size));
}

/* Interrupts on from the next used descriptor.  With EVENT_IDX by position (DESC), as
 * Linux does: the device interrupts once it passes that slot, not for every used
 * descriptor, and get_used moves the slot along as it consumes. */
static void cb_on(struct vn_vq *vq)
{
    struct vq_packed_ring *p = &vq->p;

    if (vq->event_idx) {
        *p->drv_off_wrap = pos_wrap(p->next_used, p->used_wrap);
        /* the position must be there before the flags make the device look at it */
        atomic_thread_fence(memory_order_release);
    }
    p->drv_flags_shadow = vq->event_idx ? VN_EVENT_F_DESC : VN_EVENT_F_ENABLE;
    *p->drv_flags = p->drv_flags_shadow;
}

static void packed_init(struct vn_vq *vq, bool keep_cb)
{
    struct vq_packed_ring *p = &vq->p;
    bool cb_off = keep_cb && p->drv_flags_shadow == VN_EVENT_F_DISABLE;

    memset(vq->mem.va, 0, packed_mem_size(vq->size));
    vq_chains_init(vq);
    for (unsigned i = 0; i < vq->size; i++)
        vq->next[i] = (uint16_t)(i + 1 < vq->size ? i + 1 : 0);
    vq->free_head = 0;
    p->next_avail = p->next_used = 0;
    p->avail_wrap = p->used_wrap = true;
    p->added = 0;
    if (cb_off) {
        p->drv_flags_shadow = VN_EVENT_F_DISABLE;
        *p->drv_flags = VN_EVENT_F_DISABLE;
    } else {
        cb_on(vq);
    }
}

/* The chain in the buffer id's own table; id and every flag but WRITE are reserved
 * there (2.8.7). */
static uint32_t fill_table(struct vn_vq *vq, uint16_t id, const struct vn_vq_seg *out,
                           unsigned n_out, const struct vn_vq_seg *in, unsigned n_in)
{
    volatile struct vq_pdesc *t = vq_ind_table(vq, id);

    for (unsigned i = 0; i < n_out + n_in; i++) {
        const struct vn_vq_seg *sg = vq_seg(out, n_out, in, i);
        t[i].addr = sg->iova;
        t[i].len = sg->len;
        t[i].id = 0;
        t[i].flags = i >= n_out ? VN_DESC_F_WRITE : 0;
    }
    return (n_out + n_in) * (uint32_t)sizeof(struct vq_pdesc);
}

static void packed_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                       const struct vn_vq_seg *in, unsigned n_in, bool indirect, void *cookie,
                       uint16_t *head)
{
    struct vq_packed_ring *p = &vq->p;
    uint16_t id = vq->free_head, first = p->next_avail, first_flags = 0;
    uint16_t off = first;
    bool wrap = p->avail_wrap;
    unsigned nd = indirect ? 1 : n_out + n_in;

    for (unsigned i = 0; i < nd; i++) {
        volatile struct vq_pdesc *d = &p->desc[off];
        uint16_t flags = avail_bits(wrap);
        if (indirect) {
            d->addr = vq_ind_iova(vq, id);
            d->len = fill_table(vq, id, out, n_out, in, n_in);
            flags |= VN_DESC_F_INDIRECT;
        } else {
            const struct vn_vq_seg *sg = vq_seg(out, n_out, in, i);
            d->addr = sg->iova;
            d->len = sg->len;
            if (i >= n_out)
                flags |= VN_DESC_F_WRITE;
            if (i + 1 < nd)
                flags |= VN_DESC_F_NEXT;
        }
        /* The device takes the id from the last descriptor; the same in each costs
         * nothing and keeps a partly read chain unambiguous. */
        d->id = id;
        if (i == 0)
            first_flags = flags;
        else
            d->flags = flags;
        advance(vq, &off, &wrap, 1);
    }
    vq->free_head = vq->next[id];
    p->next_avail = off;
    p->avail_wrap = wrap;
    p->added += nd;
    vq_chain_start(vq, id, nd, vq_in_bytes(in, n_in), cookie);
    /* The head's flags last, with release: until they flip, the device sees none of the
     * chain; once they do, all of it must be there (2.8.6). */
    __atomic_store_n(&p->desc[first].flags, first_flags, __ATOMIC_RELEASE);
    if (head)
        *head = id;
}

/* Linux's virtqueue_kick_prepare_packed: with DESC, kick when the descriptors made
 * available since the last decision passed the device's off_wrap. */
static bool packed_kick_prepare(struct vn_vq *vq)
{
    struct vq_packed_ring *p = &vq->p;
    unsigned added = p->added;

    /* The descriptor stores must be visible before we read the device's suppression
     * state, or both sides could decide the other will act. */
    atomic_thread_fence(memory_order_seq_cst);
    p->added = 0;
    if (!added)
        return false;
    uint32_t ev = *p->dev_event;
    uint16_t off_wrap = (uint16_t)ev, flags = (uint16_t)(ev >> 16) & EVENT_FLAGS_MASK;
    /* DESC without EVENT_IDX, or the reserved value: a spurious kick is harmless, a
     * missing one stalls the queue. */
    if (flags != VN_EVENT_F_DESC || !vq->event_idx)
        return flags != VN_EVENT_F_DISABLE;
    if (added >= vq->size)
        return true; /* every position was written since: off_wrap's among them */
    uint16_t now = p->next_avail, old = (uint16_t)(now - added);
    uint16_t event = off_wrap & OFF_MASK;
    /* an event from the lap before this one lies N below in the same 16-bit space */
    if ((bool)(off_wrap >> WRAP_BIT) != p->avail_wrap)
        event = (uint16_t)(event - vq->size);
    return vn_vq_need_event(event, now, old);
}

static int packed_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id)
{
    struct vq_packed_ring *p = &vq->p;
    int rc;

    if (!is_used(desc_flags(vq, p->next_used), p->used_wrap))
        return -EAGAIN;
    uint16_t eid = p->desc[p->next_used].id;
    uint32_t elen = p->desc[p->next_used].len;
    if ((rc = vq_chain_check(vq, eid, elen)))
        return rc;
    /* The device wrote one used descriptor for the chain and skipped the rest of its
     * slots (2.8.6). */
    advance(vq, &p->next_used, &p->used_wrap, vq->chain_n[eid]);
    vq->next[eid] = vq->free_head;
    vq->free_head = eid;
    void *c = vq_chain_end(vq, eid);
    if (cookie)
        *cookie = c;
    if (len)
        *len = elen;
    if (id)
        *id = eid;

    if (p->drv_flags_shadow == VN_EVENT_F_DESC) {
        /* Interrupt me for the next used descriptor on. */
        *p->drv_off_wrap = pos_wrap(p->next_used, p->used_wrap);
        atomic_thread_fence(memory_order_seq_cst);
    }
    return 0;
}

static unsigned packed_used_pending(const struct vn_vq *vq)
{
    const struct vq_packed_ring *p = &vq->p;
    uint16_t off = p->next_used;
    bool wrap = p->used_wrap;
    unsigned n = 0;

    while (n < vq->inflight && is_used(desc_flags(vq, off), wrap)) {
        uint16_t eid = p->desc[off].id;
        if (eid >= vq->size || !vq->chain_n[eid])
            return 0; /* get_used will say what is wrong */
        n++;
        advance(vq, &off, &wrap, vq->chain_n[eid]);
    }
    return n;
}

static void packed_disable_cb(struct vn_vq *vq)
{
    struct vq_packed_ring *p = &vq->p;

    /* Unlike split's used_event, DISABLE holds with EVENT_IDX too (2.8.10). */
    if (p->drv_flags_shadow == VN_EVENT_F_DISABLE)
        return;
    p->drv_flags_shadow = VN_EVENT_F_DISABLE;
    *p->drv_flags = VN_EVENT_F_DISABLE;
}

static bool packed_enable_cb(struct vn_vq *vq)
{
    cb_on(vq);
    /* Publish before re-checking, or a descriptor used in between is missed. */
    atomic_thread_fence(memory_order_seq_cst);
    return is_used(desc_flags(vq, vq->p.next_used), vq->p.used_wrap);
}

static uint16_t packed_avail_idx(const struct vn_vq *vq)
{
    return pos_wrap(vq->p.next_avail, vq->p.avail_wrap);
}

static uint16_t packed_avail_event(const struct vn_vq *vq)
{
    return (uint16_t)*vq->p.dev_event;
}

static uint16_t packed_last_used(const struct vn_vq *vq)
{
    return pos_wrap(vq->p.next_used, vq->p.used_wrap);
}

static void packed_set_used_event(struct vn_vq *vq, uint16_t v)
{
    struct vq_packed_ring *p = &vq->p;

    if (!vq->event_idx)
        return; /* DESC is only valid with EVENT_IDX */
    *p->drv_off_wrap = v;
    atomic_thread_fence(memory_order_release);
    p->drv_flags_shadow = VN_EVENT_F_DESC;
    *p->drv_flags = VN_EVENT_F_DESC;
    atomic_thread_fence(memory_order_seq_cst);
}

static uint16_t packed_pos_advance(const struct vn_vq *vq, uint16_t pos, unsigned n)
{
    uint16_t off = pos & OFF_MASK;
    bool wrap = pos >> WRAP_BIT;

    if (off >= vq->size)
        off = (uint16_t)(off % vq->size); /* not a position of this ring: keep it in range */
    advance(vq, &off, &wrap, n % (2u * vq->size));
    return pos_wrap(off, wrap);
}

const struct vq_layout vq_packed_layout = {
    .packed = true,
    .check_size = packed_check_size,
    .mem_size = packed_mem_size,
    .driver_off = packed_driver_off,
    .device_off = packed_device_off,
    .map = packed_map,
    .init = packed_init,
    .add = packed_add,
    .kick_prepare = packed_kick_prepare,
    .get_used = packed_get_used,
    .used_pending = packed_used_pending,
    .disable_cb = packed_disable_cb,
    .enable_cb = packed_enable_cb,
    .avail_idx = packed_avail_idx,
    .avail_event = packed_avail_event,
    .last_used = packed_last_used,
    .set_used_event = packed_set_used_event,
    .pos_advance = packed_pos_advance,
};
