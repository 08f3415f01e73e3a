/* The pci transport: a real PCI function.  libpciaccess finds it, maps its memory BARs and
 * reaches its config space; VFIO type1 supplies IOMMU mappings for DMA and MSI-X eventfds.
 * The BARs are mapped through libpciaccess first, never through VFIO: with
 * IO_STRICT_DEVMEM the sysfs mapping fails once a driver (VFIO included) has claimed the
 * region.  Without VFIO only config and BAR access work. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <poll.h>
#include <pciaccess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "pci_sysfs.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_transport.h"

#define PCI_PAGE 4096u
#define PCI_GUARD PCI_PAGE /* unmapped IOVA page after every buffer: overruns fault */
#define PCI_DEFAULT_IOVA UINT64_C(0x100000000)
#define PCI_DEFAULT_DMA_CAP ((size_t)256 << 20)
#define PCI_MSI_LO UINT64_C(0xfee00000)
#define PCI_MSI_HI UINT64_C(0xfef00000) /* exclusive */
#define PCI_MAX_VECTORS 64u
#define PCI_NBARS 6u
#define VIRTIO_VENDOR 0x1af4u
#define VIRTIO_NET_MODERN 0x1041u
#define VIRTIO_NET_TRANSITIONAL 0x1000u

struct pci_buf {
    void *va;
    uint64_t iova;
    size_t len;  /* page-rounded */
    int foreign; /* dma_map: the caller's memory, not ours to free */
};

struct pci_tr {
    struct vn_tr tr;
    struct pci_device *dev;
    char bdf[16];
    struct {
        volatile uint8_t *va;
        uint64_t len;
    } bar[PCI_NBARS];
    int container, group, device; /* -1: no VFIO */
    char no_dma[512];             /* why not, and what to do */
    struct pci_buf *buf;
    size_t nbuf, capbuf;
    uint64_t iova_base, next_iova;
    size_t dma_used, dma_cap;
    int efd[PCI_MAX_VECTORS];
    unsigned nvec;
};

static unsigned pci_users; /* pci_system_init is process-wide */

static struct pci_tr *to_pci(struct vn_tr *tr)
{
    return (struct pci_tr *)((char *)tr - offsetof(struct pci_tr, tr));
}

static int sys_init(void)
{
    if (pci_users == 0) {
        int rc = pci_system_init();
        if (rc) {
            vn_log(VN_LOG_ERR, "pci: cannot scan the PCI bus (%s): is %s there?", strerror(rc),
                   VN_PCI_SYSFS_DEVICES);
            return -rc;
        }
    }
    pci_users++;
    return 0;
}

static void sys_fini(void)
{
    if (pci_users && --pci_users == 0)
        pci_system_cleanup();
}

static int is_virtio_net(const struct pci_device *d)
{
    return d->vendor_id == VIRTIO_VENDOR &&
           (d->device_id == VIRTIO_NET_MODERN ||
            (d->device_id == VIRTIO_NET_TRANSITIONAL && d->subdevice_id == 1));
}

/* ---- config space and BARs --------------------------------------------------------- */

static int access_ok(uint64_t off, unsigned size, uint64_t limit)
{
    return (size == 1 || size == 2 || size == 4) && off % size == 0 && off < limit &&
           size <= limit - off;
}

static int pci_cfg_read(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *v)
{
    struct pci_device *d = to_pci(tr)->dev;
    int rc;

    if (!access_ok(off, size, VN_CFG_SIZE))
        return -EINVAL;
    if (size == 1) {
        uint8_t b = 0;
        rc = pci_device_cfg_read_u8(d, &b, off);
        *v = b;
    } else if (size == 2) {
        uint16_t h = 0;
        rc = pci_device_cfg_read_u16(d, &h, off);
        *v = h;
    } else {
        rc = pci_device_cfg_read_u32(d, v, off);
    }
    return -rc;
}

