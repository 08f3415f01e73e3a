/* Driver-side split virtqueue (virtio 1.2 section 2.7). */
#include "vn_vq.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_log.h"

/* Ring fields are little endian; this code stores them natively. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vq_split.c assumes a little-endian host"
#endif

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
_Static_assert(sizeof(struct vq_desc) == 16, "virtq_desc is 16 bytes");
_Static_assert(sizeof(struct vq_used_elem) == 8, "virtq_used_elem is 8 bytes");

/* Alignment of the three areas (2.7, table "Virtqueue Part Alignment"). */
#define DESC_ALIGN 16u
#define AVAIL_ALIGN 2u
#define USED_ALIGN 4u
/* avail: flags, idx, ring[N], used_event.  used: flags, idx, ring[N], avail_event. */
#define AVAIL_HDR 4u
#define USED_HDR 4u

struct vn_vq {
    struct vn_tr *tr;
    struct vn_dma mem;
    unsigned size;
    uint16_t mask;
    bool event_idx;
    bool broken;

    /* The device reads and writes these concurrently: volatile keeps every access a
     * real memory access, and the fences order them. */
    volatile struct vq_desc *desc;
    volatile uint16_t *avail_flags, *avail_idx, *avail_ring, *used_event;
    volatile uint16_t *used_flags, *used_idx, *avail_event;
    volatile struct vq_used_elem *used_ring;

    /* Driver-private state: never trusted from, nor readable by, the device. */
    uint16_t free_head;
    unsigned num_free;
    unsigned inflight;
    uint16_t avail_shadow;  /* next avail idx to publish */
    uint16_t kicked;        /* avail idx at the last kick decision */
    uint16_t last_used;     /* next used idx to consume */
    uint16_t avail_flags_shadow;
    uint16_t *next;         /* free list and chain links */
    uint16_t *chain_n;      /* descriptors in the chain headed here; 0: not an outstanding head */
    uint32_t *chain_in;     /* writable bytes of that chain (bounds the used len) */
    void **cookie;
    /* INDIRECT_DESC: a table of ind_max descriptors for each ring slot, used by the chain
     * whose head sits there (a slot heads one chain at a time) */
    struct vn_dma ind;
    unsigned ind_max;
};

static size_t avail_off(unsigned n)
{
    return (size_t)sizeof(struct vq_desc) * n;
}

static size_t used_off(unsigned n)
{
    size_t end = avail_off(n) + AVAIL_HDR + 2u * n + 2u;
    return (end + USED_ALIGN - 1) & ~(size_t)(USED_ALIGN - 1);
}

size_t vn_vq_mem_size(unsigned n)
{
    return used_off(n) + USED_HDR + sizeof(struct vq_used_elem) * n + 2u;
}

static void ring_init(struct vn_vq *vq)
{
    memset(vq->mem.va, 0, vn_vq_mem_size(vq->size));
    for (unsigned i = 0; i < vq->size; i++) {
        vq->next[i] = (uint16_t)((i + 1) & vq->mask);
        vq->chain_n[i] = 0;
        vq->chain_in[i] = 0;
        vq->cookie[i] = NULL;
    }
    vq->free_head = 0;
    vq->num_free = vq->size;
    vq->inflight = 0;
    vq->avail_shadow = vq->kicked = vq->last_used = 0;
    vq->avail_flags_shadow = 0;
    vq->broken = false;
}

