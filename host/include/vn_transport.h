/* vn_transport: how the host shim reaches a vionic function.  An ops table; backends embed
 * struct vn_tr and recover themselves with container_of.  Nothing above this header knows
 * which backend it has.  Every call that can fail returns 0 or a negative errno. */
#ifndef VN_TRANSPORT_H
#define VN_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#define VN_WUR __attribute__((warn_unused_result))

struct vn_tr;

/* A DMA-able buffer: the CPU sees va, the device iova (which is never va). */
struct vn_dma {
    void *va;
    uint64_t iova;
    size_t len;
};

struct vn_tr_ops {
    const char *name;
    int (*cfg_read)(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *val);
    int (*cfg_write)(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t val);
    int (*bar_read)(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t *val);
    int (*bar_write)(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t val);
    int (*dma_alloc)(struct vn_tr *tr, size_t len, struct vn_dma *out);
    void (*dma_free)(struct vn_tr *tr, struct vn_dma *dma);
    /* Let the device reach memory the caller owns (a guest's RAM, as an IOMMU mapping
     * does): [iova, iova + len) -> va.  -EEXIST when it overlaps a mapping or allocation.
     * Optional: NULL means -EOPNOTSUPP. */
    int (*dma_map)(struct vn_tr *tr, void *va, uint64_t iova, size_t len);
    int (*dma_unmap)(struct vn_tr *tr, uint64_t iova, size_t len);
    /* Set up nvec MSI-X vectors (the backend programs the table or asks VFIO to). */
    int (*irq_setup)(struct vn_tr *tr, unsigned nvec);
    /* Wait up to timeout_ns (device time) for an interrupt; *fired gets the vectors that
     * fired since the last call (bit v for vector v < 64) and they are cleared.  Returns 0
     * (possibly with *fired == 0 on timeout). */
    int (*irq_wait)(struct vn_tr *tr, uint64_t timeout_ns, uint64_t *fired);
    /* Let device time pass (a poll interval): the sim backend runs the model, pci sleeps. */
    void (*delay)(struct vn_tr *tr, uint64_t ns);
    void (*close)(struct vn_tr *tr);
};

struct vn_tr {
    const struct vn_tr_ops *ops;
};

static inline VN_WUR int vn_tr_cfg_read(struct vn_tr *t, uint32_t off, unsigned size, uint32_t *v)
{
    return t->ops->cfg_read(t, off, size, v);
}
static inline VN_WUR int vn_tr_cfg_write(struct vn_tr *t, uint32_t off, unsigned size, uint32_t v)
{
    return t->ops->cfg_write(t, off, size, v);
}
static inline VN_WUR int vn_tr_bar_read(struct vn_tr *t, unsigned bar, uint64_t off, unsigned size,
                                        uint32_t *v)
{
    return t->ops->bar_read(t, bar, off, size, v);
}
static inline VN_WUR int vn_tr_bar_write(struct vn_tr *t, unsigned bar, uint64_t off, unsigned size,
                                         uint32_t v)
{
    return t->ops->bar_write(t, bar, off, size, v);
}
static inline VN_WUR int vn_tr_dma_alloc(struct vn_tr *t, size_t len, struct vn_dma *out)
{
    return t->ops->dma_alloc(t, len, out);
}
static inline void vn_tr_dma_free(struct vn_tr *t, struct vn_dma *d)
{
    t->ops->dma_free(t, d);
}
static inline VN_WUR int vn_tr_dma_map(struct vn_tr *t, void *va, uint64_t iova, size_t len)
{
    return t->ops->dma_map ? t->ops->dma_map(t, va, iova, len) : -95 /* EOPNOTSUPP */;
}
static inline VN_WUR int vn_tr_dma_unmap(struct vn_tr *t, uint64_t iova, size_t len)
{
    return t->ops->dma_unmap ? t->ops->dma_unmap(t, iova, len) : -95 /* EOPNOTSUPP */;
}
static inline VN_WUR int vn_tr_irq_setup(struct vn_tr *t, unsigned nvec)
{
    return t->ops->irq_setup(t, nvec);
}
static inline VN_WUR int vn_tr_irq_wait(struct vn_tr *t, uint64_t timeout_ns, uint64_t *fired)
{
    return t->ops->irq_wait(t, timeout_ns, fired);
}
static inline void vn_tr_delay(struct vn_tr *t, uint64_t ns)
{
    t->ops->delay(t, ns);
}
static inline void vn_tr_close(struct vn_tr *t)
{
    if (t)
        t->ops->close(t);
}