static int pci_cfg_write(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t v)
{
    struct pci_device *d = to_pci(tr)->dev;

    if (!access_ok(off, size, VN_CFG_SIZE))
        return -EINVAL;
    if (size == 1)
        return -pci_device_cfg_write_u8(d, (uint8_t)v, off);
    if (size == 2)
        return -pci_device_cfg_write_u16(d, (uint16_t)v, off);
    return -pci_device_cfg_write_u32(d, v, off);
}

static int pci_bar_read(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t *v)
{
    struct pci_tr *p = to_pci(tr);

    if (bar >= PCI_NBARS || !p->bar[bar].va || !access_ok(off, size, p->bar[bar].len))
        return -EINVAL;
    volatile uint8_t *a = p->bar[bar].va + off;
    if (size == 1)
        *v = *a;
    else if (size == 2)
        *v = *(volatile uint16_t *)(volatile void *)a;
    else
        *v = *(volatile uint32_t *)(volatile void *)a;
    return 0;
}

static int pci_bar_write(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t v)
{
    struct pci_tr *p = to_pci(tr);

    if (bar >= PCI_NBARS || !p->bar[bar].va || !access_ok(off, size, p->bar[bar].len))
        return -EINVAL;
    volatile uint8_t *a = p->bar[bar].va + off;
    if (size == 1)
        *a = (uint8_t)v;
    else if (size == 2)
        *(volatile uint16_t *)(volatile void *)a = (uint16_t)v;
    else
        *(volatile uint32_t *)(volatile void *)a = v;
    return 0;
}

/* ---- DMA through the IOMMU --------------------------------------------------------- */

static int no_dma(struct pci_tr *p, const char *what)
{
    vn_log(VN_LOG_ERR, "pci: %s: %s", what, p->no_dma);
    return -ENXIO;
}

static int overlaps(const struct pci_tr *p, uint64_t iova, uint64_t len)
{
    if (iova < PCI_MSI_HI && PCI_MSI_LO < iova + len)
        return 1;
    for (size_t i = 0; i < p->nbuf; i++)
        if (iova < p->buf[i].iova + p->buf[i].len + PCI_GUARD && p->buf[i].iova < iova + len)
            return 1;
    return 0;
}

static int iommu_map(struct pci_tr *p, void *va, uint64_t iova, uint64_t len)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof m,
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uint64_t)(uintptr_t)va,
        .iova = iova,
        .size = len,
    };
    if (ioctl(p->container, VFIO_IOMMU_MAP_DMA, &m)) {
        int e = errno;
        vn_log(VN_LOG_ERR, "pci: VFIO_IOMMU_MAP_DMA iova 0x%llx len 0x%llx: %s%s",
               (unsigned long long)iova, (unsigned long long)len, strerror(e),
               e == ENOMEM ? " (locked-memory limit? ulimit -l, or CAP_IPC_LOCK)" : "");
        return -e;
    }
    return 0;
}

static void iommu_unmap(struct pci_tr *p, uint64_t iova, uint64_t len)
{
    struct vfio_iommu_type1_dma_unmap u = {.argsz = sizeof u, .iova = iova, .size = len};
    if (ioctl(p->container, VFIO_IOMMU_UNMAP_DMA, &u))
        vn_log(VN_LOG_WARN, "pci: VFIO_IOMMU_UNMAP_DMA iova 0x%llx: %s", (unsigned long long)iova,
               strerror(errno));
}

static int add_buf(struct pci_tr *p, struct pci_buf b)
{
    if (p->nbuf == p->capbuf) {
        size_t ncap = p->capbuf ? 2 * p->capbuf : 16;
        struct pci_buf *nb = realloc(p->buf, ncap * sizeof *nb);
        if (!nb)
            return -ENOMEM;
        p->buf = nb;
        p->capbuf = ncap;
    }
    p->buf[p->nbuf++] = b;
    return 0;
}

