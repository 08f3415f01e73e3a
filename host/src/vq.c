/* vn_vq: what both ring layouts share -- the queue object and its DMA memory, checks on
 * what the owner passes and on what the device returns, per-chain bookkeeping -- and the
 * API, handed to the queue's layout (vq_split.c, vq_packed.c). */
#include "vq_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vn_log.h"

/* Indirect tables are sized per chain index up front; 64 keeps a 32768-entry ring's
 * tables at 32 MiB. */
#define IND_MAX_SEGS 64u

/* ---- shared with the layouts -------------------------------------------------------- */

uint32_t vq_in_bytes(const struct vn_vq_seg *in, unsigned n_in)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < n_in; i++)
        sum += in[i].len;
    return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}

void *vq_ind_table(const struct vn_vq *vq, unsigned idx)
{
    return (unsigned char *)vq->ind.va + (size_t)idx * vq->ind_max * VQ_DESC_BYTES;
}

uint64_t vq_ind_iova(const struct vn_vq *vq, unsigned idx)
{
    return vq->ind.iova + (uint64_t)idx * vq->ind_max * VQ_DESC_BYTES;
}

void vq_chain_start(struct vn_vq *vq, unsigned idx, unsigned ndesc, uint32_t in_bytes,
                    void *cookie)
{
    vq->num_free -= ndesc;
    vq->inflight++;
    vq->chain_n[idx] = (uint16_t)ndesc; /* ndesc <= size <= 32768 */
    vq->chain_in[idx] = in_bytes;
    vq->cookie[idx] = cookie;
}

int vq_chain_check(struct vn_vq *vq, uint32_t id, uint32_t len)
{
    if (id >= vq->size || vq->chain_n[id] == 0) {
        vn_log(VN_LOG_ERR, "vq: used id %u is not an outstanding chain", id);
        vq->broken = true;
        return -EIO;
    }
    if (len > vq->chain_in[id]) {
        vn_log(VN_LOG_ERR, "vq: used len %u for chain %u exceeds its %u writable bytes", len,
               id, vq->chain_in[id]);
        vq->broken = true;
        return -EIO;
    }
    return 0;
}

void *vq_chain_end(struct vn_vq *vq, unsigned idx)
{
    void *cookie = vq->cookie[idx];

    vq->num_free += vq->chain_n[idx];
    vq->inflight--;
    vq->chain_n[idx] = 0;
    vq->cookie[idx] = NULL;
    return cookie;
}

void vq_chains_init(struct vn_vq *vq)
{
    memset(vq->chain_n, 0, vq->size * sizeof *vq->chain_n);
    memset(vq->chain_in, 0, vq->size * sizeof *vq->chain_in);
    memset(vq->cookie, 0, vq->size * sizeof *vq->cookie);
    vq->num_free = vq->size;
    vq->inflight = 0;
    vq->broken = false;
}

/* ---- life cycle --------------------------------------------------------------------- */

int vn_vq_create_ex(struct vn_tr *tr, unsigned size, unsigned flags, struct vn_vq **out)
{
    const struct vq_layout *lay = flags & VN_VQ_PACKED ? &vq_packed_layout : &vq_split_layout;
    struct vn_vq *vq;
    int rc;

    *out = NULL;
    if (flags & ~(VN_VQ_EVENT_IDX | VN_VQ_PACKED)) {
        vn_log(VN_LOG_ERR, "vq: unknown flags 0x%x", flags);
        return -EINVAL;
    }
    if ((rc = lay->check_size(size)))
        return rc;
    vq = calloc(1, sizeof *vq);
    if (!vq)
        return -ENOMEM;
    vq->lay = lay;
    vq->tr = tr;
    vq->size = size;
    vq->event_idx = flags & VN_VQ_EVENT_IDX;
    vq->next = calloc(size, sizeof *vq->next);
    vq->chain_n = calloc(size, sizeof *vq->chain_n);
    vq->chain_in = calloc(size, sizeof *vq->chain_in);
    vq->cookie = calloc(size, sizeof *vq->cookie);
    if (!vq->next || !vq->chain_n || !vq->chain_in || !vq->cookie) {
        rc = -ENOMEM;
        goto fail;
    }
    rc = vn_tr_dma_alloc(tr, lay->mem_size(size), &vq->mem);
    if (rc) {
        vn_log(VN_LOG_ERR, "vq: no DMA memory for a %u-entry ring: %d", size, rc);
        vq->mem.va = NULL;
        goto fail;
    }
    if (vq->mem.iova % VQ_DESC_ALIGN) {
        vn_log(VN_LOG_ERR, "vq: transport gave a ring at IOVA 0x%llx, not %u-byte aligned",
               (unsigned long long)vq->mem.iova, VQ_DESC_ALIGN);
        rc = -EINVAL;
        goto fail;
    }
    lay->map(vq);
    lay->init(vq, false);
    *out = vq;
    return 0;

fail:
    vn_vq_destroy(vq);
    return rc;
}