int vn_vq_create(struct vn_tr *tr, unsigned size, bool event_idx, struct vn_vq **out)
{
    struct vn_vq *vq;
    int rc;

    *out = NULL;
    if (size == 0 || size > VN_VQ_MAX_SIZE || (size & (size - 1))) {
        vn_log(VN_LOG_ERR, "vq: size %u is not a power of two in 1..%u", size, VN_VQ_MAX_SIZE);
        return -EINVAL;
    }
    vq = calloc(1, sizeof *vq);
    if (!vq)
        return -ENOMEM;
    vq->tr = tr;
    vq->size = size;
    vq->mask = (uint16_t)(size - 1);
    vq->event_idx = event_idx;
    vq->next = calloc(size, sizeof *vq->next);
    vq->chain_n = calloc(size, sizeof *vq->chain_n);
    vq->chain_in = calloc(size, sizeof *vq->chain_in);
    vq->cookie = calloc(size, sizeof *vq->cookie);
    if (!vq->next || !vq->chain_n || !vq->chain_in || !vq->cookie) {
        rc = -ENOMEM;
        goto fail;
    }
    rc = vn_tr_dma_alloc(tr, vn_vq_mem_size(size), &vq->mem);
    if (rc) {
        vn_log(VN_LOG_ERR, "vq: no DMA memory for a %u-entry ring: %d", size, rc);
        vq->mem.va = NULL;
        goto fail;
    }
    if (vq->mem.iova % DESC_ALIGN) {
        vn_log(VN_LOG_ERR, "vq: transport gave a ring at IOVA 0x%llx, not %u-byte aligned",
               (unsigned long long)vq->mem.iova, DESC_ALIGN);
        rc = -EINVAL;
        goto fail;
    }
    _Static_assert(AVAIL_ALIGN <= DESC_ALIGN && USED_ALIGN <= DESC_ALIGN, "areas nest");

    unsigned char *base = vq->mem.va;
    vq->desc = (volatile struct vq_desc *)base;
    volatile uint16_t *avail = (volatile uint16_t *)(base + avail_off(size));
    vq->avail_flags = &avail[0];
    vq->avail_idx = &avail[1];
    vq->avail_ring = &avail[2];
    vq->used_event = &avail[2 + size];
    volatile uint16_t *used = (volatile uint16_t *)(base + used_off(size));
    vq->used_flags = &used[0];
    vq->used_idx = &used[1];
    vq->used_ring = (volatile struct vq_used_elem *)&used[2];
    vq->avail_event = (volatile uint16_t *)(base + used_off(size) + USED_HDR +
                                             sizeof(struct vq_used_elem) * size);
    ring_init(vq);
    *out = vq;
    return 0;

fail:
    vn_vq_destroy(vq);
    return rc;
}

void vn_vq_destroy(struct vn_vq *vq)
{
    if (!vq)
        return;
    if (vq->mem.va)
        vn_tr_dma_free(vq->tr, &vq->mem);
    if (vq->ind.va)
        vn_tr_dma_free(vq->tr, &vq->ind);
    free(vq->next);
    free(vq->chain_n);
    free(vq->chain_in);
    free(vq->cookie);
    free(vq);
}

unsigned vn_vq_size(const struct vn_vq *vq) { return vq->size; }
uint16_t vn_vq_avail_idx(const struct vn_vq *vq) { return vq->avail_shadow; }
uint16_t vn_vq_avail_event(const struct vn_vq *vq) { return *vq->avail_event; }
uint16_t vn_vq_last_used(const struct vn_vq *vq) { return vq->last_used; }

void vn_vq_set_used_event(struct vn_vq *vq, uint16_t v)
{
    *vq->used_event = v;
    atomic_thread_fence(memory_order_seq_cst);
}
unsigned vn_vq_num_free(const struct vn_vq *vq) { return vq->num_free; }
unsigned vn_vq_inflight(const struct vn_vq *vq) { return vq->inflight; }
uint64_t vn_vq_desc_iova(const struct vn_vq *vq) { return vq->mem.iova; }
uint64_t vn_vq_driver_iova(const struct vn_vq *vq) { return vq->mem.iova + avail_off(vq->size); }
uint64_t vn_vq_device_iova(const struct vn_vq *vq) { return vq->mem.iova + used_off(vq->size); }

int vn_vq_set_indirect(struct vn_vq *vq, unsigned max_segs)
{
    if (vq->ind.va)
        vn_tr_dma_free(vq->tr, &vq->ind);
    vq->ind.va = NULL;
    vq->ind_max = 0;
    if (!max_segs)
        return 0;
    if (max_segs > 64)
        return -EINVAL;
    int rc = vn_tr_dma_alloc(vq->tr, (size_t)vq->size * max_segs * sizeof(struct vq_desc),
                             &vq->ind);
    if (rc) {
        vq->ind.va = NULL;
        return rc;
    }
    vq->ind_max = max_segs;
    return 0;
}

