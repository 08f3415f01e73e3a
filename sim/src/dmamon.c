#include "dmamon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void vn_dmamon_init(struct vn_dmamon *m)
{
    memset(m, 0, sizeof(*m));
}

void vn_dmamon_free(struct vn_dmamon *m)
{
    free(m->r);
    m->r = NULL;
    m->n = m->cap = 0;
}

int vn_dmamon_add(struct vn_dmamon *m, int vq, uint64_t iova, uint64_t len)
{
    if (vq < 0 || vq >= VN_DMAMON_MAX_VQ || !len)
        return -EINVAL;
    if (m->n == m->cap) {
        unsigned cap = m->cap ? m->cap * 2 : 64;
        struct vn_dmamon_range *r = realloc(m->r, cap * sizeof(*r));
        if (!r)
            return -ENOMEM;
        m->r = r;
        m->cap = cap;
    }
    m->r[m->n++] = (struct vn_dmamon_range){iova, iova + len, vq};
    return 0;
}

void vn_dmamon_drop_vq(struct vn_dmamon *m, int vq)
{
    unsigned k = 0;
    for (unsigned i = 0; i < m->n; i++)
        if (m->r[i].vq != vq)
            m->r[k++] = m->r[i];
    m->n = k;
}

void vn_dmamon_fence(struct vn_dmamon *m, int vq, uint64_t cycle)
{
    if (vq >= 0 && vq < VN_DMAMON_MAX_VQ) {
        m->fenced[vq] = 1;
        m->fenced_at[vq] = cycle;
    }
}

void vn_dmamon_unfence(struct vn_dmamon *m, int vq)
{
    if (vq >= 0 && vq < VN_DMAMON_MAX_VQ)
        m->fenced[vq] = 0;
}

int vn_dmamon_access(struct vn_dmamon *m, uint64_t cycle, int is_write, uint64_t addr, uint32_t len)
{
    int owner = -1;
    m->accesses++;
    if (is_write)
        m->writes++;
    else
        m->reads++;
    for (unsigned i = 0; i < m->n; i++) {
        if (addr < m->r[i].hi && addr + len > m->r[i].lo) {
            owner = m->r[i].vq;
            break;
        }
    }
    if (owner < 0)
        m->unowned++;
    else
        m->per_vq[owner]++;
    if (m->log)
        fprintf(m->log, "%llu %c 0x%llx %u %d\n", (unsigned long long)cycle, is_write ? 'W' : 'R',
                (unsigned long long)addr, len, owner);
    if (owner >= 0 && m->fenced[owner]) {
        m->violations++;
        if (!m->first_violation[0])
            snprintf(m->first_violation, sizeof(m->first_violation),
                     "cycle %llu: %s of %u bytes at 0x%llx, memory of vq %d whose reset completed at "
                     "cycle %llu",
                     (unsigned long long)cycle, is_write ? "write" : "read", len,
                     (unsigned long long)addr, owner, (unsigned long long)m->fenced_at[owner]);
    }
    return owner;
}
