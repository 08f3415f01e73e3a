#include "mock_tr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vionic_regs.h"
#include "vn_vq.h"

/* Far from any heap address, so an IOVA used as a pointer (or the reverse) shows. */
#define MOCK_IOVA_BASE UINT64_C(0x7a0000000000)

static struct mock_tr *to_mock(struct vn_tr *tr)
{
    return (struct mock_tr *)((char *)tr - offsetof(struct mock_tr, tr));
}

void mock_put(uint8_t *base, uint32_t off, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size; i++)
        base[off + i] = (uint8_t)(v >> (8 * i));
}

uint32_t mock_get(const uint8_t *base, uint32_t off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)base[off + i] << (8 * i);
    return v;
}

static void log_access(struct mock_tr *m, bool cfg, bool write, unsigned bar, uint64_t off,
                       unsigned size, uint32_t val)
{
    if (m->nlog < MOCK_LOG_MAX)
        m->log[m->nlog++] = (struct mock_access){cfg, write, bar, off, size, val};
}

static int ok_access(uint64_t off, unsigned size, uint64_t limit)
{
    return (size == 1 || size == 2 || size == 4) && off % size == 0 && off + size <= limit;
}

static int m_cfg_read(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t *v)
{
    struct mock_tr *m = to_mock(tr);
    if (!ok_access(off, size, sizeof m->cfg))
        return -EINVAL;
    *v = mock_get(m->cfg, off, size);
    log_access(m, true, false, 0, off, size, *v);
    return 0;
}

static int m_cfg_write(struct vn_tr *tr, uint32_t off, unsigned size, uint32_t v)
{
    struct mock_tr *m = to_mock(tr);
    if (!ok_access(off, size, sizeof m->cfg))
        return -EINVAL;
    mock_put(m->cfg, off, size, v);
    log_access(m, true, true, 0, off, size, v);
    return 0;
}

static int m_bar_read(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t *v)
{
    struct mock_tr *m = to_mock(tr);
    if (bar != 0 || !ok_access(off, size, MOCK_BAR_SIZE))
        return -EINVAL;
    if (!(m->bar_read_hook && m->bar_read_hook(m, off, size, v)))
        *v = mock_get(m->bar0, (uint32_t)off, size);
    log_access(m, false, false, bar, off, size, *v);
    return 0;
}

static int m_bar_write(struct vn_tr *tr, unsigned bar, uint64_t off, unsigned size, uint32_t v)
{
    struct mock_tr *m = to_mock(tr);
    if (bar != 0 || !ok_access(off, size, MOCK_BAR_SIZE))
        return -EINVAL;
    log_access(m, false, true, bar, off, size, v);
    if (!(m->bar_write_hook && m->bar_write_hook(m, off, size, v)))
        mock_put(m->bar0, (uint32_t)off, size, v);
    return 0;
}

static int m_dma_alloc(struct vn_tr *tr, size_t len, struct vn_dma *out)
{
    struct mock_tr *m = to_mock(tr);
    for (unsigned i = 0; i < MOCK_REGIONS; i++) {
        if (m->reg[i].va)
            continue;
        void *va = calloc(1, len);
        if (!va)
            return -ENOMEM;
        m->reg[i].va = va;
        m->reg[i].len = len;
        m->reg[i].iova = m->next_iova;
        m->next_iova += (len + 0xffff) & ~(uint64_t)0xffff;
        m->dma_live++;
        *out = (struct vn_dma){va, m->reg[i].iova, len};
        return 0;
    }
    return -ENOMEM;
}

static void m_dma_free(struct vn_tr *tr, struct vn_dma *d)
{
    struct mock_tr *m = to_mock(tr);
    for (unsigned i = 0; i < MOCK_REGIONS; i++) {
        if (m->reg[i].va && m->reg[i].va == d->va) {
            free(m->reg[i].va);
            m->reg[i].va = NULL;
            m->dma_live--;
            return;
        }
    }
    abort(); /* freeing what was never allocated is a bug the test must not survive */
}

static int m_irq_setup(struct vn_tr *tr, unsigned nvec)
{
    struct mock_tr *m = to_mock(tr);
    if (m->irq_setup_rc)
        return m->irq_setup_rc;
    m->irq_nvec = nvec;
    return 0;
}

static int m_irq_wait(struct vn_tr *tr, uint64_t timeout_ns, uint64_t *fired)
{
    struct mock_tr *m = to_mock(tr);
    m->delayed_ns += timeout_ns;
    *fired = m->irq_pending;
    m->irq_pending = 0;
    return 0;
}

static void m_delay(struct vn_tr *tr, uint64_t ns)
{
    struct mock_tr *m = to_mock(tr);
    m->delayed_ns += ns;
    if (m->delay_hook)
        m->delay_hook(m, ns);
}

static void m_close(struct vn_tr *tr)
{
    (void)tr;
}