static void publish(struct vn_vq *vq, uint16_t h, uint16_t *head)
{
    vq->avail_ring[vq->avail_shadow & vq->mask] = h;
    /* The device may read the entry and descriptors as soon as it sees the new idx. */
    atomic_thread_fence(memory_order_release);
    vq->avail_shadow++;
    *vq->avail_idx = vq->avail_shadow;
    if (head)
        *head = h;
}

/* The chain in the head slot's own table, one ring descriptor pointing at it. */
static int add_indirect(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                        const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head)
{
    unsigned n = n_out + n_in;
    uint64_t in_bytes = 0;
    uint16_t h = vq->free_head;
    volatile struct vq_desc *t =
        (volatile struct vq_desc *)((unsigned char *)vq->ind.va +
                                    (size_t)h * vq->ind_max * sizeof(struct vq_desc));

    for (unsigned i = 0; i < n; i++) {
        const struct vn_vq_seg *s = i < n_out ? &out[i] : &in[i - n_out];
        uint16_t flags = i + 1 < n ? VN_DESC_F_NEXT : 0;
        if (i >= n_out) {
            flags |= VN_DESC_F_WRITE;
            in_bytes += s->len;
        }
        t[i].addr = s->iova;
        t[i].len = s->len;
        t[i].flags = flags;
        t[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
    }
    vq->desc[h].addr = vq->ind.iova + (uint64_t)h * vq->ind_max * sizeof(struct vq_desc);
    vq->desc[h].len = (uint32_t)(n * sizeof(struct vq_desc));
    vq->desc[h].flags = VN_DESC_F_INDIRECT;
    vq->desc[h].next = 0;
    vq->free_head = vq->next[h];
    vq->num_free--;
    vq->inflight++;
    vq->chain_n[h] = 1;
    vq->chain_in[h] = in_bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)in_bytes;
    vq->cookie[h] = cookie;
    publish(vq, h, head);
    return 0;
}

int vn_vq_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
              const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head)
{
    unsigned n = n_out + n_in;
    uint64_t in_bytes = 0;

    if (vq->broken)
        return -EIO;
    if (n == 0 || n_out > vq->size || n_in > vq->size)
        return -EINVAL;
    for (unsigned i = 0; i < n; i++)
        if ((i < n_out ? out[i].len : in[i - n_out].len) == 0)
            return -EINVAL;
    if (vq->ind_max && n <= vq->ind_max && vq->num_free >= 1)
        return add_indirect(vq, out, n_out, in, n_in, cookie, head);
    if (n > vq->num_free)
        return -ENOSPC;

    uint16_t h = vq->free_head, d = h, last = h;
    for (unsigned i = 0; i < n; i++) {
        const struct vn_vq_seg *s = i < n_out ? &out[i] : &in[i - n_out];
        uint16_t flags = 0;
        if (i >= n_out) {
            flags |= VN_DESC_F_WRITE;
            in_bytes += s->len;
        }
        if (i + 1 < n)
            flags |= VN_DESC_F_NEXT;
        vq->desc[d].addr = s->iova;
        vq->desc[d].len = s->len;
        vq->desc[d].flags = flags;
        vq->desc[d].next = (i + 1 < n) ? vq->next[d] : 0;
        last = d;
        d = vq->next[d];
    }
    vq->free_head = vq->next[last];
    vq->num_free -= n;
    vq->inflight++;
    vq->chain_n[h] = (uint16_t)n; /* n <= size <= 32768 */
    vq->chain_in[h] = in_bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)in_bytes;
    vq->cookie[h] = cookie;
    publish(vq, h, head);
    return 0;
}

bool vn_vq_kick_prepare(struct vn_vq *vq)
{
    uint16_t old = vq->kicked, now = vq->avail_shadow;

    /* The avail idx store must be visible before we read the device's suppression
     * state, or both sides could decide the other will act (2.7.13.4). */
    atomic_thread_fence(memory_order_seq_cst);
    vq->kicked = now;
    if (old == now)
        return false;
    if (vq->event_idx)
        return vn_vq_need_event(*vq->avail_event, now, old);
    return !(*vq->used_flags & VN_USED_F_NO_NOTIFY);
}

