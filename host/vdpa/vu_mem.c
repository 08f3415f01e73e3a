/* vu_mem: map the front-end's memory regions and translate guest/front-end addresses. */
#define _DEFAULT_SOURCE /* MAP_SHARED and friends under -std=c11 */

#include "vu_mem.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void vu_mem_init(struct vu_mem *mm)
{
    memset(mm, 0, sizeof *mm);
}

static bool end_ok(uint64_t base, uint64_t size)
{
    return size != 0 && base <= UINT64_MAX - (size - 1);
}

/* [a, a+as) and [b, b+bs) intersect (both already known not to wrap). */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a <= b + (bs - 1) && b <= a + (as - 1);
}

static int check_region(const struct vu_region *r)
{
    if (!end_ok(r->guest_phys_addr, r->memory_size) || !end_ok(r->userspace_addr, r->memory_size))
        return -EINVAL;
    if (r->mmap_offset > UINT64_MAX - r->memory_size || r->mmap_offset + r->memory_size > SIZE_MAX)
        return -EINVAL;
    return 0;
}

static void unmap_region(struct vu_mem_region *r)
{
    if (r->map)
        munmap(r->map, r->map_len);
    memset(r, 0, sizeof *r);
}

/* mmap [0, mmap_offset + size) of fd; the fd is closed either way. */
static int map_region(struct vu_mem_region *out, const struct vu_region *r, int fd)
{
    uint64_t need = r->mmap_offset + r->memory_size;
    uint64_t align = (uint64_t)sysconf(_SC_PAGESIZE);
    struct stat st;
    int rc = 0;

    if (fd < 0)
        return -EBADF;
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        goto out;
    }
    /* Touching a mapping beyond the end of a file is SIGBUS: refuse a short file now. */
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < need) {
        rc = -EINVAL;
        goto out;
    }
    /* hugetlbfs reports its page size here, and munmap needs that alignment */
    if (st.st_blksize > 0 && (uint64_t)st.st_blksize > align &&
        ((uint64_t)st.st_blksize & ((uint64_t)st.st_blksize - 1)) == 0)
        align = (uint64_t)st.st_blksize;
    if (need > UINT64_MAX - (align - 1) || ((need + align - 1) & ~(align - 1)) > SIZE_MAX) {
        rc = -EINVAL;
        goto out;
    }
    size_t len = (size_t)((need + align - 1) & ~(align - 1));
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        rc = -errno;
        goto out;
    }
    out->gpa = r->guest_phys_addr;
    out->size = r->memory_size;
    out->uva = r->userspace_addr;
    out->mmap_offset = r->mmap_offset;
    out->map = p;
    out->map_len = len;
    out->host = (uint8_t *)p + r->mmap_offset;
out:
    close(fd);
    return rc;
}

/* Largest region first: it takes most accesses (QEMU's second region, above 0xc0000). */
static void sort_by_size(struct vu_mem_region *r, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        struct vu_mem_region t = r[i];
        unsigned j = i;
        for (; j > 0 && r[j - 1].size < t.size; j--)
            r[j] = r[j - 1];
        r[j] = t;
    }
}

static void close_fds(const int *fds, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

int vu_mem_set(struct vu_mem *mm, const struct vu_memory *tbl, const int *fds, unsigned nfds)
{
    struct vu_mem_region nr[VU_MAX_REGIONS];
    unsigned n = tbl->nregions;
    int rc = 0;

    if (n > VU_MAX_REGIONS || nfds != n) {
        close_fds(fds, nfds);
        return -EINVAL;
    }
    for (unsigned i = 0; i < n && !rc; i++) {
        const struct vu_region *a = &tbl->regions[i];
        rc = check_region(a);
        for (unsigned j = 0; j < i && !rc; j++) {
            const struct vu_region *b = &tbl->regions[j];
            if (overlaps(a->guest_phys_addr, a->memory_size, b->guest_phys_addr, b->memory_size))
                rc = -EINVAL;
        }
    }
    if (rc) {
        close_fds(fds, nfds);
        return rc;
    }
    memset(nr, 0, sizeof nr);
    unsigned mapped = 0;
    for (; mapped < n; mapped++) {
        rc = map_region(&nr[mapped], &tbl->regions[mapped], fds[mapped]);
        if (rc)
            break;
    }
    if (rc) {
        close_fds(fds + mapped + 1, n - mapped - 1);
        for (unsigned i = 0; i < mapped; i++)
            unmap_region(&nr[i]);
        return rc;
    }
    sort_by_size(nr, n);
    vu_mem_clear(mm);
    memcpy(mm->r, nr, sizeof nr);
    mm->n = n;
    return 0;
}

int vu_mem_add(struct vu_mem *mm, const struct vu_region *reg, int fd)
{
    int rc = check_region(reg);

    for (unsigned i = 0; i < mm->n && !rc; i++)
        if (overlaps(reg->guest_phys_addr, reg->memory_size, mm->r[i].gpa, mm->r[i].size))
            rc = -EINVAL;
    if (!rc && mm->n >= VU_MAX_REGIONS)
        rc = -ENOSPC;
    if (rc) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rc = map_region(&mm->r[mm->n], reg, fd);
    if (rc)
        return rc;
    mm->n++;
    sort_by_size(mm->r, mm->n);
    return 0;
}

int vu_mem_remove(struct vu_mem *mm, const struct vu_region *reg)
{
    for (unsigned i = 0; i < mm->n; i++) {
        if (mm->r[i].gpa != reg->guest_phys_addr || mm->r[i].size != reg->memory_size)
            continue;
        unmap_region(&mm->r[i]);
        memmove(&mm->r[i], &mm->r[i + 1], (mm->n - i - 1) * sizeof mm->r[0]);
        mm->n--;
        memset(&mm->r[mm->n], 0, sizeof mm->r[0]);
        return 0;
    }
    return -ENOENT;
}

void vu_mem_clear(struct vu_mem *mm)
{
    for (unsigned i = 0; i < mm->n; i++)
        unmap_region(&mm->r[i]);
    mm->n = 0;
}

/* [addr, addr+len) inside [base, base+size); a zero len still needs addr inside. */
static inline bool inside(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
    if (len == 0)
        len = 1;
    return addr >= base && len <= size && addr - base <= size - len;
}

void *vu_mem_gpa(const struct vu_mem *mm, uint64_t gpa, uint64_t len)
{
    for (unsigned i = 0; i < mm->n; i++) {
        const struct vu_mem_region *r = &mm->r[i];
        if (inside(gpa, len, r->gpa, r->size))
            return r->host + (gpa - r->gpa);
    }
    return NULL;
}

int vu_mem_uva_to_gpa(const struct vu_mem *mm, uint64_t uva, uint64_t len, uint64_t *gpa)
{
    for (unsigned i = 0; i < mm->n; i++) {
        const struct vu_mem_region *r = &mm->r[i];
        if (inside(uva, len, r->uva, r->size)) {
            *gpa = r->gpa + (uva - r->uva);
            return 0;
        }
    }
    return -EFAULT;
}