static const struct vn_tr_ops mock_ops = {
    .name = "mock",
    .cfg_read = m_cfg_read,
    .cfg_write = m_cfg_write,
    .bar_read = m_bar_read,
    .bar_write = m_bar_write,
    .dma_alloc = m_dma_alloc,
    .dma_free = m_dma_free,
    .irq_setup = m_irq_setup,
    .irq_wait = m_irq_wait,
    .delay = m_delay,
    .close = m_close,
};

void mock_tr_init(struct mock_tr *m)
{
    memset(m, 0, sizeof *m);
    m->tr.ops = &mock_ops;
    m->next_iova = MOCK_IOVA_BASE;
}

unsigned mock_tr_fini(struct mock_tr *m)
{
    unsigned leaked = 0;
    for (unsigned i = 0; i < MOCK_REGIONS; i++) {
        if (m->reg[i].va) {
            free(m->reg[i].va);
            m->reg[i].va = NULL;
            leaked++;
        }
    }
    return leaked;
}

void *mock_iova_va(struct mock_tr *m, uint64_t iova, size_t len)
{
    for (unsigned i = 0; i < MOCK_REGIONS; i++) {
        if (m->reg[i].va && iova >= m->reg[i].iova && iova - m->reg[i].iova <= m->reg[i].len &&
            len <= m->reg[i].len - (iova - m->reg[i].iova))
            return (char *)m->reg[i].va + (iova - m->reg[i].iova);
    }
    return NULL;
}

void mock_ring_attach_iova(struct mock_ring *d, struct mock_tr *m, unsigned size, uint64_t desc,
                           uint64_t driver, uint64_t device)
{
    d->size = size;
    d->desc = mock_iova_va(m, desc, 16u * size);
    d->avail = mock_iova_va(m, driver, 6u + 2u * size);
    d->used = mock_iova_va(m, device, 6u + 8u * size);
    d->last_avail = d->used_idx = 0;
}

void mock_ring_attach(struct mock_ring *d, struct mock_tr *m, struct vn_vq *vq)
{
    mock_ring_attach_iova(d, m, vn_vq_size(vq), vn_vq_desc_iova(vq), vn_vq_driver_iova(vq),
                          vn_vq_device_iova(vq));
}

uint16_t mock_ring_avail_idx(const struct mock_ring *d)
{
    return (uint16_t)mock_get(d->avail, 2, 2);
}

uint16_t mock_ring_avail_flags(const struct mock_ring *d)
{
    return (uint16_t)mock_get(d->avail, 0, 2);
}
uint16_t mock_ring_used_event(const struct mock_ring *d)
{
    return (uint16_t)mock_get(d->avail, 4 + 2 * d->size, 2);
}

int mock_ring_pop(struct mock_ring *d, uint16_t *head, struct mock_seg *seg, unsigned *nseg)
{
    if (mock_ring_avail_idx(d) == d->last_avail)
        return -1;
    uint16_t h = (uint16_t)mock_get(d->avail, 4 + 2 * (d->last_avail % d->size), 2);
    d->last_avail++;
    *head = h;
    unsigned n = 0;
    uint16_t i = h;
    for (;;) {
        if (i >= d->size || n >= d->size)
            return -2;
        uint8_t *e = d->desc + 16u * i;
        seg[n].addr = (uint64_t)mock_get(e, 4, 4) << 32 | mock_get(e, 0, 4);
        seg[n].len = mock_get(e, 8, 4);
        seg[n].flags = (uint16_t)mock_get(e, 12, 2);
        n++;
        if (!(seg[n - 1].flags & VN_DESC_F_NEXT))
            break;
        i = (uint16_t)mock_get(e, 14, 2);
    }
    *nseg = n;
    return 0;
}

void mock_ring_push(struct mock_ring *d, uint32_t id, uint32_t len)
{
    uint8_t *e = d->used + 4 + 8 * (d->used_idx % d->size);
    mock_put(e, 0, 4, id);
    mock_put(e, 4, 4, len);
    d->used_idx++;
    mock_put(d->used, 2, 2, d->used_idx);
}

void mock_ring_set_no_notify(struct mock_ring *d, int on)
{
    mock_put(d->used, 0, 2, on ? VN_USED_F_NO_NOTIFY : 0);
}

void mock_ring_set_avail_event(struct mock_ring *d, uint16_t v)
{
    mock_put(d->used, 4 + 8 * d->size, 2, v);
}

/* ---- packed ring ------------------------------------------------------------------- */

static uint16_t pwrap(uint16_t off, bool wrap)
{
    return (uint16_t)(off | (unsigned)wrap << 15);
}

static void pstep(const struct mock_pring *d, uint16_t *off, bool *wrap)
{
    if (++*off == d->size) {
        *off = 0;
        *wrap = !*wrap;
    }
}

static uint16_t pflags(const struct mock_pring *d, uint16_t off)
{
    return (uint16_t)mock_get(d->desc, 16u * off + VN_PDESC_FLAGS_OFF, 2);
}