unsigned vn_vq_used_pending(const struct vn_vq *vq)
{
    uint16_t n = (uint16_t)(*vq->used_idx - vq->last_used);
    return (vq->broken || n > vq->inflight) ? 0 : n;
}

int vn_vq_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id)
{
    if (vq->broken)
        return -EIO;
    uint16_t used = *vq->used_idx;
    uint16_t pending = (uint16_t)(used - vq->last_used);
    if (pending == 0)
        return -EAGAIN;
    if (pending > vq->inflight) {
        vn_log(VN_LOG_ERR, "vq: used idx %u is %u ahead of %u with %u chains outstanding", used,
               pending, vq->last_used, vq->inflight);
        vq->broken = true;
        return -EIO;
    }
    /* Read the element only after seeing the idx that published it. */
    atomic_thread_fence(memory_order_acquire);
    volatile struct vq_used_elem *e = &vq->used_ring[vq->last_used & vq->mask];
    uint32_t eid = e->id, elen = e->len;
    if (eid >= vq->size || vq->chain_n[eid] == 0) {
        vn_log(VN_LOG_ERR, "vq: used id %u is not an outstanding chain", eid);
        vq->broken = true;
        return -EIO;
    }
    if (elen > vq->chain_in[eid]) {
        vn_log(VN_LOG_ERR, "vq: used len %u for chain %u exceeds its %u writable bytes", elen,
               eid, vq->chain_in[eid]);
        vq->broken = true;
        return -EIO;
    }
    vq->last_used++;

    uint16_t tail = (uint16_t)eid;
    for (unsigned i = 1; i < vq->chain_n[eid]; i++)
        tail = vq->next[tail];
    vq->next[tail] = vq->free_head;
    vq->free_head = (uint16_t)eid;
    vq->num_free += vq->chain_n[eid];
    vq->inflight--;
    vq->chain_n[eid] = 0;
    if (cookie)
        *cookie = vq->cookie[eid];
    vq->cookie[eid] = NULL;
    if (len)
        *len = elen;
    if (id)
        *id = (uint16_t)eid;

    if (vq->event_idx && !(vq->avail_flags_shadow & VN_AVAIL_F_NO_INTERRUPT)) {
        /* Interrupt me for the next element on. */
        *vq->used_event = vq->last_used;
        atomic_thread_fence(memory_order_seq_cst);
    }
    return 0;
}

void vn_vq_disable_cb(struct vn_vq *vq)
{
    if (vq->avail_flags_shadow & VN_AVAIL_F_NO_INTERRUPT)
        return;
    vq->avail_flags_shadow |= VN_AVAIL_F_NO_INTERRUPT;
    /* With event_idx the flag is ignored by the device; leaving used_event where it is
     * allows at most one more interrupt, as Linux does. */
    if (!vq->event_idx)
        *vq->avail_flags = vq->avail_flags_shadow;
}

bool vn_vq_enable_cb(struct vn_vq *vq)
{
    vq->avail_flags_shadow &= (uint16_t)~VN_AVAIL_F_NO_INTERRUPT;
    if (vq->event_idx)
        *vq->used_event = vq->last_used;
    else
        *vq->avail_flags = vq->avail_flags_shadow;
    /* Publish before re-checking, or an element arriving in between is missed. */
    atomic_thread_fence(memory_order_seq_cst);
    return *vq->used_idx != vq->last_used;
}

void vn_vq_detach_all(struct vn_vq *vq, void (*fn)(void *ctx, void *cookie), void *ctx)
{
    for (unsigned i = 0; i < vq->size; i++)
        if (vq->chain_n[i] && fn)
            fn(ctx, vq->cookie[i]);
    uint16_t flags = vq->avail_flags_shadow;
    ring_init(vq);
    /* Interrupt suppression is a property of the owner, not of the ring contents. */
    vq->avail_flags_shadow = flags;
    if (!vq->event_idx)
        *vq->avail_flags = flags;
}
