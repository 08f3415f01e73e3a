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

void mock_put(uint8_t *base, uint32_t off, unsigned size, uint32_t v);
uint32_t mock_get(const uint8_t *base, uint32_t off, unsigned size);

#endif
