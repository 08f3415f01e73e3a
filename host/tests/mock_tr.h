/* A transport with no device behind it: config space and BAR0 are byte arrays the test
 * fills, every access is logged, and DMA memory is malloc'ed at IOVAs far from its
 * addresses.  Hooks let a test give a register dynamic behaviour. */
#ifndef VN_MOCK_TR_H
#define VN_MOCK_TR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vn_transport.h"

#define MOCK_BAR_SIZE 0x8000u
#define MOCK_LOG_MAX 4096u
#define MOCK_REGIONS 64u

struct mock_access {
    bool cfg, write;
    unsigned bar;
    uint64_t off;
    unsigned size;
    uint32_t val;
};

struct mock_tr {
    struct vn_tr tr;
    uint8_t cfg[256];
    uint8_t bar0[MOCK_BAR_SIZE];
    struct {
        uint64_t iova;
        size_t len;
        void *va;
    } reg[MOCK_REGIONS];
    uint64_t next_iova;
    unsigned dma_live;
    struct mock_access log[MOCK_LOG_MAX];
    unsigned nlog;
    uint64_t delayed_ns;
    unsigned irq_nvec;
    int irq_setup_rc;
    uint64_t irq_pending;
    /* Return nonzero to take over the access (the hook filled *v / handled the write). */
    int (*bar_read_hook)(struct mock_tr *m, uint64_t off, unsigned size, uint32_t *v);
    int (*bar_write_hook)(struct mock_tr *m, uint64_t off, unsigned size, uint32_t v);
    void (*delay_hook)(struct mock_tr *m, uint64_t ns);
    void *priv;
};

void mock_tr_init(struct mock_tr *m);
/* Frees DMA memory the code under test leaked; returns how many buffers that was. */
unsigned mock_tr_fini(struct mock_tr *m);
/* The CPU view of [iova, iova+len), or NULL when no buffer holds all of it. */
void *mock_iova_va(struct mock_tr *m, uint64_t iova, size_t len);

/* ---- the device side of a split ring, straight from virtio 1.2 2.7 ----------------- */
struct vn_vq;
struct mock_ring {
    unsigned size;
    uint8_t *desc, *avail, *used;
    uint16_t last_avail, used_idx;
};
struct mock_seg {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
};
/* Find the rings of vq (by IOVA, as a device would). */
void mock_ring_attach(struct mock_ring *d, struct mock_tr *m, struct vn_vq *vq);
/* The same from the addresses a driver programmed. */
void mock_ring_attach_iova(struct mock_ring *d, struct mock_tr *m, unsigned size, uint64_t desc,
                           uint64_t driver, uint64_t device);
/* Next available chain; -1 when none, -2 for a malformed chain.  seg holds size entries. */
int mock_ring_pop(struct mock_ring *d, uint16_t *head, struct mock_seg *seg, unsigned *nseg);
void mock_ring_push(struct mock_ring *d, uint32_t id, uint32_t len);
uint16_t mock_ring_avail_idx(const struct mock_ring *d);
uint16_t mock_ring_avail_flags(const struct mock_ring *d);
uint16_t mock_ring_used_event(const struct mock_ring *d);
void mock_ring_set_no_notify(struct mock_ring *d, int on);
void mock_ring_set_avail_event(struct mock_ring *d, uint16_t v);

/* ---- the device side of a packed ring, straight from virtio 1.2 2.8 ---------------- */
struct mock_pring {
    struct mock_tr *m; /* where indirect tables are looked up */
    unsigned size;
    uint8_t *desc, *driver, *device;
    uint16_t next_avail, next_used; /* the device's slots */
    bool avail_wrap, used_wrap;     /* and its wrap counters */
};
void mock_pring_attach(struct mock_pring *d, struct mock_tr *m, struct vn_vq *vq);
void mock_pring_attach_iova(struct mock_pring *d, struct mock_tr *m, unsigned size,
                            uint64_t desc, uint64_t driver, uint64_t device);
/* Next available buffer: its id (from the last descriptor), its segments (an indirect
 * table followed: the WRITE flag from the table), and how many ring descriptors it took.
 * -1 when none, -2 for a malformed one.  seg holds size entries. */
int mock_pring_pop(struct mock_pring *d, uint16_t *id, struct mock_seg *seg, unsigned *nseg,
                   unsigned *ndesc);
/* A used descriptor for buffer id, which took ndesc ring descriptors (2.8.6: one used
 * descriptor per buffer, then skip its slots). */
void mock_pring_push(struct mock_pring *d, uint16_t id, uint32_t len, unsigned ndesc);
/* Ring descriptors made available and not popped yet. */
unsigned mock_pring_pending(const struct mock_pring *d);
/* The device's next avail / used slot, off | wrap << 15. */
uint16_t mock_pring_avail_pos(const struct mock_pring *d);
uint16_t mock_pring_used_pos(const struct mock_pring *d);
/* The driver event suppression area, and the device's that the test sets. */
uint16_t mock_pring_drv_flags(const struct mock_pring *d);
uint16_t mock_pring_drv_off_wrap(const struct mock_pring *d);
void mock_pring_set_event(struct mock_pring *d, uint16_t flags, uint16_t off_wrap);

void mock_put(uint8_t *base, uint32_t off, unsigned size, uint32_t v);
uint32_t mock_get(const uint8_t *base, uint32_t off, unsigned size);

#endif
