/* vn_vq: the driver side of one split virtqueue (virtio 1.2 section 2.7) in DMA memory
 * from a transport.  It owns the descriptor table, avail ring and used ring and the
 * free list; it does not know which transport rings the doorbell or what the buffers
 * hold.  Not thread safe: one owner per queue. */
#ifndef VN_VQ_H
#define VN_VQ_H

#include <stdbool.h>
#include <stdint.h>

#include "vn_transport.h"

#define VN_VQ_MAX_SIZE 32768u

struct vn_vq;

/* One buffer segment as the device sees it. */
struct vn_vq_seg {
    uint64_t iova;
    uint32_t len;
};

/* size: a power of two, 1..VN_VQ_MAX_SIZE.  event_idx: the VIRTIO_F_EVENT_IDX rules for
 * kicks and interrupt suppression (used_event / avail_event) instead of the flags. */
VN_WUR int vn_vq_create(struct vn_tr *tr, unsigned size, bool event_idx, struct vn_vq **out);
void vn_vq_destroy(struct vn_vq *vq);

unsigned vn_vq_size(const struct vn_vq *vq);
/* The avail idx published last (the next_off/next_wrap of a NOTIFICATION_DATA doorbell). */
uint16_t vn_vq_avail_idx(const struct vn_vq *vq);
unsigned vn_vq_num_free(const struct vn_vq *vq);
/* The three areas for queue_desc, queue_driver, queue_device. */
uint64_t vn_vq_desc_iova(const struct vn_vq *vq);
uint64_t vn_vq_driver_iova(const struct vn_vq *vq);
uint64_t vn_vq_device_iova(const struct vn_vq *vq);
/* Bytes of DMA memory a ring of this size occupies (all three areas, aligned). */
size_t vn_vq_mem_size(unsigned size);

/* INDIRECT_DESC (negotiated by the owner): chains of up to max_segs segments go into an
 * indirect table, one ring descriptor each; 0 turns it off.  -ENOMEM without DMA memory. */
VN_WUR int vn_vq_set_indirect(struct vn_vq *vq, unsigned max_segs);

/* Make one chain available: n_out device-readable segments, then n_in device-writable
 * ones.  cookie comes back from vn_vq_get_used.  *head (may be NULL) is the chain's first
 * descriptor.  -ENOSPC when fewer than n_out + n_in descriptors are free, -EINVAL for an
 * empty chain or a zero-length segment.  The avail idx is published at once. */
VN_WUR int vn_vq_add(struct vn_vq *vq, const struct vn_vq_seg *out, unsigned n_out,
                     const struct vn_vq_seg *in, unsigned n_in, void *cookie, uint16_t *head);
/* Whether the device wants a doorbell for what was added since the last call: the
 * device's NO_NOTIFY flag, or with event_idx the avail_event rule.  False when nothing
 * was added. */
bool vn_vq_kick_prepare(struct vn_vq *vq);
/* Take the next used element.  -EAGAIN when there is none; -EIO when the device
 * returned an id that is not the head of an outstanding chain or moved used idx by more
 * than the ring holds (the queue is then unusable).  len/cookie/id may be NULL. */
VN_WUR int vn_vq_get_used(struct vn_vq *vq, uint32_t *len, void **cookie, uint16_t *id);
/* Used elements waiting to be taken (0 also when the device misbehaved). */
unsigned vn_vq_used_pending(const struct vn_vq *vq);
/* Ask the device not to interrupt (NO_INTERRUPT, or used_event far behind) or to
 * interrupt again.  vn_vq_enable_cb returns true when used elements arrived meanwhile. */
void vn_vq_disable_cb(struct vn_vq *vq);
/* EVENT_IDX rings, for tests: the device's avail_event, the driver's next used idx, and
 * used_event set by hand (interrupt me once the used idx passes v). */
uint16_t vn_vq_avail_event(const struct vn_vq *vq);
uint16_t vn_vq_last_used(const struct vn_vq *vq);
void vn_vq_set_used_event(struct vn_vq *vq, uint16_t v);
bool vn_vq_enable_cb(struct vn_vq *vq);
/* Chains the device holds (added and not yet returned). */
unsigned vn_vq_inflight(const struct vn_vq *vq);
/* Hand back the cookie of every outstanding chain (after a device reset) and reset the
 * ring to its post-create state.  fn may be NULL. */
void vn_vq_detach_all(struct vn_vq *vq, void (*fn)(void *ctx, void *cookie), void *ctx);

/* The avail_event / used_event rule (2.7.7.2): notify when new_idx has just passed
 * event_idx. */
static inline bool vn_vq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

#endif
