/* DMA-trace monitor: sees every host-memory access the device makes (cycle, direction,
 * address, length), attributes it to the virtqueue that owns the memory, and flags any
 * access to a queue's rings or buffers between the device acknowledging that queue's
 * reset and the queue's re-enable. */
#ifndef VN_DMAMON_H
#define VN_DMAMON_H

#include <stdint.h>
#include <stdio.h>

#define VN_DMAMON_MAX_VQ 256

struct vn_dmamon_range {
    uint64_t lo, hi; /* [lo, hi) */
    int vq;
};

struct vn_dmamon {
    struct vn_dmamon_range *r;
    unsigned n, cap;
    uint8_t fenced[VN_DMAMON_MAX_VQ];
    uint64_t fenced_at[VN_DMAMON_MAX_VQ];
    uint64_t accesses, reads, writes, violations, unowned;
    uint64_t per_vq[VN_DMAMON_MAX_VQ];
    char first_violation[256];
    FILE *log; /* when set, one line an access: cycle R|W addr len vq */
};

void vn_dmamon_init(struct vn_dmamon *m);
void vn_dmamon_free(struct vn_dmamon *m);
int vn_dmamon_add(struct vn_dmamon *m, int vq, uint64_t iova, uint64_t len);
void vn_dmamon_drop_vq(struct vn_dmamon *m, int vq); /* the queue's memory was freed */
void vn_dmamon_fence(struct vn_dmamon *m, int vq, uint64_t cycle);   /* reset acknowledged */
void vn_dmamon_unfence(struct vn_dmamon *m, int vq);                 /* queue re-enabled */
/* Returns the owning vq, or -1; records a violation when the owner is fenced. */
int vn_dmamon_access(struct vn_dmamon *m, uint64_t cycle, int is_write, uint64_t addr, uint32_t len);

#endif