/* Available at a slot whose wrap counter is wrap: AVAIL = wrap, USED = !wrap (2.8.1). */
static bool pavail(uint16_t flags, bool wrap)
{
    return !!(flags & VN_PDESC_F_AVAIL) == wrap && !!(flags & VN_PDESC_F_USED) != wrap;
}

void mock_pring_attach_iova(struct mock_pring *d, struct mock_tr *m, unsigned size,
                            uint64_t desc, uint64_t driver, uint64_t device)
{
    d->m = m;
    d->size = size;
    d->desc = mock_iova_va(m, desc, 16u * size);
    d->driver = mock_iova_va(m, driver, 4);
    d->device = mock_iova_va(m, device, 4);
    d->next_avail = d->next_used = 0;
    d->avail_wrap = d->used_wrap = true;
}

void mock_pring_attach(struct mock_pring *d, struct mock_tr *m, struct vn_vq *vq)
{
    mock_pring_attach_iova(d, m, vn_vq_size(vq), vn_vq_desc_iova(vq), vn_vq_driver_iova(vq),
                           vn_vq_device_iova(vq));
}

static void pseg(struct mock_seg *s, const uint8_t *e)
{
    s->addr = (uint64_t)mock_get(e, 4, 4) << 32 | mock_get(e, 0, 4);
    s->len = mock_get(e, 8, 4);
    s->flags = (uint16_t)mock_get(e, VN_PDESC_FLAGS_OFF, 2);
}

int mock_pring_pop(struct mock_pring *d, uint16_t *id, struct mock_seg *seg, unsigned *nseg,
                   unsigned *ndesc)
{
    uint16_t off = d->next_avail;
    bool wrap = d->avail_wrap;
    unsigned n = 0, nd = 0;

    if (!pavail(pflags(d, off), wrap))
        return -1;
    for (;;) {
        uint16_t f = pflags(d, off);
        /* every descriptor of the chain carries the wrap counter of its own slot */
        if (nd >= d->size || !pavail(f, wrap))
            return -2;
        const uint8_t *e = d->desc + 16u * off;
        *id = (uint16_t)mock_get(e, VN_PDESC_ID_OFF, 2);
        nd++;
        pstep(d, &off, &wrap);
        if (f & VN_DESC_F_INDIRECT) {
            uint64_t ta = (uint64_t)mock_get(e, 4, 4) << 32 | mock_get(e, 0, 4);
            uint32_t tl = mock_get(e, 8, 4);
            const uint8_t *t = mock_iova_va(d->m, ta, tl);
            if ((f & VN_DESC_F_NEXT) || n || !t || tl == 0 || tl % 16 || tl / 16 > d->size)
                return -2;
            for (unsigned i = 0; i < tl / 16; i++) {
                pseg(&seg[n], t + 16u * i);
                seg[n++].flags &= VN_DESC_F_WRITE; /* the only flag valid in a table */
            }
            break;
        }
        if (n >= d->size)
            return -2;
        pseg(&seg[n++], e);
        if (!(f & VN_DESC_F_NEXT))
            break;
    }
    d->next_avail = off;
    d->avail_wrap = wrap;
    *nseg = n;
    *ndesc = nd;
    return 0;
}

void mock_pring_push(struct mock_pring *d, uint16_t id, uint32_t len, unsigned ndesc)
{
    uint8_t *e = d->desc + 16u * d->next_used;
    mock_put(e, 0, 4, 0);
    mock_put(e, 4, 4, 0);
    mock_put(e, 8, 4, len);
    mock_put(e, VN_PDESC_ID_OFF, 2, id);
    /* used: AVAIL = USED = the device's wrap counter, written last */
    mock_put(e, VN_PDESC_FLAGS_OFF, 2, d->used_wrap ? VN_PDESC_F_AVAIL | VN_PDESC_F_USED : 0);
    for (unsigned i = 0; i < ndesc; i++)
        pstep(d, &d->next_used, &d->used_wrap);
}

unsigned mock_pring_pending(const struct mock_pring *d)
{
    uint16_t off = d->next_avail;
    bool wrap = d->avail_wrap;
    unsigned n = 0;

    while (n < d->size && pavail(pflags(d, off), wrap)) {
        n++;
        pstep(d, &off, &wrap);
    }
    return n;
}

uint16_t mock_pring_avail_pos(const struct mock_pring *d)
{
    return pwrap(d->next_avail, d->avail_wrap);
}

uint16_t mock_pring_used_pos(const struct mock_pring *d)
{
    return pwrap(d->next_used, d->used_wrap);
}

uint16_t mock_pring_drv_flags(const struct mock_pring *d)
{
    return (uint16_t)mock_get(d->driver, 2, 2);
}

uint16_t mock_pring_drv_off_wrap(const struct mock_pring *d)
{
    return (uint16_t)mock_get(d->driver, 0, 2);
}

void mock_pring_set_event(struct mock_pring *d, uint16_t flags, uint16_t off_wrap)
{
    mock_put(d->device, 0, 2, off_wrap);
    mock_put(d->device, 2, 2, flags);
}
