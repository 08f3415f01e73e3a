/* virtio_ring.h: split virtqueue layout (virtio 1.2 section 2.7), the parts firmware
 * walks for the control queue.  These are spec facts, not register-map constants. */
#ifndef VN_FW_VIRTIO_RING_H
#define VN_FW_VIRTIO_RING_H

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

/* The largest queue size a split ring can have. */
#define VQ_SIZE_LIMIT 32768u

#endif