static int pci_dma_alloc(struct vn_tr *tr, size_t len, struct vn_dma *out)
{
    struct pci_tr *p = to_pci(tr);
    int rc;

    if (p->container < 0)
        return no_dma(p, "no DMA memory");
    if (len == 0 || len > SIZE_MAX - PCI_PAGE)
        return -EINVAL;
    size_t alen = (len + PCI_PAGE - 1) & ~(size_t)(PCI_PAGE - 1);
    if (alen > p->dma_cap - p->dma_used) {
        vn_log(VN_LOG_ERR, "pci: DMA memory exhausted: %zu bytes asked, %zu of %zu in use "
                           "(raise vn_tr_pci_opts.dma_cap)", len, p->dma_used, p->dma_cap);
        return -ENOMEM;
    }
    void *va = mmap(NULL, alen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                    -1, 0);
    if (va == MAP_FAILED)
        return -errno;
    /* IOVAs only grow (a late DMA to freed memory faults) and step over the MSI window;
     * an IOVA equal to its VA would hide a driver that confuses the two. */
    uint64_t iova = p->next_iova;
    while (overlaps(p, iova, alen) || iova == (uint64_t)(uintptr_t)va) {
        iova = iova < PCI_MSI_HI && PCI_MSI_LO < iova + alen ? PCI_MSI_HI : iova + PCI_PAGE;
        if (iova > UINT64_MAX / 2) {
            munmap(va, alen);
            return -ENOSPC;
        }
    }
    if ((rc = iommu_map(p, va, iova, alen))) {
        munmap(va, alen);
        return rc;
    }
    if ((rc = add_buf(p, (struct pci_buf){va, iova, alen, 0}))) {
        iommu_unmap(p, iova, alen);
        munmap(va, alen);
        return rc;
    }
    p->next_iova = iova + alen + PCI_GUARD;
    p->dma_used += alen;
    *out = (struct vn_dma){va, iova, len};
    return 0;
}

static void pci_dma_free(struct vn_tr *tr, struct vn_dma *dma)
{
    struct pci_tr *p = to_pci(tr);

    for (size_t i = 0; i < p->nbuf; i++) {
        struct pci_buf *b = &p->buf[i];
        if (b->va == dma->va && !b->foreign) {
            iommu_unmap(p, b->iova, b->len);
            munmap(b->va, b->len);
            p->dma_used -= b->len;
            *b = p->buf[--p->nbuf];
            dma->va = NULL;
            return;
        }
    }
    vn_log(VN_LOG_WARN, "pci: dma_free of an unknown buffer");
}

static int pci_dma_map(struct vn_tr *tr, void *va, uint64_t iova, size_t len)
{
    struct pci_tr *p = to_pci(tr);
    int rc;

    if (p->container < 0)
        return no_dma(p, "cannot map memory for the device");
    if (len == 0 || !va || iova > UINT64_MAX - len || (uintptr_t)va % PCI_PAGE ||
        iova % PCI_PAGE || len % PCI_PAGE)
        return -EINVAL;
    if (overlaps(p, iova, len) || (iova < p->next_iova && iova + len > p->iova_base))
        return -EEXIST;
    if ((rc = iommu_map(p, va, iova, len)))
        return rc;
    if ((rc = add_buf(p, (struct pci_buf){va, iova, len, 1})))
        iommu_unmap(p, iova, len);
    return rc;
}

static int pci_dma_unmap(struct vn_tr *tr, uint64_t iova, size_t len)
{
    struct pci_tr *p = to_pci(tr);

    for (size_t i = 0; i < p->nbuf; i++) {
        if (p->buf[i].foreign && p->buf[i].iova == iova && p->buf[i].len == len) {
            iommu_unmap(p, iova, len);
            p->buf[i] = p->buf[--p->nbuf];
            return 0;
        }
    }
    return -ENOENT;
}

/* ---- MSI-X as eventfds ------------------------------------------------------------- */

static void irq_teardown(struct pci_tr *p)
{
    if (p->nvec && p->device >= 0) {
        struct vfio_irq_set s = {.argsz = sizeof s,
                                 .flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
                                 .index = VFIO_PCI_MSIX_IRQ_INDEX};
        if (ioctl(p->device, VFIO_DEVICE_SET_IRQS, &s))
            vn_log(VN_LOG_WARN, "pci: disabling MSI-X: %s", strerror(errno));
    }
    for (unsigned v = 0; v < p->nvec; v++)
        close(p->efd[v]);
    p->nvec = 0;
}