/* The sim backend: a vn_model with the host-mode firmware, in this process. */
struct vn_model;
struct vn_tr_sim_opts {
    uint32_t dma_latency;   /* cycles, 0: default */
    uint32_t dma_max_reads; /* 0: default */
    const char *fst_path;   /* NULL: no waveform */
    uint64_t iova_base;     /* where dma_alloc hands out IOVAs; 0: 0x1_0000_0000.  A user
                             * that dma_maps foreign memory moves it out of the way. */
    /* Who runs the firmware: NULL or "host" (compiled into this process, as before), or
     * "core" (the cross-built image on the model's embedded core: written to flash slot A,
     * booted by the boot ROM).  Paths NULL: the build tree's boot ROM and vionic-fw.img.
     * Without a boot ROM file the transport boots the image directly into IMEM. */
    const char *firmware;
    const char *rom_path;
    const char *image_path;
};
VN_WUR int vn_tr_sim_open(const struct vn_tr_sim_opts *opts, struct vn_tr **out);
/* The model behind a sim transport, for the testbench (MAC models, stats, stepping). */
struct vn_model *vn_tr_sim_model(struct vn_tr *tr);
/* Observe every DMA access of the device (MSI-X writes and faults included) before the
 * transport serves it: cycle is the model time, addr an IOVA.  fn NULL: none. */
typedef void (*vn_tr_sim_dma_hook)(void *ctx, uint64_t cycle, int is_write, uint64_t addr,
                                   uint32_t len);
void vn_tr_sim_set_dma_hook(struct vn_tr *tr, vn_tr_sim_dma_hook fn, void *ctx);

/* The pci backend: a real PCI function.  libpciaccess finds it, maps its memory BARs
 * (sysfs resourceN) and reads and writes its config space; VFIO type1 (the function bound
 * to vfio-pci) gives DMA mappings through the IOMMU and MSI-X as eventfds.  Without VFIO
 * only config and BAR access work (info, counters, flash): dma_* and irq_setup then fail
 * with -ENXIO and a log message that says how to bind the function. */
struct vn_tr_pci_opts {
    const char *bdf;    /* "BB:DD.F" or "DDDD:BB:DD.F"; NULL: the first 1af4:1041 function */
    int need_dma;       /* 1: fail the open when VFIO cannot be set up */
    size_t dma_cap;     /* bytes dma_alloc hands out at most (rounded to pages); 0: 256 MiB */
    uint64_t iova_base; /* first IOVA of dma_alloc; 0: 0x1_0000_0000.  Never the MSI window
                         * 0xfee00000-0xfeefffff: allocations skip it. */
};
VN_WUR int vn_tr_pci_open(const struct vn_tr_pci_opts *opts, struct vn_tr **out);
/* Whether DMA and MSI-X are available (VFIO set up); 0 for other transports. */
int vn_tr_pci_has_dma(const struct vn_tr *tr);
/* The function's address as DDDD:BB:DD.F; NULL for other transports. */
const char *vn_tr_pci_bdf(const struct vn_tr *tr);

/* One virtio-net function on the bus, for listings. */
struct vn_tr_pci_fn {
    char bdf[16];      /* DDDD:BB:DD.F */
    uint16_t vendor, device, subsys_device;
    char driver[32];   /* bound kernel driver (sysfs 'driver' link); "" when none */
    int iommu_group;   /* -1: none (no IOMMU or not in a group) */
};
/* Up to max virtio-net functions (1af4:1041 modern, 1af4:1000 transitional with subsystem
 * device 1) in bus order; *count gets how many exist.  Touches no device registers
 * beyond the IDs.  0 or -errno (no PCI bus to scan). */
VN_WUR int vn_tr_pci_list(struct vn_tr_pci_fn *out, unsigned max, unsigned *count);

#endif
