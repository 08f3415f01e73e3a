/* What vq.c and the two ring layouts (vq_split.c, vq_packed.c) share: the queue object,
 * the per-chain bookkeeping and the table of layout operations.  Not part of the API. */
#ifndef VN_VQ_INTERNAL_H
#define VN_VQ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vn_vq.h"

/* Ring fields are little endian; this code stores them natively. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the vq code assumes a little-endian host"
#endif

/* Both layouts start with the descriptors, 16-byte aligned, 16 bytes each (2.7, 2.8);
 * indirect tables hold the same 16-byte descriptors. */
#define VQ_DESC_ALIGN 16u
#define VQ_DESC_BYTES 16u

struct vq_split_ring {
    volatile struct vq_desc *desc;
    volatile uint16_t *avail_flags, *avail_idx, *avail_ring, *used_event;
    volatile uint16_t *used_flags, *used_idx, *avail_event;
    volatile struct vq_used_elem *used_ring;
    uint16_t mask;
    uint16_t avail_shadow; /* next avail idx to publish */
    uint16_t kicked;       /* avail idx at the last kick decision */
    uint16_t last_used;    /* next used idx to consume */
    uint16_t avail_flags_shadow;
};

struct vq_packed_ring {
    volatile struct vq_pdesc *desc;
    /* driver event suppression, ours: le16 off_wrap, le16 flags */
    volatile uint16_t *drv_off_wrap, *drv_flags;
    /* device event suppression, read as one word so off_wrap and flags agree */
    volatile uint32_t *dev_event;
    uint16_t next_avail, next_used;
    bool avail_wrap, used_wrap;
    unsigned added;            /* ring descriptors made available since the last kick decision */
    uint16_t drv_flags_shadow; /* VN_EVENT_F_* as last written */
};

struct vq_layout;

struct vn_vq {
    const struct vq_layout *lay;
    struct vn_tr *tr;
    struct vn_dma mem; /* the three areas, back to back */
    unsigned size;
    bool event_idx;
    bool broken; /* the device misbehaved: refuse everything until destroyed */

    /* Driver-private state: never trusted from, nor readable by, the device. */
    unsigned num_free; /* ring descriptors */
    unsigned inflight; /* chains */
    /* Per chain, indexed by what the device returns as the used id: the head descriptor
     * (split) or the buffer id (packed). */
    uint16_t *chain_n;  /* ring descriptors it holds; 0: no outstanding chain here */
    uint32_t *chain_in; /* its writable bytes (bounds the used len) */
    void **cookie;
    /* split: free descriptors and chain links; packed: free buffer ids */
    uint16_t *next;
    uint16_t free_head;
    /* INDIRECT_DESC: a table of ind_max descriptors per chain index (a head or an id
     * belongs to one chain at a time) */
    struct vn_dma ind;
    unsigned ind_max;

    union {
        struct vq_split_ring s;
        struct vq_packed_ring p;
    };
};

struct vq_layout {
    bool packed;
    /* -EINVAL (and a log line) for a size the layout cannot take */
    int (*check_size)(unsigned size);
    size_t (*mem_size)(unsigned size);
    size_t (*driver_off)(unsigned size);
    size_t (*device_off)(unsigned size);
    /* Point the ring at vq->mem. */
    void (*map)(struct vn_vq *vq);
    /* Empty ring, free lists full.  keep_cb: interrupt suppression as the owner left it
     * (it is the owner's choice, not ring state); else interrupts on. */
    void (*init)(struct vn_vq *vq, bool keep_cb);
    /* The chain is valid and fits: n ring descriptors free, or indirect (one). */
    void (*add)(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                const struct vn_vq_seg *in, unsigned n_in, bool indirect, void *cookie,
                uint16_t *head);
    bool (*kick_prepare)(struct vn_vq *vq);
    int (*get_used)(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id);
    unsigned (*used_pending)(const struct vn_vq *vq);
    void (*disable_cb)(struct vn_vq *vq);
    bool (*enable_cb)(struct vn_vq *vq);
    uint16_t (*avail_idx)(const struct vn_vq *vq);
    uint16_t (*avail_event)(const struct vn_vq *vq);
    uint16_t (*last_used)(const struct vn_vq *vq);
    void (*set_used_event)(struct vn_vq *vq, uint16_t v);
    uint16_t (*pos_advance)(const struct vn_vq *vq, uint16_t pos, unsigned n);
};

extern const struct vq_layout vq_split_layout;
extern const struct vq_layout vq_packed_layout;

/* Segment i of a chain: the n_out device-readable ones, then the device-writable ones. */
static inline const struct vn_vq_seg *vq_seg(const struct vn_vq_seg *out, unsigned n_out,
                                             const struct vn_vq_seg *in, unsigned i)
{
    return i < n_out ? &out[i] : &in[i - n_out];
}

/* Writable bytes of a chain, saturated: the bound a used len is checked against. */
uint32_t vq_in_bytes(const struct vn_vq_seg *in, unsigned n_in);
/* Chain index idx's indirect table: CPU address and IOVA. */
void *vq_ind_table(const struct vn_vq *vq, unsigned idx);
uint64_t vq_ind_iova(const struct vn_vq *vq, unsigned idx);
/* Bookkeeping of a chain made available at idx with ndesc ring descriptors. */
void vq_chain_start(struct vn_vq *vq, unsigned idx, unsigned ndesc, uint32_t in_bytes,
                    void *cookie);
/* Whether a used element (id, len) the device wrote completes an outstanding chain; on
 * -EIO the queue is broken and why was logged. */
int vq_chain_check(struct vn_vq *vq, uint32_t id, uint32_t len);
/* The chain at idx is back: its descriptors count as free again (the layout puts them
 * on its own free list); returns its cookie. */
void *vq_chain_end(struct vn_vq *vq, unsigned idx);
/* Per-chain arrays to their post-create state. */
void vq_chains_init(struct vn_vq *vq);

#endif