int vn_vq_create(struct vn_tr *tr, unsigned size, bool event_idx, struct vn_vq **out)
{
    return vn_vq_create_ex(tr, size, event_idx ? VN_VQ_EVENT_IDX : 0, out);
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

int vn_vq_set_indirect(struct vn_vq *vq, unsigned max_segs)
{
    if (vq->ind.va)
        vn_tr_dma_free(vq->tr, &vq->ind);
    vq->ind.va = NULL;
    vq->ind_max = 0;
    if (!max_segs)
        return 0;
    if (max_segs > IND_MAX_SEGS)
        return -EINVAL;
    int rc = vn_tr_dma_alloc(vq->tr, (size_t)vq->size * max_segs * VQ_DESC_BYTES, &vq->ind);
    if (rc) {
        vq->ind.va = NULL;
        return rc;
    }
    vq->ind_max = max_segs;
    return 0;
}

void vn_vq_detach_all(struct vn_vq *vq, void (*fn)(void *ctx, void *cookie), void *ctx)
{
    for (unsigned i = 0; i < vq->size; i++)
        if (vq->chain_n[i] && fn)
            fn(ctx, vq->cookie[i]);
    vq->lay->init(vq, true);
}

/* ---- geometry ----------------------------------------------------------------------- */

size_t vn_vq_mem_size(unsigned size)
{
    size_t split = vq_split_layout.mem_size(size), packed = vq_packed_layout.mem_size(size);
    return split > packed ? split : packed;
}

size_t vn_vq_mem_len(const struct vn_vq *vq) { return vq->lay->mem_size(vq->size); }
bool vn_vq_is_packed(const struct vn_vq *vq) { return vq->lay->packed; }
unsigned vn_vq_size(const struct vn_vq *vq) { return vq->size; }
unsigned vn_vq_num_free(const struct vn_vq *vq) { return vq->num_free; }
unsigned vn_vq_inflight(const struct vn_vq *vq) { return vq->inflight; }
uint64_t vn_vq_desc_iova(const struct vn_vq *vq) { return vq->mem.iova; }

uint64_t vn_vq_driver_iova(const struct vn_vq *vq)
{
    return vq->mem.iova + vq->lay->driver_off(vq->size);
}

uint64_t vn_vq_device_iova(const struct vn_vq *vq)
{
    return vq->mem.iova + vq->lay->device_off(vq->size);
}

/* ---- data path ---------------------------------------------------------------------- */

int vn_vq_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
              const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head)
{
    unsigned n = n_out + n_in;

    if (vq->broken)
        return -EIO;
    if (n == 0 || n_out > vq->size || n_in > vq->size)
        return -EINVAL;
    for (unsigned i = 0; i < n; i++)
        if (vq_seg(out, n_out, in, i)->len == 0)
            return -EINVAL;
    bool indirect = vq->ind_max && n <= vq->ind_max;
    if (vq->num_free < (indirect ? 1u : n))
        return -ENOSPC;
    vq->lay->add(vq, out, n_out, in, n_in, indirect, cookie, head);
    return 0;
}

int vn_vq_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id)
{
    if (vq->broken)
        return -EIO;
    return vq->lay->get_used(vq, len, cookie, id);
}

unsigned vn_vq_used_pending(const struct vn_vq *vq)
{
    return vq->broken ? 0 : vq->lay->used_pending(vq);
}

bool vn_vq_kick_prepare(struct vn_vq *vq) { return vq->lay->kick_prepare(vq); }
void vn_vq_disable_cb(struct vn_vq *vq) { vq->lay->disable_cb(vq); }
bool vn_vq_enable_cb(struct vn_vq *vq) { return vq->lay->enable_cb(vq); }
uint16_t vn_vq_avail_idx(const struct vn_vq *vq) { return vq->lay->avail_idx(vq); }
uint16_t vn_vq_avail_event(const struct vn_vq *vq) { return vq->lay->avail_event(vq); }
uint16_t vn_vq_last_used(const struct vn_vq *vq) { return vq->lay->last_used(vq); }
void vn_vq_set_used_event(struct vn_vq *vq, uint16_t v) { vq->lay->set_used_event(vq, v); }

uint16_t vn_vq_pos_advance(const struct vn_vq *vq, uint16_t pos, unsigned n)
{
    return vq->lay->pos_advance(vq, pos, n);
}
