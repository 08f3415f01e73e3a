/* virtio_ring.h: split and packed virtqueue layouts (virtio 1.2 sections 2.7 and 2.8), the
 * parts firmware walks for the control queue.  These are spec facts, not register-map
 * constants (the packed descriptor's id and flags offsets and flag bits are VN_PDESC_*,
 * the event suppression flags VN_EVENT_F_*, shared with the RTL). */
#ifndef VN_FW_VIRTIO_RING_H
#define VN_FW_VIRTIO_RING_H

#include "vionic_regs.h"

/* struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; } */
#define VQ_DESC_SIZE 16u
#define VQ_DESC_ADDR 0u
#define VQ_DESC_LEN 8u
#define VQ_DESC_FLAGS 12u
#define VQ_DESC_NEXT 14u

/* struct virtq_avail { le16 flags; le16 idx; le16 ring[]; } */
#define VQ_AVAIL_FLAGS 0u
#define VQ_AVAIL_IDX 2u
#define VQ_AVAIL_RING 4u
#define VQ_AVAIL_ELEM 2u

/* struct virtq_used { le16 flags; le16 idx; struct { le32 id; le32 len; } ring[]; } */
#define VQ_USED_IDX 2u
#define VQ_USED_RING 4u
#define VQ_USED_ELEM 8u

/* Alignment the driver must give each area (section 2.7, table "Virtqueue Part
 * Alignment"). */
#define VQ_DESC_ALIGN 16u
#define VQ_AVAIL_ALIGN 2u
#define VQ_USED_ALIGN 4u

/* The largest queue size a split ring can have, and a packed one (2.8: any size up to
 * it, not only powers of two). */
#define VQ_SIZE_LIMIT 32768u

/* struct pvirtq_desc { le64 addr; le32 len; le16 id; le16 flags; }: addr and len where a
 * split descriptor has them, the same size and alignment. */
#define PVQ_DESC_SIZE VQ_DESC_SIZE
#define PVQ_DESC_ADDR VQ_DESC_ADDR
#define PVQ_DESC_LEN VQ_DESC_LEN

/* struct pvirtq_event_suppress { le16 off_wrap; le16 flags; }, 4-aligned (2.8.10). */
#define PVQ_EVENT_OFF_WRAP 0u
#define PVQ_EVENT_FLAGS 2u
#define PVQ_EVENT_SIZE 4u
#define PVQ_EVENT_FLAGS_MASK 3u /* bits 2..15 reserved */
#define PVQ_EVENT_ALIGN 4u

/* A ring position as off_wrap (and QC_BASE, VND_QUEUE_BASE) hold it: the register map's
 * encoding, the slot in [14:0] and the wrap counter in [15]. */
#define PVQ_IDX_MASK VN_PACKED_POS_IDX_MASK
#define PVQ_WRAP_SHIFT VN_PACKED_POS_WRAP_SHIFT

#endif