static int pci_irq_setup(struct vn_tr *tr, unsigned nvec)
{
    struct pci_tr *p = to_pci(tr);

    if (p->device < 0)
        return no_dma(p, "no MSI-X");
    if (nvec == 0 || nvec > PCI_MAX_VECTORS)
        return -EINVAL;
    struct vfio_irq_info info = {.argsz = sizeof info, .index = VFIO_PCI_MSIX_IRQ_INDEX};
    if (ioctl(p->device, VFIO_DEVICE_GET_IRQ_INFO, &info)) {
        int e = errno;
        vn_log(VN_LOG_ERR, "pci: VFIO_DEVICE_GET_IRQ_INFO(MSI-X): %s", strerror(e));
        return -e;
    }
    if (nvec > info.count) {
        vn_log(VN_LOG_ERR, "pci: %u MSI-X vectors asked, %s has %u", nvec, p->bdf, info.count);
        return -ENOSPC;
    }
    irq_teardown(p);
    size_t sz = sizeof(struct vfio_irq_set) + nvec * sizeof(int32_t);
    struct vfio_irq_set *s = calloc(1, sz);
    if (!s)
        return -ENOMEM;
    int rc = 0;
    for (unsigned v = 0; v < nvec && !rc; v++) {
        p->efd[v] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (p->efd[v] < 0)
            rc = -errno;
        else
            p->nvec = v + 1;
    }
    if (!rc) {
        *s = (struct vfio_irq_set){.argsz = (uint32_t)sz,
                                   .flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
                                   .index = VFIO_PCI_MSIX_IRQ_INDEX,
                                   .start = 0,
                                   .count = nvec};
        memcpy(s->data, p->efd, nvec * sizeof(int32_t));
        if (ioctl(p->device, VFIO_DEVICE_SET_IRQS, s)) {
            rc = -errno;
            vn_log(VN_LOG_ERR, "pci: VFIO_DEVICE_SET_IRQS(MSI-X, %u eventfds): %s", nvec,
                   strerror(-rc));
        }
    }
    free(s);
    if (rc) {
        for (unsigned v = 0; v < p->nvec; v++)
            close(p->efd[v]);
        p->nvec = 0;
    }
    return rc;
}

static int pci_irq_wait(struct vn_tr *tr, uint64_t timeout_ns, uint64_t *fired)
{
    struct pci_tr *p = to_pci(tr);
    struct pollfd pf[PCI_MAX_VECTORS];
    struct timespec ts = {(time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u)};

    *fired = 0;
    if (!p->nvec)
        return -ENXIO;
    for (unsigned v = 0; v < p->nvec; v++)
        pf[v] = (struct pollfd){.fd = p->efd[v], .events = POLLIN};
    int n = ppoll(pf, p->nvec, &ts, NULL);
    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    for (unsigned v = 0; v < p->nvec && n > 0; v++) {
        uint64_t cnt;
        if ((pf[v].revents & POLLIN) && read(p->efd[v], &cnt, sizeof cnt) == (ssize_t)sizeof cnt)
            *fired |= UINT64_C(1) << v;
    }
    return 0;
}

