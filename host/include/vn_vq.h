/* vn_vq: the driver side of one virtqueue in DMA memory from a transport, split (virtio
 * 1.2 section 2.7) or packed (2.8); the same calls serve both, so code above need not
 * know which layout a queue has.  It owns the ring areas and the free lists; it does not
 * know which transport rings the doorbell or what the buffers hold.  Not thread safe:
 * one owner per queue.
 *
 * Packed positions: where the API hands out a ring position of a packed queue (avail idx,
 * last used, avail_event, used_event) it is off | wrap << 15 -- the slot and the wrap
 * counter that goes with it, the encoding of the event suppression off_wrap field and of
 * a NOTIFICATION_DATA doorbell's next_off/next_wrap.  Such positions do not count up by
 * plain addition: step them with vn_vq_pos_advance. */
#ifndef VN_VQ_H
#define VN_VQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vn_transport.h"

#define VN_VQ_MAX_SIZE 32768u

struct vn_vq;

/* One buffer segment as the device sees it. */
struct vn_vq_seg {
    uint64_t iova;
    uint32_t len;
};

/* vn_vq_create_ex flags.  EVENT_IDX: the VIRTIO_F_EVENT_IDX rules for kicks and
 * interrupt suppression (split: used_event / avail_event; packed: DESC event suppression
 * at a position) instead of the flags.  PACKED: the packed layout (VIRTIO_F_RING_PACKED
 * negotiated). */
#define VN_VQ_EVENT_IDX 0x1u
#define VN_VQ_PACKED 0x2u

/* size: split, a power of two in 1..VN_VQ_MAX_SIZE; packed, any of 1..VN_VQ_MAX_SIZE.
 * -EINVAL for another size or an unknown flag. */
VN_WUR int vn_vq_create_ex(struct vn_tr *tr, unsigned size, unsigned flags, struct vn_vq **out);
/* A split queue. */
VN_WUR int vn_vq_create(struct vn_tr *tr, unsigned size, bool event_idx, struct vn_vq **out);
void vn_vq_destroy(struct vn_vq *vq);

bool vn_vq_is_packed(const struct vn_vq *vq);
unsigned vn_vq_size(const struct vn_vq *vq);
/* The next_off/next_wrap of a NOTIFICATION_DATA doorbell (bits 16..31 of its value): split,
 * the avail idx published last; packed, the next slot to be made available with the
 * driver's wrap counter (off | wrap << 15). */
uint16_t vn_vq_avail_idx(const struct vn_vq *vq);
/* Free ring descriptors (an indirect chain takes one). */
unsigned vn_vq_num_free(const struct vn_vq *vq);
/* The three areas for queue_desc, queue_driver, queue_device.  Packed: the descriptor
 * ring, the driver event suppression area (written by the driver), the device event
 * suppression area (written by the device). */
uint64_t vn_vq_desc_iova(const struct vn_vq *vq);
uint64_t vn_vq_driver_iova(const struct vn_vq *vq);
uint64_t vn_vq_device_iova(const struct vn_vq *vq);
/* Bytes of DMA memory a ring of this size occupies in either layout (all three areas,
 * aligned, from the descriptor area on): the split layout's, which is the larger. */
size_t vn_vq_mem_size(unsigned size);
/* The bytes this queue's areas occupy from vn_vq_desc_iova, in its own layout. */
size_t vn_vq_mem_len(const struct vn_vq *vq);

/* INDIRECT_DESC (negotiated by the owner): chains of up to max_segs segments go into an
 * indirect table, one ring descriptor each; 0 turns it off.  -ENOMEM without DMA memory. */
VN_WUR int vn_vq_set_indirect(struct vn_vq *vq, unsigned max_segs);

/* Make one chain available: n_out device-readable segments, then n_in device-writable
 * ones.  cookie comes back from vn_vq_get_used.  *head (may be NULL) is what the device
 * will return as the used id: the chain's first descriptor (split) or its buffer id
 * (packed).  -ENOSPC when fewer than n_out + n_in descriptors are free, -EINVAL for an
 * empty chain or a zero-length segment.  The chain is published at once (split: the
 * avail idx; packed: the head descriptor's flags, written last). */
VN_WUR int vn_vq_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                     const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head);
/* Whether the device wants a doorbell for what was added since the last call.  Split:
 * the device's NO_NOTIFY flag, or with event_idx the avail_event rule.  Packed: the
 * device event suppression flags -- ENABLE yes, DISABLE no, DESC (event_idx) when the
 * descriptors added passed its off_wrap.  False when nothing was added. */
bool vn_vq_kick_prepare(struct vn_vq *vq);
/* Take the next used element.  -EAGAIN when there is none; -EIO when the device
 * returned an id that is not an outstanding chain (split: its head; packed: its buffer
 * id), a len above the chain's writable bytes, or moved used idx by more than the ring
 * holds (the queue is then unusable).  len/cookie/id may be NULL. */
VN_WUR int vn_vq_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id);
/* Used elements waiting to be taken (0 also when the device misbehaved). */
unsigned vn_vq_used_pending(const struct vn_vq *vq);
/* Ask the device not to interrupt or to interrupt again; vn_vq_enable_cb returns true
 * when a used element is already waiting.  Split: NO_INTERRUPT (with event_idx used_event
 * is left behind, so at most one more interrupt comes), then used_event = the next used
 * idx.  Packed: the driver event suppression flags DISABLE, then ENABLE -- with event_idx
 * DESC at the next used position, as a new queue starts; vn_vq_get_used moves that
 * position along as used_event is on split. */
void vn_vq_disable_cb(struct vn_vq *vq);
/* EVENT_IDX rings, for tests: the device's avail_event (packed: the device event
 * suppression off_wrap), the driver's next used idx (packed: next used position), and
 * used_event set by hand: interrupt me once the used idx passes v (packed: DESC at
 * position v, which also turns interrupts on; nothing without event_idx, where DESC is
 * not allowed). */
uint16_t vn_vq_avail_event(const struct vn_vq *vq);
uint16_t vn_vq_last_used(const struct vn_vq *vq);
void vn_vq_set_used_event(struct vn_vq *vq, uint16_t v);
/* Position pos moved n slots on: pos + n for split; for packed the slot wraps at the
 * ring size and the wrap counter flips with it. */
uint16_t vn_vq_pos_advance(const struct vn_vq *vq, uint16_t pos, unsigned n);
bool vn_vq_enable_cb(struct vn_vq *vq);
/* Chains the device holds (added and not yet returned). */
unsigned vn_vq_inflight(const struct vn_vq *vq);
/* Hand back the cookie of every outstanding chain (after a device reset) and reset the
 * ring to its post-create state (packed: both wrap counters 1, every buffer id free);
 * interrupt suppression stays as the owner set it.  fn may be NULL. */
void vn_vq_detach_all(struct vn_vq *vq, void (*fn)(void *ctx, void *cookie), void *ctx);

/* The avail_event / used_event rule (2.7.7.2): notify when new_idx has just passed
 * event_idx. */
static inline bool vn_vq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

#endif
