/* vu_mem: the front-end's memory table (SET_MEM_TABLE / ADD_MEM_REG / REM_MEM_REG).
 * Each region is mmap'd from its fd honouring mmap_offset; addresses are translated the
 * way an IOMMU would: a range that is not wholly inside one region does not translate. */
#ifndef VU_MEM_H
#define VU_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "vu_proto.h"

struct vu_mem_region {
    uint64_t gpa, size, uva; /* guest physical (device-visible IOVA), front-end VA */
    uint64_t mmap_offset;
    void *map;      /* mmap base (covers mmap_offset + size) */
    size_t map_len;
    uint8_t *host;  /* our pointer to gpa: map + mmap_offset */
};

struct vu_mem {
    struct vu_mem_region r[VU_MAX_REGIONS];
    unsigned n;
};

void vu_mem_init(struct vu_mem *mm);
/* Replace the table: maps every region (fds[i] for regions[i]; fds are closed, mapped
 * or not).  On failure nothing of the new table stays mapped and the old one is kept:
 * -EINVAL for a zero-sized/overlapping/overflowing region or too many regions, or the
 * mmap errno.  On success the old table is unmapped. */
int vu_mem_set(struct vu_mem *mm, const struct vu_memory *tbl, const int *fds, unsigned nfds);
/* ADD_MEM_REG: map one more region (fd closed either way).  -EINVAL as for vu_mem_set,
 * -ENOSPC when VU_MAX_REGIONS are mapped already; the table is unchanged on failure. */
int vu_mem_add(struct vu_mem *mm, const struct vu_region *reg, int fd);
/* REM_MEM_REG: unmap the region with reg's guest_phys_addr and memory_size; -ENOENT if
 * there is none. */
int vu_mem_remove(struct vu_mem *mm, const struct vu_region *reg);
void vu_mem_clear(struct vu_mem *mm);

/* Guest physical -> our pointer, NULL unless [gpa, gpa+len) lies in one region. */
void *vu_mem_gpa(const struct vu_mem *mm, uint64_t gpa, uint64_t len);
/* Front-end VA (ring addresses in SET_VRING_ADDR) -> guest physical; -EFAULT unless
 * [uva, uva+len) lies in one region. */
int vu_mem_uva_to_gpa(const struct vu_mem *mm, uint64_t uva, uint64_t len, uint64_t *gpa);

#endif