static void pci_delay(struct vn_tr *tr, uint64_t ns)
{
    (void)tr;
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

/* ---- open and close ----------------------------------------------------------------- */

static void vfio_close(struct pci_tr *p)
{
    irq_teardown(p);
    for (size_t i = 0; i < p->nbuf; i++) {
        iommu_unmap(p, p->buf[i].iova, p->buf[i].len);
        if (!p->buf[i].foreign)
            munmap(p->buf[i].va, p->buf[i].len);
    }
    p->nbuf = 0;
    p->dma_used = 0;
    if (p->device >= 0)
        close(p->device);
    if (p->group >= 0)
        close(p->group);
    if (p->container >= 0)
        close(p->container);
    p->device = p->group = p->container = -1;
}

static void pci_close(struct vn_tr *tr)
{
    struct pci_tr *p = to_pci(tr);

    vfio_close(p);
    free(p->buf);
    for (unsigned b = 0; b < PCI_NBARS; b++)
        if (p->bar[b].va)
            pci_device_unmap_range(p->dev, (void *)(uintptr_t)p->bar[b].va, p->bar[b].len);
    sys_fini();
    free(p);
}

static const struct vn_tr_ops pci_ops = {
    .name = "pci",
    .cfg_read = pci_cfg_read,
    .cfg_write = pci_cfg_write,
    .bar_read = pci_bar_read,
    .bar_write = pci_bar_write,
    .dma_alloc = pci_dma_alloc,
    .dma_free = pci_dma_free,
    .dma_map = pci_dma_map,
    .dma_unmap = pci_dma_unmap,
    .irq_setup = pci_irq_setup,
    .irq_wait = pci_irq_wait,
    .delay = pci_delay,
    .close = pci_close,
};

static void bind_hint(struct pci_tr *p, const char *why)
{
    snprintf(p->no_dma, sizeof p->no_dma,
             "%s; bind %s to vfio-pci: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
             "echo %s > /sys/bus/pci/drivers_probe (see docs/pci-transport.md)",
             why, p->bdf, p->bdf, p->bdf);
}

/* VFIO for the group, DMA and MSI-X.  On failure p->no_dma says why; 0 or -errno. */
static int vfio_open(struct pci_tr *p)
{
    char drv[32], path[64], why[160];
    int rc = vn_sysfs_driver(p->bdf, drv, sizeof drv);
    int grp = vn_sysfs_iommu_group(p->bdf);

    if (grp < 0) {
        snprintf(p->no_dma, sizeof p->no_dma,
                 "%s is in no IOMMU group: enable the IOMMU (intel_iommu=on or amd_iommu=on on "
                 "the kernel command line, VT-d/AMD-Vi in the firmware)", p->bdf);
        return -ENXIO;
    }
    if (rc || strcmp(drv, "vfio-pci") != 0) {
        snprintf(why, sizeof why, "%s is not bound to vfio-pci (driver: %s)", p->bdf,
                 rc ? "unknown" : drv[0] ? drv : "none");
        bind_hint(p, why);
        return -ENXIO;
    }
    p->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
    if (p->container < 0) {
        rc = -errno;
        snprintf(why, sizeof why, "/dev/vfio/vfio: %s (modprobe vfio-pci?)", strerror(-rc));
        bind_hint(p, why);
        return rc;
    }
    if (ioctl(p->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
        ioctl(p->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0) {
        snprintf(p->no_dma, sizeof p->no_dma, "VFIO has no type1 IOMMU (API version %d)",
                 ioctl(p->container, VFIO_GET_API_VERSION));
        return -ENXIO;
    }
    snprintf(path, sizeof path, "/dev/vfio/%d", grp);
    p->group = open(path, O_RDWR | O_CLOEXEC);
    if (p->group < 0) {
        rc = -errno;
        snprintf(p->no_dma, sizeof p->no_dma, "%s: %s%s", path, strerror(-rc),
                 rc == -EBUSY ? " (another process has the group open)"
                 : rc == -EACCES ? " (permissions: chown the group's node to this user)" : "");
        return rc;
    }
    struct vfio_group_status gs = {.argsz = sizeof gs};
    if (ioctl(p->group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
        snprintf(p->no_dma, sizeof p->no_dma,
                 "IOMMU group %d is not viable: bind every function in "
                 "/sys/kernel/iommu_groups/%d/devices to vfio-pci (or unbind them)", grp, grp);
        return -EPERM;
    }
    if (ioctl(p->group, VFIO_GROUP_SET_CONTAINER, &p->container)) {
        rc = -errno;
        snprintf(p->no_dma, sizeof p->no_dma, "VFIO_GROUP_SET_CONTAINER: %s", strerror(-rc));
        return rc;
    }
    int type = ioctl(p->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0
                   ? VFIO_TYPE1v2_IOMMU : VFIO_TYPE1_IOMMU;
    if (ioctl(p->container, VFIO_SET_IOMMU, type)) {
        rc = -errno;
        snprintf(p->no_dma, sizeof p->no_dma, "VFIO_SET_IOMMU: %s%s", strerror(-rc),
                 rc == -EPERM ? " (no interrupt remapping: enable it, or load vfio_iommu_type1 "
                                "with allow_unsafe_interrupts=1)" : "");
        return rc;
    }
    p->device = ioctl(p->group, VFIO_GROUP_GET_DEVICE_FD, p->bdf);
    if (p->device < 0) {
        rc = -errno;
        snprintf(p->no_dma, sizeof p->no_dma, "VFIO_GROUP_GET_DEVICE_FD(%s): %s", p->bdf,
                 strerror(-rc));
        p->device = -1;
        return rc;
    }
    return 0;
}

static int map_bars(struct pci_tr *p)
{
    int any = 0;

    for (unsigned b = 0; b < PCI_NBARS; b++) {
        const struct pci_mem_region *r = &p->dev->regions[b];
        if (!r->size || r->is_IO)
            continue;
        void *va = NULL;
        int rc = pci_device_map_range(p->dev, r->base_addr, r->size, PCI_DEV_MAP_FLAG_WRITABLE,
                                      &va);
        if (rc) {
            vn_log(VN_LOG_ERR, "pci: BAR %u of %s (0x%llx bytes at 0x%llx) cannot be mapped: %s; "
                               "a kernel driver or another process may hold it (BARs are mapped "
                               "before VFIO claims them: nothing else may use the function)",
                   b, p->bdf, (unsigned long long)r->size, (unsigned long long)r->base_addr,
                   strerror(rc));
            return -rc;
        }
        p->bar[b].va = va;
        p->bar[b].len = r->size;
        any = 1;
    }
    if (!any) {
        vn_log(VN_LOG_ERR, "pci: %s has no memory BAR", p->bdf);
        return -ENODEV;
    }
    return 0;
}

static struct pci_device *find_device(const struct vn_tr_pci_opts *o, char *bdf, size_t len)
{
    struct vn_bdf b;

    if (o && o->bdf) {
        if (vn_bdf_parse(o->bdf, &b)) {
            vn_log(VN_LOG_ERR, "pci: '%s' is not a PCI address (BB:DD.F or DDDD:BB:DD.F)",
                   o->bdf);
            errno = EINVAL;
            return NULL;
        }
        vn_bdf_format(&b, bdf, len);
        struct pci_device *d = pci_device_find_by_slot(b.domain, b.bus, b.dev, b.func);
        if (!d) {
            vn_log(VN_LOG_ERR, "pci: no PCI function at %s", bdf);
            errno = ENOENT;
        }
        return d;
    }
    struct pci_id_match m = {VIRTIO_VENDOR, VIRTIO_NET_MODERN, PCI_MATCH_ANY, PCI_MATCH_ANY,
                             0, 0, 0};
    struct pci_device_iterator *it = pci_id_match_iterator_create(&m);
    struct pci_device *d = it ? pci_device_next(it) : NULL;
    pci_iterator_destroy(it);
    if (!d) {
        vn_log(VN_LOG_ERR, "pci: no virtio-net function (1af4:1041) on the bus");
        errno = ENOENT;
        return NULL;
    }
    b = (struct vn_bdf){(uint16_t)d->domain_16, d->bus, d->dev, d->func};
    vn_bdf_format(&b, bdf, len);
    return d;
}

int vn_tr_pci_open(const struct vn_tr_pci_opts *opts, struct vn_tr **out)
{
    struct pci_tr *p;
    char drv[32] = "";
    int rc;

    *out = NULL;
    if ((rc = sys_init()))
        return rc;
    p = calloc(1, sizeof *p);
    if (!p) {
        sys_fini();
        return -ENOMEM;
    }
    p->tr.ops = &pci_ops;
    p->container = p->group = p->device = -1;
    p->dma_cap = opts && opts->dma_cap ? opts->dma_cap : PCI_DEFAULT_DMA_CAP;
    p->iova_base = opts && opts->iova_base ? opts->iova_base & ~(uint64_t)(PCI_PAGE - 1)
                                           : PCI_DEFAULT_IOVA;
    p->next_iova = p->iova_base;
    p->dev = find_device(opts, p->bdf, sizeof p->bdf);
    if (!p->dev) {
        rc = -errno;
        goto fail;
    }
    if ((rc = -pci_device_probe(p->dev))) {
        vn_log(VN_LOG_ERR, "pci: cannot probe %s: %s", p->bdf, strerror(-rc));
        goto fail;
    }
    if (!is_virtio_net(p->dev) || p->dev->device_id != VIRTIO_NET_MODERN) {
        vn_log(VN_LOG_ERR, "pci: %s is %04x:%04x, not a virtio-net function (1af4:1041%s)",
               p->bdf, p->dev->vendor_id, p->dev->device_id,
               is_virtio_net(p->dev) ? "; transitional 1af4:1000 is not supported" : "");
        rc = -ENODEV;
        goto fail;
    }
    /* A function a kernel driver runs is not ours to poke. */
    if (vn_sysfs_driver(p->bdf, drv, sizeof drv) == 0 && drv[0] && strcmp(drv, "vfio-pci") != 0) {
        vn_log(VN_LOG_ERR, "pci: %s is driven by the kernel's %s: unbind it first "
                           "(echo %s > /sys/bus/pci/devices/%s/driver/unbind) or bind it to "
                           "vfio-pci (docs/pci-transport.md)", p->bdf, drv, p->bdf, p->bdf);
        rc = -EBUSY;
        goto fail;
    }
    if ((rc = map_bars(p)))
        goto fail;
    rc = vfio_open(p);
    if (rc) {
        vfio_close(p);
        if (opts && opts->need_dma) {
            vn_log(VN_LOG_ERR, "pci: %s: no DMA: %s", p->bdf, p->no_dma);
            goto fail;
        }
        vn_log(VN_LOG_INFO, "pci: %s: config and BAR access only: %s", p->bdf, p->no_dma);
    }
    *out = &p->tr;
    return 0;
fail:
    pci_close(&p->tr);
    return rc;
}

int vn_tr_pci_has_dma(const struct vn_tr *tr)
{
    return tr && tr->ops == &pci_ops &&
           ((const struct pci_tr *)((const char *)tr - offsetof(struct pci_tr, tr)))->device >= 0;
}

const char *vn_tr_pci_bdf(const struct vn_tr *tr)
{
    if (!tr || tr->ops != &pci_ops)
        return NULL;
    return ((const struct pci_tr *)((const char *)tr - offsetof(struct pci_tr, tr)))->bdf;
}

int vn_tr_pci_list(struct vn_tr_pci_fn *out, unsigned max, unsigned *count)
{
    struct pci_id_match m = {VIRTIO_VENDOR, PCI_MATCH_ANY, PCI_MATCH_ANY, PCI_MATCH_ANY, 0, 0, 0};
    int rc;

    *count = 0;
    if ((rc = sys_init()))
        return rc;
    struct pci_device_iterator *it = pci_id_match_iterator_create(&m);
    struct pci_device *d;
    while (it && (d = pci_device_next(it))) {
        if (!is_virtio_net(d))
            continue;
        if (*count < max) {
            struct vn_tr_pci_fn *f = &out[*count];
            struct vn_bdf b = {(uint16_t)d->domain_16, d->bus, d->dev, d->func};
            vn_bdf_format(&b, f->bdf, sizeof f->bdf);
            f->vendor = d->vendor_id;
            f->device = d->device_id;
            f->subsys_device = d->subdevice_id;
            if (vn_sysfs_driver(f->bdf, f->driver, sizeof f->driver))
                snprintf(f->driver, sizeof f->driver, "?");
            f->iommu_group = vn_sysfs_iommu_group(f->bdf);
        }
        ++*count;
    }
    pci_iterator_destroy(it);
    sys_fini();
    return 0;
}
